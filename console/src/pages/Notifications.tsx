// Where the account's notices go besides the order's administrator (docs/NOTIFICATIONS.md):
// email addresses, webhooks of the account's own (signed with a secret Signet makes, shown once,
// in the answer to their creation) and chat robots: DingTalk, WeCom, Feishu and Slack, each with
// a hint of the URL to paste, DingTalk's and Feishu's with their optional signing secret (sealed
// by the server, never shown again: the list says "signed"). Per channel: whether monitor alerts
// come one by one or as one daily digest (PATCH {monitor_alerts}), and "Send a test message"
// (POST …/test), whose answer {ok, detail} is shown with the receiver's own words. Every member
// sees the list; owners (and admins) add, test, switch and remove, as the server allows.
import { useState } from 'preact/hooks';
import { all, del, patch, post, type ApiError } from '../api';
import { asApiError, useAction, useLoad } from '../hooks';
import { formatDate, t, type Key } from '../i18n';
import { useSession } from '../session';
import type * as api from '../api-types.generated';
import { CopyButton, Empty, Loading, Rich } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';

type Channel = api.NotificationChannel;
type Kind = Channel['kind'];
/** How monitor alerts reach a channel: each one as it happens, or one summary a day. */
type AlertMode = Channel['monitor_alerts'];
type TestAnswer = api.NotificationChannelTest;
type TestState = { busy: true } | { result: TestAnswer } | { error: ApiError };

const KINDS: Kind[] = ['email', 'webhook', 'dingtalk', 'wecom', 'feishu', 'slack'];
const MODES: AlertMode[] = ['immediate', 'daily_digest'];

/** What to paste, as the vendor's own settings show it. */
const EXAMPLE: Record<Kind, string> = {
  email: 'ops@example.com',
  webhook: 'https://hooks.example.com/signet',
  dingtalk: 'https://oapi.dingtalk.com/robot/send?access_token=…',
  wecom: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
  feishu: 'https://open.feishu.cn/open-apis/bot/v2/hook/…',
  slack: 'https://hooks.slack.com/services/…',
};

/** DingTalk and Feishu robots may sign; a webhook's secret is Signet's own. */
const takesSecret = (k: Kind) => k === 'dingtalk' || k === 'feishu';
/** Robots whose security setting may be a keyword (Signet puts "Signet" in every message). */
const takesKeyword = (k: Kind) => k === 'dingtalk' || k === 'feishu' || k === 'wecom';

const kindName = (k: string) => (KINDS.includes(k as Kind) ? t(('channels.' + k) as Key) : k);

function targetLabel(k: Kind) {
  if (k === 'email') return t('channels.address');
  if (k === 'webhook' || k === 'slack') return t('channels.url');
  return t('channels.robot_url');
}

const enc = encodeURIComponent;

function hostOf(c: Channel): string {
  try {
    return new URL(c.target).host;
  } catch {
    return c.target;
  }
}

/** How a sentence or a button's label names a channel: an address as it is; a URL by its kind and
 * host, not its path and query, which hold the robot's token (numbered when several channels of
 * one kind share a host). */
export function channelName(c: Channel, list: Channel[]): string {
  if (c.kind === 'email') return c.target;
  const host = hostOf(c);
  const name = kindName(c.kind) + ' ' + host;
  const same = list.filter((o) => o.kind === c.kind && hostOf(o) === host);
  return same.length > 1 ? name + ' (' + (same.findIndex((o) => o.id === c.id) + 1) + ')' : name;
}

