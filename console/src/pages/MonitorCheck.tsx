// What a monitor's check found, shared by the Monitors list (the answer of Check now) and a
// monitor's page: the status badge, each problem with the console's own explanation and what to
// do (the server's detail is English and shown as a value), and per address the certificate it
// served, linked to the inventory when Signet knows it.
import { daysUntil, formatDate, t, tMaybe, type Key } from '../i18n';
import type { AddressCheck, Monitor, MonitorCheck, MonitorProblem, ServedCertificate } from '../types';
import { Badge, CopyButton, Link, Rich } from '../components/bits';

/** "host:port" (an IPv6 literal in brackets), how a person names the endpoint. */
export function endpointText(m: Pick<Monitor, 'host' | 'port'>): string {
  return (m.host.includes(':') ? '[' + m.host + ']' : m.host) + ':' + m.port;
}

/** "every hour", "every 15 minutes", "every 7 days". */
export function intervalText(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? t('interval.every_day') : t('interval.every_days', { n: minutes / 1440 });
  if (minutes % 60 === 0) return minutes === 60 ? t('interval.every_hour') : t('interval.every_hours', { n: minutes / 60 });
  return t('interval.every_minutes', { n: minutes });
}

/** The intervals offered; a monitor set to another one (through the API) keeps its own. */
export const INTERVALS = [5, 15, 30, 60, 360, 720, 1440, 10080];

/** The monitor's state as one badge: paused, not checked yet, or the last check's status. */
export function MonitorBadge({ m }: { m: Pick<Monitor, 'status' | 'enabled'> }) {
  return (
    <span class="monitor-badges">
      <Badge kind="monitor_status" value={m.status || 'unchecked'} />
      {!m.enabled && (
        <>
          {' '}
          <Badge kind="monitor_status" value="paused" />
        </>
      )}
    </span>
  );
}

/** The certificate's expiry, with how many days are left (or since when it is expired). */
export function Expiry({ c }: { c: ServedCertificate | null | undefined }) {
  if (!c) return <span class="muted">—</span>;
  const days = daysUntil(c.not_after);
  return (
    <span class="expiry">
      <time dateTime={c.not_after}>{formatDate(c.not_after, false)}</time>{' '}
      <span class={'muted' + (days < 0 ? ' expired' : '')}>
        ({days < 0 ? t('monitors.expired_days', { days: -days }) : t('overview.expires_in', { days })})
      </span>
    </span>
  );
}

/** Problem codes as short titles, for a list row or a timeline entry. */
export function ProblemTitles({ problems }: { problems: MonitorProblem[] }) {
  if (!problems.length) return <span class="muted">{t('monitors.no_problems')}</span>;
  return (
    <ul class="problem-titles">
      {problems.map((p, i) => (
        <li key={i} data-code={p.code}>
          {tMaybe('mproblem.' + p.code, p.code)}
        </li>
      ))}
    </ul>
  );
}

/** The problem codes the console explains (a newer server may send others: shown as they came). */
const explained: Record<string, true> = Object.fromEntries(
  ['expired', 'not_yet_valid', 'expires_soon', 'name_mismatch', 'self_signed', 'chain_incomplete', 'untrusted', 'revoked', 'not_latest', 'weak_key', 'weak_protocol', 'unreachable'].map((c) => [
    'mproblem.' + c,
    true,
  ]),
);

/** Problems whose remedy is done on the certificate itself: its page is linked. */
const ON_CERTIFICATE = new Set(['not_latest', 'expires_soon', 'expired', 'revoked', 'weak_key']);

