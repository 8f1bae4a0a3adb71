// The landing page of applicants and admins: the account at a glance (certificates by status,
// active ones expiring within 7, 30 and 90 days, monitors in trouble, failed deployments; each
// number a link to the list it counts, filtered the same way), what expires soon and which
// orders wait for them; for admins also how many orders wait in the review queue, linking to the
// workbench.
import type { ComponentChildren } from 'preact';
import { all, count } from '../api';
import { useLoad } from '../hooks';
import { daysUntil, formatDate, t } from '../i18n';
import type { Certificate, Deployment, Monitor, Order } from '../types';
import { Badge, Empty, Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { currentStep, needsAction } from './orderState';
import { useProductName } from '../lookup';
import { isAdmin, useSession } from '../session';
import { inTrouble } from './Monitors';
import { failedRun } from './Deployments';
import { shownAlias } from './Certificates';

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
      <Glance />
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
                  <Link href={'/certificates/' + c.id}>{shownAlias(c) || c.names[0]}</Link>{' '}
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

type Counted = { n: number; more: boolean };

/** The numbers of the overview, each read the way the list it links to reads its items. */
function Glance() {
  const certs = useLoad(async () => {
    const q = (query: string) => count('/certificates?' + query);
    const [active, expired, revoked, d7, d30, d90] = await Promise.all([
      q('status=active'),
      q('status=expired'),
      q('status=revoked'),
      q('status=active&expiring_within_days=7'),
      q('status=active&expiring_within_days=30'),
      q('status=active&expiring_within_days=90'),
    ]);
    return { active, expired, revoked, d7, d30, d90 };
  });
  const monitors = useLoad(() => all<Monitor>('/monitors', 10_000, 200));
  const runs = useLoad(() => all<Deployment>('/deployments', 10_000, 200));
  const c = certs.data;
  const trouble = monitors.data && { n: monitors.data.filter(inTrouble).length, more: false };
  const failed = runs.data && { n: runs.data.filter(failedRun).length, more: false };
  return (
    <section class="card glance" aria-labelledby="glance-title">
      <h2 id="glance-title">{t('overview.glance')}</h2>
      <ErrorBox error={certs.error || monitors.error || runs.error} />
      <div class="stat-groups">
        <StatGroup title={t('overview.certificates')}>
          <Stat id="stat-active" value={c?.active} failed={!!certs.error} label={t('cert.active')} href="/certificates?status=active" />
          <Stat id="stat-expired" value={c?.expired} failed={!!certs.error} label={t('cert.expired')} href="/certificates?status=expired" tone="bad" />
          <Stat id="stat-revoked" value={c?.revoked} failed={!!certs.error} label={t('cert.revoked')} href="/certificates?status=revoked" tone="bad" />
        </StatGroup>
        <StatGroup title={t('overview.expiring_soon')}>
          <Stat id="stat-expiring-7" value={c?.d7} failed={!!certs.error} label={t('certs.within_days', { n: 7 })} href="/certificates?status=active&expiring=7" tone="bad" />
          <Stat id="stat-expiring-30" value={c?.d30} failed={!!certs.error} label={t('certs.within_days', { n: 30 })} href="/certificates?status=active&expiring=30" tone="warn" />
          <Stat id="stat-expiring-90" value={c?.d90} failed={!!certs.error} label={t('certs.within_days', { n: 90 })} href="/certificates?status=active&expiring=90" />
        </StatGroup>
        <StatGroup title={t('overview.servers')}>
          <Stat id="stat-monitors-trouble" value={trouble} failed={!!monitors.error} label={t('overview.monitors_trouble')} href="/monitors?status=trouble" tone="bad" />
          <Stat id="stat-deployments-failed" value={failed} failed={!!runs.error} label={t('overview.deployments_failed')} href="/deployments?status=failed" tone="bad" />
        </StatGroup>
      </div>
    </section>
  );
}

function StatGroup({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="stat-group">
      <h3>{title}</h3>
      <ul class="stats">{children}</ul>
    </div>
  );
}

/** One number and what it counts, a link to that list; `tone` colours it when it is not 0. */
function Stat(props: { id: string; value: Counted | undefined; failed?: boolean; label: string; href: string; tone?: 'bad' | 'warn' }) {
  const { id, value, label, href, tone } = props;
  const pending = !value && !props.failed;
  const text = value ? String(value.n) + (value.more ? '+' : '') : pending ? '…' : '—';
  return (
    <li>
      <Link href={href} id={id} class={'stat' + (value && value.n > 0 && tone ? ' stat-' + tone : '')}>
        {/* "loading" while counting: what the browser test waits on before a screenshot. */}
        <span class={'stat-n' + (pending ? ' loading' : '')} data-count={value ? String(value.n) : undefined}>
          {text}
        </span>{' '}
        <span class="stat-label">{label}</span>
      </Link>
    </li>
  );
}
