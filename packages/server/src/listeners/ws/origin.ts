/**
 * Origin policy (websocket.md §4): `same_origin` and `allowed_origins`. Not evaluated at all
 * when neither is set; a request without an Origin (non-browser clients) always passes.
 * Host names are compared lower-cased, ports defaulted (443 for https / TLS, else 80), and
 * schemes compared as nats-server main does (2.9.10 ignored the scheme for same_origin).
 */
import { firstHeader, type UpgradeRequest } from './request.js';

interface OriginEntry {
  scheme: string;
  port: string;
}

export interface ParsedOrigin {
  scheme: string;
  host: string;
  port: string;
}

/** Parses an absolute http(s)-style origin; null when it is not an absolute URI with a host. */
export function parseOrigin(origin: string): ParsedOrigin | null {
  // The URL parser fixes up things Go's url.ParseRequestURI refuses ("http:host", "http:/host").
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]/.test(origin)) return null;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return null;
  }
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  let host = u.hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const port = u.port !== '' ? u.port : scheme === 'https' ? '443' : '80';
  return { scheme, host, port };
}

/** Splits a `Host` header into lower-cased host and port, defaulting the port for the transport. */
export function splitRequestHost(hostHeader: string, tls: boolean): { host: string; port: string } {
  const def = tls ? '443' : '80';
  let host = hostHeader;
  let port = '';
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end > 0) {
      const rest = host.slice(end + 1);
      host = host.slice(1, end);
      if (rest.startsWith(':')) port = rest.slice(1);
    }
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && host.indexOf(':') === colon) {
      port = host.slice(colon + 1);
      host = host.slice(0, colon);
    }
  }
  return { host: host.toLowerCase(), port: port === '' ? def : port };
}

export class OriginPolicy {
  readonly sameOrigin: boolean;
  private readonly allowed: Map<string, OriginEntry[]>;

  /** `allowedOrigins` were validated at load time (absolute http/https URLs with a host). */
  constructor(sameOrigin: boolean, allowedOrigins: readonly string[]) {
    this.sameOrigin = sameOrigin;
    this.allowed = new Map();
    for (const o of allowedOrigins) {
      const p = parseOrigin(o);
      if (p === null) continue;
      let list = this.allowed.get(p.host);
      if (list === undefined) {
        list = [];
        this.allowed.set(p.host, list);
      }
      list.push({ scheme: p.scheme, port: p.port });
    }
  }

  /** Whether any origin rule is configured. */
  get active(): boolean {
    return this.sameOrigin || this.allowed.size > 0;
  }

  /** null when the request passes, else the detail for `origin not allowed: <detail>`. */
  check(req: UpgradeRequest): string | null {
    if (!this.active) return null;
    let origin = firstHeader(req, 'origin');
    if (origin === '') origin = firstHeader(req, 'sec-websocket-origin');
    if (origin === '') return null;
    const o = parseOrigin(origin);
    if (o === null) return `parse ${JSON.stringify(origin)}: invalid URI for request`;
    if (this.sameOrigin) {
      const r = splitRequestHost(firstHeader(req, 'host'), req.tls);
      const wantScheme = req.tls ? 'https' : 'http';
      if (o.host !== r.host || o.port !== r.port || o.scheme !== wantScheme) return 'not same origin';
    }
    if (this.allowed.size > 0) {
      const list = this.allowed.get(o.host);
      if (list === undefined || !list.some((e) => e.scheme === o.scheme && e.port === o.port)) {
        return 'not in the allowed list';
      }
    }
    return null;
  }
}
