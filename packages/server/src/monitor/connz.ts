/**
 * /connz: open and closed connections, filtered, sorted and paged as nats-server 2.9.10 does
 * (`Connz`, `ConnInfo`, monitor_sort_opts.go), including its quirks that tools may rely on:
 * `total` counts before the user/mqtt filters, `cid` forces limit 1, `state=all&cid=` only
 * searches closed connections, and an unknown `acc` answers an empty `server_id` and
 * `"connections": null`.
 *
 * Cost: the default (`sort=cid`, open, no filters) walks the server's cid-ordered client map
 * from `offset` and builds only `limit` entries — no copy of the connection list. Other sorts
 * gather references and numeric keys once (one pointer and one float per connection), then
 * select the requested page with a bounded heap when the page is small against the total.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { GLOBAL_ACCOUNT } from '../account.js';
import type { ClosedConnection } from '../closed-ring.js';
import type { Connection } from '../connection.js';
import type { Subscription } from '../subscription.js';
import { ConnKind } from '../wire.js';
import type { MonitorContext } from './context.js';
import {
  decodeBool,
  decodeInt,
  decodeUint64,
  goDuration,
  goTime,
  goUptime,
  nowMs,
  QueryError,
  wireText,
} from './go-format.js';

export const DEFAULT_CONN_LIST_SIZE = 1024;

export const SortOpt = {
  CID: 'cid',
  START: 'start',
  SUBS: 'subs',
  PENDING: 'pending',
  MSGS_TO: 'msgs_to',
  MSGS_FROM: 'msgs_from',
  BYTES_TO: 'bytes_to',
  BYTES_FROM: 'bytes_from',
  LAST: 'last',
  IDLE: 'idle',
  UPTIME: 'uptime',
  STOP: 'stop',
  REASON: 'reason',
} as const;
export type SortOptValue = (typeof SortOpt)[keyof typeof SortOpt];
const SORT_VALUES = new Set<string>(Object.values(SortOpt));

export const ConnzState = { OPEN: 0, CLOSED: 1, ALL: 2 } as const;
export type ConnzStateValue = (typeof ConnzState)[keyof typeof ConnzState];

export interface ConnzOptions {
  sort: string;
  auth: boolean;
  subs: boolean;
  subsDetail: boolean;
  offset: number;
  limit: number;
  cid: number;
  state: ConnzStateValue;
  user: string;
  acc: string;
  mqttClient: string;
}

/**
 * Fields a closed-connection record may carry beyond {@link ClosedConnection}; read when present
 * so /connz?state=closed shows them as soon as the ring records them.
 */
export interface ClosedConnectionExtras {
  lastActivity?: number;
  /** Round trip in ms (-1 / 0 = unknown). */
  rtt?: number;
  pendingBytes?: number;
  tlsVersion?: string | null;
  tlsCipher?: string | null;
  jwt?: string | null;
  mqttClientId?: string | null;
  subsDetail?: readonly ClosedSubDetail[];
}

export interface ClosedSubDetail {
  subject: string;
  queue: string | null;
  sid: string;
  msgs: number;
  max: number;
}

type Closed = ClosedConnection & ClosedConnectionExtras;

/** Parses /connz query parameters in nats-server's order (first bad one wins). */
export function parseConnzQuery(q: URLSearchParams): ConnzOptions {
  const sort = q.get('sort') ?? '';
  const auth = decodeBool(q, 'auth');
  const subsDetail = (q.get('subs') ?? '').toLowerCase() === 'detail';
  const subs = subsDetail ? false : decodeBool(q, 'subs');
  const offset = decodeInt(q, 'offset');
  const limit = decodeInt(q, 'limit');
  const cid = decodeUint64(q, 'cid');
  const state = decodeState(q);
  return {
    sort,
    auth,
    subs,
    subsDetail,
    offset,
    limit,
    cid,
    state,
    user: q.get('user') ?? '',
    acc: q.get('acc') ?? '',
    mqttClient: q.get('mqtt_client') ?? '',
  };
}

function decodeState(q: URLSearchParams): ConnzStateValue {
  const str = q.get('state') ?? '';
  if (str === '') return ConnzState.OPEN;
  switch (str.toLowerCase()) {
    case 'open':
      return ConnzState.OPEN;
    case 'closed':
      return ConnzState.CLOSED;
    case 'any':
    case 'all':
      return ConnzState.ALL;
  }
  throw new QueryError(`Error decoding state for ${str}`);
}

