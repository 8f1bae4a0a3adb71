// Discovery (POST /monitors/discover, docs/MONITORING.md): hosts (one per line or separated by
// commas) and optional ports (443 by default) are looked at once, each endpoint's certificate
// judged like a check. A certificate the inventory did not know is added to it as discovered; the
// answer says which ones ("added to the inventory" or "already known") and links each to its
// page. Problems are explained as a check's are (MonitorCheck.tsx). Discovery adds no monitor:
// each endpoint that served a certificate gets an "Add a monitor" button (POST /monitors), or a
// link to its monitor when one watches it already. The limits (20 hosts, 10 ports, 20 endpoints)
// are checked here first, in the reader's language; the server's refusals (400 invalid_field,
// 403 private_address, ...) are shown with ErrorBox.
import { useState } from 'preact/hooks';
import { post } from '../api';
import { useAction } from '../hooks';
import { t } from '../i18n';
import type { AddressCheck, Monitor } from '../types';
import { Badge, Link, Rich } from '../components/bits';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';
import { endpointText, Expiry, ProblemList } from './MonitorCheck';

/** One endpoint looked at: an address check with the host and port it is for, and whether its
 * certificate was new to the inventory. */
export interface DiscoveredEndpoint extends AddressCheck {
  host: string;
  port: number;
  added: boolean;
}

const MAX_HOSTS = 20;
const MAX_PORTS = 10;
const MAX_ENDPOINTS = 20;

