import { useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { useAction } from '../hooks';
import { getLocale, setLocale, t } from '../i18n';
import type { Session } from '../types';
import { ErrorBox } from '../components/ErrorBox';
import { Field, TextInput } from '../components/Field';

/** Why the person is on the sign-in page, when the server said why: `membership_disabled` (an
 * owner disabled them in the account they were in; `account` names it when the app knew it). */
export interface SignedOutReason {
  code: string;
  account?: string;
}

export function SignIn({ onSignedIn, reason }: { onSignedIn: (s: Session) => void; reason?: SignedOutReason | null }) {
  const [email, setEmail] = useState('');
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
        <p class="muted">{t('signin.intro')}</p>
        <Field id="email" label={t('signin.email')}>
          <TextInput id="email" type="email" value={email} onInput={setEmail} required autocomplete="username" />
        </Field>
        <Field id="password" label={t('signin.password')}>
          <TextInput id="password" type="password" value={password} onInput={setPassword} required autocomplete="current-password" />
        </Field>
        <ErrorBox error={signInError(action.error)} />
        <button type="submit" disabled={action.busy}>
          {t('signin.submit')}
        </button>
        <div class="field lang-inline">
          <label for="signin-lang">{t('nav.language')}</label>
          <select id="signin-lang" value={getLocale()} onChange={(e) => setLocale((e.target as HTMLSelectElement).value as any)}>
            <option value="en">English</option>
            <option value="zh-CN">简体中文</option>
          </select>
        </div>
      </form>
    </main>
  );
}

// On this page "unauthorized" can only mean the email or password is wrong.
function signInError(e?: ApiError) {
  return e && e.code === 'unauthorized' ? new ApiError(e.status, 'invalid_credentials', e.title, e.detail) : e;
}
