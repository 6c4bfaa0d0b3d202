/**
 * `listen`-style values: a port, or `"host:port"` split like Go's net.SplitHostPort
 * (`[::1]:4222` for IPv6, `:4222` for "any host").
 */
import type { LoadContext } from './load-context.js';
import type { ConfEntry } from './tree.js';
import { goTypeName } from './tree.js';

/** Go net.SplitHostPort; `null` when the text is not `host:port`. */
export function splitHostPort(hostport: string): { host: string; port: string } | null {
  const i = hostport.lastIndexOf(':');
  if (i < 0) return null;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === '[') {
    const end = hostport.indexOf(']');
    if (end < 0 || end + 1 !== i) return null;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return null;
  }
  if (hostport.slice(j).includes('[') || hostport.slice(k).includes(']')) return null;
  return { host, port: hostport.slice(i + 1) };
}

/** Go strconv.Atoi (optional sign, decimal digits, 64-bit range). */
export function atoi(s: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const n = BigInt(s);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) return null;
  return Number(n);
}

export interface HostPort {
  /** `null` when only a port was given. */
  host: string | null;
  port: number;
}

/** Reads a `listen`/`http`/`https` value with nats-server's error texts. */
export function parseListen(ctx: LoadContext, e: ConfEntry): HostPort | null {
  const n = e.node;
  if (n.kind === 'integer') return { host: null, port: n.value };
  if (n.kind === 'string') {
    const hp = splitHostPort(n.value);
    if (hp === null) {
      ctx.error('CONF_INVALID', `could not parse address string ${JSON.stringify(n.value)}`, e.pos);
      return null;
    }
    const port = atoi(hp.port);
    if (port === null) {
      ctx.error('CONF_INVALID', `could not parse port ${JSON.stringify(hp.port)}`, e.pos);
      return null;
    }
    return { host: hp.host, port };
  }
  ctx.error('CONF_INVALID', `expected port or host:port, got ${goTypeName(n)}`, e.pos);
  return null;
}
