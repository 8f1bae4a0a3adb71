import { useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { useAction } from '../hooks';
import { t } from '../i18n';
import type { Session } from '../types';
import { navigate } from '../router';
import { ErrorBox } from '../components/ErrorBox';
import { Field, TextInput } from '../components/Field';
import { LanguagePicker } from '../components/LanguagePicker';

/** Why the person is on the sign-in page, when the server said why: `membership_disabled` (an
 * owner disabled them in the account they were in; `account` names it when the app knew it). */
export interface SignedOutReason {
  code: string;
  account?: string;
}

// What the next sign-in (or forgot-password) form starts with: the address typed on the other
// form, or the one whose password was just set (with a notice saying so). Kept in memory only,
// never in the URL.
let prefill: { email: string; passwordChanged?: boolean } | null = null;
export function prefillSignIn(email: string, passwordChanged = false) {
  prefill = { email, passwordChanged };
}
export function takePrefill() {
  const p = prefill;
  prefill = null;
  return p;
}

export function SignIn({ onSignedIn, reason }: { onSignedIn: (s: Session) => void; reason?: SignedOutReason | null }) {
  const [start] = useState(takePrefill);
  const [email, setEmail] = useState(start?.email || '');
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const s = await action.run(() => post<Session>('/session', { email, password }));
    if (s) onSignedIn(s);
  };
  return (
    <main class="signin" id="main">
      <form onSubmit={submit} class="card narrow" aria-labelledby="signin-title">
        <h1 id="signin-title">{t('signin.title')}</h1>
        {reason?.code === 'membership_disabled' && (
          <div class="warning signin-notice" role="alert" id="signin-disabled">
            <strong>
              {reason.account ? t('signin.disabled_title', { account: reason.account }) : t('signin.disabled_title_unnamed')}
            </strong>
            <p>{t('signin.disabled_text')}</p>
          </div>
        )}
        {start?.passwordChanged && (
          <div class="success" role="status" id="signin-password-changed">
            {t('signin.password_changed')}
          </div>
        )}
        <p class="muted">{t('signin.intro')}</p>
        <Field id="email" label={t('signin.email')}>
          <TextInput id="email" type="email" value={email} onInput={setEmail} required autocomplete="username" />
        </Field>
        <Field id="password" label={t('signin.password')}>
          <TextInput id="password" type="password" value={password} onInput={setPassword} required autocomplete="current-password" />
        </Field>
        <ErrorBox error={signInError(action.error)} />
        <div class="row wrap signin-actions">
          <button type="submit" disabled={action.busy}>
            {t('signin.submit')}
          </button>
          <a
            href="/forgot-password"
            id="forgot-link"
            onClick={(e) => {
              if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              prefillSignIn(email.trim());
              navigate('/forgot-password');
            }}
          >
            {t('forgot.link')}
          </a>
        </div>
        <LanguagePicker id="signin-lang" />
      </form>
    </main>
  );
}

// On this page "unauthorized" can only mean the email or password is wrong.
function signInError(e?: ApiError) {
  return e && e.code === 'unauthorized' ? new ApiError(e.status, 'invalid_credentials', e.title, e.detail) : e;
}