const split = (s: string) =>
  s
    .split(/[\s,;，、]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The request, or what is wrong with the form (in the reader's language). */
function parse(hostsText: string, portsText: string): { hosts: string[]; ports: number[] } | { problem: string } {
  const hosts = [...new Set(split(hostsText))];
  const portWords = split(portsText);
  if (hosts.length > MAX_HOSTS) return { problem: t('discover.too_many_hosts', { n: hosts.length }) };
  const ports: number[] = [];
  for (const w of portWords) {
    const n = Number(w);
    if (!/^\d+$/.test(w) || n < 1 || n > 65535) return { problem: t('discover.bad_port', { port: w }) };
    if (!ports.includes(n)) ports.push(n);
  }
  if (ports.length > MAX_PORTS) return { problem: t('discover.too_many_ports', { n: ports.length }) };
  const endpoints = hosts.length * Math.max(ports.length, 1);
  if (endpoints > MAX_ENDPOINTS) return { problem: t('discover.too_many_endpoints', { n: endpoints }) };
  return { hosts, ports };
}

const key = (host: string, port: number) => host.toLowerCase() + ':' + port;

export function DiscoverDialog({ monitors, onClose, onMonitorAdded }: { monitors: Monitor[]; onClose: () => void; onMonitorAdded: (m: Monitor) => void }) {
  const [hosts, setHosts] = useState('');
  const [ports, setPorts] = useState('');
  const [problem, setProblem] = useState('');
  const [found, setFound] = useState<DiscoveredEndpoint[] | null>(null);
  // Monitors added from here, by endpoint.
  const [added, setAdded] = useState<Record<string, Monitor>>({});
  const [adding, setAdding] = useState('');
  const action = useAction();
  const addAction = useAction();

  const watching = (e: DiscoveredEndpoint): Monitor | undefined =>
    added[key(e.host, e.port)] || monitors.find((m) => key(m.host, m.port) === key(e.host, e.port));

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const parsed = parse(hosts, ports);
    if ('problem' in parsed) {
      setProblem(parsed.problem);
      return;
    }
    setProblem('');
    setFound(null);
    addAction.setError(undefined);
    const body: Record<string, unknown> = { hosts: parsed.hosts };
    if (parsed.ports.length) body.ports = parsed.ports;
    const r = await action.run(() => post<{ items: DiscoveredEndpoint[] }>('/monitors/discover', body));
    if (r) setFound(r.items);
  };

  const watch = async (e: DiscoveredEndpoint) => {
    const k = key(e.host, e.port);
    setAdding(k);
    const m = await addAction.run(() => post<Monitor>('/monitors', { host: e.host, port: e.port, protocol: 'https' }));
    setAdding('');
    if (m) {
      setAdded((a) => ({ ...a, [k]: m }));
      onMonitorAdded(m);
    }
  };

  const newOnes = found ? found.filter((e) => e.added).length : 0;
  return (
    <Dialog title={t('discover.title')} onClose={onClose}>
      <div class="discover">
        <p class="muted">{t('discover.intro')}</p>
        <form onSubmit={submit} id="discover-form">
          <div class="field">
            <label for="discover-hosts">{t('discover.hosts')}</label>
            <textarea
              id="discover-hosts"
              rows={3}
              value={hosts}
              spellcheck={false}
              autocomplete="off"
              placeholder={'www.example.com\nmail.example.com'}
              aria-describedby="discover-hosts-hint"
              onInput={(e) => setHosts((e.target as HTMLTextAreaElement).value)}
            />
            <small class="hint" id="discover-hosts-hint">
              {t('discover.hosts_hint')}
            </small>
          </div>
          <div class="field">
            <label for="discover-ports">{t('discover.ports')}</label>
            <input
              id="discover-ports"
              value={ports}
              inputMode="numeric"
              spellcheck={false}
              autocomplete="off"
              placeholder="443, 8443"
              aria-describedby="discover-ports-hint"
              onInput={(e) => setPorts((e.target as HTMLInputElement).value)}
            />
            <small class="hint" id="discover-ports-hint">
              {t('discover.ports_hint')}
            </small>
          </div>
          {problem && (
            <div class="error" role="alert" data-code="discover_input" id="discover-problem">
              <strong>{t('discover.input_title')}</strong>
              <p class="detail">{problem}</p>
            </div>
          )}
          <ErrorBox error={action.error} />
          <div class="actions">
            <button type="submit" disabled={action.busy || !split(hosts).length}>
              {found ? t('discover.again') : t('discover.submit')}
            </button>
            <button type="button" class="secondary" onClick={onClose}>
              {t('action.close')}
            </button>
          </div>
          {action.busy && (
            <p class="muted" role="status" id="discover-busy">
              {t('discover.busy')}
            </p>
          )}
        </form>
        {found && (
          <section id="discover-results" aria-labelledby="discover-results-title">
            <h3 id="discover-results-title">{t('discover.results')}</h3>
            <p class="muted" id="discover-count">
              {t('discover.results_count', { n: found.length, added: newOnes })}
            </p>
            <ErrorBox error={addAction.error} />
            <div class="table-wrap">
              <table class="stack discover-results" id="discover-table">
                <caption class="sr-only">{t('discover.results')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('discover.endpoint')}</th>
                    <th scope="col">{t('discover.status')}</th>
                    <th scope="col">{t('discover.certificate')}</th>
                    <th scope="col">{t('discover.inventory')}</th>
                    <th scope="col">
                      <span class="sr-only">{t('common.actions')}</span>
                    </th>
                  </tr>
                </thead>
                {found.map((e) => (
                  <FoundRows key={key(e.host, e.port)} e={e} monitor={watching(e)} busy={adding === key(e.host, e.port) || addAction.busy} onWatch={() => watch(e)} />
                ))}
              </table>
            </div>
          </section>
        )}
      </div>
    </Dialog>
  );
}

/** An endpoint's row, and under it its problems explained. */
function FoundRows({ e, monitor, busy, onWatch }: { e: DiscoveredEndpoint; monitor?: Monitor; busy: boolean; onWatch: () => void }) {
  const endpoint = endpointText(e);
  const c = e.certificate;
  return (
    <tbody data-endpoint={endpoint} data-status={e.status} data-added={String(e.added)}>
      <tr>
        <th scope="row">
          <span class="endpoint">{endpoint}</span>
          {e.address && e.address !== e.host && (
            <small class="hint">
              <Rich text={t('discover.address')} vars={{ address: <code>{e.address}</code> }} />
            </small>
          )}
        </th>
        <td data-label={t('discover.status')} class="status">
          <Badge kind="monitor_status" value={e.status} />
        </td>
        <td data-label={t('discover.certificate')} class="certificate-cell">
          {c ? (
            <>
              {c.names.length ? (
                <ul class="plain names">
                  {c.names.map((n) => (
                    <li key={n}>
                      <code>{n}</code>
                    </li>
                  ))}
                </ul>
              ) : (
                // No subjectAltName (an old or home-made certificate): its subject names it.
                <code class="subject">{c.subject}</code>
              )}
              <Expiry c={c} />
            </>
          ) : (
            <span class="muted">{t('discover.no_certificate')}</span>
          )}
        </td>
        <td data-label={t('discover.inventory')} data-field="inventory">
          {e.certificate_id ? (
            <>
              <span class={'badge ' + (e.added ? 'badge-added' : 'badge-known')} data-added={String(e.added)}>
                {e.added ? t('discover.added') : t('discover.known')}
              </span>
              <br />
              <Link href={'/certificates/' + e.certificate_id} class="discovered-certificate">
                {t('discover.view_certificate')}
              </Link>
            </>
          ) : (
            <span class="muted">—</span>
          )}
        </td>
        <td class="row-actions">
          {monitor ? (
            <Link href={'/monitors/' + monitor.id} class="watched">
              {t('discover.watched')}
            </Link>
          ) : (
            c && (
              <button type="button" class="small" aria-label={t('discover.add_monitor_named', { endpoint })} disabled={busy} onClick={onWatch}>
                {t('discover.add_monitor')}
              </button>
            )
          )}
        </td>
      </tr>
      {e.problems.length > 0 && (
        <tr class="problems-row">
          <td colSpan={5} data-label={t('monitors.problems')}>
            <ProblemList problems={e.problems} certificateId={e.certificate_id} />
          </td>
        </tr>
      )}
    </tbody>
  );
}
