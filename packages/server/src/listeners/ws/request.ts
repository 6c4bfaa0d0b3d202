/**
 * A copy of the parts of an HTTP upgrade request the listener looks at. uWebSockets.js's
 * HttpRequest lives on the stack and is gone once the handler returns (or awaits), so the
 * listener snapshots it once; everything after that (validation, origin, credentials, proxies)
 * works on this plain object and is testable without a socket.
 */

export interface UpgradeRequest {
  /** The method as sent (nats-server compares it case-sensitively with `GET`). */
  method: string;
  /** The request path as sent (escaped), without the query string. */
  path: string;
  /** Header lines by lower-cased name, in arrival order; a name sent twice has two entries. */
  headers: Map<string, string[]>;
  /** The request came over TLS (a `wss` listener). */
  tls: boolean;
  /** The TCP peer's IP (text: dotted IPv4, or IPv6). */
  peerIp: string;
}

export function newUpgradeRequest(method: string, path: string, tls: boolean, peerIp: string): UpgradeRequest {
  return { method, path, headers: new Map(), tls, peerIp };
}

export function addHeader(req: UpgradeRequest, name: string, value: string): void {
  const key = name.toLowerCase();
  const list = req.headers.get(key);
  if (list === undefined) req.headers.set(key, [value]);
  else list.push(value);
}

/** The first line of header `name` (lower case), or '' when absent. */
export function firstHeader(req: UpgradeRequest, name: string): string {
  return req.headers.get(name)?.[0] ?? '';
}

/** Every line of header `name`, or an empty list. */
export function headerLines(req: UpgradeRequest, name: string): readonly string[] {
  return req.headers.get(name) ?? [];
}

/**
 * Does header `name` carry `token`? Values are split on `,`, trimmed of spaces and tabs and
 * compared case-insensitively, over every line of that name (websocket.md §3).
 */
export function hasToken(req: UpgradeRequest, name: string, token: string): boolean {
  const want = token.toLowerCase();
  for (const line of headerLines(req, name)) {
    for (const part of line.split(',')) {
      if (trimSpTab(part).toLowerCase() === want) return true;
    }
  }
  return false;
}

/** Like `hasToken`, but the token may carry `;` parameters (`permessage-deflate; client_max_window_bits`). */
export function hasExtension(req: UpgradeRequest, name: string, ext: string): boolean {
  const want = ext.toLowerCase();
  for (const line of headerLines(req, name)) {
    for (const part of line.split(',')) {
      const semi = part.indexOf(';');
      const tok = trimSpTab(semi < 0 ? part : part.slice(0, semi)).toLowerCase();
      if (tok === want) return true;
    }
  }
  return false;
}

export function trimSpTab(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 0x20 || s.charCodeAt(a) === 0x09)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 0x20 || s.charCodeAt(b - 1) === 0x09)) b--;
  return s.slice(a, b);
}
