// Every order of the account: search (?q=, a part of a name), filter by status, pages of 50 with
// the server's page tokens, all kept in the page's URL. Orders can be selected and exported as
// CSV, as can the whole filtered list. Each order's product says who issues it (Signet's CA or a
// public CA upstream).
import { useEffect, useState } from 'preact/hooks';
import { all, get, saveBlob, type Page } from '../api';
import { useAction, useLoad } from '../hooks';
import { formatDate, t, tMaybe } from '../i18n';
import { useProductName, useProducts } from '../lookup';
import { query, useDebouncedField, useListQuery } from '../listState';
import type { Order } from '../types';
import { csv } from '../csv';
import { Badge, Empty, Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { currentStep } from './orderState';
import { IssuerLabel } from './Purchase';

const STATUSES = ['pending_information', 'processing', 'review_failed', 'issued', 'cancelled'];
const PAGE_SIZE = 50;
const KEYS = ['q', 'status', 'page'] as const;

const orderNames = (o: Order) => (o.names.length ? o.names : o.application.domains || []);

export function Orders() {
  const { values: v, set } = useListQuery(KEYS);
  const [tokens, setTokens] = useState<string[]>([]);
  const filters = query({ q: v.q, status: v.status });
  const page = useLoad(
    () => get<Page<Order>>('/orders?page_size=' + PAGE_SIZE + (filters ? '&' + filters : '') + (v.page ? '&page_token=' + encodeURIComponent(v.page) : '')),
    [filters, v.page],
  );
  const [selected, setSelected] = useState<Map<string, Order>>(new Map());
  const action = useAction();
  const search = useDebouncedField(v.q, (q) => q !== v.q && set({ q }));
  const productName = useProductName();
  const catalog = useProducts();
  const items = page.data?.items || [];
  const sel = [...selected.values()];
  const filtered = !!(v.q || v.status);
  useEffect(() => setTokens([]), [filters]);

  const toggle = (o: Order, on: boolean) => {
    const next = new Map(selected);
    if (on) next.set(o.id, o);
    else next.delete(o.id);
    setSelected(next);
  };
  const allOnPage = items.length > 0 && items.every((o) => selected.has(o.id));
  const toggleAll = (on: boolean) => {
    const next = new Map(selected);
    for (const o of items) on ? next.set(o.id, o) : next.delete(o.id);
    setSelected(next);
  };
  const exportCsv = async (which: 'selection' | 'all') => {
    const rows = which === 'selection' ? sel : await action.run(() => all<Order>('/orders' + (filters ? '?' + filters : ''), 100_000));
    if (!rows) return;
    saveBlob(
      csv(
        [t('orders.domains'), t('orders.product'), t('orders.type'), t('filter.status'), t('order.sub_status'), t('orders.created'), t('orders.issued'), t('orders.certificate'), 'id'],
        rows.map((o) => [
          orderNames(o).join(' '),
          productName(o.product),
          tMaybe('type_short.' + o.type, o.type),
          tMaybe('status.' + o.status, o.status),
          tMaybe('sub.' + currentStep(o), o.sub_status),
          o.created_at,
          o.issued_at || '',
          o.certificate_id || '',
          o.id,
        ]),
      ),
      'orders-' + new Date().toISOString().slice(0, 10) + '.csv',
    );
  };

  return (
    <section>
      <h1>{t('orders.title')}</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          search.flush();
        }}
      >
        <div class="field grow">
          <label for="orders-q">{t('orders.search')}</label>
          <input id="orders-q" type="search" value={search.text} placeholder={t('orders.search_hint')} onInput={(e) => search.onInput((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="orders-status">{t('filter.status')}</label>
          <select id="orders-status" value={v.status} onChange={(e) => set({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('filter.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(('status.' + s) as any)}
              </option>
            ))}
          </select>
        </div>
        <Link href="/purchase" class="button">
          {t('nav.purchase')}
        </Link>
      </form>
      <div class="toolbar" role="group" aria-label={t('bulk.label_orders')}>
        <span class="muted" aria-live="polite">
          {sel.length ? t('bulk.selected', { n: sel.length }) : t('bulk.none_selected_orders')}
        </span>
        <button type="button" class="small secondary" disabled={!sel.length || action.busy} onClick={() => exportCsv('selection')}>
          {t('bulk.export_selection')}
        </button>
        <button type="button" class="small secondary" disabled={action.busy} onClick={() => exportCsv('all')}>
          {t('bulk.export_all')}
        </button>
        {sel.length > 0 && (
          <button type="button" class="small secondary" onClick={() => setSelected(new Map())}>
            {t('bulk.clear')}
          </button>
        )}
      </div>
      <ErrorBox error={page.error || action.error} />
      {page.loading && !page.data ? (
        <Loading />
      ) : items.length ? (
        <div class="table-wrap">
          <table id="order-table" class="stack">
            <thead>
              <tr>
                <th scope="col" class="select">
                  <input type="checkbox" aria-label={t('bulk.select_page')} checked={allOnPage} onChange={(e) => toggleAll((e.target as HTMLInputElement).checked)} />
                </th>
                <th scope="col">{t('orders.domains')}</th>
                <th scope="col">{t('orders.product')}</th>
                <th scope="col">{t('filter.status')}</th>
                <th scope="col">{t('orders.certificate')}</th>
                <th scope="col">{t('orders.created')}</th>
                <th scope="col">{t('orders.issued')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((o) => {
                const label = orderNames(o).join(', ') || t('order.untitled');
                return (
                  <tr key={o.id} data-id={o.id} class={selected.has(o.id) ? 'selected' : ''}>
                    <td class="select">
                      <input type="checkbox" aria-label={t('bulk.select', { name: label })} checked={selected.has(o.id)} onChange={(e) => toggle(o, (e.target as HTMLInputElement).checked)} />
                    </td>
                    <td>
                      <Link href={'/orders/' + o.id}>{label}</Link>
                    </td>
                    <td data-label={t('orders.product')}>
                      <span class="product-name">{productName(o.product)}</span>{' '}
                      <IssuerLabel product={catalog?.find((p) => p.id === o.product)} />
                    </td>
                    <td data-label={t('filter.status')}>
                      <Badge kind="sub" value={currentStep(o)} />
                    </td>
                    <td data-label={t('orders.certificate')}>
                      {o.certificate_id ? (
                        <Link href={'/certificates/' + o.certificate_id}>
                          <code class="serial" title={o.certificate_id}>
                            {o.certificate_id.length > 16 ? o.certificate_id.slice(0, 16) + '…' : o.certificate_id}
                          </code>
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td data-label={t('orders.created')}>{formatDate(o.created_at)}</td>
                    <td data-label={t('orders.issued')}>{o.issued_at ? formatDate(o.issued_at, false) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : filtered || v.page ? (
        <Empty>
          <span id="orders-no-match">{t('orders.no_match')}</span>{' '}
          <button type="button" class="secondary small" onClick={() => set({ q: '', status: '' })}>
            {t('list.clear_filters')}
          </button>
        </Empty>
      ) : (
        <Empty>
          {t('orders.none')} <Link href="/purchase">{t('nav.purchase')}</Link>
        </Empty>
      )}
      {(tokens.length > 0 || v.page || page.data?.next_page_token) && (
        <div class="actions pager">
          <button
            type="button"
            class="secondary"
            disabled={!v.page}
            onClick={() => {
              set({ page: tokens[tokens.length - 1] || '' }, false);
              setTokens(tokens.slice(0, -1));
            }}
          >
            {t('action.previous')}
          </button>
          <button
            type="button"
            class="secondary"
            disabled={!page.data?.next_page_token}
            onClick={() => {
              setTokens([...tokens, v.page]);
              set({ page: page.data!.next_page_token! }, false);
            }}
          >
            {t('action.next')}
          </button>
        </div>
      )}
    </section>
  );
}
