// The one way the console talks to signetd: the public REST API under /api/v1 with the session
// cookie (set by POST /session) and the CSRF token on every unsafe request. Errors arrive as
// RFC 9457 problem documents and are thrown as ApiError so pages can show title and detail.

import { getLocale } from './i18n';

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    public title: string,
    public detail: string,
    /** The request field the problem is about, when the server names it (`field` member). */
    public field?: string,
  ) {
    super(detail || title || code);
  }
}

/** The event a 401 from any request sends to the app, with the problem's code. */
export const SIGNED_OUT = 'signet:signed-out';
export interface SignedOut {
  code: string;
}

let csrfToken = '';
const CREDENTIAL_PATHS = ['/session', '/invitation/accept'];
export function setCsrfToken(token: string) {
  csrfToken = token;
}

export interface Page<T> {
  items: T[];
  next_page_token: string | null;
}

async function problemFrom(res: Response): Promise<ApiError> {
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      const p = await res.json();
      return new ApiError(
        res.status,
        p.code || 'http_' + res.status,
        p.title || '',
        p.detail || '',
        typeof p.field === 'string' ? p.field : undefined,
      );
    } catch {
      // fall through: a broken body is reported by status alone
    }
  }
  return new ApiError(res.status, 'http_' + res.status, res.statusText, '');
}

export async function raw(method: string, path: string, body?: BodyInit, contentType?: string) {
  // The server writes problem details in the console's language (the code stays the same).
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': getLocale() === 'zh-CN' ? 'zh-CN' : 'en' };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (contentType) headers['Content-Type'] = contentType;
  let res: Response;
  try {
    res = await fetch('/api/v1' + path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', '', '');
  }
  if (!res.ok) {
    const problem = await problemFrom(res);
    // A session that expired (or was signed out elsewhere), or a person an owner disabled in
    // this account (code membership_disabled): back to the sign-in page, which is told the code
    // to say why. Signing in and accepting an invitation answer 401 for a wrong password instead.
    if (res.status === 401 && !CREDENTIAL_PATHS.includes(path)) {
      window.dispatchEvent(new CustomEvent<SignedOut>(SIGNED_OUT, { detail: { code: problem.code } }));
    }
    throw problem;
  }
  return res;
}

export async function call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await raw(
    method,
    path,
    body === undefined ? undefined : JSON.stringify(body),
    body === undefined ? undefined : 'application/json',
  );
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T = any>(path: string) => call<T>('GET', path);
export const post = <T = any>(path: string, body?: unknown) => call<T>('POST', path, body ?? {});
export const put = <T = any>(path: string, body: unknown) => call<T>('PUT', path, body);
export const patch = <T = any>(path: string, body: unknown) => call<T>('PATCH', path, body);
export const del = (path: string) => call<void>('DELETE', path);

/** Lists every page of a paginated collection (the console's lists are small); `pageSize` up to
 * the server's 200 for the longer ones. */
export async function all<T = any>(path: string, limit = 500, pageSize = 100): Promise<T[]> {
  const out: T[] = [];
  let token: string | null = null;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const page: Page<T> = await get<Page<T>>(
      path + sep + 'page_size=' + pageSize + (token ? '&page_token=' + encodeURIComponent(token) : ''),
    );
    out.push(...page.items);
    token = page.next_page_token;
  } while (token && out.length < limit);
  return out;
}

/** How many items a paginated collection has. The API gives no totals, so the pages are read (200
 * at a time, ids only matter) up to `limit`; `more` says the count stopped there. */
export async function count(path: string, limit = 10_000): Promise<{ n: number; more: boolean }> {
  let n = 0;
  let token: string | null = null;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const page: Page<unknown> = await get<Page<unknown>>(
      path + sep + 'page_size=200' + (token ? '&page_token=' + encodeURIComponent(token) : ''),
    );
    n += page.items.length;
    token = page.next_page_token;
  } while (token && n < limit);
  return { n, more: !!token };
}

/** A file from the API: its body and the name the server gives it (Content-Disposition). */
export async function fetchFile(path: string): Promise<{ blob: Blob; name: string; res: Response }> {
  const res = await raw('GET', path);
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') || '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] || 'download';
  return { blob, name, res };
}

/** Hands a blob to the browser as a download named `name`. */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Saves a response body as a file in the browser; returns the response for its headers. */
export async function download(path: string): Promise<Response> {
  const { blob, name, res } = await fetchFile(path);
  saveBlob(blob, name);
  return res;
}
