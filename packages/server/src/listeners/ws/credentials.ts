/**
 * Credentials carried by the upgrade request rather than the CONNECT line:
 * - nats-server's cookies: `jwt_cookie`, `user_cookie`, `pass_cookie`, `token_cookie`
 *   (websocket.md §10), always read when configured;
 * - Starling's header credentials: `Authorization: Bearer <jwt|token>` / `Basic <user:pass>`
 *   (only with `handshake_auth: true`) and the `api_key_header` (when configured) as a token.
 * Each fills a CONNECT field only when the client left that field empty (the auth engine
 * applies them). Values are never logged.
 */
import type { WebsocketOptions } from '@starling/conf';
import type { ListenerCredentials } from '../../server-auth.js';
import { headerLines, trimSpTab, type UpgradeRequest } from './request.js';

/** Parses `Cookie` header lines into name → value (first occurrence wins; quotes removed). */
export function parseCookies(lines: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    for (const part of line.split(';')) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      const name = trimSpTab(part.slice(0, eq));
      if (name === '' || out.has(name)) continue;
      let value = trimSpTab(part.slice(eq + 1));
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      out.set(name, value);
    }
  }
  return out;
}

/** A JWT: three dot-separated, non-empty base64url parts. */
export function looksLikeJwt(s: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(s);
}

export function emptyCredentials(): ListenerCredentials {
  return { jwt: null, user: null, pass: null, token: null };
}

export function hasAnyCredential(c: ListenerCredentials): boolean {
  return c.jwt !== null || c.user !== null || c.pass !== null || c.token !== null;
}

export interface CredentialResult {
  creds: ListenerCredentials;
  /** Set when a credential header is present but unusable (malformed Basic, unknown scheme). */
  error: string | null;
  /** Which sources contributed, for logs (never the values): e.g. `cookie:jwt`, `bearer`. */
  sources: string[];
}

/**
 * Collects credentials from the upgrade request. Precedence per field: the `Authorization`
 * header, then the API-key header, then cookies.
 */
export function collectCredentials(req: UpgradeRequest, o: WebsocketOptions): CredentialResult {
  const creds = emptyCredentials();
  const sources: string[] = [];
  let error: string | null = null;
  const set = (field: keyof ListenerCredentials, value: string, source: string): void => {
    if (value === '' || creds[field] !== null) return;
    creds[field] = value;
    sources.push(source);
  };

  if (o.handshake_auth) {
    const auth = headerLines(req, 'authorization')[0];
    if (auth !== undefined) {
      const v = trimSpTab(auth);
      const sp = v.indexOf(' ');
      const scheme = (sp < 0 ? v : v.slice(0, sp)).toLowerCase();
      const param = sp < 0 ? '' : trimSpTab(v.slice(sp + 1));
      if (scheme === 'bearer' && param !== '') {
        if (looksLikeJwt(param)) set('jwt', param, 'bearer:jwt');
        else set('token', param, 'bearer:token');
      } else if (scheme === 'basic' && param !== '') {
        const decoded = decodeBasic(param);
        if (decoded === null) error = 'malformed Basic authorization header';
        else {
          set('user', decoded.user, 'basic:user');
          set('pass', decoded.pass, 'basic:pass');
        }
      } else {
        error = `unsupported authorization scheme ${JSON.stringify(scheme.slice(0, 32))}`;
      }
    }
  }
  const apiKeyHeader = o.api_key_header;
  if (apiKeyHeader !== null && apiKeyHeader !== '') {
    const key = headerLines(req, apiKeyHeader.toLowerCase())[0];
    if (key !== undefined) set('token', trimSpTab(key), 'api-key');
  }
  if (o.jwt_cookie || o.user_cookie || o.pass_cookie || o.token_cookie) {
    const cookies = parseCookies(headerLines(req, 'cookie'));
    if (o.jwt_cookie) set('jwt', cookies.get(o.jwt_cookie) ?? '', 'cookie:jwt');
    if (o.user_cookie) set('user', cookies.get(o.user_cookie) ?? '', 'cookie:user');
    if (o.pass_cookie) set('pass', cookies.get(o.pass_cookie) ?? '', 'cookie:pass');
    if (o.token_cookie) set('token', cookies.get(o.token_cookie) ?? '', 'cookie:token');
  }
  return { creds, error, sources };
}

/** `Basic base64(user:pass)`; null when not valid base64 or without a colon. */
export function decodeBasic(param: string): { user: string; pass: string } | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(param) || param.length % 4 !== 0) return null;
  const text = Buffer.from(param, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  return { user: text.slice(0, colon), pass: text.slice(colon + 1) };
}
