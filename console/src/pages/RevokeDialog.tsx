// Revoke with one of the reasons the Baseline Requirements allow: one certificate, or each of a
// selection with the same reason.
import { useState } from 'preact/hooks';
import { post } from '../api';
import { asApiError, useAction } from '../hooks';
import { t } from '../i18n';
import type { Certificate } from '../types';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';
import type { BulkResult } from './BulkResults';

const REASONS = ['unspecified', 'keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'privilegeWithdrawn'];

export function RevokeDialog(props: { certs: Certificate[]; onClose: () => void; onDone: (results: BulkResult<Certificate>[]) => void }) {
  const [reason, setReason] = useState('unspecified');
  const action = useAction();
  const many = props.certs.length > 1;
  const go = async (e: Event) => {
    e.preventDefault();
    const revoke = (c: Certificate) => post<Certificate>('/certificates/' + c.id + '/revoke', { reason }).then((r) => ({ ...c, ...r }));
    if (!many) {
      const c = await action.run(() => revoke(props.certs[0]));
      if (c) {
        props.onDone([{ cert: props.certs[0], value: c }]);
        props.onClose();
      }
      return;
    }
    const results = await action.run(() =>
      Promise.all(
        props.certs.map((c) =>
          revoke(c).then(
            (value): BulkResult<Certificate> => ({ cert: c, value }),
            (err): BulkResult<Certificate> => ({ cert: c, error: asApiError(err) }),
          ),
        ),
      ),
    );
    if (results) {
      props.onDone(results);
      props.onClose();
    }
  };
  return (
    <Dialog title={many ? t('revoke.title_many', { n: props.certs.length }) : t('cert.revoke')} onClose={props.onClose}>
      <form onSubmit={go}>
        <p>{t('revoke.warning')}</p>
        {many && (
          <ul class="plain selection-list">
            {props.certs.map((c) => (
              <li key={c.id}>
                <code>{c.alias || c.names[0]}</code>
              </li>
            ))}
          </ul>
        )}
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
            {many ? t('revoke.confirm_many', { n: props.certs.length }) : t('cert.revoke')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
