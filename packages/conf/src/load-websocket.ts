/**
 * `websocket { … }` (opts.go `parseWebsocket`, keys of nats-server main) plus Starling's
 * extensions `handshake_auth`, `api_key_header` and `trusted_proxies`.
 */
import { DEFAULT_HOST, defaultWebsocketOptions } from './defaults.js';
import { nsToMs, parseGoDuration } from './duration.js';
import { parseListen } from './listen.js';
import { loadSimpleAuth } from './load-auth.js';
import type { LoadContext } from './load-context.js';
import { loadTls } from './load-tls.js';
import type { WebsocketOptions } from './options-types.js';
import type { ConfEntry } from './tree.js';
import { goTypeName } from './tree.js';

export function loadWebsocket(ctx: LoadContext, entry: ConfEntry): WebsocketOptions | null {
  const m = ctx.map(entry, `Expected websocket to be a map, got ${goTypeName(entry.node)}`);
  if (m === null) return null;
  const ws = defaultWebsocketOptions();
  ws.pos = entry.pos;
  let host: string | null = null;
  for (const e of m.value.values()) {
    switch (e.key.toLowerCase()) {
      case 'listen': {
        const hp = parseListen(ctx, e);
        if (hp !== null) {
          if (hp.host !== null) host = hp.host;
          ws.port = hp.port;
        }
        break;
      }
      case 'port':
        ws.port = ctx.int(e) ?? ws.port;
        break;
      case 'host':
      case 'net':
        host = ctx.str(e) ?? host;
        break;
      case 'advertise':
        ws.advertise = ctx.str(e);
        break;
      case 'no_tls':
        ws.no_tls = ctx.bool(e) ?? ws.no_tls;
        break;
      case 'tls':
        ws.tls = loadTls(ctx, e, 'websocket.tls');
        break;
      case 'same_origin':
        ws.same_origin = ctx.bool(e) ?? ws.same_origin;
        break;
      case 'allowed_origins':
      case 'allowed_origin':
      case 'allow_origins':
      case 'allow_origin':
      case 'origins':
      case 'origin':
        ws.allowed_origins = ctx.strList(e, 'allowed origins') ?? [];
        break;
      case 'handshake_timeout': {
        const n = e.node;
        if (n.kind === 'integer') ws.handshake_timeout = n.value * 1000;
        else if (n.kind === 'string') {
          const d = parseGoDuration(n.value);
          if (d.ok) ws.handshake_timeout = nsToMs(d.ns);
          else ctx.error('CONF_DURATION', d.error, e.pos);
        } else ctx.error('CONF_TYPE', `error parsing handshake timeout: unsupported type ${goTypeName(n)}`, e.pos);
        break;
      }
      case 'compress':
      case 'compression':
        ws.compression = ctx.bool(e) ?? ws.compression;
        break;
      case 'authorization':
      case 'authentication':
        ws.authorization = loadSimpleAuth(ctx, e);
        break;
      case 'jwt_cookie':
        ws.jwt_cookie = ctx.str(e);
        break;
      case 'user_cookie':
        ws.user_cookie = ctx.str(e);
        break;
      case 'pass_cookie':
        ws.pass_cookie = ctx.str(e);
        break;
      case 'token_cookie':
        ws.token_cookie = ctx.str(e);
        break;
      case 'no_auth_user':
        ws.no_auth_user = ctx.str(e);
        break;
      case 'headers': {
        const hm = ctx.map(e, `error parsing headers: unsupported type ${goTypeName(e.node)}`);
        if (hm === null) break;
        const headers: Record<string, string> = {};
        for (const h of hm.value.values()) {
          if (h.node.kind === 'string') headers[h.key] = h.node.value;
          else ctx.error('CONF_TYPE', `error parsing headers: unsupported type ${goTypeName(h.node)}`, h.pos);
        }
        ws.headers = headers;
        break;
      }
      case 'ping_interval':
        ws.ping_interval = ctx.duration(e, 'ping_interval');
        break;
      // --- Starling extensions
      case 'handshake_auth':
        ws.handshake_auth = ctx.bool(e) ?? ws.handshake_auth;
        break;
      case 'api_key_header':
        ws.api_key_header = ctx.str(e);
        break;
      case 'trusted_proxies':
        ws.trusted_proxies = ctx.strList(e, 'trusted proxies') ?? [];
        break;
      default:
        ctx.unknown(e);
    }
  }
  ws.host = host === null || host === '' ? DEFAULT_HOST : host;
  return ws;
}
