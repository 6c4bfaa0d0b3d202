/**
 * /accountz (account names, or one account's detail with `acc=`) and /accstatz (per-account
 * connection and traffic counters), in nats-server 2.9.10's shapes. Exports, imports and
 * mappings come from the configuration. nats-server's internal `$SYS` service imports and
 * exports do not exist in Starling (it has no system services yet), so they are not listed.
 */
import type { AccountOptions } from '@starling/conf';
import { sumSublistStats } from '@starling/sublist';
import type { Account } from '../account.js';
import { ConnKind } from '../wire.js';
import type { MonitorContext } from './context.js';
import { decodeBool, goTime, nowMs, QueryError } from './go-format.js';
import { sublistStatsJson } from './subsz.js';

export function buildAccountz(ctx: MonitorContext, acc: string): Record<string, unknown> {
  const s = ctx.server;
  const out: Record<string, unknown> = { server_id: s.serverId, now: goTime(nowMs()) };
  if (s.systemAccount !== null) out.system_account = s.systemAccount.name;
  if (acc === '') {
    out.accounts = [...s.accounts.keys()];
    return out;
  }
  const a = s.accounts.get(acc);
  if (a === undefined) throw new QueryError(`Account ${acc} does not exist`);
  out.account_detail = accountDetail(ctx, a);
  return out;
}

function isLeaf(kind: number): boolean {
  return kind === ConnKind.LEAFNODE || kind === ConnKind.LEAFNODE_WS;
}

export function connectionCounts(a: Account): { clients: number; leafs: number } {
  let leafs = 0;
  for (const c of a.clients) if (isLeaf(c.kind)) leafs++;
  return { clients: a.clients.size - leafs, leafs };
}

function accountDetail(ctx: MonitorContext, a: Account): Record<string, unknown> {
  const s = ctx.server;
  const counts = connectionCounts(a);
  const d: Record<string, unknown> = {
    account_name: a.name,
    // Accounts are created when the server starts (or on reload); Starling keeps no other time.
    update_time: goTime(s.startTime),
  };
  if (s.systemAccount === a) d.is_system = true;
  d.expired = false;
  d.complete = true;
  d.jetstream_enabled = false;
  d.leafnode_connections = counts.leafs;
  d.client_connections = counts.clients;
  d.subscriptions = a.sublist.count();
  const conf = s.options.accounts.find((x) => x.name === a.name) ?? null;
  if (conf !== null) {
    const mappings = mappingsJson(conf);
    if (mappings !== null) d.mappings = mappings;
    const exports = exportsJson(conf);
    if (exports.length > 0) d.exports = exports;
    const imports = importsJson(conf);
    if (imports.length > 0) d.imports = imports;
  }
  d.sublist_stats = sublistStatsJson(sumSublistStats([a.sublist.stats()]));
  return d;
}

const RESPONSE_TYPE: Record<string, string> = { single: 'Singleton', stream: 'Streamed', chunked: 'Chunked' };

function exportsJson(conf: AccountOptions): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  // nats-server lists service exports first, then streams.
  for (const e of conf.exports) {
    if (e.kind !== 'service') continue;
    const x: Record<string, unknown> = { subject: e.subject, type: 'service' };
    x.response_type = RESPONSE_TYPE[e.response_type] ?? 'Singleton';
    if (e.threshold !== null && e.threshold > 0) x.response_threshold = e.threshold * 1_000_000;
    if (e.accounts !== null && e.accounts.length > 0) x.approved_accounts = [...e.accounts];
    out.push(x);
  }
  for (const e of conf.exports) {
    if (e.kind !== 'stream') continue;
    const x: Record<string, unknown> = { subject: e.subject, type: 'stream' };
    if (e.accounts !== null && e.accounts.length > 0) x.approved_accounts = [...e.accounts];
    out.push(x);
  }
  return out;
}

function importsJson(conf: AccountOptions): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  // nats-server lists stream imports first, then services.
  for (const i of conf.imports) {
    if (i.kind !== 'stream') continue;
    const x: Record<string, unknown> = { subject: i.subject, account: i.account };
    const local = i.to ?? (i.prefix !== null ? `${i.prefix}.${i.subject}` : null);
    if (local !== null && local !== i.subject) x.local_subject = local;
    x.type = 'stream';
    Object.assign(x, { invalid: false, share: false, tracking: false });
    out.push(x);
  }
  for (const i of conf.imports) {
    if (i.kind !== 'service') continue;
    const x: Record<string, unknown> = { subject: i.to ?? i.subject, account: i.account, to: i.subject };
    x.type = 'service';
    Object.assign(x, { invalid: false, share: false, tracking: false });
    out.push(x);
  }
  return out;
}

/** `mappings: { src: dest }` or `{ src: [{ destination, weight, cluster }] }` as nats-server's `ExtMap`. */
function mappingsJson(conf: AccountOptions): Record<string, unknown> | null {
  const keys = Object.keys(conf.mappings);
  if (keys.length === 0) return null;
  const out: Record<string, unknown> = {};
  for (const src of keys) {
    const v = conf.mappings[src];
    const dests: Record<string, unknown>[] = [];
    if (typeof v === 'string') dests.push({ subject: v, weight: 100 });
    else if (Array.isArray(v)) {
      for (const d of v) {
        if (d === null || typeof d !== 'object') continue;
        const r = d as Record<string, unknown>;
        const subject = r.destination ?? r.dest ?? r.subject;
        if (typeof subject !== 'string') continue;
        const m: Record<string, unknown> = { subject, weight: typeof r.weight === 'number' ? r.weight : 100 };
        if (typeof r.cluster === 'string' && r.cluster !== '') m.cluster = r.cluster;
        dests.push(m);
      }
    }
    out[src] = dests;
  }
  return out;
}

// ---------------------------------------------------------------- /accstatz

export function buildAccstatz(ctx: MonitorContext, q: URLSearchParams): Record<string, unknown> {
  const unused = decodeBool(q, 'unused');
  const s = ctx.server;
  const list: Record<string, unknown>[] = [];
  for (const a of s.accounts.values()) {
    if (!unused && a.clients.size === 0) continue;
    list.push(accountStat(a));
  }
  return { server_id: s.serverId, now: goTime(nowMs()), account_statz: list };
}

/** nats-server's `AccountStat` (`sent` = delivered to the account's clients, `received` = published by them). */
export function accountStat(a: Account): Record<string, unknown> {
  const counts = connectionCounts(a);
  return {
    acc: a.name,
    conns: counts.clients,
    leafnodes: counts.leafs,
    total_conns: counts.clients + counts.leafs,
    sent: { msgs: a.outMsgs, bytes: a.outBytes },
    received: { msgs: a.inMsgs, bytes: a.inBytes },
    slow_consumers: a.slowConsumers,
  };
}
