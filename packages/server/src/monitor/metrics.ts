/**
 * /metrics: Prometheus text exposition (format 0.0.4). Every family has HELP and TYPE lines;
 * label values are escaped (`\\`, `\"`, `\n`). Counters end in `_total`. Series for every
 * connection kind and known close reason are always present (zero when idle), so dashboards
 * and alerts see stable series.
 *
 * Cost per scrape: one pass over the open connections (per-kind sums) and one over accounts.
 */
import { NATS_COMPAT_VERSION } from '../info.js';
import type { MonitorContext } from './context.js';
import { AUTH_REASONS, KIND_LABELS, kindLabel } from './tally.js';
import { totalSubscriptions } from './varz.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;

/** Accumulates families; each family's samples are written under its HELP/TYPE header. */
class Exposition {
  private out = '';

  family(name: string, type: 'counter' | 'gauge', help: string, samples: [Labels, number][]): void {
    this.out += `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
    for (const [labels, value] of samples) this.out += `${name}${renderLabels(labels)} ${formatValue(value)}\n`;
  }

  text(): string {
    return this.out;
  }
}

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function renderLabels(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k]!)}"`).join(',')}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/** Close reasons every scrape reports per kind, even at zero. */
const WATCHED_REASONS = [
  'Client Closed',
  'Slow Consumer (Pending Bytes)',
  'Slow Consumer (Write Deadline)',
  'Authentication Failure',
  'Authentication Timeout',
  'Stale Connection',
  'Server Shutdown',
];

/**
 * Counters the core may expose later; read when present so the families fill in without a
 * monitor change:
 * - `authFailuresByReason`: the auth engine's refusal reasons (e.g. `bad password`).
 * - `wsHandshakeRejections`: websocket upgrade refusals by HTTP status.
 */
interface OptionalServerCounters {
  authFailuresByReason?: ReadonlyMap<string, number>;
  wsHandshakeRejections?: ReadonlyMap<number, number>;
}

