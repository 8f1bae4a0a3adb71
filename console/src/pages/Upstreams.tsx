// The brands' upstream CAs (administrators; docs/BRANDS.md): the public ACME CAs that issue the
// catalog's brand products, with Signet as their ACME client. GET /upstreams fetches each CA's
// directory at every request, so the page says how each is doing now: reachable or not (with the
// server's error as it gave it), the products it issues, Signet's account there, and what the CA
// offers (external account binding required, renewal information, profiles). "Check again" asks
// again; the time of the last answer is shown.
import { useState } from 'preact/hooks';
import { get } from '../api';
import type { Upstream, UpstreamList } from '../api-types.generated';
import { useLoad } from '../hooks';
import { formatDate, t } from '../i18n';
import { useProductName } from '../lookup';
import { Empty, Loading, Rich } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { directoryHost } from './Purchase';

export function Upstreams() {
  const [checkedAt, setCheckedAt] = useState('');
  const list = useLoad(async () => {
    const r = await get<UpstreamList>('/upstreams');
    setCheckedAt(new Date().toISOString());
    return r.items;
  });
  return (
    <section>
      <h1>{t('upstreams.title')}</h1>
      <p class="muted">{t('upstreams.intro')}</p>
      <div class="actions">
        <button type="button" id="upstreams-check" class="secondary" disabled={list.loading} onClick={() => list.reload()}>
          {list.loading ? t('upstreams.checking') : t('upstreams.check')}
        </button>
        {checkedAt && (
          <span class="muted" id="upstreams-checked" data-checked={checkedAt} aria-live="polite">
            <Rich text={t('upstreams.checked')} vars={{ at: <time dateTime={checkedAt}>{formatDate(checkedAt)}</time> }} />
          </span>
        )}
      </div>
      <ErrorBox error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data?.length ? (
        <ul class="plain upstreams" aria-label={t('upstreams.list')}>
          {list.data.map((u) => (
            <UpstreamCard key={u.acme_directory + '\n' + u.products.join(',')} u={u} />
          ))}
        </ul>
      ) : (
        list.data && <Empty>{t('upstreams.none')}</Empty>
      )}
    </section>
  );
}

function UpstreamCard({ u }: { u: Upstream }) {
  const productName = useProductName();
  const state = u.reachable ? 'reachable' : 'unreachable';
  return (
    <li class="card upstream" data-directory={u.acme_directory} data-status={state}>
      <h2>
        {directoryHost(u.acme_directory)}{' '}
        <span class={'badge badge-' + (u.reachable ? 'ok' : 'unreachable')} data-status={state}>
          {t(u.reachable ? 'upstreams.reachable' : 'upstreams.unreachable')}
        </span>
      </h2>
      {u.error && (
        <div class="error upstream-error" role="status">
          <strong>{t('upstreams.error')}</strong>
          <p class="detail">
            <code>{u.error}</code>
          </p>
        </div>
      )}
      <dl class="facts">
        <dt>{t('upstreams.directory')}</dt>
        <dd data-field="directory">
          <code>{u.acme_directory}</code>
        </dd>
        <dt>{t('upstreams.products')}</dt>
        <dd data-field="products">
          <ul class="plain">
            {u.products.map((id) => (
              <li key={id} data-product={id}>
                {productName(id)} <code>{id}</code>
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t('upstreams.account')}</dt>
        <dd data-field="account">{u.account_url ? <code>{u.account_url}</code> : <span class="muted">{t('upstreams.no_account')}</span>}</dd>
        <dt>{t('upstreams.eab')}</dt>
        <dd data-field="eab">{u.external_account_required ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('upstreams.ari')}</dt>
        <dd data-field="ari">{u.renewal_info ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('upstreams.profiles')}</dt>
        <dd data-field="profiles">
          {u.profiles.length ? (
            u.profiles.map((p, i) => (
              <span key={p}>
                {i > 0 && ', '}
                <code>{p}</code>
              </span>
            ))
          ) : (
            <span class="muted">{t('upstreams.no_profiles')}</span>
          )}
        </dd>
      </dl>
    </li>
  );
}
