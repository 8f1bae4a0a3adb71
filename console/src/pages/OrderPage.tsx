// One order: where it stands (progress and timeline), what the applicant must do next (publish
// records, upload documents, fix what a reviewer rejected) and the actions allowed now. While
// the order is processing the page refreshes itself, so issuance shows up without a reload.
// The product says who issues it (Signet's CA or a public CA upstream); an order that continues a
// certificate (a renewal, the next certificate of a term) links to it; a public CA's refusal
// (upstream.failed, which ends the order) is shown with the CA's reason.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api';
import { useAction, useLoad } from '../hooks';
import { formatDate, t } from '../i18n';
import { navigate } from '../router';
import type { Order } from '../types';
import { Badge, Link, Loading, Rich } from '../components/bits';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';
import { Attachments } from './Attachments';
import { Progress } from './Progress';
import { Validations } from './Validations';
import { allows, cancellable, currentStep, editable } from './orderState';
import { Timeline } from './Timeline';
import { useProductName, useProducts } from '../lookup';
import { IssuerLabel } from './Purchase';

const POLL_MS = 3000;

export function OrderPage({ id }: { id: string }) {
  const order = useLoad(() => get<Order>('/orders/' + id), [id]);
  const productName = useProductName();
  const catalog = useProducts();
  const o = order.data;
  useEffect(() => {
    if (!o || o.status !== 'processing') return;
    const timer = setInterval(() => {
      get<Order>('/orders/' + id).then(order.set, () => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [o?.status, id]);
  if (order.error) return <ErrorBox error={order.error} />;
  if (!o) return <Loading />;
  const title = o.names[0] || o.application.domains?.[0] || t('order.untitled');
  const refused = o.status === 'processing' ? [...o.timeline].reverse().find((e) => e.event === 'upstream.failed') : undefined;
  const continues = o.continues_certificate_id;
  return (
    <section>
      <p class="crumbs">
        <Link href="/orders">{t('nav.orders')}</Link>
      </p>
      <h1>
        {title} <Badge kind="status" value={o.status} />
      </h1>
      <p class="muted" id="order-product">
        {productName(o.product)} <IssuerLabel product={catalog?.find((p) => p.id === o.product)} /> · <code>{o.id}</code> ·{' '}
        {t('order.created', { at: formatDate(o.created_at) })}
      </p>
      {continues && (
        <p id="order-continues">
          <Rich
            text={t('order.renews')}
            vars={{
              certificate: (
                <Link href={'/certificates/' + continues}>
                  <code class="serial" title={continues}>
                    {continues.length > 16 ? continues.slice(0, 16) + '…' : continues}
                  </code>
                </Link>
              ),
            }}
          />
        </p>
      )}
      <p>
        {t('order.sub_status')}: <Badge kind="sub" value={currentStep(o)} />
      </p>
      <OrderActions order={o} onChange={order.set} />
      {o.status === 'review_failed' && (
        <div class="error" role="alert" id="review-reason">
          <strong>{t('order.review_failed')}</strong>
          <p class="detail">{o.review.reason || t('order.no_reason')}</p>
          <p>{t('order.review_failed_next')}</p>
        </div>
      )}
      {refused && (
        <div class="error" role="alert" id="upstream-refused">
          <strong>{t('order.upstream_failed')}</strong>
          {refused.detail && (
            <p class="detail">
              <code>{refused.detail}</code>
            </p>
          )}
          <p>{t('order.upstream_failed_next')}</p>
        </div>
      )}
      {o.status === 'issued' && o.certificate_id && (
        <div class="success" role="status">
          <strong>{t('order.issued_banner')}</strong>{' '}
          <Link href={'/certificates/' + o.certificate_id}>{t('order.view_certificate')}</Link>
        </div>
      )}
      <Progress order={o} />
      {o.validations.length > 0 && <Validations order={o} onChange={order.set} />}
      {o.type !== 'dv' && o.status !== 'pending_information' && <Attachments order={o} onChange={() => order.reload()} />}
      <Timeline order={o} />
    </section>
  );
}

function OrderActions({ order, onChange }: { order: Order; onChange: (o: Order) => void }) {
  const [confirm, setConfirm] = useState(false);
  const action = useAction();
  const cancel = async () => {
    const o = await action.run(() => post<Order>('/orders/' + order.id + '/cancel'));
    setConfirm(false);
    if (o) onChange(o);
  };
  const resubmit = async () => {
    const o = await action.run(() => post<Order>('/orders/' + order.id + '/resubmit'));
    if (o) onChange(o);
  };
  return (
    <div class="actions">
      {editable(order) && (
        <button type="button" onClick={() => navigate('/orders/' + order.id + '/application')}>
          {order.status === 'review_failed' ? t('order.edit') : t('order.complete')}
        </button>
      )}
      {allows(order, 'resubmit') && (
        <button type="button" class="secondary" disabled={action.busy} onClick={resubmit}>
          {t('order.resubmit')}
        </button>
      )}
      {cancellable(order) && (
        <button type="button" class="danger" onClick={() => setConfirm(true)}>
          {t('order.cancel')}
        </button>
      )}
      <ErrorBox error={action.error} />
      {confirm && (
        <Dialog title={t('order.cancel_title')} onClose={() => setConfirm(false)}>
          <p>{t('order.cancel_text')}</p>
          <div class="actions">
            <button type="button" class="secondary" autofocus onClick={() => setConfirm(false)}>
              {t('action.keep')}
            </button>
            <button type="button" class="danger" disabled={action.busy} onClick={cancel}>
              {t('order.cancel_confirm')}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
