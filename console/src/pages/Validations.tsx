// Per-domain validation: exactly what to publish (each value with a copy button; for DNS the
// host record as DNS consoles ask for it, and the full name), which certificate names each
// proves, "Verify now", which asks the server to check every pending domain and then shows what
// it saw, and "Start the validation again" for one that expired or failed.
import { useState } from 'preact/hooks';
import { get, post } from '../api';
import { useAction } from '../hooks';
import { formatDate, t, tMaybe, type Key } from '../i18n';
import type { Order, OrderValidation } from '../types';
import { Badge, CopyButton } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { allows } from './orderState';

// Instruction fields in the order they are shown; anything else the server adds follows. The
// server's English notes are replaced by the console's own per method.
const ORDER = ['record_type', 'host_record', 'record_name', 'value', 'target', 'zone', 'server', 'key_name', 'url', 'urls', 'path', 'content', 'email', 'check_command'];
const HIDDEN = new Set(['note', 'registered_domain']);
const NOTES = new Set(['dns_cname', 'dns_auto', 'file', 'email']);

export function Validations({ order, onChange }: { order: Order; onChange: (o: Order) => void }) {
  const action = useAction();
  const [seen, setSeen] = useState<Record<string, string>>({});
  const pending = order.validations.some((v) => v.status === 'pending');
  const verify = async () => {
    const o = await action.run(() => post<Order>('/orders/' + order.id + '/validations/check'));
    if (!o) return;
    onChange(o);
    // The latest attempt of each validation says what the resolver or web server returned.
    const found: Record<string, string> = {};
    await Promise.all(
      o.validations.map(async (v) => {
        try {
          const a = await get<{ items: { seen: string; error: string }[] }>('/domain-validations/' + v.id + '/attempts?page_size=1');
          if (a.items[0]) found[v.id] = a.items[0].seen || a.items[0].error;
        } catch {
          // the error of the check itself is already on the validation
        }
      }),
    );
    setSeen(found);
  };
  return (
    <section class="card" aria-labelledby="dcv-title">
      <h2 id="dcv-title">{t('dcv.title')}</h2>
      <p class="muted">{t('dcv.intro')}</p>
      {order.validations.map((v) => (
        <ValidationCard key={v.id} v={v} seen={seen[v.id]} order={order} onChange={onChange} />
      ))}
      <ErrorBox error={action.error} />
      {pending && allows(order, 'check_validations') && (
        <button type="button" id="verify" disabled={action.busy} onClick={verify}>
          {action.busy ? t('dcv.verifying') : t('dcv.verify')}
        </button>
      )}
    </section>
  );
}

function ValidationCard({ v, seen, order, onChange }: { v: OrderValidation; seen?: string; order: Order; onChange: (o: Order) => void }) {
  const action = useAction();
  const keys = Object.keys(v.instructions)
    .filter((k) => !HIDDEN.has(k) && v.instructions[k] !== '' && v.instructions[k] != null)
    .sort((a, b) => rank(a) - rank(b));
  const stopped = v.status === 'expired' || v.status === 'invalid';
  const restart = async () => {
    const o = await action.run(() =>
      post<Order>('/orders/' + order.id + '/validations/' + encodeURIComponent(v.validation_id || v.id) + '/restart'),
    );
    if (o) onChange(o);
  };
  const hasHost = typeof v.instructions.host_record === 'string' && v.instructions.host_record !== '';
  return (
    <article
      class="validation"
      data-domain={v.for}
      data-status={v.status}
      data-validation={v.validation_id || v.id}
      data-registered-domain={typeof v.instructions.registered_domain === 'string' ? v.instructions.registered_domain : undefined}
    >
      <h3>
        {v.domain || v.for} <Badge kind="dcv" value={v.status} />
      </h3>
      <p class="muted">{tMaybe('method.' + v.method, v.method)}</p>
      {v.covers && v.covers.length > 0 && (
        <p class="covers">
          {t('dcv.covers')}{' '}
          {v.covers.map((n, i) => (
            <span key={n}>
              {i > 0 && ', '}
              <code>{n}</code>
            </span>
          ))}
        </p>
      )}
      {hasHost && !stopped && <p class="hint">{t('dcv.host_record_hint', { domain: String(v.instructions.registered_domain || '') })}</p>}
      {/* A stopped validation's value is dead: publishing it would not help. */}
      {!stopped && <dl class="instructions">
        {keys.map((k) => {
          const raw = v.instructions[k];
          const values = Array.isArray(raw) ? raw.map(String) : [String(raw)];
          const label = instructionLabel(k, hasHost);
          return (
            <div class="instruction" key={k} data-field={k}>
              <dt>{label}</dt>
              {values.map((value) => (
                <dd key={value}>
                  <code class="copyable">{value}</code> <CopyButton text={value} label={label} />
                </dd>
              ))}
            </div>
          );
        })}
      </dl>}
      {NOTES.has(v.method) && !stopped && <p class="hint">{t(('dcv.note.' + v.method) as Key)}</p>}
      {v.last_checked_at && (
        <p class="muted">
          {t('dcv.last_checked', { at: formatDate(v.last_checked_at) })}
        </p>
      )}
      {v.status !== 'valid' && !stopped && (v.last_error || v.last_reason) && (
        <p class="field-error dcv-error" role="status">
          {tMaybe('reason.' + (v.last_reason || ''), '')} {v.last_error && <code>{v.last_error}</code>}
        </p>
      )}
      {seen && (
        <p class="seen">
          {t('dcv.seen')}: <code>{seen}</code>
        </p>
      )}
      {stopped && (
        <div class="restart" role="status">
          <p>{t(v.status === 'expired' ? 'dcv.expired_text' : 'dcv.invalid_text')}</p>
          {allows(order, 'restart_validation') && (
            <button type="button" class="restart-button" disabled={action.busy} onClick={restart}>
              {t('dcv.restart')}
            </button>
          )}
          <ErrorBox error={action.error} />
        </div>
      )}
    </article>
  );
}

/** host_record is what DNS consoles call the record's name; the full name is for nslookup. */
function instructionLabel(k: string, hasHost: boolean): string {
  if (k === 'record_name') return hasHost ? t('instr.full_name') : t('instr.record_name');
  return tMaybe('instr.' + k, k);
}

const rank = (k: string) => {
  const i = ORDER.indexOf(k);
  return i < 0 ? ORDER.length : i;
};
