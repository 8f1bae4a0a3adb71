// Every order of the account, filterable by status and domain.
import { useState } from 'preact/hooks';
import { all } from '../api';
import { useLoad } from '../hooks';
import { formatDate, t } from '../i18n';
import type { Order } from '../types';
import { Badge, Empty, Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';

const STATUSES = ['pending_information', 'processing', 'review_failed', 'issued', 'cancelled'];

export function Orders() {
  const [status, setStatus] = useState('');
  const [domain, setDomain] = useState('');
  const query = '/orders?' + new URLSearchParams({ ...(status ? { status } : {}), ...(domain ? { domain: domain.trim().toLowerCase() } : {}) });
  const orders = useLoad(() => all<Order>(query), [query]);
  return (
    <section>
      <h1>{t('orders.title')}</h1>
      <div class="filters">
        <div class="field">
          <label for="orders-status">{t('filter.status')}</label>
          <select id="orders-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            <option value="">{t('filter.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(('status.' + s) as any)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="orders-domain">{t('filter.domain')}</label>
          <input id="orders-domain" type="search" value={domain} onChange={(e) => setDomain((e.target as HTMLInputElement).value)} />
        </div>
        <Link href="/purchase" class="button">
          {t('nav.purchase')}
        </Link>
      </div>
      <ErrorBox error={orders.error} />
      {orders.loading && !orders.data ? (
        <Loading />
      ) : orders.data?.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('orders.domains')}</th>
                <th scope="col">{t('orders.product')}</th>
                <th scope="col">{t('filter.status')}</th>
                <th scope="col">{t('orders.created')}</th>
              </tr>
            </thead>
            <tbody>
              {orders.data.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link href={'/orders/' + o.id}>{(o.names.length ? o.names : o.application.domains || []).join(', ') || t('order.untitled')}</Link>
                  </td>
                  <td>{o.product}</td>
                  <td>
                    <Badge kind="sub" value={o.sub_status} />
                  </td>
                  <td>{formatDate(o.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>
          {t('orders.none')} <Link href="/purchase">{t('nav.purchase')}</Link>
        </Empty>
      )}
    </section>
  );
}
