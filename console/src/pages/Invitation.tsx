// The page an invitation email links to: /invitation#<token>. Public: shown with or without a
// session. The token is read from the fragment (which browsers never send, so it stays out of
// access logs) and removed from the address bar at once, so it is not left in the history.
// POST /invitation tells what the link offers; POST /invitation/accept makes the membership
// active and answers with a signed-in session in that account, as signing in does.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { asApiError, useAction } from '../hooks';
import { formatDate, getLocale, setLocale, t } from '../i18n';
import type { InvitationView, Session } from '../types';
import { Link, Loading, Rich } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { Field, TextInput } from '../components/Field';
import { roleName } from './MemberDialogs';
import { takeFragmentToken as takeToken } from '../fragment';

export const MIN_PASSWORD = 12;

export function Invitation({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [token, setToken] = useState(takeToken);
  // Another link opened while this page shows (only the fragment changes): start over with it.
  useEffect(() => {
    const changed = () => {
      if (location.hash) setToken(takeToken());
    };
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return <InvitationFor key={token} token={token} onSignedIn={onSignedIn} />;
}

function InvitationFor({ token, onSignedIn }: { token: string; onSignedIn: (s: Session) => void }) {
  const [view, setView] = useState<InvitationView | null>(null);
  const [invalid, setInvalid] = useState(!token);
  const [loadError, setLoadError] = useState<ApiError | undefined>(undefined);

  useEffect(() => {
    if (!token) return;
    post<InvitationView>('/invitation', { token })
      .then(setView)
      .catch((e) => {
        const err = asApiError(e);
        if (err.code === 'invitation_invalid') setInvalid(true);
        else setLoadError(err);
      });
  }, [token]);

  let body;
  if (invalid) {
    body = (
      <div id="invitation-invalid">
        <h1 id="invitation-title">{t(token ? 'invitation.invalid_title' : 'invitation.missing_title')}</h1>
        <p role="alert">{t(token ? 'invitation.invalid_text' : 'invitation.missing_text')}</p>
        <p>
          <Link href="/">{t('invitation.to_signin')}</Link>
        </p>
      </div>
    );
  } else if (loadError) {
    body = (
      <>
        <h1 id="invitation-title">{t('invitation.heading')}</h1>
        <ErrorBox error={loadError} />
      </>
    );
  } else if (!view) {
    body = <Loading />;
  } else {
    body = <Accept token={token} view={view} onSignedIn={onSignedIn} onInvalid={() => setInvalid(true)} />;
  }

  return (
    <main class="signin" id="main">
      <div class="card narrow invitation">
        {body}
        <div class="field lang-inline">
          <label for="invitation-lang">{t('nav.language')}</label>
          <select id="invitation-lang" value={getLocale()} onChange={(e) => setLocale((e.target as HTMLSelectElement).value as any)}>
            <option value="en">English</option>
            <option value="zh-CN">简体中文</option>
          </select>
        </div>
      </div>
    </main>
  );
}

function Accept(props: { token: string; view: InvitationView; onSignedIn: (s: Session) => void; onInvalid: () => void }) {
  const { view } = props;
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const action = useAction();
  const choosing = !view.password_set;
  // Checked while typing (a new password only): length, then that both fields agree.
  const tooShort = choosing && password.length > 0 && password.length < MIN_PASSWORD;
  const mismatch = choosing && confirm.length > 0 && confirm !== password && !tooShort;
  const ready = choosing ? password.length >= MIN_PASSWORD && confirm === password : password.length > 0;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!ready) return;
    const s = await action.run(() => post<Session>('/invitation/accept', { token: props.token, password }));
    if (s) props.onSignedIn(s);
  };
  useEffect(() => {
    if (action.error?.code === 'invitation_invalid') props.onInvalid();
  }, [action.error]);

  const strong = {
    email: <strong>{view.email}</strong>,
    account: <strong>{view.account.name}</strong>,
    role: <strong>{roleName(view.role)}</strong>,
  };
  return (
    <form onSubmit={submit} id="invitation-form" data-variant={choosing ? 'choose' : 'existing'}>
      <h1 id="invitation-title">{t('invitation.title', { account: view.account.name })}</h1>
      <p class="invitation-summary">
        <Rich text={t('invitation.summary')} vars={strong} />
      </p>
      {view.expires_at && <p class="muted">{t('invitation.expires', { date: formatDate(view.expires_at) })}</p>}
      {/* For password managers: the password belongs to this address. */}
      <input type="email" autocomplete="username" value={view.email} readOnly hidden />
      {choosing ? (
        <>
          <h2>{t('invitation.choose')}</h2>
          <p class="muted">
            <Rich text={t('invitation.choose_intro')} vars={strong} />
          </p>
          <Field
            id="new-password"
            label={t('invitation.password')}
            hint={tooShort ? undefined : t('invitation.password_hint')}
            error={tooShort ? t('invitation.too_short') : undefined}
          >
            <input
              id="new-password"
              type="password"
              value={password}
              required
              minLength={MIN_PASSWORD}
              autocomplete="new-password"
              aria-invalid={tooShort ? 'true' : undefined}
              aria-describedby={tooShort ? 'new-password-error' : 'new-password-hint'}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            />
          </Field>
          <Field id="confirm-password" label={t('invitation.confirm')} error={mismatch ? t('invitation.mismatch') : undefined}>
            <TextInput id="confirm-password" type="password" value={confirm} onInput={setConfirm} required autocomplete="new-password" invalid={mismatch} />
          </Field>
        </>
      ) : (
        <>
          <h2>{t('invitation.existing')}</h2>
          <p class="muted">
            <Rich text={t('invitation.existing_intro')} vars={strong} />
          </p>
          <Field id="current-password" label={t('invitation.password')}>
            <TextInput id="current-password" type="password" value={password} onInput={setPassword} required autocomplete="current-password" />
          </Field>
        </>
      )}
      <ErrorBox error={acceptError(action.error)} />
      <button type="submit" disabled={action.busy || !ready}>
        {t(choosing ? 'invitation.accept_new' : 'invitation.accept')}
      </button>
    </form>
  );
}

// Here "unauthorized" can only mean the password is not this address's Signet password.
function acceptError(e?: ApiError) {
  return e && e.code === 'unauthorized' ? new ApiError(e.status, 'wrong_password', e.title, e.detail) : e;
}
