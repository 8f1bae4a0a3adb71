// Per-domain validation: exactly what to publish (each value with a copy button), and "Verify
// now", which asks the server to check every pending domain and then shows what it saw.
import { useState } from 'preact/hooks';
import { get, post } from '../api';
import { useAction } from '../hooks';
import { formatDate, t, tMaybe } from '../i18n';
import type { Order, OrderValidation } from '../types';
import { Badge, CopyButton } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { allows } from './orderState';

// Instruction fields in the order they are shown; anything else the server adds follows.
const ORDER = ['record_type', 'record_name', 'value', 'target', 'url', 'path', 'content', 'email', 'check_command'];

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
        <ValidationCard key={v.id} v={v} seen={seen[v.id]} />
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

function ValidationCard({ v, seen }: { v: OrderValidation; seen?: string }) {
  const keys = Object.keys(v.instructions).sort((a, b) => rank(a) - rank(b));
  return (
    <article class="validation" data-domain={v.for} data-status={v.status}>
      <h3>
        {v.for} <Badge kind="dcv" value={v.status} />
      </h3>
      <p class="muted">{tMaybe('method.' + v.method, v.method)}</p>
      <dl class="instructions">
        {keys.map((k) => {
          const value = String(v.instructions[k]);
          return (
            <div class="instruction" key={k} data-field={k}>
              <dt>{tMaybe('instr.' + k, k)}</dt>
              <dd>
                <code class="copyable">{value}</code> <CopyButton text={value} label={tMaybe('instr.' + k, k)} />
              </dd>
            </div>
          );
        })}
      </dl>
      {v.last_checked_at && (
        <p class="muted">
          {t('dcv.last_checked', { at: formatDate(v.last_checked_at) })}
        </p>
      )}
      {v.status !== 'valid' && v.last_error && (
        <p class="field-error dcv-error" role="status">
          {tMaybe('reason.' + (v.last_reason || ''), '')} {v.last_error}
        </p>
      )}
      {seen && (
        <p class="seen">
          {t('dcv.seen')}: <code>{seen}</code>
        </p>
      )}
    </article>
  );
}

const rank = (k: string) => {
  const i = ORDER.indexOf(k);
  return i < 0 ? ORDER.length : i;
};
