// Monitors (issue 17): the TLS endpoints Signet checks on a schedule. The list shows each one's
// status, endpoint and protocol, server name, when it was checked and is checked next, the
// served certificate's expiry and the last check's problems; a status filter in the URL
// (?status=trouble is what the overview links to). Add a monitor, Check now (the answer is shown
// above the list, each problem explained), pause and resume, change the interval, delete; and
// Discover (DiscoverDialog.tsx): what hosts and ports serve, found certificates added to the
// inventory, a monitor added per endpoint from there. The list is read once per change: the
// server checks on its own schedule, a reload shows that.
import { useState } from 'preact/hooks';
import { all, post } from '../api';
import { useAction, useLoad } from '../hooks';
import { formatDate, t, tMaybe } from '../i18n';
import { useListQuery } from '../listState';
import type { Monitor, MonitorCheck } from '../types';
import { Empty, Link, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { AddMonitorDialog, DeleteMonitorDialog, IntervalDialog, setEnabled } from './MonitorDialogs';
import { DiscoverDialog } from './DiscoverDialog';
import { CheckSummary, endpointText, Expiry, intervalText, MonitorBadge, ProblemTitles } from './MonitorCheck';

const KEYS = ['status'] as const;
const FILTERS = ['trouble', 'ok', 'warning', 'critical', 'unreachable', 'unchecked', 'paused'] as const;

/** Warning, critical and unreachable: what the overview counts as "in trouble". */
export const inTrouble = (m: Pick<Monitor, 'status'>) => m.status === 'warning' || m.status === 'critical' || m.status === 'unreachable';

function matches(m: Monitor, filter: string): boolean {
  switch (filter) {
    case '':
      return true;
    case 'trouble':
      return inTrouble(m);
    case 'unchecked':
      return !m.status;
    case 'paused':
      return !m.enabled;
    default:
      return m.status === filter;
  }
}

function filterName(f: string): string {
  if (f === 'trouble') return t('monitors.filter_trouble');
  if (f === 'unchecked') return t('monitors.filter_unchecked');
  if (f === 'paused') return t('monitors.filter_paused');
  return tMaybe('monitor_status.' + f, f);
}

/** Check now, pause/resume, the interval and deletion, for the list and a monitor's page. */
export function useMonitorActions(onChanged: (notice: string) => void) {
  const action = useAction();
  const [checking, setChecking] = useState('');
  const [result, setResult] = useState<{ m: Monitor; check: MonitorCheck } | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'interval' | 'delete'; m: Monitor } | null>(null);
  const check = async (m: Monitor) => {
    setChecking(m.id);
    setResult(null);
    const c = await action.run(() => post<MonitorCheck>('/monitors/' + encodeURIComponent(m.id) + '/check'));
    setChecking('');
    if (c) {
      setResult({ m, check: c });
      onChanged('');
    }
  };
  const toggle = async (m: Monitor) => {
    const saved = await action.run(() => setEnabled(m, !m.enabled));
    if (saved) onChanged(t(saved.enabled ? 'monitors.resumed_notice' : 'monitors.paused_notice', { endpoint: endpointText(saved) }));
  };
  return { action, checking, result, setResult, dialog, setDialog, check, toggle };
}

/** The row's (or page's) buttons, each named with the endpoint for screen readers. */
export function MonitorButtons({ m, ops, start }: { m: Monitor; ops: ReturnType<typeof useMonitorActions>; start?: boolean }) {
  const endpoint = endpointText(m);
  return (
    <div class={'row-buttons' + (start ? ' start' : '')}>
      <button
        type="button"
        class="small"
        aria-label={t('monitors.check_named', { endpoint })}
        disabled={!!ops.checking || ops.action.busy}
        onClick={() => ops.check(m)}
      >
        {t('monitors.check')}
      </button>
      <button
        type="button"
        class="secondary small"
        aria-label={t(m.enabled ? 'monitors.pause_named' : 'monitors.resume_named', { endpoint })}
        disabled={ops.action.busy}
        onClick={() => ops.toggle(m)}
      >
        {t(m.enabled ? 'monitors.pause' : 'monitors.resume')}
      </button>
      <button
        type="button"
        class="secondary small"
        aria-label={t('monitors.change_interval_named', { endpoint })}
        onClick={() => ops.setDialog({ kind: 'interval', m })}
      >
        {t('monitors.change_interval')}
      </button>
      <button
        type="button"
        class="danger secondary small"
        aria-label={t('monitors.delete_named', { endpoint })}
        onClick={() => ops.setDialog({ kind: 'delete', m })}
      >
        {t('action.delete')}
      </button>
    </div>
  );
}

/** The dialogs the buttons open. */
export function MonitorActionDialogs({ ops, onChanged, onDeleted }: { ops: ReturnType<typeof useMonitorActions>; onChanged: (notice: string) => void; onDeleted: (m: Monitor) => void }) {
  const d = ops.dialog;
  if (!d) return null;
  if (d.kind === 'interval') {
    return (
      <IntervalDialog
        m={d.m}
        onClose={() => ops.setDialog(null)}
        onSaved={(saved) => {
          ops.setDialog(null);
          onChanged(t('monitors.saved', { endpoint: endpointText(saved), interval: intervalText(saved.interval_minutes) }));
        }}
      />
    );
  }
  return (
    <DeleteMonitorDialog
      m={d.m}
      onClose={() => ops.setDialog(null)}
      onDone={() => {
        ops.setDialog(null);
        if (ops.result?.m.id === d.m.id) ops.setResult(null);
        onDeleted(d.m);
      }}
    />
  );
}

