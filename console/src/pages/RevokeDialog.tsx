// Revoke with one of the reasons the Baseline Requirements allow.
import { useState } from 'preact/hooks';
import { post } from '../api';
import { useAction } from '../hooks';
import { t } from '../i18n';
import type { Certificate } from '../types';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';

const REASONS = ['unspecified', 'keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'privilegeWithdrawn'];

export function RevokeDialog(props: { cert: Certificate; onClose: () => void; onDone: (c: Certificate) => void }) {
  const [reason, setReason] = useState('unspecified');
  const action = useAction();
  const go = async (e: Event) => {
    e.preventDefault();
    const c = await action.run(() => post<Certificate>('/certificates/' + props.cert.id + '/revoke', { reason }));
    if (c) {
      props.onDone({ ...props.cert, ...c });
      props.onClose();
    }
  };
  return (
    <Dialog title={t('cert.revoke')} onClose={props.onClose}>
      <form onSubmit={go}>
        <p>{t('revoke.warning')}</p>
        <div class="field">
          <label for="revoke-reason">{t('revoke.reason')}</label>
          <select id="revoke-reason" value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value)}>
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {t(('reason.revoke.' + r) as any)}
              </option>
            ))}
          </select>
        </div>
        <ErrorBox error={action.error} />
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" class="danger" disabled={action.busy}>
            {t('cert.revoke')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