export function Notifications() {
  const { session } = useSession();
  // The server lets owners (and admins) change channels; members read them.
  const owner = session.user.role === 'owner' || session.user.role === 'admin';
  const list = useLoad(() => all<Channel>('/notification-channels'));
  const [kind, setKind] = useState<Kind>('email');
  const [target, setTarget] = useState('');
  const [secret, setSecret] = useState('');
  const [mode, setMode] = useState<AlertMode>('immediate');
  const [notice, setNotice] = useState('');
  // A webhook just added, with its signing secret: shown once.
  const [created, setCreated] = useState<Channel | null>(null);
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const action = useAction();

  const add = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { kind, target: target.trim() };
    if (takesSecret(kind) && secret.trim()) body.secret = secret.trim();
    body.monitor_alerts = mode;
    setNotice('');
    setCreated(null);
    const c = await action.run(() => post<Channel>('/notification-channels', body));
    if (c) {
      setTarget('');
      setSecret('');
      if (c.secret) setCreated(c);
      else setNotice(t('channels.added'));
      void list.reload();
    }
  };
  const remove = async (c: Channel) => {
    setNotice('');
    if (await action.run(async () => (await del('/notification-channels/' + enc(c.id)), true))) {
      if (created?.id === c.id) setCreated(null);
      forget(c.id);
      setNotice(t('channels.deleted'));
      void list.reload();
    }
  };
  const switchMode = async (c: Channel) => {
    const next: AlertMode = c.monitor_alerts === 'daily_digest' ? 'immediate' : 'daily_digest';
    setNotice('');
    const saved = await action.run(() => patch<Channel>('/notification-channels/' + enc(c.id), { monitor_alerts: next }));
    if (saved) {
      const name = channelName(saved, (list.data || []).map((o) => (o.id === saved.id ? saved : o)));
      setNotice(t(saved.monitor_alerts === 'daily_digest' ? 'channels.now_digest' : 'channels.now_immediate', { target: name }));
      void list.reload();
    }
  };
  const test = async (c: Channel) => {
    setTests((s) => ({ ...s, [c.id]: { busy: true } }));
    let state: TestState;
    try {
      state = { result: await post<TestAnswer>('/notification-channels/' + enc(c.id) + '/test') };
    } catch (e) {
      state = { error: asApiError(e) };
    }
    setTests((s) => ({ ...s, [c.id]: state }));
  };
  const forget = (id: string) =>
    setTests((s) => {
      const { [id]: _, ...rest } = s;
      return rest;
    });

  return (
    <section>
      <h1>{t('channels.title')}</h1>
      <p class="muted">{t('channels.intro')}</p>
      {notice && (
        <div class="success" role="status" id="channels-notice">
          {notice}
        </div>
      )}
      {created?.secret && (
        <div class="success" role="status" id="channel-secret">
          <strong>{t('channels.secret_title')}</strong>
          <p>{t('channels.secret_text')}</p>
          <p class="copy-line">
            <code class="copyable" data-field="secret">
              {created.secret}
            </code>
            <CopyButton text={created.secret} label={t('channels.secret_label')} />
          </p>
          <p>
            <button type="button" class="secondary small" onClick={() => setCreated(null)}>
              {t('channels.secret_done')}
            </button>
          </p>
        </div>
      )}
      <div class="card">
        <ErrorBox error={list.error} />
        {list.loading && !list.data ? (
          <Loading />
        ) : list.data?.length ? (
          <ul class="plain channels" id="channel-list">
            {list.data.map((c) => (
              <ChannelItem
                key={c.id}
                c={c}
                name={channelName(c, list.data || [])}
                owner={owner}
                busy={action.busy}
                test={tests[c.id]}
                onTest={() => test(c)}
                onSwitch={() => switchMode(c)}
                onRemove={() => remove(c)}
              />
            ))}
          </ul>
        ) : (
          !list.error && (
            <div id="channels-empty">
              <Empty>{t('channels.none')}</Empty>
            </div>
          )
        )}
        {owner ? (
          <form onSubmit={add} class="channel-form" id="channel-form">
            <h2>{t('channels.add_title')}</h2>
            <div class="field">
              <label for="channel-kind">{t('channels.kind')}</label>
              <select id="channel-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as Kind)}>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {kindName(k)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field channel-target">
              <label for="channel-target">{targetLabel(kind)}</label>
              <input
                id="channel-target"
                type={(kind === 'email' ? 'email' : 'url') as any}
                value={target}
                spellcheck={false}
                autocomplete="off"
                aria-describedby="channel-target-hint"
                onInput={(e) => setTarget((e.target as HTMLInputElement).value)}
              />
              <small class="hint" id="channel-target-hint" data-kind={kind}>
                <Rich text={t(('channels.hint.' + kind) as Key)} vars={{ example: <code class="example">{EXAMPLE[kind]}</code>, https: <code>https://</code> }} />
                {takesKeyword(kind) && (
                  <>
                    {' '}
                    <Rich text={t('channels.keyword_tip')} vars={{ keyword: <code>Signet</code> }} />
                  </>
                )}
              </small>
            </div>
            {takesSecret(kind) && (
              <div class="field channel-secret">
                <label for="channel-secret-input">{t('channels.secret')}</label>
                <input
                  id="channel-secret-input"
                  type="password"
                  value={secret}
                  spellcheck={false}
                  autocomplete="new-password"
                  aria-describedby="channel-secret-hint"
                  onInput={(e) => setSecret((e.target as HTMLInputElement).value)}
                />
                <small class="hint" id="channel-secret-hint">
                  <Rich text={t(('channels.secret_hint.' + kind) as Key)} vars={{ sec: <code>SEC</code> }} />
                </small>
              </div>
            )}
            <div class="field channel-alerts-field">
              <label for="channel-alerts">{t('channels.alerts')}</label>
              <select
                id="channel-alerts"
                value={mode}
                aria-describedby="channel-alerts-hint"
                onChange={(e) => setMode((e.target as HTMLSelectElement).value as AlertMode)}
              >
                {MODES.map((m) => (
                  <option key={m} value={m}>
                    {t(('channels.alerts.' + m) as Key)}
                  </option>
                ))}
              </select>
              <small class="hint" id="channel-alerts-hint">
                {t('channels.alerts_hint')}
              </small>
            </div>
            <div class="actions">
              <button type="submit" disabled={action.busy || !target.trim()}>
                {t('channels.add')}
              </button>
            </div>
          </form>
        ) : (
          <p class="muted" id="channels-owners-only">
            {t('channels.owners_only')}
          </p>
        )}
        <ErrorBox error={action.error} />
      </div>
    </section>
  );
}

/** One channel: its kind, where it goes, whether it signs, how monitor alerts come, and (for
 * owners) its buttons and the answer of its last test. */
function ChannelItem(props: {
  c: Channel;
  name: string;
  owner: boolean;
  busy: boolean;
  test?: TestState;
  onTest: () => void;
  onSwitch: () => void;
  onRemove: () => void;
}) {
  const { c, name, owner, test } = props;
  const mode: AlertMode = c.monitor_alerts === 'daily_digest' ? 'daily_digest' : 'immediate';
  return (
    <li class="channel" data-id={c.id} data-kind={c.kind} data-target={c.target} data-alerts={mode}>
      <div class="channel-head">
        <span class="badge" data-kind={c.kind}>
          {kindName(c.kind)}
        </span>
        {c.has_secret && (
          <span class="badge badge-signed" data-field="signed">
            {t('channels.signed')}
          </span>
        )}
        <code class="channel-target">{c.target}</code>
        <span class="muted">
          <Rich text={t('channels.added_at')} vars={{ date: <time dateTime={c.created_at}>{formatDate(c.created_at)}</time> }} />
        </span>
      </div>
      <p class="channel-alerts">
        <Rich text={t('channels.alerts_now')} vars={{ mode: <strong data-alerts={mode}>{t(('channels.alerts.' + mode) as Key)}</strong> }} />
        {mode === 'daily_digest' && c.next_digest_at && (
          <span class="muted next-digest">
            {' '}
            <Rich text={t('channels.next_digest')} vars={{ date: <time dateTime={c.next_digest_at}>{formatDate(c.next_digest_at)}</time> }} />
          </span>
        )}
      </p>
      {owner && (
        <div class="row-buttons start">
          <button
            type="button"
            class="secondary small"
            aria-label={t('channels.test_named', { target: name })}
            disabled={!!test && 'busy' in test}
            onClick={props.onTest}
          >
            {t('channels.test')}
          </button>
          <button
            type="button"
            class="secondary small"
            aria-label={t(mode === 'immediate' ? 'channels.to_digest_named' : 'channels.to_immediate_named', { target: name })}
            disabled={props.busy}
            onClick={props.onSwitch}
          >
            {t(mode === 'immediate' ? 'channels.to_digest' : 'channels.to_immediate')}
          </button>
          <button
            type="button"
            class="danger secondary small"
            aria-label={t('action.delete_what', { what: name })}
            disabled={props.busy}
            onClick={props.onRemove}
          >
            {t('action.delete')}
          </button>
        </div>
      )}
      {test && <TestResult state={test} />}
    </li>
  );
}

/** The answer of a test message: the console's sentence and, as given, the receiver's words (the
 * vendor's error, the HTTP status, or why it could not be reached). */
function TestResult({ state }: { state: TestState }) {
  if ('busy' in state) {
    return (
      <p class="muted test-result" role="status" data-state="busy">
        {t('channels.testing')}
      </p>
    );
  }
  if ('error' in state) return <ErrorBox error={state.error} />;
  const r = state.result;
  return (
    <div class={(r.ok ? 'success' : 'error') + ' test-result'} role={r.ok ? 'status' : 'alert'} data-ok={String(r.ok)}>
      <strong>{t(r.ok ? 'channels.test_ok' : 'channels.test_failed')}</strong>
      {r.detail && (
        <p class="detail">
          {t('channels.receiver_said')} <code class="server-words">{r.detail}</code>
        </p>
      )}
    </div>
  );
}
