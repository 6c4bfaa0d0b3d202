/**
 * The WEBSOCKET listener on uWebSockets.js: nats-server's `websocket {}` block plus Starling's
 * handshake-phase authentication and trusted proxies (docs/websocket.md).
 *
 * One uWS app serves every path. Upgrade requests are snapshotted, validated in nats-server's
 * order (validate.ts), routed by path suffix (`/leafnode`, `/mqtt` reserved for those
 * listeners, anything else a NATS client), optionally authenticated before the 101, and then
 * become a Connection of kind WEBSOCKET fed by uWS's message/drain/close events.
 */

import type {
  HttpRequest,
  HttpResponse,
  TemplatedApp,
  us_listen_socket,
  us_socket_context_t,
  WebSocket,
} from 'uWebSockets.js';
import type { AuthContext, AuthResult } from '@starling/auth';
import { AuthFailureCode } from '@starling/auth';
import type { WebsocketOptions } from '@starling/conf';
import { ERR_TEXT } from '@starling/protocol';
import { ClosedReason } from '../../closed-reason.js';
import { ConnState } from '../../connection.js';
import type { Server } from '../../server.js';
import { type TimerTarget, WheelTimer } from '../../timer-wheel.js';
import { ConnKind } from '../../wire.js';
import { buildServerTls } from '../tls.js';
import { formatIp, TrustedProxies } from './client-ip.js';
import { ConnectGate } from './connect-gate.js';
import { collectCredentials, hasAnyCredential } from './credentials.js';
import { WebsocketError } from './errors.js';
import { OriginPolicy } from './origin.js';
import { addHeader, firstHeader, hasExtension, newUpgradeRequest, type UpgradeRequest } from './request.js';
import { WebsocketStats } from './stats.js';
import { loadUws, type UwsModule } from './uws.js';
import { type DropHandler, UwsWire } from './uws-wire.js';
import { type Rejection, routeOf, STATUS_TEXT, validateUpgrade, WsRoute } from './validate.js';

/** What nats-server answers when permessage-deflate is negotiated (websocket.md §5). */
const DEFLATE_OFFER = 'permessage-deflate; client_no_context_takeover; server_no_context_takeover';

/** Slack over max_payload + max_control_line for a client that batches several ops in one message. */
const MESSAGE_SLACK = 64 * 1024;

/** Auth failures that mean "known, but not allowed here" (403) rather than "who are you" (401). */
const FORBIDDEN_FAILURES: ReadonlySet<string> = new Set([
  AuthFailureCode.CONNECTION_TYPE_NOT_ALLOWED,
  AuthFailureCode.SOURCE_NOT_ALLOWED,
  AuthFailureCode.OUTSIDE_CONNECT_TIMES,
]);

export class WebsocketListener implements DropHandler {
  readonly server: Server;
  readonly options: WebsocketOptions;
  readonly stats = new WebsocketStats();
  readonly tls: boolean;
  readonly scheme: 'ws' | 'wss';
  /** Largest websocket message accepted (uWS closes the connection past it). */
  readonly maxMessageSize: number;
  /** Bound port (after start). */
  port = 0;
  private readonly uws: UwsModule;
  private readonly app: TemplatedApp;
  private listenSocket: us_listen_socket | null = null;
  private readonly origin: OriginPolicy;
  private readonly proxies: TrustedProxies;
  private readonly extraHeaders: [string, string][];
  private readonly compression: boolean;
  private readonly firstLineLimit: number;
  /** A read batch is open: flushes wait for `endBatch` (see onMessage). */
  private batching = false;
  private readonly endBatch = (): void => {
    this.batching = false;
    this.server.endRead();
  };

  constructor(server: Server, options: WebsocketOptions) {
    this.server = server;
    this.options = options;
    this.uws = loadUws();
    // No `uWebSockets: 20` header on responses (a Date header stays; it cannot be turned off).
    this.uws._cfg('silent');
    this.tls = options.tls !== null;
    this.scheme = this.tls ? 'wss' : 'ws';
    this.origin = new OriginPolicy(options.same_origin, options.allowed_origins);
    this.proxies = TrustedProxies.parse(options.trusted_proxies);
    this.extraHeaders = Object.entries(options.headers);
    this.compression = options.compression;
    const o = server.options;
    this.maxMessageSize = o.max_payload + o.max_control_line + MESSAGE_SLACK;
    this.firstLineLimit = o.max_control_line + 16;
    this.app = this.createApp();
    this.routes();
  }

  // ---------------------------------------------------------------- lifecycle

