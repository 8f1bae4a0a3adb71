// A forgotten password, set again from an emailed link. Both pages are public (shown with or
// without a session) and need no CSRF token.
//  - /forgot-password: an email address → POST /password-reset, always answered 202 whether or
//    not the address is known, so the page never says whether it is: "if that address belongs to
//    someone here, a link is on its way".
//  - /reset-password#<token>: the emailed link. The token is read from the fragment and removed
//    from the address bar at once (as /invitation does). POST /password-reset/check names the
//    address; POST /password-reset/confirm sets the password and ends every session of the
//    person, so the page then offers to sign in (with the address filled in).
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { asApiError, useAction } from '../hooks';
import { formatDate, t } from '../i18n';
import { navigate } from '../router';
import type { PasswordResetDone, PasswordResetView } from '../types';
import { Loading, Rich } from '../components/bits';
import { ErrorBox } from '../components/ErrorBox';
import { Field, TextInput } from '../components/Field';
import { LanguagePicker } from '../components/LanguagePicker';
import { takeFragmentToken } from '../fragment';
import { MIN_PASSWORD } from './Invitation';
import { prefillSignIn, takePrefill } from './SignIn';

/** A link within the public pages that hands an email address to the next form. */
function FormLink(props: { href: string; id?: string; email?: string; passwordChanged?: boolean; children: string }) {
  return (
    <a
      href={props.href}
      id={props.id}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        if (props.email !== undefined) prefillSignIn(props.email, props.passwordChanged);
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}

function PublicCard({ lang, children }: { lang: string; children: ComponentChildren }) {
  return (
    <main class="signin" id="main">
      <div class="card narrow">
        {children}
        <LanguagePicker id={lang} />
      </div>
    </main>
  );
}

export function ForgotPassword() {
  const [start] = useState(takePrefill);
  const [email, setEmail] = useState(start?.email || '');
  const [sent, setSent] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const address = email.trim();
    const ok = await action.run(() => post('/password-reset', { email: address }));
    if (ok !== undefined) setSent(address);
  };
  return (
    <PublicCard lang="forgot-lang">
      {sent ? (
        <div id="forgot-sent">
          <h1 id="forgot-title">{t('forgot.sent_title')}</h1>
          <p role="status">{t('forgot.sent')}</p>
          <p class="muted">{t('forgot.sent_hint')}</p>
          <p>
            <FormLink href="/signin" email={sent}>
              {t('forgot.back')}
            </FormLink>
          </p>
        </div>
      ) : (
        <form onSubmit={submit} id="forgot-form" aria-labelledby="forgot-title">
          <h1 id="forgot-title">{t('forgot.title')}</h1>
          <p class="muted">{t('forgot.intro')}</p>
          <Field id="forgot-email" label={t('signin.email')}>
            <TextInput id="forgot-email" type="email" value={email} onInput={setEmail} required autocomplete="username" />
          </Field>
          {action.error?.code === 'smtp_not_configured' ? (
            <div class="error" role="alert" data-code="smtp_not_configured" id="forgot-no-email">
              <strong>{t('forgot.no_smtp_title')}</strong>
              <p class="detail">{t('forgot.no_smtp')}</p>
            </div>
          ) : (
            <ErrorBox error={action.error} />
          )}
          <div class="row wrap signin-actions">
            <button type="submit" disabled={action.busy || !email.trim()}>
              {t('forgot.submit')}
            </button>
            <FormLink href="/signin" email={email.trim()}>
              {t('forgot.back')}
            </FormLink>
          </div>
        </form>
      )}
    </PublicCard>
  );
}

/** /reset-password#<token>. `onPasswordSet`: every session of the person has ended (this
 * browser's too, if it had one), so the app forgets its session. */
