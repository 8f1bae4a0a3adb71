// The landing page of applicants and admins: what expires soon and which orders wait for them;
// for admins also how many orders wait in the review queue, linking to the workbench.
import { all } from '../api';
import { useLoad } from '../hooks';
import { daysUntil, formatDate, t } from '../i18n';
import type { Certificate, Order } from '../types';
import { Badge, Empty, Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { currentStep, needsAction } from './orderState';
import { useProductName } from '../lookup';
import { isAdmin, useSession } from '../session';

export function Overview() {
  const certs = useLoad(() => all<Certificate>('/certificates?expiring_within_days=30&status=active'));
  const orders = useLoad(() => all<Order>('/orders'));
  const waiting = (orders.data || []).filter(needsAction);
  const productName = useProductName();
  const { session } = useSession();
  const admin = isAdmin(session);
  const review = useLoad(() => (admin ? all<Order>('/review-queue') : Promise.resolve([] as Order[])), [admin]);
  const inReview = review.data?.length || 0;
  return (
    <section>
      <h1>{t('overview.title')}</h1>
      {admin && <ErrorBox error={review.error} />}
      {inReview > 0 && (
        <p class="notice" id="review-waiting">
          <Link href="/review">{inReview === 1 ? t('overview.review_one') : t('overview.review_many', { n: inReview })}</Link>
        </p>
      )}
      <div class="grid2">
        <div class="card">
          <h2>{t('overview.expiring')}</h2>
          <ErrorBox error={certs.error} />
          {certs.loading && !certs.data ? (
            <Loading />
          ) : certs.data && certs.data.length ? (
            <ul class="plain" id="expiring-list">
              {certs.data.map((c) => (
                <li key={c.id}>
                  <Link href={'/certificates/' + c.id}>{c.alias || c.names[0]}</Link>{' '}
                  <span class="muted">
                    {t('overview.expires_in', { days: daysUntil(c.not_after) })} · {formatDate(c.not_after, false)}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>{t('overview.expiring_none')}</Empty>
          )}
        </div>
        <div class="card">
          <h2>{t('overview.action')}</h2>
          <ErrorBox error={orders.error} />
          {orders.loading && !orders.data ? (
            <Loading />
          ) : waiting.length ? (
            <ul class="plain" id="action-list">
              {waiting.map((o) => (
                <li key={o.id}>
                  <Link href={'/orders/' + o.id}>{o.names[0] || o.application.domains?.[0] || productName(o.product)}</Link>{' '}
                  <Badge kind="sub" value={currentStep(o)} />
                </li>
              ))}
            </ul>
          ) : (
            <Empty>
              {t('overview.action_none')} <Link href="/purchase">{t('nav.purchase')}</Link>
            </Empty>
          )}
        </div>
      </div>
    </section>
  );
}
