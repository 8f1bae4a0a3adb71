// Host a certificate issued elsewhere: PEM certificate, chain and (optionally) its key, with the
// key's password when the key is encrypted (the server keeps the key decrypted and sealed, not
// the password).
import { useState } from 'preact/hooks';
import { post } from '../api';
import { useAction } from '../hooks';
import { t } from '../i18n';
import { navigate } from '../router';
import type { Certificate } from '../types';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';

export function UploadDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const [v, setV] = useState({
    certificate: '',
    chain: '',
    private_key: '',
    private_key_password: '',
    alias: '',
  });
  const encrypted = v.private_key.includes('ENCRYPTED');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = Object.fromEntries(
      Object.entries(v).filter(([k, x]) => x.trim() !== '' && (k !== 'private_key_password' || encrypted)),
    );
    const c = await action.run(() => post<Certificate>('/certificates', body));
    if (c) {
      onDone();
      navigate('/certificates/' + c.id);
    }
  };
  const area = (k: keyof typeof v, label: string, rows = 6) => (
    <div class="field">
      <label for={'upload-' + k}>{label}</label>
      <textarea id={'upload-' + k} rows={rows} spellcheck={false} value={v[k]} onInput={(e) => setV({ ...v, [k]: (e.target as HTMLTextAreaElement).value })} />
    </div>
  );
  return (
    <Dialog title={t('certs.upload')} onClose={onClose}>
      <form onSubmit={submit}>
        {area('certificate', t('upload.certificate'))}
        {area('chain', t('upload.chain'))}
        {area('private_key', t('upload.key'))}
        {encrypted && (
          <div class="field">
            <label for="upload-private_key_password">{t('upload.key_password')}</label>
            <input
              id="upload-private_key_password"
              type="password"
              autocomplete="off"
              value={v.private_key_password}
              onInput={(e) => setV({ ...v, private_key_password: (e.target as HTMLInputElement).value })}
            />
          </div>
        )}
        {area('alias', t('cert.alias'), 1)}
        <ErrorBox error={action.error} />
        <div class="actions">
          <button type="button" class="secondary" onClick={onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" disabled={action.busy || !v.certificate.trim()}>
            {t('upload.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