export function renderMetrics(ctx: MonitorContext): string {
  const s = ctx.server;
  const e = new Exposition();
  const now = Date.now();

  e.family('starling_info', 'gauge', 'Server identity; the value is always 1.', [
    [
      {
        server_id: s.serverId,
        server_name: s.info.server_name,
        version: s.info.version,
        nats_compat: NATS_COMPAT_VERSION,
        node: process.version,
      },
      1,
    ],
  ]);
  e.family('starling_start_time_seconds', 'gauge', 'When the server started, seconds since the Unix epoch.', [
    [{}, s.startTime / 1000],
  ]);
  e.family('starling_uptime_seconds', 'gauge', 'Seconds since the server started.', [[{}, (now - s.startTime) / 1000]]);
  e.family('starling_healthy', 'gauge', '1 when /healthz answers ok (listening, not in lame duck mode), else 0.', [
    [{}, s.isRunning && !s.inLameDuckMode ? 1 : 0],
  ]);

  // Per-kind gauges and traffic: open connections now, plus the totals of closed ones.
  const kinds = KIND_LABELS.length;
  const conns = new Float64Array(kinds);
  const subs = new Float64Array(kinds);
  const pending = new Float64Array(kinds);
  const traffic = ctx.tally.traffic.map((t) => Float64Array.from(t));
  for (const c of s.clients.values()) {
    const k = c.kind;
    if (k >= kinds) continue;
    conns[k]!++;
    subs[k]! += c.subs.size;
    pending[k]! += c.out.length + c.wirePending;
    const t = traffic[k]!;
    t[0]! += c.inMsgs;
    t[1]! += c.inBytes;
    t[2]! += c.outMsgs;
    t[3]! += c.outBytes;
  }
  const perKind = (arr: ArrayLike<number>): [Labels, number][] =>
    KIND_LABELS.map((label, k) => [{ kind: label }, arr[k] ?? 0]);
  const perKindTraffic = (i: number): [Labels, number][] =>
    KIND_LABELS.map((label, k) => [{ kind: label }, traffic[k]![i]!]);

  e.family('starling_connections', 'gauge', 'Open connections by kind.', perKind(conns));
  e.family('starling_connections_accepted_total', 'counter', 'Connections accepted since start (all kinds).', [
    [{}, s.totalConnections],
  ]);
  const closes: [Labels, number][] = [];
  const seen = new Set<string>();
  for (let k = 0; k < kinds; k++) {
    for (const reason of WATCHED_REASONS) {
      const key = `${k}\u0000${reason}`;
      seen.add(key);
      closes.push([{ kind: kindLabel(k), reason }, ctx.tally.closes.get(key) ?? 0]);
    }
  }
  for (const [key, v] of ctx.tally.closes) {
    if (seen.has(key)) continue;
    const sep = key.indexOf('\u0000');
    closes.push([{ kind: kindLabel(Number(key.slice(0, sep))), reason: key.slice(sep + 1) }, v]);
  }
  e.family(
    'starling_connections_closed_total',
    'counter',
    'Connections closed since monitoring started, by kind and nats-server close reason.',
    closes,
  );
  e.family('starling_subscriptions', 'gauge', 'Subscriptions of open connections by kind.', perKind(subs));
  e.family(
    'starling_sublist_subscriptions',
    'gauge',
    'Entries in all account sublists (what /varz reports as subscriptions).',
    [[{}, totalSubscriptions(ctx)]],
  );
  e.family('starling_pending_bytes', 'gauge', 'Outbound bytes queued and not yet written, by kind.', perKind(pending));
  e.family('starling_in_msgs_total', 'counter', 'Messages received from clients (all kinds).', [[{}, s.inMsgs]]);
  e.family('starling_in_bytes_total', 'counter', 'Payload bytes received from clients (all kinds).', [[{}, s.inBytes]]);
  e.family('starling_out_msgs_total', 'counter', 'Messages delivered to clients (all kinds).', [[{}, s.outMsgs]]);
  e.family('starling_out_bytes_total', 'counter', 'Payload bytes delivered to clients (all kinds).', [
    [{}, s.outBytes],
  ]);
  e.family(
    'starling_kind_in_msgs_total',
    'counter',
    'Messages received by connection kind (closed connections counted since monitoring started).',
    perKindTraffic(0),
  );
  e.family('starling_kind_in_bytes_total', 'counter', 'Payload bytes received by connection kind.', perKindTraffic(1));
  e.family('starling_kind_out_msgs_total', 'counter', 'Messages delivered by connection kind.', perKindTraffic(2));
  e.family(
    'starling_kind_out_bytes_total',
    'counter',
    'Payload bytes delivered by connection kind.',
    perKindTraffic(3),
  );
  e.family('starling_slow_consumers_total', 'counter', 'Slow consumer events (pending bytes or write deadline).', [
    [{}, s.slowConsumers],
  ]);

  // Authentication: closes for auth reasons always; the engine's own reasons when the server counts them.
  const extra = s as unknown as OptionalServerCounters;
  const authSamples: [Labels, number][] = [];
  if (extra.authFailuresByReason !== undefined) {
    for (const [reason, v] of extra.authFailuresByReason) authSamples.push([{ reason }, v]);
  } else {
    for (const reason of AUTH_REASONS) authSamples.push([{ reason }, ctx.tally.closesFor(reason)]);
  }
  e.family(
    'starling_auth_failures_total',
    'counter',
    'Refused or expired credentials by reason (close reasons until the auth engine reports finer reasons).',
    authSamples,
  );
  const refusals: [Labels, number][] = [];
  for (const [code, v] of s.authRefusalsByCode) refusals.push([{ code }, v]);
  e.family(
    'starling_auth_refusals_total',
    'counter',
    'Credentials the auth engine refused, by its failure code (AUTH_BAD_PASSWORD, AUTH_UNKNOWN_USER, …; see docs/errors.md).',
    refusals,
  );
  const wsSamples: [Labels, number][] = [];
  if (extra.wsHandshakeRejections !== undefined) {
    for (const [status, v] of extra.wsHandshakeRejections) wsSamples.push([{ status: String(status) }, v]);
  }
  // No samples until the websocket listener reports its refusals (the family is declared so
  // alerts can be written now).
  e.family(
    'starling_websocket_handshake_rejections_total',
    'counter',
    'Websocket upgrade requests refused, by HTTP status.',
    wsSamples,
  );

  // Per account.
  const acc = (f: (a: import('../account.js').Account) => number): [Labels, number][] =>
    Array.from(s.accounts.values(), (a) => [{ account: a.name }, f(a)]);
  e.family(
    'starling_account_connections',
    'gauge',
    'Open connections per account.',
    acc((a) => a.clients.size),
  );
  e.family(
    'starling_account_subscriptions',
    'gauge',
    'Sublist entries per account.',
    acc((a) => a.sublist.count()),
  );
  e.family(
    'starling_account_in_msgs_total',
    'counter',
    'Messages published by the account.',
    acc((a) => a.inMsgs),
  );
  e.family(
    'starling_account_in_bytes_total',
    'counter',
    'Payload bytes published by the account.',
    acc((a) => a.inBytes),
  );
  e.family(
    'starling_account_out_msgs_total',
    'counter',
    'Messages delivered to the account.',
    acc((a) => a.outMsgs),
  );
  e.family(
    'starling_account_out_bytes_total',
    'counter',
    'Payload bytes delivered to the account.',
    acc((a) => a.outBytes),
  );
  e.family(
    'starling_account_slow_consumers_total',
    'counter',
    'Slow consumer events per account.',
    acc((a) => a.slowConsumers),
  );

  // Monitoring itself and the process.
  e.family(
    'starling_http_requests_total',
    'counter',
    'Monitoring requests by endpoint (as /varz http_req_stats).',
    Array.from(ctx.httpReqStats, ([path, v]) => [{ path }, v]),
  );
  const cpu = process.cpuUsage();
  e.family('process_cpu_seconds_total', 'counter', 'User and system CPU time spent, seconds.', [
    [{}, (cpu.user + cpu.system) / 1e6],
  ]);
  e.family('process_resident_memory_bytes', 'gauge', 'Resident set size, bytes.', [[{}, ctx.proc.mem()]]);
  e.family('process_start_time_seconds', 'gauge', 'Process start time, seconds since the Unix epoch.', [
    [{}, Math.round((now - process.uptime() * 1000) / 1000)],
  ]);
  const h = ctx.loopDelay;
  e.family(
    'starling_event_loop_delay_seconds',
    'gauge',
    'Event-loop delay over the last 15 s window by statistic (p50, p99, max): how long ready work waited.',
    [
      [{ stat: 'p50' }, nsToSeconds(h.percentile(50))],
      [{ stat: 'p99' }, nsToSeconds(h.percentile(99))],
      [{ stat: 'max' }, nsToSeconds(h.max)],
    ],
  );
  return e.text();
}

function nsToSeconds(ns: number): number {
  return Number.isFinite(ns) ? ns / 1e9 : 0;
}