export function defaultConnzOptions(): ConnzOptions {
  return {
    sort: '',
    auth: false,
    subs: false,
    subsDetail: false,
    offset: 0,
    limit: 0,
    cid: 0,
    state: ConnzState.OPEN,
    user: '',
    acc: '',
    mqttClient: '',
  };
}

/** One row before rendering: an open connection or a closed record (no wrapper object per row). */
type Row = Connection | Closed;

/** Open connections have a transport; closed records are plain data. */
function isOpen(r: Row): r is Connection {
  return (r as Connection).wire !== undefined;
}

export function buildConnz(ctx: MonitorContext, opts: ConnzOptions): Record<string, unknown> {
  const sort = (opts.sort === '' ? SortOpt.CID : opts.sort) as SortOptValue;
  if (!SORT_VALUES.has(sort)) throw new QueryError(`invalid sorting option: ${opts.sort}`);
  const offset = Math.max(0, opts.offset);
  let limit = opts.limit <= 0 ? DEFAULT_CONN_LIST_SIZE : opts.limit;
  const state = opts.state;
  if (sort === SortOpt.STOP && state !== ConnzState.CLOSED) {
    throw new QueryError('sort by stop only valid on closed connections');
  }
  if (sort === SortOpt.REASON && state !== ConnzState.CLOSED) {
    throw new QueryError('sort by reason only valid on closed connections');
  }
  if (opts.cid > 0) limit = 1;

  const server = ctx.server;
  const now = nowMs();
  const result: Record<string, unknown> = {
    server_id: server.serverId,
    now: goTime(now),
    num_connections: 0,
    total: 0,
    offset,
    limit,
    connections: [] as unknown[],
  };

  // Open candidates: the account's connections when filtering by account, else every client.
  let pool: Iterable<Connection> = server.clients.values();
  let poolSize = server.clients.size;
  if (opts.acc !== '') {
    const acc = server.accounts.get(opts.acc);
    if (acc === undefined) {
      // nats-server returns before filling in its id or the list.
      result.server_id = '';
      result.connections = null;
      return result;
    }
    const members: Connection[] = [];
    // Every connection kind Starling registers is a client or a leafnode, the kinds nats-server lists.
    for (const c of acc.clients) members.push(c);
    pool = members;
    poolSize = members.length;
  }

  let closed: Closed[] = [];
  let total = 0;
  if (state === ConnzState.OPEN || state === ConnzState.ALL) total += poolSize;
  if (state === ConnzState.CLOSED || state === ConnzState.ALL) {
    closed = server.closedConnections() as Closed[];
    if (opts.acc !== '') closed = closed.filter((cc) => closedAccount(cc) === opts.acc);
    total += closed.length;
  }
  result.total = total;

  const fast =
    sort === SortOpt.CID || sort === SortOpt.START
      ? state === ConnzState.OPEN && opts.cid === 0 && opts.acc === '' && opts.user === '' && opts.mqttClient === ''
      : false;
  if (fast) {
    // Client ids are assigned in accept order and the map keeps insertion order: already sorted.
    const out: unknown[] = [];
    let i = 0;
    for (const c of server.clients.values()) {
      if (i++ < offset) continue;
      if (out.length >= limit) break;
      out.push(openInfo(c, now, opts));
    }
    result.connections = out;
    result.num_connections = out.length;
    return result;
  }

  const rows: Row[] = [];
  if (opts.cid > 0) {
    if (state === ConnzState.CLOSED || state === ConnzState.ALL) {
      const cc = closed.find((x) => x.cid === opts.cid);
      if (cc !== undefined) rows.push(cc);
    } else {
      const c = server.clients.get(opts.cid);
      if (c !== undefined) rows.push(c);
    }
  } else {
    if (state === ConnzState.OPEN || state === ConnzState.ALL) {
      for (const c of pool) {
        if (opts.user !== '' && c.opts.user !== opts.user) continue;
        if (opts.mqttClient !== '' && mqttClientOf(c) !== opts.mqttClient) continue;
        rows.push(c);
      }
    }
    for (const cc of closed) {
      if (opts.user !== '' && cc.user !== opts.user) continue;
      if (opts.mqttClient !== '' && (cc.mqttClientId ?? '') !== opts.mqttClient) continue;
      rows.push(cc);
    }
  }

  const n = rows.length;
  const lo = Math.min(offset, n);
  const hi = Math.min(offset + limit, n);
  const order = selectPage(rows, sort, now, hi);
  const out: unknown[] = [];
  for (let i = lo; i < hi; i++) {
    const row = rows[order[i]!]!;
    out.push(isOpen(row) ? openInfo(row, now, opts) : closedInfo(row, opts));
  }
  result.connections = out;
  result.num_connections = out.length;
  return result;
}

