// The reviewer's workbench: OV/EV orders waiting for the CA's manual review, oldest first.
import { all } from '../api';
import { useLoad } from '../hooks';
import { formatDate, t } from '../i18n';
import type { Order } from '../types';
import { useProductName } from '../lookup';
import { Empty, Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';

export function ReviewQueue() {
  const queue = useLoad(() => all<Order>('/review-queue'));
  const productName = useProductName();
  return (
    <section>
      <h1>{t('review.title')}</h1>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => queue.reload()}>
          {t('action.refresh')}
        </button>
      </div>
      <ErrorBox error={queue.error} />
      {queue.loading && !queue.data ? (
        <Loading />
      ) : queue.data?.length ? (
        <div class="table-wrap">
          <table id="review-queue">
            <thead>
              <tr>
                <th scope="col">{t('orders.domains')}</th>
                <th scope="col">{t('review.organization')}</th>
                <th scope="col">{t('orders.product')}</th>
                <th scope="col">{t('review.submitted')}</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link href={'/review/' + o.id}>{o.names.join(', ')}</Link>
                  </td>
                  <td>{o.application.organization?.name || '—'}</td>
                  <td>{productName(o.product)}</td>
                  <td>{formatDate(o.submitted_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>{t('review.empty')}</Empty>
      )}
    </section>
  );
}