export function Monitors() {
  const { values: v, set } = useListQuery(KEYS);
  const list = useLoad(() => all<Monitor>('/monitors'));
  const [adding, setAdding] = useState(false);
  const [discovering, setDiscovering] = useState(false);
  const [notice, setNotice] = useState('');
  const changed = (text: string) => {
    setNotice(text);
    void list.reload();
  };
  const ops = useMonitorActions(changed);
  const monitors = list.data || [];
  const shown = monitors.filter((m) => matches(m, v.status));
  const checkingOne = monitors.find((m) => m.id === ops.checking);

  return (
    <section>
      <div class="row wrap page-head">
        <h1>{t('monitors.title')}</h1>
        <button
          type="button"
          id="add-monitor"
          onClick={() => {
            setNotice('');
            setAdding(true);
          }}
        >
          {t('monitors.add')}
        </button>
        <button
          type="button"
          class="secondary"
          id="discover"
          onClick={() => {
            setNotice('');
            setDiscovering(true);
          }}
        >
          {t('discover.open')}
        </button>
      </div>
      <p class="muted">{t('monitors.intro')}</p>
      {notice && (
        <div class="success" role="status" id="monitors-notice">
          {notice}
        </div>
      )}
      {checkingOne && (
        <p class="muted" role="status" id="check-busy">
          {t('monitors.checking', { endpoint: endpointText(checkingOne) })}
        </p>
      )}
      <ErrorBox error={ops.action.error} />
      {ops.result && <CheckSummary m={ops.result.m} check={ops.result.check} onClose={() => ops.setResult(null)} />}
      {monitors.length > 0 && (
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <div class="field">
            <label for="monitors-status">{t('filter.status')}</label>
            <select id="monitors-status" value={v.status} onChange={(e) => set({ status: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('filter.any')}</option>
              {FILTERS.map((f) => (
                <option key={f} value={f}>
                  {filterName(f)}
                </option>
              ))}
            </select>
          </div>
        </form>
      )}
      <ErrorBox error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : shown.length ? (
        <div class="table-wrap">
          <table id="monitor-table" class="stack">
            <caption class="sr-only">{t('monitors.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('monitors.endpoint')}</th>
                <th scope="col">{t('monitors.status')}</th>
                <th scope="col">{t('monitors.col_server_name')}</th>
                <th scope="col">{t('monitors.last_checked')}</th>
                <th scope="col">{t('monitors.next_check')}</th>
                <th scope="col">{t('monitors.expiry')}</th>
                <th scope="col">{t('monitors.problems')}</th>
                <th scope="col">
                  <span class="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((m) => (
                <tr key={m.id} data-id={m.id} data-endpoint={endpointText(m)} data-status={m.status || 'unchecked'} data-enabled={String(m.enabled)}>
                  <th scope="row">
                    <Link href={'/monitors/' + m.id} class="endpoint">
                      {endpointText(m)}
                    </Link>{' '}
                    <span class="muted">({tMaybe('protocol.' + m.protocol, m.protocol)})</span>
                  </th>
                  <td data-label={t('monitors.status')} class="status">
                    <MonitorBadge m={m} />
                  </td>
                  <td data-label={t('monitors.col_server_name')}>
                    <code>{m.server_name || m.host}</code>
                  </td>
                  <td data-label={t('monitors.last_checked')}>
                    {m.checked_at ? <time dateTime={m.checked_at}>{formatDate(m.checked_at)}</time> : <span class="muted">{t('monitors.never')}</span>}
                  </td>
                  <td data-label={t('monitors.next_check')}>
                    {m.enabled ? <time dateTime={m.next_check_at}>{formatDate(m.next_check_at)}</time> : <span class="muted">{t('monitor_status.paused')}</span>}
                    <small class="hint">{intervalText(m.interval_minutes)}</small>
                  </td>
                  <td data-label={t('monitors.expiry')} class="expiry-cell">
                    <Expiry c={m.last_check?.certificate} />
                  </td>
                  <td data-label={t('monitors.problems')} class="problems-cell">
                    {m.last_check ? <ProblemTitles problems={m.last_check.problems} /> : <span class="muted">—</span>}
                  </td>
                  <td class="row-actions">
                    <MonitorButtons m={m} ops={ops} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : monitors.length ? (
        <Empty>
          <span id="monitors-no-match">{t('monitors.no_match')}</span>{' '}
          <button type="button" class="secondary small" onClick={() => set({ status: '' })}>
            {t('monitors.show_all')}
          </button>
        </Empty>
      ) : (
        !list.error && (
          <div class="empty" id="monitors-empty">
            <p>{t('monitors.none')}</p>
          </div>
        )
      )}
      {adding && (
        <AddMonitorDialog
          onClose={() => setAdding(false)}
          onAdded={(m) => {
            setAdding(false);
            changed(t('monitors.created', { endpoint: endpointText(m) }));
          }}
        />
      )}
      {discovering && (
        <DiscoverDialog
          monitors={monitors}
          onClose={() => setDiscovering(false)}
          onMonitorAdded={(m) => changed(t('monitors.created', { endpoint: endpointText(m) }))}
        />
      )}
      <MonitorActionDialogs ops={ops} onChanged={changed} onDeleted={(m) => changed(t('monitors.deleted', { endpoint: endpointText(m) }))} />
    </section>
  );
}
