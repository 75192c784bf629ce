/**
 * The admin token outside development mode (spec §2.3): kept in sessionStorage, or in
 * localStorage when the user chose "remember", and sent as a bearer on every API call.
 * /ws needs none: the platform admits its own canvas by Origin.
 */
export interface KeyStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const TOKEN_KEY = 'molecule.adminToken';

/** The browser's stores; absent (undefined) under Vitest's node environment. */
const session = (): KeyStore | undefined => (typeof sessionStorage === 'undefined' ? undefined : sessionStorage);
const local = (): KeyStore | undefined => (typeof localStorage === 'undefined' ? undefined : localStorage);

/** The token of this tab first, then the remembered one. */
export function readToken(s = session(), l = local()): string | null {
  return s?.getItem(TOKEN_KEY) || l?.getItem(TOKEN_KEY) || null;
}

/** Keeps the token in one store only: the tab's, or (remember) the device's. */
export function saveToken(token: string, remember: boolean, s = session(), l = local()): void {
  clearToken(s, l);
  (remember ? l : s)?.setItem(TOKEN_KEY, token.trim());
}

export function clearToken(s = session(), l = local()): void {
  s?.removeItem(TOKEN_KEY);
  l?.removeItem(TOKEN_KEY);
}

/** `headers` plus the bearer, when there is a token. */
export function withAuth(headers: Record<string, string>, token = readToken()): Record<string, string> {
  return token ? { ...headers, Authorization: `Bearer ${token}` } : headers;
}

type Handler = (message: string) => void;
let onUnauthorized: Handler = () => {};

/** Who asks the user for a token when the API answers 401 (the app's sign-in dialog). */
export function setUnauthorizedHandler(h: Handler): void {
  onUnauthorized = h;
}

/**
 * A 401 from the API: a stored token that no longer works is dropped, and the user is asked.
 * Returns true when it was a 401.
 */
export function unauthorized(status: number, message: string): boolean {
  if (status !== 401) return false;
  if (readToken()) clearToken();
  onUnauthorized(message);
  return true;
}
