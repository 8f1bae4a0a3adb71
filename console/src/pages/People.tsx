// The people of the account (owners and admins): who may work here, with which role, and
// whether they are active, invited, disabled, or an invitation that was withdrawn (disabled
// before it was ever accepted: it is invited again, never enabled). Owners invite by email (the
// person chooses a password or accepts with their own); admins may also get the link to pass on
// when no email can be sent. A change takes effect at once, for open sessions and API keys too.
import { useState } from 'preact/hooks';
import { get, patch, post, type Page } from '../api';
import { useAction, useLoad } from '../hooks';
import { formatDate, t } from '../i18n';
import { canManagePeople, useSession } from '../session';
import type { InvitationSent, Member } from '../types';
import { Badge, Empty, Loading, Rich } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { InviteDialog, InvitationResult } from './InviteDialog';
import { assignableRoles, DisableDialog, RoleDialog, roleName } from './MemberDialogs';

const PAGE_SIZE = 50;

function invitationExpired(m: Member) {
  return m.status === 'invited' && !!m.invitation_expires_at && new Date(m.invitation_expires_at).getTime() <= Date.now();
}

/** Disabled but never accepted: an invitation that was withdrawn, not a member who was disabled.
 * It cannot be enabled (409 not_accepted); inviting again re-opens it. */
function invitationWithdrawn(m: Member) {
  return m.status === 'disabled' && m.accepted_at === null;
}

function statusOf(m: Member) {
  return invitationExpired(m) ? 'expired' : invitationWithdrawn(m) ? 'withdrawn' : m.status;
}

type Notice = { kind: 'text'; text: string } | { kind: 'invitation'; sent: InvitationSent; resent: boolean };