/** nats-server keeps a closed connection's account only when it is not `$G`. */
function closedAccount(cc: Closed): string {
  return cc.account === GLOBAL_ACCOUNT ? '' : cc.account;
}

function mqttClientOf(c: Connection): string {
  const id = (c as unknown as { mqttClientId?: string | null }).mqttClientId;
  return typeof id === 'string' ? id : '';
}

// ---------------------------------------------------------------- sorting

/**
 * Returns row indices whose first `k` entries are the first `k` rows in sort order (ties by cid
 * ascending, so pages are stable). Uses a bounded heap when `k` is small against the total.
 */
function selectPage(rows: Row[], sort: SortOptValue, now: number, k: number): Uint32Array {
  const n = rows.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (k === 0 || n <= 1) return idx;
  const cids = new Float64Array(n);
  for (let i = 0; i < n; i++) cids[i] = rows[i]!.cid;
  let before: (a: number, b: number) => boolean;
  if (sort === SortOpt.REASON) {
    const reasons = rows.map((r) => (isOpen(r) ? '' : r.reason));
    before = (a, b) => (reasons[a]! !== reasons[b]! ? reasons[a]! < reasons[b]! : cids[a]! < cids[b]!);
  } else if (sort === SortOpt.CID || sort === SortOpt.START) {
    before = (a, b) => cids[a]! < cids[b]!;
  } else {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = sortKey(rows[i]!, sort, now);
    // `uptime` is ascending in nats-server; every other key sorts descending.
    const asc = sort === SortOpt.UPTIME;
    before = (a, b) => {
      const ka = keys[a]!;
      const kb = keys[b]!;
      if (ka !== kb) return asc ? ka < kb : ka > kb;
      return cids[a]! < cids[b]!;
    };
  }
  if (k * 4 >= n || n <= 2048) {
    return idx.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }
  return topK(n, k, before);
}

