// An order's timeline as sentences: what happened, when, by whom. The server's events are short
// codes (order.submitted, dcv.valid, review.approved ...) with a detail that is either a value
// (a serial, an order id, the reviewer's reason, the checks as JSON) or an English note; values
// are shown as values, known notes as translated sentences, and unknown ones as they came.
import type { ComponentChildren } from 'preact';
import { formatDate, t, tMaybe, type Key } from '../i18n';
import { useActorName } from '../lookup';
import type { Order } from '../types';
import { Link, Rich } from '../components/bits';

type Entry = Order['timeline'][number] & { actor_email?: string | null };

/** Events the reviewer (CA staff, not a person of the account) does. */
const BY_REVIEWER = new Set(['review.approved', 'review.rejected']);

/** A brand's upstream CA (docs/BRANDS.md): events whose detail is a value shown as it is (the
 * order's URL there, "<domain>: <challenge type>", why the CA could not be reached). */
const UPSTREAM_VALUES = new Set(['upstream.ordered', 'upstream.challenge_answered', 'upstream.unavailable']);

/** Event names that mean the same thing (the server has used both). */
const SAME: Record<string, string> = {
  created: 'order.created',
  submitted: 'order.submitted',
  resubmitted: 'order.resubmitted',
  cancelled: 'order.cancelled',
  issued: 'certificate.issued',
  'order.issued': 'certificate.issued',
  reissue: 'order.reissue',
  renewal: 'order.renewal',
  'renewal.automatic': 'order.renewal_automatic',
  'term.next_certificate': 'order.term_next',
  'validation.restarted': 'dcv.restarted',
  'dcv.restart': 'dcv.restarted',
};

export function Timeline({ order }: { order: Order }) {
  const actorName = useActorName();
  return (
    <section class="card">
      <h2>{t('order.timeline')}</h2>
      <ol class="timeline" id="timeline">
        {order.timeline.map((raw, i) => {
          const e = raw as Entry;
          const who = actorName(e.actor, e.actor_email, BY_REVIEWER.has(e.event) ? t('actor.reviewer') : undefined);
          return (
            <li key={i} data-event={e.event}>
              <time dateTime={e.at}>{formatDate(e.at)}</time> <EventText e={e} who={who} />
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function EventText({ e, who }: { e: Entry; who: string }) {
  const name = SAME[e.event] || e.event;
  const key = ('event.' + name) as Key;
  const detail = e.detail || '';
  const known = tMaybe(key, '');
  if (!known) {
    // An event this console does not know yet: the server's words.
    return (
      <span>
        <strong>{e.event}</strong>
        {detail && <span class="muted"> — {detail}</span>}
        <span class="muted"> · {who}</span>
      </span>
    );
  }
  const vars: Record<string, ComponentChildren> = { who: <strong>{who}</strong> };
  let extra: ComponentChildren = null;
  const order = /^(?:from|into|with|new order) (\S+)$/.exec(detail)?.[1];
  if (order) vars.order = <OrderLink id={order} />;
  if (name === 'certificate.issued') {
    // "serial <hex>", and " by <issuer>" when a brand's upstream CA issued it.
    const m = /^serial (\S+)(?: by (.+))?$/.exec(detail);
    if (m) {
      extra = (
        <span class="muted">
          {' '}
          {t('event.serial')} <code>{m[1]}</code>
          {m[2] && (
            <>
              {' · '}
              {t('cert.issuer')} <code>{m[2]}</code>
            </>
          )}
        </span>
      );
    }
  } else if (name === 'order.reissue' || name === 'order.renewal' || name === 'upstream.renewal') {
    // The same event on both orders: the new one says where it came from, the old one where
    // it went.
    const towards = detail.startsWith('new order ');
    return (
      <span>
        <Rich text={t((key + (towards ? '_to' : '_from')) as Key)} vars={vars} />
      </span>
    );
  } else if (name === 'review.approved') {
    extra = <Checks json={detail} />;
  } else if (name === 'review.rejected' && detail) {
    extra = <q class="reason">{detail}</q>;
  } else if (name === 'dcv.failed') {
    const m = /^(\S+): validation (\w+)/.exec(detail);
    if (m) extra = <span class="muted"> {t('event.dcv_failed_detail', { domain: m[1], status: tMaybe('dcv.' + m[2], m[2]) })}</span>;
  } else if (name === 'attachment.uploaded') {
    const kind = /^(\w+)/.exec(detail)?.[1] || '';
    extra = <span class="muted"> {tMaybe('kind.' + kind, kind)}</span>;
  } else if (name === 'upstream.failed' && detail) {
    // The public CA's reason, as it gave it.
    extra = <q class="reason">{detail}</q>;
  } else if (UPSTREAM_VALUES.has(name) && detail) {
    // upstream.ordered says "order <its URL at the CA>[, replacing <certificate>]".
    extra = (
      <span class="muted">
        {' '}
        <code>{name === 'upstream.ordered' ? detail.replace(/^order /, '') : detail}</code>
      </span>
    );
  } else if (name === 'caa.refused' && detail) {
    extra = (
      <span class="muted">
        {' '}
        <code>{detail}</code>
      </span>
    );
  }
  return (
    <span>
      <Rich text={known} vars={vars} />
      {extra}
    </span>
  );
}

function OrderLink({ id }: { id: string }) {
  return (
    <Link href={'/orders/' + id}>
      <code>{id}</code>
    </Link>
  );
}

/** The checks a reviewer recorded ({"phone_confirmed": true, ...}) as a list. */
function Checks({ json }: { json: string }) {
  let checks: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(json);
    if (parsed && typeof parsed === 'object') checks = parsed;
  } catch {
    return json ? <span class="muted"> — {json}</span> : null;
  }
  const entries = Object.entries(checks);
  if (!entries.length) return null;
  return (
    <ul class="checks">
      {entries.map(([k, v]) => (
        <li key={k} data-check={k}>
          {tMaybe('review.' + k, k)}: {v === true ? t('common.yes') : v === false ? t('common.no') : String(v)}
        </li>
      ))}
    </ul>
  );
}
