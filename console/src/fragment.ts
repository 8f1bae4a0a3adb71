// Links that carry a secret (an invitation, a password reset) put it in the URL fragment, which
// browsers never send, so it stays out of access logs. The page reads it once and removes it from
// the address bar at once, so it is not left in the history either.

/** The token from the fragment; the address bar keeps the path (and query) only. */
export function takeFragmentToken(): string {
  const hash = location.hash.replace(/^#/, '');
  if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
  try {
    return decodeURIComponent(hash).trim();
  } catch {
    return hash.trim();
  }
}
