// The shell: loads the session (GET /session), shows sign-in when there is none, otherwise the
// navigation and the page for the current path. The invitation page (/invitation#<token>) is
// public and shown with or without a session.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, setCsrfToken } from './api';
import { onLocaleChange } from './i18n';
import { navigate, usePath } from './router';
import { SessionContext } from './session';
import type { Session } from './types';
import { Layout } from './components/Layout';
import { Loading } from './components/bits';
import { ErrorBox } from './components/ErrorBox';
import { SignIn } from './pages/SignIn';
import { Invitation } from './pages/Invitation';
import { routeFor } from './routes';

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [, setTick] = useState(0);
  const path = usePath();

  useEffect(() => onLocaleChange(() => setTick((n) => n + 1)) as () => void, []);
  useEffect(() => {
    const signedOut = () => {
      setSession(null);
      navigate('/signin?next=' + encodeURIComponent(location.pathname), true);
    };
    window.addEventListener('signet:signed-out', signedOut);
    return () => window.removeEventListener('signet:signed-out', signedOut);
  }, []);
  useEffect(() => {
    get<Session>('/session')
      .then((s) => {
        setCsrfToken(s.csrf_token);
        setSession(s);
      })
      .catch((e: ApiError) => {
        if (e.status === 401) setSession(null);
        else setError(e);
      });
  }, []);

  /** A sign-in, an accepted invitation or a switch of account: the app continues as `s`. */
  const enter = (s: Session, next = '/', replace = true) => {
    setCsrfToken(s.csrf_token);
    setSession(s);
    navigate(next, replace);
  };
  const refresh = async () => {
    try {
      enter(await get<Session>('/session'), '/');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        setCsrfToken('');
        setSession(null);
        navigate('/signin', true);
      } else throw e;
    }
  };

  if (path.split('?')[0] === '/invitation') return <Invitation onSignedIn={(s) => enter(s, '/')} />;
  if (error) return <ErrorBox error={error} />;
  if (session === undefined) return <Loading />;
  if (session === null || path.startsWith('/signin')) {
    return (
      <SignIn
        onSignedIn={(s) => {
          const next = new URLSearchParams(location.search).get('next');
          enter(s, next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
        }}
      />
    );
  }
  const signOut = async () => {
    try {
      await del('/session');
    } finally {
      setCsrfToken('');
      setSession(null);
      navigate('/signin', true);
    }
  };
  const Page = routeFor(path, session);
  // Keyed by account: switching account starts every page over with the new account's data.
  return (
    <SessionContext.Provider value={{ session, signOut, enter: (s, next = '/') => enter(s, next, false), refresh }}>
      <Layout path={path} key={session.account?.id || ''}>
        <Page.component {...Page.params} key={path.split('?')[0]} />
      </Layout>
    </SessionContext.Provider>
  );
}