  listen(): Promise<number> {
    const o = this.options;
    const host = o.host === '' ? '0.0.0.0' : o.host;
    const port = Math.max(o.port, 0);
    const uws = this.uws;
    // The typings lack listen(host, port, options, cb). Without LIBUS_LISTEN_EXCLUSIVE_PORT uSockets
    // sets SO_REUSEPORT, and a second server on the same port would silently share its traffic.
    const app = this.app as unknown as ListenWithOptions;
    const exclusive = (uws as unknown as { LIBUS_LISTEN_EXCLUSIVE_PORT: number }).LIBUS_LISTEN_EXCLUSIVE_PORT;
    return new Promise((resolve, reject) => {
      app.listen(host, port, exclusive, (ls) => {
        if (ls === false) {
          reject(
            new WebsocketError(
              'ERR_WS_LISTEN',
              `Unable to listen for websocket connections: listen tcp ${hostPort(host, port)}: bind: address already in use or not available`,
            ),
          );
          return;
        }
        this.listenSocket = ls;
        this.port = uws.us_socket_local_port(ls as never);
        resolve(this.port);
      });
    });
  }

  /** Stops accepting; open websocket connections are closed by the server like any client. */
  close(): Promise<void> {
    const ls = this.listenSocket;
    this.listenSocket = null;
    if (ls !== null) this.uws.us_listen_socket_close(ls);
    return Promise.resolve();
  }

  /** `ws://host:port` as nats-server logs it. */
  get url(): string {
    return `${this.scheme}://${hostPort(this.options.host, this.port)}`;
  }

  /** URLs a cluster would gossip as `ws_connect_urls` (advertise, else the bind address). */
  get connectUrls(): string[] {
    const adv = this.options.advertise;
    return [`${this.scheme}://${adv !== null && adv !== '' ? adv : hostPort(this.options.host, this.port)}`];
  }

  // ---------------------------------------------------------------- uWS app

  private createApp(): TemplatedApp {
    const tls = this.options.tls;
    if (tls === null) return this.uws.App();
    checkTlsSupported(tls);
    // Node parses the files first: a bad certificate gets nats-server's error text.
    buildServerTls(tls);
    try {
      return this.uws.SSLApp({ cert_file_name: tls.cert_file ?? '', key_file_name: tls.key_file ?? '' });
    } catch (err) {
      throw new WebsocketError(
        'ERR_WS_TLS',
        `websocket: unable to load TLS certificate/key: ${(err as Error).message}`,
      );
    }
  }

  private routes(): void {
    const uws = this.uws;
    this.app.ws<WsData>('/*', {
      maxPayloadLength: this.maxMessageSize,
      maxBackpressure: 2 * this.server.options.max_pending + this.maxMessageSize,
      closeOnBackpressureLimit: 0,
      // Liveness is NATS PING/PONG inside data frames (ping_interval), as in nats-server.
      idleTimeout: 0,
      sendPingsAutomatically: false,
      maxLifetime: 0,
      compression: this.compression ? uws.SHARED_COMPRESSOR | uws.SHARED_DECOMPRESSOR : uws.DISABLED,
      upgrade: (res, req, context) => this.onUpgrade(res, req, context),
      open: (ws) => this.onOpen(ws),
      message: (ws, message) => this.onMessage(ws, message),
      drain: (ws) => ws.getUserData().wire.conn?.onDrain(),
      close: (ws, code, message) => this.onWsClose(ws, code, message),
    });
    // Everything uWS does not route to the upgrade handler (not GET, no 24-character key).
    this.app.any('/*', (res, req) => {
      const r = this.snapshot(res, req);
      const rej = validateUpgrade(r, this.origin, false) ?? { status: 400, reason: 'invalid websocket key' };
      this.reject(res, r.peerIp, rej, r.method === 'HEAD');
    });
  }

  private snapshot(res: HttpResponse, req: HttpRequest): UpgradeRequest {
    const peer = formatIp(new Uint8Array(res.getRemoteAddress()));
    const r = newUpgradeRequest(req.getCaseSensitiveMethod(), req.getUrl(), this.tls, peer);
    req.forEach((k, v) => {
      addHeader(r, k, v);
    });
    return r;
  }

  // ---------------------------------------------------------------- upgrade

