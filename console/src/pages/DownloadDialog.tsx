// Download for a server type. Formats with a password (IIS, Tomcat, PKCS#12, JKS) use the one
// typed here or, when left empty, one the server generates and returns in a header; it is
// shown once so the user can keep it.
import { useState } from 'preact/hooks';
import { download } from '../api';
import { useAction } from '../hooks';
import { t } from '../i18n';
import type { Certificate } from '../types';
import { CopyButton } from '../components/bits';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';

const FORMATS = ['nginx', 'apache', 'iis', 'tomcat', 'pem', 'der', 'pkcs7', 'pkcs12', 'jks', 'chain'];
const WITH_PASSWORD = new Set(['iis', 'tomcat', 'pkcs12', 'jks']);

export function DownloadDialog({ cert, onClose }: { cert: Certificate; onClose: () => void }) {
  const [format, setFormat] = useState('nginx');
  const [password, setPassword] = useState('');
  const [generated, setGenerated] = useState('');
  const action = useAction();
  const go = async (e: Event) => {
    e.preventDefault();
    setGenerated('');
    const q = new URLSearchParams({ format });
    if (WITH_PASSWORD.has(format) && password) q.set('password', password);
    const res = await action.run(() => download('/certificates/' + cert.id + '/download?' + q));
    const p = res?.headers.get('X-Signet-Bundle-Password');
    if (p) setGenerated(p);
  };
  return (
    <Dialog title={t('cert.download')} onClose={onClose}>
      <form onSubmit={go}>
        <div class="field">
          <label for="download-format">{t('download.server')}</label>
          <select id="download-format" value={format} onChange={(e) => setFormat((e.target as HTMLSelectElement).value)}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(('download.' + f) as any)}
              </option>
            ))}
          </select>
        </div>
        {WITH_PASSWORD.has(format) && (
          <div class="field">
            <label for="download-password">{t('download.password')}</label>
            <input id="download-password" type="password" autocomplete="new-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
            <small class="hint">{t('download.password_hint')}</small>
          </div>
        )}
        {!cert.private_key_held && <p class="muted">{t('download.no_key')}</p>}
        {generated && (
          <p role="status" id="bundle-password">
            {t('download.generated')}: <code>{generated}</code> <CopyButton text={generated} label={t('download.password')} />
          </p>
        )}
        <ErrorBox error={action.error} />
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            {t('action.close')}
          </button>
          <button type="submit" id="download-submit" disabled={action.busy}>
            {t('download.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
