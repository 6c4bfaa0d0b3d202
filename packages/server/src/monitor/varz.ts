/**
 * /varz: server identity, configuration and counters, in nats-server 2.9.10's `Varz` field order
 * and omitempty rules. Blocks for features Starling does not provide (cluster, gateway, leaf,
 * mqtt, jetstream) are `{}`, as nats-server shows them when they are off.
 */
import { ConnKind } from '../wire.js';
import type { MonitorContext } from './context.js';
import { goTime, goUptime, msToNs, nowMs } from './go-format.js';

/** Builds the /varz object (key order = nats-server's). */
export function buildVarz(ctx: MonitorContext): Record<string, unknown> {
  const s = ctx.server;
  const o = s.options;
  const info = s.info;
  const now = nowMs();
  const v: Record<string, unknown> = {
    server_id: info.server_id,
    server_name: info.server_name,
    version: info.version,
    proto: info.proto,
  };
  if (info.git_commit) v.git_commit = info.git_commit;
  v.go = info.go;
  v.host = info.host;
  v.port = info.port;
  if (s.auth.authRequired(ConnKind.STANDARD)) v.auth_required = true;
  if (info.tls_required) v.tls_required = true;
  if (info.tls_verify) v.tls_verify = true;
  if (info.connect_urls.length > 0) v.connect_urls = [...info.connect_urls];
  if (info.ws_connect_urls.length > 0) v.ws_connect_urls = [...info.ws_connect_urls];
  v.max_connections = o.max_connections;
  if (o.max_subscriptions > 0) v.max_subscriptions = o.max_subscriptions;
  v.ping_interval = msToNs(o.ping_interval);
  v.ping_max = o.ping_max;
  v.http_host = o.http_host;
  v.http_port = o.http_port;
  v.http_base_path = o.http_base_path;
  v.https_port = o.https_port;
  v.auth_timeout = s.auth.authTimeoutMs(ConnKind.STANDARD) / 1000;
  v.max_control_line = o.max_control_line;
  v.max_payload = o.max_payload;
  v.max_pending = o.max_pending;
  v.cluster = {};
  v.gateway = {};
  v.leaf = {};
  v.mqtt = {};
  v.websocket = websocketVarz(ctx);
  v.jetstream = {};
  v.tls_timeout = (o.tls?.timeout ?? 2000) / 1000;
  v.write_deadline = msToNs(o.write_deadline);
  v.start = goTime(s.startTime);
  v.now = goTime(now);
  v.uptime = goUptime(now - s.startTime);
  v.mem = ctx.proc.mem();
  v.cores = ctx.proc.cores;
  v.gomaxprocs = 1;
  v.cpu = ctx.proc.cpu();
  v.connections = s.clients.size;
  v.total_connections = s.totalConnections;
  v.routes = 0;
  v.remotes = 0;
  v.leafnodes = 0;
  v.in_msgs = s.inMsgs;
  v.out_msgs = s.outMsgs;
  v.in_bytes = s.inBytes;
  v.out_bytes = s.outBytes;
  v.slow_consumers = s.slowConsumers;
  v.subscriptions = totalSubscriptions(ctx);
  v.http_req_stats = sortedStats(ctx.httpReqStats);
  v.config_load_time = goTime(configLoadTime(ctx));
  if (o.operator.length > 0) v.trusted_operators_jwt = [...o.operator];
  if (s.systemAccount !== null) v.system_account = s.systemAccount.name;
  return v;
}

/** Sum of every account's sublist entries (nats-server counts its internal `$SYS` subs too). */
export function totalSubscriptions(ctx: MonitorContext): number {
  let n = 0;
  for (const acc of ctx.server.accounts.values()) n += acc.sublist.count();
  return n;
}

/** Go marshals a map with its keys sorted. */
function sortedStats(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}

/** When the options in force were loaded: a reload time when the server records one, else start. */
function configLoadTime(ctx: MonitorContext): number {
  const t = (ctx.server as { configTime?: unknown }).configTime;
  return typeof t === 'number' && t > 0 ? t : ctx.server.startTime;
}

function websocketVarz(ctx: MonitorContext): Record<string, unknown> {
  const ws = ctx.server.options.websocket;
  const v: Record<string, unknown> = {};
  if (ws === null) return v;
  if (ws.host) v.host = ws.host;
  if (ws.port) v.port = ws.port;
  if (ws.advertise) v.advertise = ws.advertise;
  if (ws.no_auth_user) v.no_auth_user = ws.no_auth_user;
  if (ws.jwt_cookie) v.jwt_cookie = ws.jwt_cookie;
  if (ws.handshake_timeout > 0) v.handshake_timeout = msToNs(ws.handshake_timeout);
  const authTimeout = ws.authorization?.timeout ?? 0;
  if (authTimeout > 0) v.auth_timeout = authTimeout / 1000;
  if (ws.no_tls) v.no_tls = true;
  if (ws.tls?.verify_and_map) v.tls_map = true;
  if (ws.tls && ws.tls.pinned_certs.length > 0) v.tls_pinned_certs = [...ws.tls.pinned_certs];
  if (ws.same_origin) v.same_origin = true;
  if (ws.allowed_origins.length > 0) v.allowed_origins = [...ws.allowed_origins];
  if (ws.compression) v.compression = true;
  return v;
}
