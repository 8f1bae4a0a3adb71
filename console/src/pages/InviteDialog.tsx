// Inviting a person (POST /users {email, role}): the server emails them a link that works once
// for 7 days. Admins get the link in the answer too; when no email could be sent
// (invitation_emailed false) it is shown here to pass on.
import { useEffect, useRef, useState } from 'preact/hooks';
import { post } from '../api';
import { useAction } from '../hooks';
import { formatDate, t } from '../i18n';
import { useSession } from '../session';
import type { InvitationSent, Role } from '../types';
import { CopyButton, Rich } from '../components/bits';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';
import { Field, TextInput } from '../components/Field';
import { RoleChoice } from './MemberDialogs';

// The shape the server accepts (it checks the details): something@domain.tld, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

/** What happened to an invitation: emailed, or (admins without email) the link to pass on. */
export function InvitationResult({ sent, resent }: { sent: InvitationSent; resent: boolean }) {
  const date = formatDate(sent.invitation_expires_at);
  if (sent.invitation_emailed === false && sent.invitation_url) {
    return (
      <div class="invitation-result" data-result="link">
        <strong>{t('people.link_title', { email: sent.email })}</strong>
        <p>{t('people.link_detail', { date })}</p>
        <p class="copy-line">
          <code class="copyable" id="invitation-url">
            {sent.invitation_url}
          </code>{' '}
          <CopyButton text={sent.invitation_url} label={t('people.link')} />
        </p>
      </div>
    );
  }
  return (
    <div class="invitation-result" data-result="emailed">
      <strong>{t(resent ? 'people.resent' : 'people.sent', { email: sent.email })}</strong>
      <p>{t('people.sent_detail', { date })}</p>
    </div>
  );
}

export function InviteDialog(props: { roles: Role[]; onClose: () => void; onInvited: (m: InvitationSent) => void }) {
  const { session } = useSession();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  // Admins may invite into another account, named (the API's `account`); empty: this one.
  const [account, setAccount] = useState('');
  const isAdmin = session.user.role === 'admin';
  const [tried, setTried] = useState(false);
  const [sent, setSent] = useState<InvitationSent | null>(null);
  const action = useAction();
  const done = useRef<HTMLButtonElement>(null);
  const emailError = tried && !EMAIL.test(email.trim()) ? t('people.email_invalid') : '';

  // The form is replaced by the result: focus follows to its first button.
  useEffect(() => {
    if (sent) done.current?.focus();
  }, [sent]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (!EMAIL.test(email.trim())) {
      document.getElementById('invite-email')?.focus();
      return;
    }
    const r = await action.run(() =>
      post<InvitationSent>('/users', { email: email.trim(), role, ...(isAdmin && account.trim() ? { account: account.trim() } : {}) }),
    );
    if (r) {
      setSent(r);
      props.onInvited(r);
    }
  };
  const again = () => {
    setSent(null);
    setEmail('');
    setTried(false);
    action.setError(undefined);
    setTimeout(() => document.getElementById('invite-email')?.focus());
  };

  return (
    <Dialog title={t('people.invite_title')} onClose={props.onClose}>
      {sent ? (
        <div>
          <div class="success" role="status">
            <InvitationResult sent={sent} resent={false} />
          </div>
          <div class="actions">
            <button type="button" ref={done} onClick={props.onClose}>
              {t('people.done')}
            </button>
            <button type="button" class="secondary" onClick={again}>
              {t('people.invite_another')}
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <p class="muted">
            <Rich text={t('people.invite_intro')} vars={{ account: <strong>{session.account?.name}</strong> }} />
          </p>
          <Field id="invite-email" label={t('people.email')} error={emailError}>
            <TextInput id="invite-email" type="email" value={email} onInput={setEmail} required autocomplete="off" invalid={!!emailError} />
          </Field>
          {isAdmin && (
            <Field id="invite-account" label={t('people.invite_account')} hint={t('people.invite_account_hint', { account: session.account?.name || '' })}>
              <TextInput id="invite-account" value={account} onInput={setAccount} autocomplete="off" />
            </Field>
          )}
          <RoleChoice name="invite-role" roles={props.roles} value={role} onChange={setRole} />
          <ErrorBox error={action.error} />
          <div class="actions">
            <button type="button" class="secondary" onClick={props.onClose}>
              {t('action.cancel')}
            </button>
            <button type="submit" disabled={action.busy}>
              {t('people.invite_submit')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
