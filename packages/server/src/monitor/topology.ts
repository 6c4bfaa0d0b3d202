/**
 * Endpoints for features Starling does not provide yet — routes, gateways, JetStream — answered
 * with nats-server 2.9.10's "feature off" shapes, so tools polling them keep working; and
 * /leafz, which lists whatever leafnode connections the server registers (none today:
 * `"leafs": null`, as 2.9.10 prints an empty list).
 */
import { ConnKind } from '../wire.js';
import type { MonitorContext } from './context.js';
import { decodeBool, decodeInt, goDuration, goTime, nowMs, wireText } from './go-format.js';

export function buildRoutez(ctx: MonitorContext): Record<string, unknown> {
  return { server_id: ctx.server.serverId, now: goTime(nowMs()), num_routes: 0, routes: [] };
}

export function buildGatewayz(ctx: MonitorContext, q: URLSearchParams): Record<string, unknown> {
  decodeBool(q, 'accs');
  return {
    server_id: ctx.server.serverId,
    now: goTime(nowMs()),
    outbound_gateways: {},
    inbound_gateways: {},
  };
}

export function buildLeafz(ctx: MonitorContext, q: URLSearchParams): Record<string, unknown> {
  const subs = decodeBool(q, 'subs');
  const acc = q.get('acc') ?? '';
  const s = ctx.server;
  let leafs: Record<string, unknown>[] | null = null;
  for (const c of s.clients.values()) {
    if (c.kind !== ConnKind.LEAFNODE && c.kind !== ConnKind.LEAFNODE_WS) continue;
    if (acc !== '' && c.account.name !== acc) continue;
    const l: Record<string, unknown> = {
      account: c.account.name,
      ip: c.host,
      port: c.port,
      rtt: goDuration(c.rtt > 0 ? c.rtt * 1_000_000 : 0),
      in_msgs: c.inMsgs,
      out_msgs: c.outMsgs,
      in_bytes: c.inBytes,
      out_bytes: c.outBytes,
      subscriptions: c.subs.size,
    };
    if (subs) l.subscriptions_list = Array.from(c.subs.values(), (x) => wireText(x.subject));
    leafs ??= [];
    leafs.push(l);
  }
  return { server_id: s.serverId, now: goTime(nowMs()), leafnodes: leafs?.length ?? 0, leafs };
}

/** /jsz with JetStream off: nats-server 2.9.10's `disabled` form, after its parameter checks. */
export function buildJsz(ctx: MonitorContext, q: URLSearchParams): Record<string, unknown> {
  decodeBool(q, 'accounts');
  decodeBool(q, 'streams');
  decodeBool(q, 'consumers');
  decodeBool(q, 'config');
  decodeInt(q, 'offset');
  decodeInt(q, 'limit');
  decodeBool(q, 'leader-only');
  return {
    server_id: ctx.server.serverId,
    now: goTime(nowMs()),
    disabled: true,
    config: { max_memory: 0, max_storage: 0 },
    memory: 0,
    storage: 0,
    reserved_memory: 0,
    reserved_storage: 0,
    accounts: 0,
    ha_assets: 0,
    api: { total: 0, errors: 0 },
    streams: 0,
    consumers: 0,
    messages: 0,
    bytes: 0,
  };
}

/** The /healthz body and status: ok, or the readiness failure nats-server reports. */
export function healthz(ctx: MonitorContext, q: URLSearchParams): { status: number; body: Record<string, string> } {
  decodeBool(q, 'js-enabled');
  decodeBool(q, 'js-enabled-only');
  decodeBool(q, 'js-server-only');
  const s = ctx.server;
  // The client listener is the one Starling listener nats-server checks by the name "server";
  // it is closed in lame duck mode and after shutdown.
  if (!s.isRunning || s.inLameDuckMode) {
    return {
      status: 503,
      body: { status: 'error', error: 'failed to be ready for connections after 1ms: server' },
    };
  }
  return { status: 200, body: { status: 'ok' } };
}
