// The shell: loads the session (GET /session), shows sign-in when there is none, otherwise the
// navigation and the page for the current path. The invitation page (/invitation#<token>) and
// the password pages (/forgot-password, /reset-password#<token>) are public and shown with or
// without a session. A 401 from the session check or any request leads
// to sign-in; when its code is membership_disabled (an owner disabled this person in the
// account), the sign-in page says so.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, del, get, setCsrfToken, SIGNED_OUT, type SignedOut } from './api';
import { onLocaleChange } from './i18n';
import { navigate, usePath } from './router';
import { SessionContext } from './session';
import type { Session } from './types';
import { Layout } from './components/Layout';
import { Loading } from './components/bits';
import { ErrorBox } from './components/ErrorBox';
import { SignIn, type SignedOutReason } from './pages/SignIn';
import { Invitation } from './pages/Invitation';
import { ForgotPassword, ResetPassword } from './pages/PasswordReset';
import { routeFor } from './routes';

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [reason, setReason] = useState<SignedOutReason | null>(null);
  const [, setTick] = useState(0);
  const path = usePath();
  // The account the app was last in, kept after a sign-out so the sign-in page can name it.
  const lastAccount = useRef<string | undefined>(undefined);
  if (session?.account) lastAccount.current = session.account.name;

  /** The server answered 401 with `code`: why the sign-in page is shown, when it matters. */
  const signedOutWith = (code: string) =>
    setReason(code === 'membership_disabled' ? { code, account: lastAccount.current } : null);

  useEffect(() => onLocaleChange(() => setTick((n) => n + 1)) as () => void, []);
  useEffect(() => {
    const signedOut = (e: Event) => {
      signedOutWith((e as CustomEvent<SignedOut>).detail?.code || '');
      setCsrfToken('');
      setSession(null);
      // Several requests may fail together: the first one decides where to come back to.
      if (!location.pathname.startsWith('/signin')) {
        navigate('/signin?next=' + encodeURIComponent(location.pathname + location.search), true);
      }
    };
    window.addEventListener(SIGNED_OUT, signedOut);
    return () => window.removeEventListener(SIGNED_OUT, signedOut);
  }, []);
  useEffect(() => {
    get<Session>('/session')
      .then((s) => {
        setCsrfToken(s.csrf_token);
        setSession(s);
      })
      .catch((e: ApiError) => {
        if (e.status === 401) {
          signedOutWith(e.code);
          setSession(null);
        } else setError(e);
      });
  }, []);

  /** A sign-in, an accepted invitation or a switch of account: the app continues as `s`. */
  const enter = (s: Session, next = '/', replace = true) => {
    setCsrfToken(s.csrf_token);
    setReason(null);
    setSession(s);
    navigate(next, replace);
  };
  const refresh = async () => {
    try {
      enter(await get<Session>('/session'), '/');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        signedOutWith(e.code);
        setCsrfToken('');
        setSession(null);
        navigate('/signin', true);
      } else throw e;
    }
  };

  /** The session ended on the server (a new password ended every session, or this browser's
   * session was signed out from the list): forget it here too. */
  const forget = () => {
    setCsrfToken('');
    setReason(null);
    setSession(null);
  };

  const bare = path.split('?')[0];
  if (bare === '/invitation') return <Invitation onSignedIn={(s) => enter(s, '/')} />;
  if (bare === '/forgot-password') return <ForgotPassword />;
  if (bare === '/reset-password') return <ResetPassword onPasswordSet={forget} />;
  if (error) return <ErrorBox error={error} />;
  if (session === undefined) return <Loading />;
  if (session === null || path.startsWith('/signin')) {
    return (
      <SignIn
        reason={reason}
        onSignedIn={(s) => {
          // Back where the person was going: ?next= after a sign-out, else the deep link that
          // showed the sign-in page in its place.
          const here = location.pathname.startsWith('/signin') ? null : location.pathname + location.search;
          const next = new URLSearchParams(location.search).get('next') || here;
          enter(s, next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
        }}
      />
    );
  }
  const signOut = async () => {
    try {
      await del('/session');
    } finally {
      forget();
      navigate('/signin', true);
    }
  };
  const signedOut = () => {
    forget();
    navigate('/signin', true);
  };
  const Page = routeFor(path, session);
  // Keyed by account: switching account starts every page over with the new account's data.
  return (
    <SessionContext.Provider value={{ session, signOut, signedOut, enter: (s, next = '/') => enter(s, next, false), refresh }}>
      <Layout path={path} key={session.account?.id || ''}>
        <Page.component {...Page.params} key={path.split('?')[0]} />
      </Layout>
    </SessionContext.Provider>
  );
}