/** Each problem: what it means and what to do, in the reader's language, and what Signet saw. */
export function ProblemList({ problems, certificateId }: { problems: MonitorProblem[]; certificateId?: string | null }) {
  if (!problems.length) {
    return (
      <p class="no-problems" data-ok="true">
        {t('monitor.no_problems')}
      </p>
    );
  }
  return (
    <ul class="plain problems">
      {problems.map((p, i) => {
        const known = ('mproblem.' + p.code) in explained;
        return (
          <li key={i} class="problem" data-code={p.code}>
            <strong class="problem-title">{tMaybe('mproblem.' + p.code, p.code)}</strong>
            {known && <p class="problem-why">{t(('mproblem.' + p.code + '.why') as Key)}</p>}
            {known && (
              <p class="problem-todo">
                <span class="label">{t('monitor.problem_todo')}</span>{' '}
                <Rich text={t(('mproblem.' + p.code + '.todo') as Key)} vars={{ fullchain: <code>fullchain</code> }} />
                {certificateId && ON_CERTIFICATE.has(p.code) && (
                  <>
                    {' '}
                    <Link href={'/certificates/' + certificateId} class="problem-certificate">
                      {t('monitor.open_certificate')}
                    </Link>
                  </>
                )}
              </p>
            )}
            {p.detail && (
              <p class="problem-detail muted">
                {t('monitor.server_said')} <code class="server-words">{p.detail}</code>
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** The certificate one address served, and whether it is one of the account's. */
export function ServedFacts({ c, certificateId }: { c: ServedCertificate | null; certificateId: string | null }) {
  if (!c) return <p class="muted">{t('monitor.no_certificate')}</p>;
  return (
    <dl class="facts served">
      <dt>{t('monitor.names')}</dt>
      <dd>
        <ul class="plain names">
          {c.names.map((n) => (
            <li key={n}>
              <code>{n}</code>
            </li>
          ))}
        </ul>
      </dd>
      <dt>{t('monitor.issuer')}</dt>
      <dd>
        <code class="issuer">{c.issuer}</code>
      </dd>
      <dt>{t('monitor.valid_until')}</dt>
      <dd>
        <Expiry c={c} />
      </dd>
      <dt>{t('monitor.valid_from')}</dt>
      <dd>
        <time dateTime={c.not_before}>{formatDate(c.not_before)}</time>
      </dd>
      <dt>{t('monitor.key')}</dt>
      <dd>
        <code class="key">{c.key}</code>
      </dd>
      <dt>{t('cert.serial')}</dt>
      <dd>
        <code class="serial" data-field="serial">
          {c.serial}
        </code>
      </dd>
      <dt>{t('monitor.sha256')}</dt>
      <dd class="copy-line">
        <code class="copyable" data-field="sha256">
          {c.sha256}
        </code>
        <CopyButton text={c.sha256} label={t('monitor.sha256')} />
      </dd>
      <dt>{t('monitor.inventory')}</dt>
      <dd>
        {certificateId ? (
          <Link href={'/certificates/' + certificateId} class="inventory-link">
            {t('monitor.view_certificate')}
          </Link>
        ) : (
          <span class="muted">{t('monitor.not_in_inventory')}</span>
        )}
      </dd>
    </dl>
  );
}

/** One address of a check: its status, TLS version, certificate and problems. */
export function AddressResult({ a }: { a: AddressCheck }) {
  return (
    <section class="address" data-address={a.address} data-status={a.status}>
      <h3>
        {a.address ? <Rich text={t('monitor.address')} vars={{ address: <code>{a.address}</code> }} /> : t('monitor.address_unknown')}{' '}
        <Badge kind="monitor_status" value={a.status} />
        {a.tls_version && (
          <span class="muted tls-version">
            {t('monitor.tls_version')} <code>{a.tls_version}</code>
          </span>
        )}
      </h3>
      <ProblemList problems={a.problems} certificateId={a.certificate_id} />
      {a.certificate && <h4>{t('monitor.served')}</h4>}
      <ServedFacts c={a.certificate} certificateId={a.certificate_id} />
    </section>
  );
}

/** The answer of Check now on the list: the status, the certificate's expiry, the problems
 * explained, and a link to the monitor's page for every address and the timeline. */
export function CheckSummary({ m, check, onClose }: { m: Monitor; check: MonitorCheck; onClose: () => void }) {
  const endpoint = endpointText(m);
  return (
    <div class={'card check-result status-' + check.status} id="check-result" role="status" data-status={check.status} data-monitor={m.id}>
      <div class="row">
        <h2>
          {t('monitors.result_title', { endpoint })} <Badge kind="monitor_status" value={check.status} />
        </h2>
        <button type="button" class="icon" aria-label={t('action.close')} onClick={onClose}>
          ×
        </button>
      </div>
      {check.certificate && (
        <p>
          {t('monitors.expiry')}: <Expiry c={check.certificate} />
        </p>
      )}
      {check.status === 'ok' && !check.problems.length ? (
        <p class="no-problems" data-ok="true">
          {t('monitors.result_ok')}
        </p>
      ) : (
        <ProblemList problems={check.problems} certificateId={check.certificate_id} />
      )}
      <p>
        <Link href={'/monitors/' + m.id}>{t('monitors.open')}</Link>
      </p>
    </div>
  );
}