/** The first `k` of `n` items in `before` order, in O(n log k) with a max-heap of the best `k`. */
function topK(n: number, k: number, before: (a: number, b: number) => boolean): Uint32Array {
  // heap[0] is the worst of the kept items.
  const heap = new Uint32Array(k);
  let size = 0;
  const worse = (a: number, b: number): boolean => before(b, a);
  const siftUp = (p: number): void => {
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (!worse(heap[p]!, heap[parent]!)) break;
      const t = heap[p]!;
      heap[p] = heap[parent]!;
      heap[parent] = t;
      p = parent;
    }
  };
  const siftDown = (p: number): void => {
    for (;;) {
      const l = 2 * p + 1;
      if (l >= size) return;
      const r = l + 1;
      const w = r < size && worse(heap[r]!, heap[l]!) ? r : l;
      if (!worse(heap[w]!, heap[p]!)) return;
      const t = heap[p]!;
      heap[p] = heap[w]!;
      heap[w] = t;
      p = w;
    }
  };
  for (let i = 0; i < n; i++) {
    if (size < k) {
      heap[size++] = i;
      siftUp(size - 1);
    } else if (before(i, heap[0]!)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  const out = new Uint32Array(n);
  const best = heap.slice(0, size).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  out.set(best);
  return out;
}

function sortKey(r: Row, sort: SortOptValue, now: number): number {
  if (isOpen(r)) {
    const c = r;
    switch (sort) {
      case SortOpt.SUBS:
        return c.subs.size;
      case SortOpt.PENDING:
        return pendingBytes(c);
      case SortOpt.MSGS_TO:
        return c.outMsgs;
      case SortOpt.MSGS_FROM:
        return c.inMsgs;
      case SortOpt.BYTES_TO:
        return c.outBytes;
      case SortOpt.BYTES_FROM:
        return c.inBytes;
      case SortOpt.LAST:
        return c.lastActivity;
      case SortOpt.IDLE:
        // nats-server's byIdle compares last activity minus start.
        return c.lastActivity - c.start;
      case SortOpt.UPTIME:
        return now - c.start;
      default:
        return 0;
    }
  }
  const cc = r;
  switch (sort) {
    case SortOpt.SUBS:
      return closedSubCount(cc);
    case SortOpt.PENDING:
      return cc.pendingBytes ?? 0;
    case SortOpt.MSGS_TO:
      return cc.outMsgs;
    case SortOpt.MSGS_FROM:
      return cc.inMsgs;
    case SortOpt.BYTES_TO:
      return cc.outBytes;
    case SortOpt.BYTES_FROM:
      return cc.inBytes;
    case SortOpt.LAST:
      return cc.lastActivity ?? cc.stop;
    case SortOpt.IDLE:
      return (cc.lastActivity ?? cc.stop) - cc.start;
    case SortOpt.UPTIME:
      return cc.stop - cc.start;
    case SortOpt.STOP:
      return cc.stop;
    default:
      return 0;
  }
}

// ---------------------------------------------------------------- rendering

/** Bytes queued for the connection and not yet taken by the peer. */
export function pendingBytes(c: Connection): number {
  return c.out.length + c.wire.bufferedAmount();
}

/** `Client` / `Leafnode`, as nats-server's `kindString`. */
export function kindString(kind: number): string {
  return kind === ConnKind.LEAFNODE || kind === ConnKind.LEAFNODE_WS ? 'Leafnode' : 'Client';
}

/** `nats` / `websocket` / `mqtt` for clients; leafnodes have no type. */
export function typeString(kind: number): string | null {
  switch (kind) {
    case ConnKind.WEBSOCKET:
      return 'websocket';
    case ConnKind.MQTT:
    case ConnKind.MQTT_WS:
      return 'mqtt';
    case ConnKind.LEAFNODE:
    case ConnKind.LEAFNODE_WS:
      return null;
    default:
      return 'nats';
  }
}

/** Go's `tlsVersion`: `1.2`, `1.3`. */
function tlsVersionText(v: string): string {
  const m = /^TLSv(\d(?:\.\d)?)$/.exec(v);
  if (m === null) return v;
  return m[1]!.includes('.') ? m[1]! : `${m[1]}.0`;
}

function rttText(ms: number | undefined): string {
  return goDuration(ms !== undefined && ms > 0 ? ms * 1_000_000 : 0);
}

function openInfo(c: Connection, now: number, opts: ConnzOptions): Record<string, unknown> {
  const ci: Record<string, unknown> = { cid: c.cid, kind: kindString(c.kind) };
  const type = typeString(c.kind);
  if (type !== null) ci.type = type;
  ci.ip = c.port !== 0 ? c.host : '';
  ci.port = c.port;
  ci.start = goTime(c.start);
  ci.last_activity = goTime(c.lastActivity);
  ci.rtt = rttText(c.rtt);
  ci.uptime = goUptime(now - c.start);
  ci.idle = goUptime(now - c.lastActivity);
  ci.pending_bytes = pendingBytes(c);
  ci.in_msgs = c.inMsgs;
  ci.out_msgs = c.outMsgs;
  ci.in_bytes = c.inBytes;
  ci.out_bytes = c.outBytes;
  ci.subscriptions = c.subs.size;
  if (c.opts.name) ci.name = c.opts.name;
  if (c.opts.lang) ci.lang = c.opts.lang;
  if (c.opts.version) ci.version = c.opts.version;
  if (c.tlsVersion) ci.tls_version = tlsVersionText(c.tlsVersion);
  if (c.tlsCipher) ci.tls_cipher_suite = c.tlsCipher;
  if (opts.auth && c.tlsPeer !== null) {
    const certs = peerCerts(c.tlsPeer);
    if (certs.length > 0) ci.tls_peer_certs = certs;
  }
  if (opts.auth) {
    const user = authorizedUser(c);
    if (user) ci.authorized_user = user;
    if (c.account.name !== GLOBAL_ACCOUNT) ci.account = c.account.name;
  }
  if (c.subs.size > 0) {
    if (opts.subsDetail) ci.subscriptions_list_detail = subsDetail(c.subs.values(), c.cid);
    else if (opts.subs) ci.subscriptions_list = Array.from(c.subs.values(), (s) => wireText(s.subject));
  }
  if (opts.auth && c.opts.jwt) ci.jwt = c.opts.jwt;
  const mqtt = mqttClientOf(c);
  if (mqtt) ci.mqtt_client = mqtt;
  return ci;
}

/**
 * The user nats-server reports (`getRawAuthUser`): the nkey, else the CONNECT user, else the
 * principal. A token is never shown (nats-server 2.9 prints it in clear; Starling does not).
 */
function authorizedUser(c: Connection): string {
  return c.opts.nkey ?? c.opts.user ?? c.user ?? '';
}

function closedSubCount(cc: Closed): number {
  return cc.subsDetail !== undefined ? cc.subsDetail.length : cc.subscriptions.length;
}

function closedInfo(cc: Closed, opts: ConnzOptions): Record<string, unknown> {
  const ci: Record<string, unknown> = { cid: cc.cid, kind: kindString(cc.kind) };
  const type = typeString(cc.kind);
  if (type !== null) ci.type = type;
  const last = cc.lastActivity ?? cc.stop;
  ci.ip = cc.port !== 0 ? cc.host : '';
  ci.port = cc.port;
  ci.start = goTime(cc.start);
  ci.last_activity = goTime(last);
  ci.stop = goTime(cc.stop);
  ci.reason = cc.reason;
  ci.rtt = rttText(cc.rtt);
  ci.uptime = goUptime(cc.stop - cc.start);
  ci.idle = goUptime(cc.stop - last);
  ci.pending_bytes = cc.pendingBytes ?? 0;
  ci.in_msgs = cc.inMsgs;
  ci.out_msgs = cc.outMsgs;
  ci.in_bytes = cc.inBytes;
  ci.out_bytes = cc.outBytes;
  ci.subscriptions = closedSubCount(cc);
  if (cc.name) ci.name = cc.name;
  if (cc.lang) ci.lang = cc.lang;
  if (cc.version) ci.version = cc.version;
  if (cc.tlsVersion) ci.tls_version = tlsVersionText(cc.tlsVersion);
  if (cc.tlsCipher) ci.tls_cipher_suite = cc.tlsCipher;
  if (opts.auth) {
    if (cc.user) ci.authorized_user = cc.user;
    const acc = closedAccount(cc);
    if (acc !== '') ci.account = acc;
  }
  if (opts.subsDetail || opts.subs) {
    const detail = cc.subsDetail;
    if (detail !== undefined && detail.length > 0) {
      if (opts.subsDetail) {
        ci.subscriptions_list_detail = detail.map((s) =>
          subDetail(s.subject, s.queue, s.sid, s.msgs, s.max, cc.cid, cc.account),
        );
      } else {
        ci.subscriptions_list = detail.map((s) => wireText(s.subject));
      }
    } else if (cc.subscriptions.length > 0) {
      if (opts.subsDetail) {
        ci.subscriptions_list_detail = cc.subscriptions.map((s) => subDetail(s, null, '', 0, 0, cc.cid, cc.account));
      } else {
        ci.subscriptions_list = cc.subscriptions.map(wireText);
      }
    }
  }
  if (cc.jwt) ci.jwt = cc.jwt;
  if (cc.mqttClientId) ci.mqtt_client = cc.mqttClientId;
  return ci;
}

/** `SubDetail` in nats-server's field order; `account` only where nats-server sets it. */
export function subDetail(
  subject: string,
  queue: string | null,
  sid: string,
  msgs: number,
  max: number,
  cid: number,
  account: string | null,
): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (account) d.account = account;
  d.subject = wireText(subject);
  if (queue) d.qgroup = wireText(queue);
  d.sid = wireText(sid);
  d.msgs = msgs;
  if (max > 0) d.max = max;
  d.cid = cid;
  return d;
}

/** An open connection's subscriptions (nats-server lists them without the account). */
function subsDetail(subs: Iterable<Subscription>, cid: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const s of subs) out.push(subDetail(s.subject, s.queue, s.sid, s.delivered, s.max, cid, null));
  return out;
}

/** nats-server's `TLSPeerCert`: RFC 2253 subject, SHA-256 of the SPKI and of the DER certificate. */
function peerCerts(peer: PeerCertificate): Record<string, string>[] {
  const raw = peer.raw;
  if (raw === undefined || raw.length === 0) return [];
  try {
    const x = new X509Certificate(raw);
    const spki = x.publicKey.export({ type: 'spki', format: 'der' });
    const subject = x.subject.split('\n').filter(Boolean).reverse().join(',');
    const out: Record<string, string> = {};
    if (subject) out.subject = subject;
    out.spki_sha256 = createHash('sha256').update(spki).digest('hex');
    out.cert_sha256 = createHash('sha256').update(raw).digest('hex');
    return [out];
  } catch {
    return [];
  }
}