export function ResetPassword({ onPasswordSet }: { onPasswordSet: () => void }) {
  const [token, setToken] = useState(takeFragmentToken);
  // Another link opened in this tab (only the fragment changes): start over with it.
  useEffect(() => {
    const changed = () => {
      if (location.hash) setToken(takeFragmentToken());
    };
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return <ResetFor key={token} token={token} onPasswordSet={onPasswordSet} />;
}

function ResetFor({ token, onPasswordSet }: { token: string; onPasswordSet: () => void }) {
  const [view, setView] = useState<PasswordResetView | null>(null);
  const [invalid, setInvalid] = useState(!token);
  const [loadError, setLoadError] = useState<ApiError | undefined>(undefined);
  const [done, setDone] = useState('');

  useEffect(() => {
    if (!token) return;
    post<PasswordResetView>('/password-reset/check', { token })
      .then(setView)
      .catch((e) => {
        const err = asApiError(e);
        if (err.code === 'reset_invalid' || err.status === 404) setInvalid(true);
        else setLoadError(err);
      });
  }, [token]);

  let body;
  if (done) {
    body = (
      <div id="reset-done">
        <h1 id="reset-title">{t('reset.done_title')}</h1>
        <p role="status">
          <Rich text={t('reset.done_text')} vars={{ email: <strong>{done}</strong> }} />
        </p>
        <p>
          <FormLink href="/signin" id="reset-sign-in" email={done} passwordChanged>
            {t('reset.sign_in')}
          </FormLink>
        </p>
      </div>
    );
  } else if (invalid) {
    body = (
      <div id="reset-invalid">
        <h1 id="reset-title">{t(token ? 'reset.invalid_title' : 'reset.missing_title')}</h1>
        <p role="alert">{t(token ? 'reset.invalid_text' : 'reset.missing_text')}</p>
        <p>
          <FormLink href="/forgot-password" id="reset-request-new" email={view?.email || ''}>
            {t('reset.request_new')}
          </FormLink>
        </p>
      </div>
    );
  } else if (loadError) {
    body = (
      <>
        <h1 id="reset-title">{t('reset.title')}</h1>
        <ErrorBox error={loadError} />
      </>
    );
  } else if (!view) {
    body = <Loading />;
  } else {
    body = (
      <NewPassword
        token={token}
        view={view}
        onInvalid={() => setInvalid(true)}
        onDone={(email) => {
          onPasswordSet();
          setDone(email);
        }}
      />
    );
  }
  return <PublicCard lang="reset-lang">{body}</PublicCard>;
}

function NewPassword(props: { token: string; view: PasswordResetView; onInvalid: () => void; onDone: (email: string) => void }) {
  const { view } = props;
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const action = useAction();
  // Checked while typing: the length, then that both fields agree. The server may refuse more
  // (400 weak_password): its detail says what it needs, at the password field.
  const tooShort = password.length > 0 && password.length < MIN_PASSWORD;
  const mismatch = confirm.length > 0 && confirm !== password && !tooShort;
  const ready = password.length >= MIN_PASSWORD && confirm === password;
  const refused = action.error?.code === 'weak_password' ? action.error : undefined;
  const passwordError = tooShort ? t('invitation.too_short') : refused ? refused.detail || t('problem.weak_password') : undefined;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!ready) return;
    const r = await action.run(() => post<PasswordResetDone>('/password-reset/confirm', { token: props.token, password }));
    if (r) props.onDone(r.email || view.email);
  };
  useEffect(() => {
    if (action.error?.code === 'reset_invalid') props.onInvalid();
    else if (action.error?.code === 'weak_password') document.getElementById('reset-password')?.focus();
  }, [action.error]);

  return (
    <form onSubmit={submit} id="reset-form" aria-labelledby="reset-title">
      <h1 id="reset-title">{t('reset.title')}</h1>
      <p class="reset-for">
        <Rich text={t('reset.for')} vars={{ email: <strong>{view.email}</strong> }} />
      </p>
      {view.expires_at && <p class="muted">{t('reset.expires', { date: formatDate(view.expires_at) })}</p>}
      {/* For password managers: the password belongs to this address. */}
      <input type="email" autocomplete="username" value={view.email} readOnly hidden />
      <Field
        id="reset-password"
        label={t('reset.password')}
        hint={passwordError ? undefined : t('invitation.password_hint')}
        error={passwordError}
      >
        <input
          id="reset-password"
          type="password"
          value={password}
          required
          minLength={MIN_PASSWORD}
          autocomplete="new-password"
          aria-invalid={passwordError ? 'true' : undefined}
          aria-describedby={passwordError ? 'reset-password-error' : 'reset-password-hint'}
          onInput={(e) => {
            setPassword((e.target as HTMLInputElement).value);
            if (refused) action.setError(undefined);
          }}
        />
      </Field>
      <Field id="reset-confirm" label={t('reset.confirm')} error={mismatch ? t('invitation.mismatch') : undefined}>
        <TextInput id="reset-confirm" type="password" value={confirm} onInput={setConfirm} required autocomplete="new-password" invalid={mismatch} />
      </Field>
      <p class="muted">{t('reset.signs_out')}</p>
      {/* A refusal other than the password's own (which shows at the field). */}
      <ErrorBox error={refused ? undefined : action.error} />
      <button type="submit" disabled={action.busy || !ready}>
        {t('reset.submit')}
      </button>
    </form>
  );
}
