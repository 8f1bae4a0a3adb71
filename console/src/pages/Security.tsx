// The signed-in person's own sign-in (from the header: their email links here), for all their
// accounts at once: the password, changed through an emailed link (POST /password-reset with
// their own address, as on the sign-in page), and the browser sessions (GET /sessions) with a
// readable browser and system, the address, when each started and expires, "this browser" for
// the current one, and signing out any other one (DELETE /sessions/{id}) or all of them.
import { useState } from 'preact/hooks';
import { del, get, post } from '../api';
import { useAction, useLoad } from '../hooks';
import { formatDate, t } from '../i18n';
import { useSession } from '../session';
import type { BrowserSession, BrowserSessionList } from '../types';
import { summarizeAgent } from '../userAgent';
import { Empty, Loading, Rich } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';

export function agentText(ua: string) {
  const { browser, os } = summarizeAgent(ua);
  if (browser && os) return t('sessions.browser_on', { browser, os });
  return browser || os || t('sessions.unknown_browser');
}

export function Security() {
  const { session, signedOut } = useSession();
  const list = useLoad(() => get<BrowserSessionList>('/sessions').then((r) => r.items || []));
  const action = useAction();
  const mail = useAction();
  const [notice, setNotice] = useState('');
  const [mailed, setMailed] = useState(false);
  const email = session.user.email;
  const rows = list.data || [];
  const others = rows.filter((s) => !s.current);

  const signOut = async (s: BrowserSession) => {
    setNotice('');
    const ok = await action.run(() => del('/sessions/' + encodeURIComponent(s.id)).then(() => true));
    if (!ok) return;
    // Signing out this browser's own session is signing out.
    if (s.current) return signedOut();
    setNotice(t('sessions.signed_out_one', { what: agentText(s.user_agent) }));
    await list.reload();
  };
  const signOutOthers = async () => {
    setNotice('');
    const ok = await action.run(async () => {
      for (const s of others) {
        try {
          await del('/sessions/' + encodeURIComponent(s.id));
        } catch (e: any) {
          if (e?.status !== 404) throw e; // already ended: nothing to do
        }
      }
      return true;
    });
    if (ok) setNotice(t('sessions.signed_out_others'));
    await list.reload();
  };
  const sendLink = async () => {
    const ok = await mail.run(() => post('/password-reset', { email }).then(() => true));
    if (ok) setMailed(true);
  };

  return (
    <section>
      <h1>{t('security.title')}</h1>
      <p class="muted">
        <Rich text={t('security.intro')} vars={{ email: <strong>{email}</strong> }} />
      </p>
      <div class="card" id="password-card">
        <h2>{t('security.password')}</h2>
        <p>{t('security.password_text')}</p>
        {mail.error?.code === 'smtp_not_configured' ? (
          <div class="error" role="alert" data-code="smtp_not_configured">
            <strong>{t('forgot.no_smtp_title')}</strong>
            <p class="detail">{t('forgot.no_smtp')}</p>
          </div>
        ) : (
          <ErrorBox error={mail.error} />
        )}
        {mailed ? (
          <p class="success" role="status" id="password-link-sent">
            <Rich text={t('security.password_sent')} vars={{ email: <strong>{email}</strong> }} />
          </p>
        ) : (
          <button type="button" class="secondary" disabled={mail.busy} onClick={sendLink}>
            {t('security.password_send')}
          </button>
        )}
      </div>
      <div class="card" id="sessions">
        <h2>{t('sessions.title')}</h2>
        <p class="muted">{t('sessions.intro')}</p>
        <ErrorBox error={list.error} />
        <ErrorBox error={action.error} />
        {notice && (
          <div class="success" role="status" id="sessions-notice">
            {notice}
          </div>
        )}
        {list.loading && !list.data ? (
          <Loading />
        ) : rows.length ? (
          <div class="table-wrap">
            <table id="sessions-table" class="stack">
              <caption class="sr-only">{t('sessions.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('sessions.browser')}</th>
                  <th scope="col">{t('sessions.address')}</th>
                  <th scope="col">{t('sessions.started')}</th>
                  <th scope="col">{t('sessions.expires')}</th>
                  <th scope="col">
                    <span class="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.id} data-id={s.id} data-current={s.current ? 'true' : undefined}>
                    <th scope="row" class="agent" title={s.user_agent}>
                      <span>{agentText(s.user_agent)}</span>
                      {s.current && <span class="badge badge-you">{t('sessions.current')}</span>}
                    </th>
                    <td data-label={t('sessions.address')}>
                      <code>{s.remote_address || t('sessions.unknown_address')}</code>
                    </td>
                    <td data-label={t('sessions.started')} class="nowrap">
                      {formatDate(s.created_at)}
                    </td>
                    <td data-label={t('sessions.expires')} class="nowrap">
                      {formatDate(s.expires_at)}
                    </td>
                    <td class="row-actions">
                      {!s.current && (
                        <button
                          type="button"
                          class="secondary small"
                          aria-label={t('sessions.sign_out_named', { what: agentText(s.user_agent), date: formatDate(s.created_at) })}
                          disabled={action.busy}
                          onClick={() => signOut(s)}
                        >
                          {t('sessions.sign_out')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          !list.error && <Empty>{t('sessions.none')}</Empty>
        )}
        {list.data && !others.length && rows.length > 0 && <p class="muted" id="sessions-only-this">{t('sessions.only_this')}</p>}
        {others.length > 0 && (
          <div class="actions">
            <button type="button" class="danger secondary" id="sessions-sign-out-others" disabled={action.busy} onClick={signOutOthers}>
              {t('sessions.sign_out_others')}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
