// The monitors' dialogs: watching a new endpoint (POST /monitors), how often one is checked
// (PATCH {interval_minutes}; the endpoint itself never changes: a new monitor is added for
// another) and deleting one with its history. Refusals are shown in the dialog: a loopback or
// private host (403 private_address, unless the operator allows them), invalid input (400
// invalid_monitor, the server's detail naming the field) and an endpoint already watched (409
// already_exists).
import { useState } from 'preact/hooks';
import { del, patch, post } from '../api';
import { useAction } from '../hooks';
import { t } from '../i18n';
import type { Monitor, MonitorProtocol } from '../types';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';
import { Field } from '../components/Field';
import { endpointText, INTERVALS, intervalText } from './MonitorCheck';

const PROTOCOLS: MonitorProtocol[] = ['https', 'tls', 'smtp', 'imap', 'pop3'];
/** The port the server assumes for each protocol (STARTTLS for mail). */
const DEFAULT_PORT: Record<MonitorProtocol, number> = { https: 443, tls: 443, smtp: 25, imap: 143, pop3: 110 };

const enc = encodeURIComponent;

function IntervalSelect(props: { id: string; value: number; onChange: (n: number) => void }) {
  const choices = INTERVALS.includes(props.value) ? INTERVALS : [...INTERVALS, props.value].sort((a, b) => a - b);
  return (
    <select id={props.id} value={String(props.value)} onChange={(e) => props.onChange(Number((e.target as HTMLSelectElement).value))}>
      {choices.map((n) => (
        <option key={n} value={String(n)}>
          {intervalText(n)}
        </option>
      ))}
    </select>
  );
}

export function AddMonitorDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (m: Monitor) => void }) {
  const [host, setHost] = useState('');
  const [protocol, setProtocol] = useState<MonitorProtocol>('https');
  const [port, setPort] = useState('443');
  const [serverName, setServerName] = useState('');
  const [interval, setMinutes] = useState(60);
  const action = useAction();
  const changeProtocol = (p: MonitorProtocol) => {
    // The port follows the protocol unless it was changed by hand.
    if (port === String(DEFAULT_PORT[protocol])) setPort(String(DEFAULT_PORT[p]));
    setProtocol(p);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const n = Number(port);
    const body: Record<string, unknown> = {
      host: host.trim(),
      protocol,
      // A port that is not a number goes as typed: the server's refusal names the field.
      port: Number.isInteger(n) && port.trim() !== '' ? n : port,
      interval_minutes: interval,
    };
    if (serverName.trim()) body.server_name = serverName.trim();
    const m = await action.run(() => post<Monitor>('/monitors', body));
    if (m) onAdded(m);
  };
  return (
    <Dialog title={t('monitors.add_title')} onClose={onClose}>
      <form onSubmit={submit} id="monitor-form">
        <div class="grid-host">
          <Field id="monitor-host" label={t('monitors.host')} hint={t('monitors.host_hint')}>
            <input
              id="monitor-host"
              value={host}
              required
              spellcheck={false}
              autocomplete="off"
              placeholder="www.example.com"
              aria-describedby="monitor-host-hint"
              onInput={(e) => setHost((e.target as HTMLInputElement).value)}
            />
          </Field>
          <Field id="monitor-port" label={t('monitors.port')}>
            <input id="monitor-port" type="number" min={1} max={65535} value={port} onInput={(e) => setPort((e.target as HTMLInputElement).value)} />
          </Field>
        </div>
        <Field id="monitor-protocol" label={t('monitors.protocol')} hint={t('monitors.protocol_hint')}>
          <select
            id="monitor-protocol"
            value={protocol}
            aria-describedby="monitor-protocol-hint"
            onChange={(e) => changeProtocol((e.target as HTMLSelectElement).value as MonitorProtocol)}
          >
            {PROTOCOLS.map((p) => (
              <option key={p} value={p}>
                {t(('protocol.' + p) as any)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="monitor-server-name" label={t('monitors.server_name')} hint={t('monitors.server_name_hint')}>
          <input
            id="monitor-server-name"
            value={serverName}
            spellcheck={false}
            autocomplete="off"
            aria-describedby="monitor-server-name-hint"
            onInput={(e) => setServerName((e.target as HTMLInputElement).value)}
          />
        </Field>
        <Field id="monitor-interval" label={t('monitors.interval')}>
          <IntervalSelect id="monitor-interval" value={interval} onChange={setMinutes} />
        </Field>
        <ErrorBox error={action.error} />
        <div class="actions">
          <button type="submit" disabled={action.busy || !host.trim()}>
            {t('monitors.add_submit')}
          </button>
          <button type="button" class="secondary" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function IntervalDialog({ m, onClose, onSaved }: { m: Monitor; onClose: () => void; onSaved: (m: Monitor) => void }) {
  const [interval, setMinutes] = useState(m.interval_minutes);
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const saved = await action.run(() => patch<Monitor>('/monitors/' + enc(m.id), { interval_minutes: interval }));
    if (saved) onSaved(saved);
  };
  return (
    <Dialog title={t('monitors.interval_title', { endpoint: endpointText(m) })} onClose={onClose}>
      <form onSubmit={submit}>
        <Field id="monitor-new-interval" label={t('monitors.interval')}>
          <IntervalSelect id="monitor-new-interval" value={interval} onChange={setMinutes} />
        </Field>
        <ErrorBox error={action.error} />
        <div class="actions">
          <button type="submit" disabled={action.busy}>
            {t('action.save')}
          </button>
          <button type="button" class="secondary" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function DeleteMonitorDialog({ m, onClose, onDone }: { m: Monitor; onClose: () => void; onDone: () => void }) {
  const action = useAction();
  const remove = async () => {
    if (await action.run(async () => (await del('/monitors/' + enc(m.id)), true))) onDone();
  };
  return (
    <Dialog title={t('monitors.delete_title', { endpoint: endpointText(m) })} onClose={onClose}>
      <p>{t('monitors.delete_text')}</p>
      <ErrorBox error={action.error} />
      <div class="actions">
        <button type="button" class="secondary" autofocus onClick={onClose}>
          {t('action.keep')}
        </button>
        <button type="button" class="danger" disabled={action.busy} onClick={remove}>
          {t('monitors.delete_submit')}
        </button>
      </div>
    </Dialog>
  );
}

/** Pause or resume (PATCH {enabled}); the answer is the monitor as it is now. */
export function setEnabled(m: Monitor, enabled: boolean) {
  return patch<Monitor>('/monitors/' + enc(m.id), { enabled });
}
