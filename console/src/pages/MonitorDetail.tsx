// One monitor (/monitors/:id): its settings, the last check in detail (every address: the
// certificate it served, with names, issuer, expiry, key and SHA-256, linked to the inventory when
// Signet knows it; each problem explained with what to do) and the timeline of its checks, newest
// first, a change of status marked. Check now adds to the timeline; pause, interval and delete as
// on the list.
import { useState } from 'preact/hooks';
import { get, type ApiError, type Page } from '../api';
import { asApiError, useLoad } from '../hooks';
import { formatDate, t, tMaybe } from '../i18n';
import { navigate } from '../router';
import type { Monitor, MonitorCheck } from '../types';
import { Badge, Empty, Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { AddressResult, endpointText, Expiry, intervalText, MonitorBadge, ProblemTitles } from './MonitorCheck';
import { MonitorActionDialogs, MonitorButtons, useMonitorActions } from './Monitors';

const PAGE = 50;
const enc = encodeURIComponent;

interface Checks {
  items: MonitorCheck[];
  next: string | null;
}

async function checksPage(id: string, token: string | null): Promise<Page<MonitorCheck>> {
  return get<Page<MonitorCheck>>('/monitors/' + enc(id) + '/checks?page_size=' + PAGE + (token ? '&page_token=' + enc(token) : ''));
}

export function MonitorDetail({ id }: { id: string }) {
  const monitor = useLoad(() => get<Monitor>('/monitors/' + enc(id)), [id]);
  const checks = useLoad<Checks>(async () => {
    const p = await checksPage(id, null);
    return { items: p.items, next: p.next_page_token };
  }, [id]);
  const [notice, setNotice] = useState('');
  const [olderError, setOlderError] = useState<ApiError | undefined>(undefined);
  const changed = (text: string) => {
    setNotice(text);
    void monitor.reload();
    void checks.reload();
  };
  const ops = useMonitorActions(changed);
  const m = monitor.data;
  if (monitor.error) return <ErrorBox error={monitor.error} />;
  if (!m) return <Loading />;
  const last = m.last_check;
  const older = async () => {
    const c = checks.data;
    if (!c?.next) return;
    try {
      const p = await checksPage(id, c.next);
      checks.set({ items: [...c.items, ...p.items], next: p.next_page_token });
      setOlderError(undefined);
    } catch (e) {
      setOlderError(asApiError(e));
    }
  };

  return (
    <section>
      <p class="crumbs">
        <Link href="/monitors">{t('nav.monitors')}</Link>
      </p>
      <h1 id="monitor-title">
        <span class="endpoint">{endpointText(m)}</span> <MonitorBadge m={m} />
      </h1>
      <div class="monitor-actions">
        <MonitorButtons m={m} ops={ops} start />
      </div>
      {notice && (
        <div class="success" role="status" id="monitor-notice">
          {notice}
        </div>
      )}
      {ops.checking && (
        <p class="muted" role="status">
          {t('monitors.checking', { endpoint: endpointText(m) })}
        </p>
      )}
      <ErrorBox error={ops.action.error} />
      <div class="card">
        <h2>{t('monitor.settings')}</h2>
        <dl class="facts">
          <dt>{t('monitors.protocol')}</dt>
          <dd>{tMaybe('protocol.' + m.protocol, m.protocol)}</dd>
          <dt>{t('monitors.server_name')}</dt>
          <dd>
            <code>{m.server_name || m.host}</code>
          </dd>
          <dt>{t('monitors.interval')}</dt>
          <dd id="monitor-interval-text">{intervalText(m.interval_minutes)}</dd>
          <dt>{t('monitors.last_checked')}</dt>
          <dd>{m.checked_at ? <time dateTime={m.checked_at}>{formatDate(m.checked_at)}</time> : t('monitors.never')}</dd>
          <dt>{t('monitors.next_check')}</dt>
          <dd>{m.enabled ? <time dateTime={m.next_check_at}>{formatDate(m.next_check_at)}</time> : t('monitor_status.paused')}</dd>
          <dt>{t('monitor.created')}</dt>
          <dd>
            <time dateTime={m.created_at}>{formatDate(m.created_at)}</time>
          </dd>
        </dl>
      </div>

      <section class="card" id="last-check" aria-labelledby="last-check-title" data-status={last?.status || 'unchecked'}>
        <h2 id="last-check-title">
          {t('monitor.last_check')} {last && <Badge kind="monitor_status" value={last.status} />}
        </h2>
        {!last ? (
          <Empty>{t('monitor.never_checked')}</Empty>
        ) : (
          <>
            <p class="muted">
              {t('monitor.checked_at')} <time dateTime={last.checked_at}>{formatDate(last.checked_at)}</time>
            </p>
            {last.addresses.map((a, i) => (
              <AddressResult key={a.address || i} a={a} />
            ))}
          </>
        )}
      </section>

      <section class="card" id="timeline-card" aria-labelledby="monitor-timeline-title">
        <h2 id="monitor-timeline-title">{t('monitor.timeline')}</h2>
        <p class="muted">{t('monitor.timeline_hint')}</p>
        <ErrorBox error={checks.error || olderError} />
        {!checks.data ? (
          !checks.error && <Loading />
        ) : checks.data.items.length ? (
          <ol class="monitor-checks" id="monitor-checks">
            {checks.data.items.map((c, i, items) => (
              <CheckEntry key={c.id} c={c} before={items[i + 1]} first={i === items.length - 1 && !checks.data!.next} />
            ))}
          </ol>
        ) : (
          <Empty>{t('monitor.no_checks')}</Empty>
        )}
        {checks.data?.next && (
          <button type="button" class="secondary" onClick={older}>
            {t('monitor.older')}
          </button>
        )}
      </section>
      <MonitorActionDialogs ops={ops} onChanged={changed} onDeleted={() => navigate('/monitors')} />
    </section>
  );
}

/** One check of the timeline; `before` is the check before it (older), when loaded. */
function CheckEntry({ c, before, first }: { c: MonitorCheck; before?: MonitorCheck; first: boolean }) {
  const changed = !!before && before.status !== c.status;
  const status = (s: string) => tMaybe('monitor_status.' + s, s);
  return (
    <li data-status={c.status} data-id={c.id} class={changed ? 'changed' : ''} data-changed={String(changed)}>
      <div class="check-head">
        <Badge kind="monitor_status" value={c.status} /> <time dateTime={c.checked_at}>{formatDate(c.checked_at)}</time>
        {changed && <strong class="status-change">{t('monitor.changed', { from: status(before!.status), to: status(c.status) })}</strong>}
        {first && <span class="muted">{t('monitor.first_check')}</span>}
      </div>
      <div class="check-facts">
        <ProblemTitles problems={c.problems} />
        {c.certificate && (
          <span class="muted">
            <code class="serial">{c.certificate.serial}</code> <Expiry c={c.certificate} />
          </span>
        )}
      </div>
    </li>
  );
}