  private onUpgrade(res: HttpResponse, req: HttpRequest, context: us_socket_context_t): void {
    const r = this.snapshot(res, req);
    const rej = validateUpgrade(r, this.origin, false);
    if (rej !== null) {
      this.reject(res, r.peerIp, rej);
      return;
    }
    const route = routeOf(r.path);
    const clientIp = this.proxies.clientIp(r);
    const collected = collectCredentials(r, this.options);
    const creds = hasAnyCredential(collected.creds) ? collected.creds : null;
    const compress = this.compression && hasExtension(r, 'sec-websocket-extensions', 'permessage-deflate');
    const handshakeAuth = this.options.handshake_auth && route === WsRoute.CLIENT;
    const wire = new UwsWire(this, route, clientIp, r.peerIp, creds, handshakeAuth, compress);
    const key = firstHeader(r, 'sec-websocket-key');
    if (!handshakeAuth) {
      this.upgrade(res, context, wire, key);
      return;
    }
    if (collected.error !== null) {
      this.reject(res, wire.label, { status: 401, reason: collected.error });
      return;
    }
    void this.authenticateThenUpgrade(res, context, wire, key, collected.sources);
  }

  private upgrade(res: HttpResponse, context: us_socket_context_t, wire: UwsWire, key: string): void {
    if (this.extraHeaders.length > 0) {
      res.writeStatus('101 Switching Protocols');
      for (const [k, v] of this.extraHeaders) res.writeHeader(k, v);
    }
    this.stats.upgrades++;
    // uWS copies the user data's own properties: the wire travels inside a holder.
    const data: WsData = { wire };
    res.upgrade(data, key, '', wire.compress ? DEFLATE_OFFER : '', context);
  }

  /** Error answer: status text body, nats-server's headers, connection closed. */
  private reject(res: HttpResponse, label: string, rej: Rejection, head = false): void {
    this.stats.noteRejected(rej.status);
    this.server.logger.error(`${label} - websocket handshake error: ${rej.reason}`);
    const text = STATUS_TEXT[rej.status] ?? 'Error';
    res.writeStatus(`${rej.status} ${text}`);
    res.writeHeader('Content-Type', 'text/plain; charset=utf-8');
    res.writeHeader('Sec-Websocket-Version', '13');
    res.writeHeader('X-Content-Type-Options', 'nosniff');
    if (rej.status === 401) res.writeHeader('WWW-Authenticate', 'Bearer realm="nats"');
    if (head) res.endWithoutBody(text.length + 1, true);
    else res.end(`${text}\n`, true);
  }

  /**
   * Handshake-phase auth (Starling extension): the request's credentials go through the same
   * auth engine as a CONNECT would, before any 101. bcrypt runs asynchronously; the request may
   * be aborted meanwhile, and `handshake_timeout` bounds the wait.
   */
  private async authenticateThenUpgrade(
    res: HttpResponse,
    context: us_socket_context_t,
    wire: UwsWire,
    key: string,
    sources: string[],
  ): Promise<void> {
    const state = { done: false };
    res.onAborted(() => {
      state.done = true;
    });
    let timer: WheelTimer | null = null;
    const timeout = this.options.handshake_timeout;
    if (timeout > 0) {
      const target: TimerTarget = {
        onTimer: () => {
          if (state.done) return;
          state.done = true;
          this.stats.handshakeTimeouts++;
          this.server.logger.error(`${wire.label} - websocket handshake error: handshake timeout`);
          res.close();
        },
      };
      timer = new WheelTimer(target, 0);
      this.server.wheel.schedule(timer, timeout);
    }
    const creds = wire.creds;
    const ctx: AuthContext = {
      kind: ConnKind.WEBSOCKET,
      connect: {},
      nonce: null,
      tlsPeer: null,
      remoteAddress: wire.remoteAddress,
      cookies: creds,
      now: Date.now(),
    };
    let result: AuthResult;
    try {
      result = await this.server.auth.engine.authenticateAsync(ctx);
    } catch (err) {
      result = { ok: false, failure: { code: AuthFailureCode.INTERNAL_ERROR, reason: String(err), log: '' } };
    }
    if (timer !== null) this.server.wheel.cancel(timer);
    if (state.done) return;
    state.done = true;
    res.cork(() => {
      if (!result.ok) {
        this.server.authFailures++;
        const status = FORBIDDEN_FAILURES.has(result.failure.code) ? 403 : 401;
        const what = creds === null ? 'no credentials' : `credentials from ${sources.join(', ')}`;
        this.reject(res, wire.label, { status, reason: `authentication failed (${what}): ${result.failure.reason}` });
        return;
      }
      if (this.server.logger.debugEnabled) {
        this.server.logger.debug(
          `${wire.label} - websocket handshake authenticated as ${result.principal.logLabel} (${sources.join(', ') || 'no credentials'})`,
        );
      }
      this.upgrade(res, context, wire, key);
    });
  }

  // ---------------------------------------------------------------- websocket events

