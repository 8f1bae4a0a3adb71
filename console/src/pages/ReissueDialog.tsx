// Reissuing asks first: which key the new certificate gets (a new one generated online, with the
// algorithm, or the applicant's CSR: POST /certificates/{id}/reissue {"key": ...}, the same shape
// as the application's key) and, plainly, when the old certificate will be revoked (the
// certificate's superseded_revocation_hours; some hours when the server does not say). For a
// selection of certificates the same choice applies to each.
import { useState } from 'preact/hooks';
import { post } from '../api';
import { asApiError, useAction } from '../hooks';
import { t } from '../i18n';
import type { Certificate, Order } from '../types';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';
import { defaultKey, keyBody, keyProblem, KeyStep, type KeyState } from './KeyStep';
import type { BulkResult } from './BulkResults';

/** The sentence about the old certificate's revocation. */
export function supersedeText(certs: Certificate[]): string {
  const hours = certs.map((c) => c.superseded_revocation_hours).find((h) => typeof h === 'number');
  if (hours === undefined) return t('reissue.revoke_some');
  if (hours === 0) return t('reissue.revoke_never');
  return t(hours === 1 ? 'reissue.revoke_hour' : 'reissue.revoke_hours', { hours });
}

export function ReissueDialog(props: {
  certs: Certificate[];
  onClose: () => void;
  /** One certificate: the new order; several: what happened to each. */
  onDone: (results: BulkResult<Order>[]) => void;
}) {
  const { certs } = props;
  const [key, setKey] = useState<KeyState>(defaultKey());
  const [tried, setTried] = useState(false);
  const action = useAction();
  const problem = keyProblem(key);
  const many = certs.length > 1;
  const go = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (problem) return;
    const body = { key: keyBody(key) };
    if (!many) {
      const o = await action.run(() => post<Order>('/certificates/' + certs[0].id + '/reissue', body));
      if (o) props.onDone([{ cert: certs[0], value: o }]);
      return;
    }
    const results = await action.run(() =>
      Promise.all(
        certs.map((c) =>
          post<Order>('/certificates/' + c.id + '/reissue', body).then(
            (value): BulkResult<Order> => ({ cert: c, value }),
            (err): BulkResult<Order> => ({ cert: c, error: asApiError(err) }),
          ),
        ),
      ),
    );
    if (results) props.onDone(results);
  };
  return (
    <Dialog title={many ? t('reissue.title_many', { n: certs.length }) : t('reissue.title')} onClose={props.onClose}>
      <form onSubmit={go} id="reissue-form">
        <p>{many ? t('reissue.intro_many') : t('reissue.intro')}</p>
        {many && (
          <ul class="plain selection-list">
            {certs.map((c) => (
              <li key={c.id}>
                <code>{c.alias || c.names[0]}</code>
              </li>
            ))}
          </ul>
        )}
        <KeyStep
          state={key}
          onChange={setKey}
          locked={action.busy}
          prefix="reissue-key"
          legend={t('reissue.key')}
          error={tried && problem ? { field: key.mode === 'csr' ? 'csr' : 'password', text: problem } : undefined}
        />
        <p class="warning" id="reissue-revocation">
          <strong>{supersedeText(certs)}</strong>
        </p>
        <ErrorBox error={action.error} />
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" id="reissue-confirm" disabled={action.busy}>
            {many ? t('reissue.confirm_many', { n: certs.length }) : t('reissue.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
