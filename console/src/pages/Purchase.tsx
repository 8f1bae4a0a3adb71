// Buying is picking a product: POST /orders makes an order waiting for its information. Each
// product says who issues it: Signet's own CA, or a public CA (a brand's upstream, reached over
// ACME: docs/BRANDS.md) named by its directory's host, whose certificates are publicly trusted.
import { useState } from 'preact/hooks';
import { all, post } from '../api';
import { useAction, useLoad } from '../hooks';
import { t, tMaybe } from '../i18n';
import { navigate } from '../router';
import type { Order, Product } from '../types';
import { Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';

export function Purchase() {
  const products = useLoad(() => all<Product>('/products'));
  const [type, setType] = useState('all');
  const action = useAction();
  const buy = async (p: Product) => {
    const o = await action.run(() => post<Order>('/orders', { product: p.id }));
    if (o) navigate('/orders/' + o.id + '/application');
  };
  const list = (products.data || []).filter((p) => type === 'all' || p.type === type);
  return (
    <section>
      <h1>{t('purchase.title')}</h1>
      <p class="muted">{t('purchase.intro')}</p>
      <div class="field inline">
        <label for="product-type">{t('purchase.filter')}</label>
        <select id="product-type" value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
          <option value="all">{t('purchase.all')}</option>
          <option value="dv">{t('type.dv')}</option>
          <option value="ov">{t('type.ov')}</option>
          <option value="ev">{t('type.ev')}</option>
        </select>
      </div>
      <ErrorBox error={products.error || action.error} />
      {products.loading && <Loading />}
      <ul class="products" aria-label={t('purchase.products')}>
        {list.map((p) => (
          <li class="card product" key={p.id} data-product={p.id}>
            <h2>{tMaybe('product.' + p.id, p.name)}</h2>
            <p>
              <span class="badge">{t(('type.' + p.type) as any)}</span>{' '}
              {tMaybe('coverage.' + p.coverage, p.coverage)}
            </p>
            <dl class="facts">
              <dt>{t('issuer.issued_by')}</dt>
              <dd>
                <IssuerLabel product={p} />
              </dd>
              <dt>{t('purchase.max_domains')}</dt>
              <dd>{p.max_domains}</dd>
              <dt>{t('purchase.term')}</dt>
              <dd>{t('purchase.months', { n: p.term_months })}</dd>
              {/* The brand of Signet's own CA; an upstream CA picks its own issuer. */}
              {!p.upstream && (
                <>
                  <dt>{t('purchase.issuer')}</dt>
                  <dd>{p.issuer || t('purchase.issuer_auto')}</dd>
                </>
              )}
            </dl>
            {p.upstream && <p class="hint upstream-hint">{t('issuer.upstream_hint', { host: directoryHost(p.upstream.acme_directory) })}</p>}
            <button type="button" disabled={action.busy} onClick={() => buy(p)} aria-label={t('purchase.buy_named', { name: tMaybe('product.' + p.id, p.name) })}>
              {t('purchase.buy')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The host of an ACME directory's URL (acme-v02.api.letsencrypt.org; with its port when not
 * 443), or the text as it is when it is no URL. */
export function directoryHost(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** Who issues a product's certificates: "Signet CA", or "Public CA (upstream)" and the host of
 * the upstream's ACME directory. Nothing while the product is unknown (the catalog loading). */
export function IssuerLabel({ product }: { product?: Product | null }) {
  if (!product) return null;
  const up = product.upstream;
  if (!up) {
    return (
      <span class="issuer" data-issuer="signet">
        <span class="badge badge-signet">{t('issuer.signet')}</span>
      </span>
    );
  }
  return (
    <span class="issuer" data-issuer="upstream" title={up.acme_directory}>
      <span class="badge badge-upstream">{t('issuer.upstream')}</span> <code class="issuer-host">{directoryHost(up.acme_directory)}</code>
    </span>
  );
}
