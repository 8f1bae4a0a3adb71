// Where the account's notices go: email addresses and webhooks (for SMS or chat gateways).
import { useState } from 'preact/hooks';
import { all, del, post } from '../api';
import { useAction, useLoad } from '../hooks';
import { formatDate, t } from '../i18n';
import { Empty, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';

interface Channel {
  id: string;
  kind: 'email' | 'webhook';
  target: string;
  created_at: string;
}

export function Notifications() {
  const list = useLoad(() => all<Channel>('/notification-channels'));
  const [kind, setKind] = useState<'email' | 'webhook'>('email');
  const [target, setTarget] = useState('');
  const action = useAction();
  const add = async (e: Event) => {
    e.preventDefault();
    if (await action.run(() => post('/notification-channels', { kind, target: target.trim() }))) {
      setTarget('');
      list.reload();
    }
  };
  const remove = async (id: string) => {
    if (await action.run(async () => (await del('/notification-channels/' + id), true))) list.reload();
  };
  return (
    <section>
      <h1>{t('channels.title')}</h1>
      <p class="muted">{t('channels.intro')}</p>
      <div class="card">
        <ErrorBox error={list.error} />
        {list.loading && !list.data ? (
          <Loading />
        ) : list.data?.length ? (
          <ul class="plain" id="channel-list">
            {list.data.map((c) => (
              <li key={c.id} class="row">
                <span>
                  <span class="badge">{t(('channels.' + c.kind) as any)}</span> {c.target} <span class="muted">{formatDate(c.created_at)}</span>
                </span>
                <button type="button" class="secondary small" aria-label={t('action.delete_what', { what: c.target })} onClick={() => remove(c.id)}>
                  {t('action.delete')}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          !list.error && <Empty>{t('channels.none')}</Empty>
        )}
        <form onSubmit={add} class="row wrap">
          <div class="field">
            <label for="channel-kind">{t('channels.kind')}</label>
            <select id="channel-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as any)}>
              <option value="email">{t('channels.email')}</option>
              <option value="webhook">{t('channels.webhook')}</option>
            </select>
          </div>
          <div class="field">
            <label for="channel-target">{kind === 'email' ? t('channels.address') : t('channels.url')}</label>
            <input id="channel-target" type={(kind === 'email' ? 'email' : 'url') as any} value={target} onInput={(e) => setTarget((e.target as HTMLInputElement).value)} />
          </div>
          <button type="submit" disabled={action.busy || !target.trim()}>
            {t('channels.add')}
          </button>
        </form>
        <ErrorBox error={action.error} />
      </div>
    </section>
  );
}
