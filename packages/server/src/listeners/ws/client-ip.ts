/**
 * The client's IP address on the websocket listener, and Starling's `trusted_proxies`
 * extension: only when the TCP peer is a trusted proxy are `Forwarded`, `X-Forwarded-For` and
 * `X-Real-IP` believed. The address found becomes the Wire's `remoteAddress`, so logs,
 * monitoring and JWT `src` checks all see the real client. Headers from any other peer are
 * ignored (nats-server, by contrast, takes a single-IP `X-Forwarded-For` from anyone, and only
 * for its log label — websocket.md §9).
 */
import { type Cidr, cidrContains, parseCidr, parseIp } from '@starling/auth';
import { WebsocketError } from './errors.js';
import { headerLines, trimSpTab, type UpgradeRequest } from './request.js';

/** Text form of a binary address: dotted IPv4 (also for IPv4-mapped IPv6), else compressed IPv6. */
export function formatIp(b: Uint8Array): string {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length !== 16) return '';
  let mapped = b[10] === 0xff && b[11] === 0xff;
  for (let i = 0; i < 10 && mapped; i++) if (b[i] !== 0) mapped = false;
  if (mapped) return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  // RFC 5952: the longest run (>= 2) of zero groups becomes `::`, the first one on ties.
  let bestAt = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestAt < 0) return hex(0, 8);
  return `${hex(0, bestAt)}::${hex(bestAt + bestLen, 8)}`;
}

/** Canonical text for an IP given as text, or null when it is not an IP. */
export function normalizeIp(s: string): string | null {
  const b = parseIp(s);
  return b === null ? null : formatIp(b);
}

/**
 * One `for=`/X-Forwarded-For element as an IP: quotes, `[…]` brackets and a port are removed.
 * `unknown`, obfuscated identifiers (`_hidden`) and garbage give null.
 */
export function forwardedNodeIp(raw: string): string | null {
  let s = trimSpTab(raw);
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1);
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return null;
    s = s.slice(1, end);
  } else if (s.indexOf(':') > 0 && s.indexOf(':') === s.lastIndexOf(':') && s.includes('.')) {
    s = s.slice(0, s.indexOf(':')); // IPv4 with a port
  }
  return normalizeIp(s);
}

export class TrustedProxies {
  readonly cidrs: readonly Cidr[];

  private constructor(cidrs: Cidr[]) {
    this.cidrs = cidrs;
  }

  /** Parses `trusted_proxies` entries (CIDRs, or single addresses meaning /32 or /128). */
  static parse(entries: readonly string[]): TrustedProxies {
    const cidrs: Cidr[] = [];
    const bad: string[] = [];
    for (const e of entries) {
      const s = e.trim();
      const c = s.includes('/') ? parseCidr(s) : hostCidr(s);
      if (c === null) bad.push(e);
      else cidrs.push(c);
    }
    if (bad.length > 0) {
      throw new WebsocketError(
        'ERR_WS_CONFIG',
        `websocket: invalid trusted_proxies entr${bad.length === 1 ? 'y' : 'ies'} ${bad.map((b) => JSON.stringify(b)).join(', ')}: expected an IP address or CIDR such as "10.0.0.0/8"`,
      );
    }
    return new TrustedProxies(cidrs);
  }

  get enabled(): boolean {
    return this.cidrs.length > 0;
  }

  isTrusted(ip: string): boolean {
    const b = parseIp(ip);
    if (b === null) return false;
    for (const c of this.cidrs) if (cidrContains(c, b)) return true;
    return false;
  }

  /**
   * The client IP for a request from `req.peerIp`: the peer itself unless it is trusted; then
   * the right-most untrusted hop of `Forwarded` (RFC 7239), else of `X-Forwarded-For`, else
   * `X-Real-IP`. Walking stops at an element that is not an IP (the last trusted hop is used).
   */
  clientIp(req: UpgradeRequest): string {
    const peer = req.peerIp;
    if (this.cidrs.length === 0 || !this.isTrusted(peer)) return peer;
    const fwd = this.walk(forwardedFor(headerLines(req, 'forwarded')), peer);
    if (fwd !== null) return fwd;
    const xff: string[] = [];
    for (const line of headerLines(req, 'x-forwarded-for')) for (const p of line.split(',')) xff.push(p);
    const x = this.walk(xff, peer);
    if (x !== null) return x;
    const real = headerLines(req, 'x-real-ip')[0];
    if (real !== undefined) {
      const ip = forwardedNodeIp(real);
      if (ip !== null) return ip;
    }
    return peer;
  }

  /** Right to left over the hops: the first one not trusted is the client. null if no hops. */
  private walk(hops: readonly string[], peer: string): string | null {
    if (hops.length === 0) return null;
    let last = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const ip = forwardedNodeIp(hops[i]!);
      if (ip === null) return last;
      if (!this.isTrusted(ip)) return ip;
      last = ip;
    }
    return last;
  }
}

function hostCidr(s: string): Cidr | null {
  const b = parseIp(s);
  if (b === null) return null;
  return { ip: b, bits: b.length * 8 };
}

/** Every `for=` value of `Forwarded` header lines, in order. */
export function forwardedFor(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    for (const element of splitOutsideQuotes(line, ',')) {
      for (const pair of splitOutsideQuotes(element, ';')) {
        const eq = pair.indexOf('=');
        if (eq < 0) continue;
        if (trimSpTab(pair.slice(0, eq)).toLowerCase() === 'for') out.push(pair.slice(eq + 1));
      }
    }
  }
  return out;
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && quoted) i++;
    else if (c === sep && !quoted) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}
