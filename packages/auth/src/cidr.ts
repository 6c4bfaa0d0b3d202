/**
 * IP and CIDR parsing with Go `net.ParseIP` / `net.ParseCIDR` / `IPNet.Contains` rules, for the
 * user JWT `src` limit (nats-server jwt.go `validateSrc`).
 *
 * IPv4 text has four decimal parts without leading zeros; IPv6 text may use `::` and an
 * embedded IPv4 tail; zones (`%eth0`) are refused. An IPv4 CIDR contains IPv4 addresses and
 * their IPv4-mapped IPv6 forms (`::ffff:1.2.3.4`, which is how Node reports IPv4 peers on
 * dual-stack sockets).
 */

export interface Cidr {
  /** Network bytes: 4 for IPv4 CIDRs, 16 for IPv6. */
  ip: Uint8Array;
  bits: number;
}

function parseV4(s: string): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseV6(s: string): Uint8Array | null {
  if (s.includes('%')) return null;
  let head = s;
  let v4: Uint8Array | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === null) return null;
    head = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const dbl = head.indexOf('::');
  if (dbl >= 0 && head.indexOf('::', dbl + 1) >= 0) return null;
  const groups = (x: string): number[] | null => {
    if (x === '') return [];
    const out: number[] = [];
    for (const g of x.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  let all: number[];
  if (dbl >= 0) {
    const a = groups(head.slice(0, dbl));
    const b = groups(head.slice(dbl + 2));
    if (a === null || b === null || a.length + b.length > 7) return null;
    all = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  } else {
    const a = groups(head);
    if (a === null || a.length !== 8) return null;
    all = a;
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[i * 2] = all[i]! >> 8;
    out[i * 2 + 1] = all[i]! & 0xff;
  }
  if (v4 !== null) out.set(v4, 12);
  return out;
}

function isV4Mapped(ip: Uint8Array): boolean {
  if (ip.length !== 16) return false;
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false;
  return ip[10] === 0xff && ip[11] === 0xff;
}

/** Parses an IP address: 4 bytes for IPv4 (and IPv4-mapped IPv6), 16 for IPv6; null if invalid. */
export function parseIp(s: string): Uint8Array | null {
  if (typeof s !== 'string' || s === '') return null;
  if (s.includes(':')) {
    const ip = parseV6(s);
    if (ip === null) return null;
    return isV4Mapped(ip) ? ip.slice(12) : ip;
  }
  return parseV4(s);
}

/** Parses `addr/bits` (Go `net.ParseCIDR`); null if invalid. */
export function parseCidr(s: string): Cidr | null {
  if (typeof s !== 'string') return null;
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const addr = s.slice(0, slash);
  const bitsText = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText) || (bitsText.length > 1 && bitsText[0] === '0')) return null;
  const bits = Number(bitsText);
  const v6 = addr.includes(':');
  const ip = v6 ? parseV6(addr) : parseV4(addr);
  if (ip === null) return null;
  if (bits > ip.length * 8) return null;
  return { ip: maskBytes(ip, bits), bits };
}

function maskBytes(ip: Uint8Array, bits: number): Uint8Array {
  const out = new Uint8Array(ip.length);
  for (let i = 0; i < ip.length; i++) {
    const b = Math.max(0, Math.min(8, bits - i * 8));
    out[i] = ip[i]! & ((0xff << (8 - b)) & 0xff);
  }
  return out;
}

/** Go `IPNet.Contains`. `ip` from {@link parseIp}. */
export function cidrContains(c: Cidr, ip: Uint8Array): boolean {
  if (ip.length !== c.ip.length) return false;
  const m = maskBytes(ip, c.bits);
  for (let i = 0; i < m.length; i++) if (m[i] !== c.ip[i]) return false;
  return true;
}

/** nats-server `validateSrc`: no CIDRs = allowed; otherwise the host must parse and be inside one. */
export function sourceAllowed(cidrs: readonly string[], host: string): boolean {
  if (cidrs.length === 0) return true;
  if (host === '') return false;
  const ip = parseIp(host);
  if (ip === null) return false;
  for (const s of cidrs) {
    const c = parseCidr(s);
    if (c === null) return false;
    if (cidrContains(c, ip)) return true;
  }
  return false;
}
