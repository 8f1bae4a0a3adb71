// What a bulk action did to each selected certificate: done (with a link to the new order when
// there is one) or refused (with the problem, as everywhere).
import type { ApiError } from '../api';
import { t } from '../i18n';
import type { Certificate } from '../types';
import { Link } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';

export interface BulkResult<T> {
  cert: Certificate;
  value?: T;
  error?: ApiError;
}

export function BulkResults({ title, results, onClose }: { title: string; results: BulkResult<{ id: string } | unknown>[]; onClose: () => void }) {
  const failed = results.filter((r) => r.error).length;
  return (
    <div class={'card bulk-results' + (failed ? ' has-errors' : '')} id="bulk-results" role="status">
      <h2>{title}</h2>
      <p>{t('bulk.summary', { done: results.length - failed, failed })}</p>
      <ul class="plain">
        {results.map((r) => {
          const order = r.value && typeof r.value === 'object' && 'sub_status' in (r.value as object) ? (r.value as { id: string }) : null;
          return (
            <li key={r.cert.id} data-result={r.error ? 'failed' : 'done'}>
              <code>{r.cert.alias || r.cert.names[0]}</code>{' '}
              {r.error ? (
                <ErrorBox error={r.error} />
              ) : order ? (
                <Link href={'/orders/' + order.id}>{t('bulk.new_order')}</Link>
              ) : (
                <span>{t('bulk.done')}</span>
              )}
            </li>
          );
        })}
      </ul>
      <button type="button" class="secondary small" onClick={onClose}>
        {t('action.close')}
      </button>
    </div>
  );
}
