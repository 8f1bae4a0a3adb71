// The tamper-evident audit log of the account (all accounts for staff), newest first.
import { useState } from 'preact/hooks';
import { get, type Page } from '../api';
import { useLoad } from '../hooks';
import { formatDate, t } from '../i18n';
import { useActorName } from '../lookup';
import { Empty, Loading } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';

interface AuditEvent {
  seq: number;
  at: string;
  action: string;
  actor: string;
  source: string;
  target_type: string;
  target_id: string;
  details: Record<string, unknown>;
}

export function Audit() {
  const [token, setToken] = useState('');
  // Who: the person's email where this console may list the account's people, else the id.
  const actorName = useActorName();
  const [tokens, setTokens] = useState<string[]>([]);
  const page = useLoad(() => get<Page<AuditEvent>>('/audit-events?page_size=50' + (token ? '&page_token=' + encodeURIComponent(token) : '')), [token]);
  return (
    <section>
      <h1>{t('audit.title')}</h1>
      <ErrorBox error={page.error} />
      {page.loading && !page.data ? (
        <Loading />
      ) : page.data?.items.length ? (
        <div class="table-wrap">
          <table id="audit-table">
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.target')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((e) => (
                <tr key={e.seq}>
                  <td>{formatDate(e.at)}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{actorName(e.actor, null, e.actor)}</td>
                  <td>
                    {e.target_type} <code>{e.target_id}</code>
                  </td>
                  <td class="details">
                    {Object.entries(e.details || {})
                      .map(([k, v]) => k + '=' + (typeof v === 'string' ? v : JSON.stringify(v)))
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>{t('audit.none')}</Empty>
      )}
      <div class="actions">
        <button type="button" class="secondary" disabled={!tokens.length} onClick={() => { setToken(tokens[tokens.length - 1] || ''); setTokens(tokens.slice(0, -1)); }}>
          {t('action.previous')}
        </button>
        <button type="button" class="secondary" disabled={!page.data?.next_page_token} onClick={() => { setTokens([...tokens, token]); setToken(page.data!.next_page_token!); }}>
          {t('action.next')}
        </button>
      </div>
    </section>
  );
}