  private onOpen(ws: WebSocket<WsData>): void {
    const wire = ws.getUserData().wire;
    wire.ws = ws;
    if (wire.route === WsRoute.LEAFNODE) {
      // No leafnode websocket endpoint yet: nats-server completes the 101, then closes.
      // Closed on the next turn so the corked 101 goes out first.
      this.server.logger.error(`${wire.label} - Not configured to accept leaf node connections`);
      setImmediate(() => {
        if (!wire.closed) ws.close();
      });
      return;
    }
    const conn = this.server.acceptConnection(wire, ConnKind.WEBSOCKET);
    wire.conn = conn;
    if (conn.state !== ConnState.AWAIT_CONNECT) return; // refused and closing
    conn.listenerCredentials = wire.creds;
    if (wire.handshakeAuthenticated && this.server.authRequiredFor(conn)) {
      wire.gate = new ConnectGate(this.firstLineLimit);
    }
    conn.greet();
  }

  private onMessage(ws: WebSocket<WsData>, message: ArrayBuffer): void {
    const wire = ws.getUserData().wire;
    const conn = wire.conn;
    if (conn === null) return;
    // uWS calls this once per websocket message, many times per socket read. The server's
    // per-read flush would then write once per inbound message; instead one batch spans every
    // message of this event-loop turn and each touched connection is flushed once at its end
    // (setImmediate runs right after the poll phase that delivered them).
    if (!this.batching) {
      this.batching = true;
      this.server.beginRead();
      setImmediate(this.endBatch);
    }
    // A view: the parser finishes with it (copying only an op split across messages) before
    // returning, and uWS neuters the ArrayBuffer after this callback.
    const buf = Buffer.from(message);
    const gate = wire.gate;
    if (gate === null) {
      conn.onData(buf);
      return;
    }
    const verdict = gate.feed(buf, wire.creds ?? NO_CREDS);
    if (verdict === null) return;
    wire.gate = null;
    if (verdict.refuse !== null) {
      this.server.authFailures++;
      this.server.logger.error(`${conn.logPrefix}${verdict.refuse}`);
      conn.closeWithError(ERR_TEXT.AUTHORIZATION_VIOLATION, ClosedReason.AUTH_FAILURE);
      return;
    }
    conn.onData(verdict.pass);
  }

  private onWsClose(ws: WebSocket<WsData>, code: number, message: ArrayBuffer): void {
    const wire = ws.getUserData().wire;
    if (wire.closed) return;
    wire.closed = true;
    wire.ws = null;
    const conn = wire.conn;
    if (conn === null) return;
    // uWS closes the TCP connection itself (code 1006 with its reason) on a bad frame.
    if (code === 1006 && message.byteLength > 0 && conn.closedReason === null) {
      const why = Buffer.from(message).toString('utf8');
      this.stats.frameErrors++;
      conn.closedReason = why.startsWith('Received too big message')
        ? ClosedReason.MAX_PAYLOAD
        : ClosedReason.PROTOCOL_VIOLATION;
      this.server.logger.error(`${conn.logPrefix}websocket frame error: ${why}`);
    }
    conn.onClose();
  }

  onDroppedSend(wire: UwsWire): void {
    this.stats.droppedSends++;
    const conn = wire.conn;
    if (conn !== null && conn.state < ConnState.CLOSING) this.server.slowConsumerPending(conn);
  }
}

/** uWS user data of a websocket. */
interface WsData {
  wire: UwsWire;
}

interface ListenWithOptions {
  listen(host: string, port: number, options: number, cb: (ls: us_listen_socket | false) => void): void;
}

const NO_CREDS = { jwt: null, user: null, pass: null, token: null };

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * uWebSockets.js takes only certificate and key files (and an optional CA that makes client
 * certificates optional, never required). Settings it cannot honour would make the listener
 * weaker than configured, so they stop the start instead of being ignored.
 */
function checkTlsSupported(tls: NonNullable<WebsocketOptions['tls']>): void {
  const unsupported: string[] = [];
  if (tls.verify) unsupported.push('verify');
  if (tls.verify_and_map) unsupported.push('verify_and_map');
  if (tls.pinned_certs.length > 0) unsupported.push('pinned_certs');
  if (tls.cipher_suites.length > 0) unsupported.push('cipher_suites');
  if (tls.curve_preferences.length > 0) unsupported.push('curve_preferences');
  if (tls.min_version !== null && !/^(tlsv?)?1\.2$/i.test(tls.min_version)) unsupported.push('min_version');
  if (unsupported.length > 0) {
    throw new WebsocketError(
      'ERR_WS_TLS',
      `websocket.tls: ${unsupported.join(', ')} not supported by the uWebSockets.js listener (it accepts TLS 1.2+ with a certificate and key only); terminate TLS at a proxy for client certificates`,
    );
  }
}