export function People() {
  const { session, refresh } = useSession();
  const [token, setToken] = useState('');
  const [tokens, setTokens] = useState<string[]>([]);
  const list = useLoad(
    () => get<Page<Member>>('/users?page_size=' + PAGE_SIZE + (token ? '&page_token=' + encodeURIComponent(token) : '')),
    [token],
  );
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<Member | null>(null);
  const [disabling, setDisabling] = useState<Member | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const action = useAction();
  const roles = assignableRoles(session.user.role);
  const isMe = (m: Member) => m.id === session.user.id;

  /** After a change to the signed-in person's own membership the session is read again: the
   * role may no longer see this page, or the person may no longer be in this account. */
  const changed = async (m: Member, text: string) => {
    if (isMe(m)) {
      await refresh();
      return;
    }
    setNotice({ kind: 'text', text });
    await list.reload();
  };
  const enable = async (m: Member) => {
    setNotice(null);
    const updated = await action.run(() => patch<Member>('/users/' + m.id, { status: 'active' }));
    if (updated) await changed(updated, t('people.enabled', { email: m.email }));
  };
  /** A fresh link for an open invitation (the previous one stops working), or a withdrawn
   * invitation re-opened (it becomes `invited` again). */
  const resend = async (m: Member) => {
    setNotice(null);
    const withdrawn = invitationWithdrawn(m);
    const sent = await action.run(() => post<InvitationSent>('/users/' + m.id + '/invitation'));
    if (sent) {
      setNotice({ kind: 'invitation', sent, resent: !withdrawn });
      await list.reload();
    }
  };

  const rows = list.data?.items || [];
  return (
    <section>
      <div class="row wrap page-head">
        <h1>{t('people.title')}</h1>
        {canManagePeople(session) && (
          <button
            type="button"
            onClick={() => {
              setNotice(null);
              setInviting(true);
            }}
          >
            {t('people.invite')}
          </button>
        )}
      </div>
      <p class="muted">
        <Rich text={t('people.intro')} vars={{ account: <strong>{session.account?.name}</strong> }} />
      </p>
      <div class="card">
        <ErrorBox error={list.error} />
        <ErrorBox error={action.error} />
        {notice && (
          <div class="success" role="status" id="people-notice">
            {notice.kind === 'text' ? notice.text : <InvitationResult sent={notice.sent} resent={notice.resent} />}
          </div>
        )}
        {list.loading && !list.data ? (
          <Loading />
        ) : rows.length ? (
          <div class="table-wrap">
            <table id="people-table" class="stack">
              <caption class="sr-only">{t('people.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('people.email')}</th>
                  <th scope="col">{t('people.role')}</th>
                  <th scope="col">{t('people.status')}</th>
                  <th scope="col">{t('people.added')}</th>
                  <th scope="col">
                    <span class="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((m) => (
                  <tr key={m.id} data-email={m.email} data-status={m.status}>
                    <th scope="row" class="person">
                      <span class="email">{m.email}</span>
                      {isMe(m) && <span class="badge badge-you">{t('people.you')}</span>}
                    </th>
                    <td data-label={t('people.role')} class="role">
                      {roleName(m.role)}
                    </td>
                    <td data-label={t('people.status')} class="status">
                      <Badge kind="member_status" value={statusOf(m)} />
                      {m.status === 'invited' && m.invitation_expires_at && (
                        <small class="hint">
                          {t(invitationExpired(m) ? 'people.expired_at' : 'people.expires', { date: formatDate(m.invitation_expires_at) })}
                        </small>
                      )}
                    </td>
                    <td data-label={t('people.added')} class="nowrap">{formatDate(m.created_at, false)}</td>
                    <td class="row-actions">
                      <div class="row-buttons">
                        {roles.includes(m.role) && (
                          <button
                            type="button"
                            class="secondary small"
                            aria-label={t('people.change_role_of', { email: m.email })}
                            onClick={() => {
                              setNotice(null);
                              setEditing(m);
                            }}
                          >
                            {t('people.change_role')}
                          </button>
                        )}
                        {m.status === 'invited' && (
                          <button
                            type="button"
                            class="secondary small"
                            aria-label={t('people.resend_named', { email: m.email })}
                            disabled={action.busy}
                            onClick={() => resend(m)}
                          >
                            {t('people.resend')}
                          </button>
                        )}
                        {invitationWithdrawn(m) ? (
                          <button
                            type="button"
                            class="secondary small"
                            aria-label={t('people.invite_again_named', { email: m.email })}
                            disabled={action.busy}
                            onClick={() => resend(m)}
                          >
                            {t('people.invite_again')}
                          </button>
                        ) : m.status === 'disabled' ? (
                          <button
                            type="button"
                            class="secondary small"
                            aria-label={t('people.enable_named', { email: m.email })}
                            disabled={action.busy}
                            onClick={() => enable(m)}
                          >
                            {t('people.enable')}
                          </button>
                        ) : (
                          <button
                            type="button"
                            class="danger secondary small"
                            aria-label={t(m.status === 'invited' ? 'people.withdraw_named' : 'people.disable_named', { email: m.email })}
                            onClick={() => {
                              setNotice(null);
                              setDisabling(m);
                            }}
                          >
                            {t(m.status === 'invited' ? 'people.withdraw' : 'people.disable')}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          !list.error && <Empty>{t('people.none')}</Empty>
        )}
        {(tokens.length > 0 || list.data?.next_page_token) && (
          <div class="actions">
            <button
              type="button"
              class="secondary"
              disabled={!tokens.length}
              onClick={() => {
                setToken(tokens[tokens.length - 1] || '');
                setTokens(tokens.slice(0, -1));
              }}
            >
              {t('action.previous')}
            </button>
            <button
              type="button"
              class="secondary"
              disabled={!list.data?.next_page_token}
              onClick={() => {
                setTokens([...tokens, token]);
                setToken(list.data!.next_page_token!);
              }}
            >
              {t('action.next')}
            </button>
          </div>
        )}
      </div>
      {inviting && <InviteDialog roles={roles} onClose={() => setInviting(false)} onInvited={() => list.reload()} />}
      {editing && (
        <RoleDialog
          member={editing}
          roles={roles}
          self={isMe(editing)}
          onClose={() => setEditing(null)}
          onDone={(m) => {
            setEditing(null);
            void changed(m, t('people.role_changed', { email: m.email, role: roleName(m.role) }));
          }}
        />
      )}
      {disabling && (
        <DisableDialog
          member={disabling}
          self={isMe(disabling)}
          onClose={() => setDisabling(null)}
          onDone={(m) => {
            const wasInvited = disabling.status === 'invited';
            setDisabling(null);
            void changed(m, t(wasInvited ? 'people.withdrawn_notice' : 'people.disabled_notice', { email: m.email }));
          }}
        />
      )}
    </section>
  );
}
