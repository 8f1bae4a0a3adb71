// The certificate list: search (?q=, a part of a name, the serial or the alias), filters by
// status, project and expiry, sort by expiry, all kept in the page's URL; pages of 50 with the
// server's page tokens. Certificates can be selected (across pages) for bulk actions: download a
// zip of their PEM files, renew, reissue (one confirmation for all), revoke (one reason for
// all), and export the selection or the whole filtered list as CSV. Upload one issued elsewhere.
import { useEffect, useState } from 'preact/hooks';
import { all, fetchFile, get, post, saveBlob, type Page } from '../api';
import { asApiError, useAction, useLoad } from '../hooks';
import { daysUntil, formatDate, t, tMaybe } from '../i18n';
import { orderProduct, useProductName } from '../lookup';
import { query, useDebouncedField, useListQuery } from '../listState';
import type { Certificate, Order } from '../types';
import { csv } from '../csv';
import { zip, type ZipEntry } from '../zip';
import { Badge, Empty, Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { UploadDialog } from './UploadDialog';
import { ReminderSettings } from './ReminderSettings';
import { ReissueDialog } from './ReissueDialog';
import { RevokeDialog } from './RevokeDialog';
import { BulkResults, type BulkResult } from './BulkResults';

const PAGE_SIZE = 50;

/** Found on a server by discovery (docs/MONITORING.md): watched, not managed. Signet did not issue
 * it and has no key for it, so it cannot reissue, renew, revoke or deploy it. */
export const isDiscovered = (c: Certificate) => (c.source as string) === 'discovered';

/** Issued through an order by a brand's upstream, a public CA (docs/BRANDS.md): its `issuer` is
 * that CA's, and revoking it revokes it there. */
export const isUpstream = (c: Certificate) => (c.source as string) === 'upstream';

const DISCOVERED_ON = 'discovered on ';

/** Where discovery found the certificate ("host:port"), read from the alias the server gave it;
 * '' when it is not a discovered one or its alias was changed since. */
export function discoveredAt(c: Certificate): string {
  return isDiscovered(c) && c.alias?.startsWith(DISCOVERED_ON) ? c.alias.slice(DISCOVERED_ON.length) : '';
}

/** A certificate's alias as shown: the server's own "discovered on host:port" in the reader's
 * language, any other (a person's) as it is. */
export function shownAlias(c: Certificate): string {
  const at = discoveredAt(c);
  return at ? t('cert.discovered_on', { endpoint: at }) : c.alias || '';
}
const KEYS = ['q', 'status', 'project', 'expiring', 'sort', 'page'] as const;

/** The server's query for the list's state (without the page). */
function listQuery(v: Record<string, string>): string {
  return query({
    q: v.q,
    status: v.status,
    project: v.project,
    expiring_within_days: v.expiring,
    sort: v.sort,
  });
}

export function Certificates() {
  const { values: v, set } = useListQuery(KEYS);
  const [tokens, setTokens] = useState<string[]>([]);
  const filters = listQuery(v);
  const page = useLoad(
    () => get<Page<Certificate>>('/certificates?page_size=' + PAGE_SIZE + (filters ? '&' + filters : '') + (v.page ? '&page_token=' + encodeURIComponent(v.page) : '')),
    [filters, v.page],
  );
  const [uploading, setUploading] = useState(false);
  const [selected, setSelected] = useState<Map<string, Certificate>>(new Map());
  const [dialog, setDialog] = useState<'' | 'reissue' | 'revoke'>('');
  const [results, setResults] = useState<{ title: string; results: BulkResult<unknown>[] } | null>(null);
  const action = useAction();
  const search = useDebouncedField(v.q, (q) => q !== v.q && set({ q }));
  const products = useCertProducts(page.data?.items);
  const filtered = !!(v.q || v.status || v.project || v.expiring);
  const items = page.data?.items || [];
  const sel = [...selected.values()];

  // A new search or filter starts again at the first page.
  useEffect(() => setTokens([]), [filters]);

  const toggle = (c: Certificate, on: boolean) => {
    const next = new Map(selected);
    if (on) next.set(c.id, c);
    else next.delete(c.id);
    setSelected(next);
  };
  const allOnPage = items.length > 0 && items.every((c) => selected.has(c.id));
  const toggleAll = (on: boolean) => {
    const next = new Map(selected);
    for (const c of items) on ? next.set(c.id, c) : next.delete(c.id);
    setSelected(next);
  };
  const finished = (title: string, r: BulkResult<unknown>[]) => {
    setResults({ title, results: r });
    setSelected(new Map(r.filter((x) => x.error).map((x) => [x.cert.id, x.cert])));
    void page.reload();
  };

  const downloadZip = async () => {
    setResults(null);
    const entries: ZipEntry[] = [];
    const failures: BulkResult<unknown>[] = [];
    await action.run(async () => {
      for (const c of sel) {
        const folder = safeName(c.alias || c.names[0] || c.id) + '_' + c.serial.slice(0, 8);
        try {
          for (const format of ['pem', 'chain']) {
            const f = await fetchFile('/certificates/' + c.id + '/download?format=' + format);
            entries.push({ name: folder + '/' + f.name, data: new Uint8Array(await f.blob.arrayBuffer()) });
          }
        } catch (e) {
          failures.push({ cert: c, error: asApiError(e) });
        }
      }
      if (entries.length) saveBlob(zip(entries), 'certificates-' + new Date().toISOString().slice(0, 10) + '.zip');
    });
    if (failures.length) setResults({ title: t('bulk.download'), results: failures });
  };
  const renew = async () => {
    setResults(null);
    const r = await action.run(() =>
      Promise.all(
        sel.map((c) =>
          post<Order>('/certificates/' + c.id + '/renew').then(
            (value): BulkResult<unknown> => ({ cert: c, value }),
            (err): BulkResult<unknown> => ({ cert: c, error: asApiError(err) }),
          ),
        ),
      ),
    );
    if (r) finished(t('bulk.renewed'), r);
  };
  const exportCsv = async (which: 'selection' | 'all') => {
    const rows = which === 'selection' ? sel : await action.run(() => all<Certificate>('/certificates' + (filters ? '?' + filters : ''), 100_000));
    if (!rows) return;
    const names = await Promise.all(rows.map((c) => productOf(c)));
    saveBlob(
      csv(
        [t('certs.names'), t('cert.alias'), t('certs.product'), t('cert.serial'), t('filter.status'), t('certs.issued'), t('certs.not_after'), t('certs.project'), t('cert.issuer'), 'id'],
        rows.map((c, i) => [c.names.join(' '), c.alias || '', names[i], c.serial, tMaybe('cert.' + c.status, c.status), c.not_before, c.not_after, c.project || '', c.issuer, c.id]),
      ),
      'certificates-' + new Date().toISOString().slice(0, 10) + '.csv',
    );
  };
  const productName = useProductName();
  const productOf = async (c: Certificate) => (c.hosted ? t('certs.hosted') : productName(c.product || (c.order_id ? await orderProduct(c.order_id) : '')));

  const sortBy = (next: string) => set({ sort: next });
  const expirySort = v.sort === 'not_after' ? 'ascending' : v.sort === '-not_after' ? 'descending' : 'none';

  return (
    <section>
      <h1>{t('certs.title')}</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          search.flush();
        }}
      >
        <div class="field grow">
          <label for="certs-q">{t('certs.search')}</label>
          <input id="certs-q" type="search" value={search.text} placeholder={t('certs.search_hint')} onInput={(e) => search.onInput((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="certs-status">{t('filter.status')}</label>
          <select id="certs-status" value={v.status} onChange={(e) => set({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('filter.any')}</option>
            {['active', 'revoked', 'expired'].map((s) => (
              <option key={s} value={s}>
                {t(('cert.' + s) as any)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="certs-project">{t('certs.project')}</label>
          <input id="certs-project" value={v.project} onChange={(e) => set({ project: (e.target as HTMLInputElement).value.trim() })} />
        </div>
        <div class="field">
          <label for="certs-expiring">{t('certs.expiring')}</label>
          <select id="certs-expiring" value={v.expiring} onChange={(e) => set({ expiring: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('filter.any')}</option>
            {['7', '30', '90'].map((d) => (
              <option key={d} value={d}>
                {t('certs.within_days', { n: d })}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="certs-sort">{t('list.sort')}</label>
          <select id="certs-sort" value={v.sort} onChange={(e) => sortBy((e.target as HTMLSelectElement).value)}>
            <option value="">{t('list.sort_newest')}</option>
            <option value="not_after">{t('list.sort_expiry_asc')}</option>
            <option value="-not_after">{t('list.sort_expiry_desc')}</option>
          </select>
        </div>
        <button type="button" class="secondary" onClick={() => setUploading(true)}>
          {t('certs.upload')}
        </button>
      </form>
      <div class="toolbar" role="group" aria-label={t('bulk.label')} id="bulk-toolbar">
        <span class="muted" id="selection-count" aria-live="polite">
          {sel.length ? t('bulk.selected', { n: sel.length }) : t('bulk.none_selected')}
        </span>
        <button type="button" class="small" disabled={!sel.length || action.busy} onClick={downloadZip}>
          {t('bulk.download')}
        </button>
        <button type="button" class="small secondary" disabled={!sel.length || action.busy} onClick={renew}>
          {t('cert.renew')}
        </button>
        <button type="button" class="small secondary" disabled={!sel.length || action.busy} onClick={() => setDialog('reissue')}>
          {t('cert.reissue')}
        </button>
        <button type="button" class="small danger" disabled={!sel.length || action.busy} onClick={() => setDialog('revoke')}>
          {t('cert.revoke')}
        </button>
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
      {action.busy && <Loading />}
      <ErrorBox error={page.error || action.error} />
      {results && <BulkResults title={results.title} results={results.results} onClose={() => setResults(null)} />}
      {page.loading && !page.data ? (
        <Loading />
      ) : items.length ? (
        <div class="table-wrap">
          <table id="cert-table" class="stack">
            <thead>
              <tr>
                <th scope="col" class="select">
                  <input type="checkbox" id="select-page" aria-label={t('bulk.select_page')} checked={allOnPage} onChange={(e) => toggleAll((e.target as HTMLInputElement).checked)} />
                </th>
                <th scope="col">{t('certs.names')}</th>
                <th scope="col">{t('certs.product')}</th>
                <th scope="col">{t('cert.serial')}</th>
                <th scope="col">{t('filter.status')}</th>
                <th scope="col">{t('certs.issued')}</th>
                <th scope="col" aria-sort={expirySort}>
                  <button type="button" class="sort" id="sort-expiry" onClick={() => sortBy(v.sort === 'not_after' ? '-not_after' : 'not_after')}>
                    {t('certs.not_after')} <span aria-hidden="true">{expirySort === 'ascending' ? '▲' : expirySort === 'descending' ? '▼' : '↕'}</span>
                  </button>
                </th>
                <th scope="col">{t('certs.project')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => {
                const label = shownAlias(c) || c.names.join(', ');
                return (
                  <tr key={c.id} data-id={c.id} data-serial={c.serial} class={selected.has(c.id) ? 'selected' : ''}>
                    <td class="select">
                      <input type="checkbox" aria-label={t('bulk.select', { name: label })} checked={selected.has(c.id)} onChange={(e) => toggle(c, (e.target as HTMLInputElement).checked)} />
                    </td>
                    <td>
                      <Link href={'/certificates/' + c.id}>{label}</Link>
                      {c.hosted && <span class="badge">{t('certs.hosted')}</span>}
                      {isDiscovered(c) && ' '}
                      {isDiscovered(c) && (
                        <span class="badge" data-source="discovered">
                          {t('certs.discovered')}
                        </span>
                      )}
                      {isUpstream(c) && ' '}
                      {isUpstream(c) && (
                        <span class="badge badge-upstream" data-source="upstream" title={c.issuer}>
                          {t('certs.upstream')}
                        </span>
                      )}
                    </td>
                    <td data-label={t('certs.product')}>{c.hosted ? '—' : products[c.id] || '…'}</td>
                    <td data-label={t('cert.serial')}>
                      <code class="serial" title={c.serial}>
                        {c.serial.length > 16 ? c.serial.slice(0, 16) + '…' : c.serial}
                      </code>
                    </td>
                    <td data-label={t('filter.status')}>
                      <Badge kind="cert" value={c.status} />
                    </td>
                    <td data-label={t('certs.issued')}>{formatDate(c.not_before, false)}</td>
                    <td data-label={t('certs.not_after')}>
                      {formatDate(c.not_after, false)}{' '}
                      {c.status === 'active' && <span class="muted">({t('overview.expires_in', { days: daysUntil(c.not_after) })})</span>}
                    </td>
                    <td data-label={t('certs.project')}>{c.project || '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : filtered || v.page ? (
        <Empty>
          <span id="certs-no-match">{t('certs.no_match')}</span>{' '}
          <button type="button" class="secondary small" onClick={() => set({ q: '', status: '', project: '', expiring: '' })}>
            {t('list.clear_filters')}
          </button>
        </Empty>
      ) : (
        <div class="empty" id="certs-empty">
          <p>{t('certs.empty')}</p>
          <p>
            <Link href="/purchase" class="button">
              {t('certs.empty_buy')}
            </Link>{' '}
            <button type="button" class="secondary" onClick={() => setUploading(true)}>
              {t('certs.empty_upload')}
            </button>
          </p>
        </div>
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
      <ReminderSettings />
      {uploading && <UploadDialog onClose={() => setUploading(false)} onDone={() => page.reload()} />}
      {dialog === 'reissue' && (
        <ReissueDialog
          certs={sel}
          onClose={() => setDialog('')}
          onDone={(r) => {
            setDialog('');
            finished(t('bulk.reissued'), r);
          }}
        />
      )}
      {dialog === 'revoke' && <RevokeDialog certs={sel} onClose={() => setDialog('')} onDone={(r) => finished(t('bulk.revoked'), r)} />}
    </section>
  );
}

/** A certificate's product name (the view names its order only; the order names the product). */
function useCertProducts(items?: Certificate[]): Record<string, string> {
  const productName = useProductName();
  const [ids, setIds] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!items) return;
    let live = true;
    Promise.all(items.map(async (c) => [c.id, c.product || (c.order_id ? await orderProduct(c.order_id) : '')] as const)).then((pairs) => {
      if (live) setIds(Object.fromEntries(pairs));
    });
    return () => {
      live = false;
    };
  }, [items]);
  const out: Record<string, string> = {};
  for (const [id, product] of Object.entries(ids)) out[id] = product ? productName(product) : '—';
  return out;
}

function safeName(s: string): string {
  return s.replace(/^\*\./, 'wildcard.').replace(/[^A-Za-z0-9._-]+/g, '_');
}
