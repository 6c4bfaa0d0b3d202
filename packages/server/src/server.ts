/**
 * The Server: options, accounts, the connection registry, the per-read flush queue, the timer
 * wheel, listeners and lifecycle (start, reload, lame duck, shutdown). Protocol work happens in
 * Connection; listeners only adapt transports.
 */
import { EventEmitter } from 'node:events';
import type { ServerOptions } from '@starling/conf';
import { ERR_TEXT, errLine } from '@starling/protocol';
import { createServer as createServerNkey } from 'nkeys.js';
import { Account, GLOBAL_ACCOUNT } from './account.js';
import { ClosedReason } from './closed-reason.js';
import { type ClosedConnection, ClosedRing } from './closed-ring.js';
import { Connection, ConnState } from './connection.js';
import { installImports, removeInternal, sweepResponses } from './imports.js';
import { NATS_COMPAT_VERSION, PROTO, renderInfo, type ServerInfo } from './info.js';
import { type InProcessStream, InProcessWire } from './listeners/in-process.js';
import { TcpListener } from './listeners/tcp.js';
import { buildServerTls } from './listeners/tls.js';
import type { WebsocketListener } from './listeners/ws/index.js';
import { type Logger, NullLogger } from './logger.js';
import { type MonitorHandle, startMonitoring } from './monitor/index.js';
import { MsgView } from './msg-view.js';
import { resolveServerOptions, type ServerOptionsInput } from './options.js';
import { type AuthOutcome, ServerAuth } from './server-auth.js';
import { SubjectIntern } from './subject-intern.js';
import type { Subscription } from './subscription.js';
import { TimerWheel } from './timer-wheel.js';
import { ConnKind, type ConnKindValue, type Wire } from './wire.js';

export interface ServerEvents {
  'client:connect': [conn: Connection];
  'client:disconnect': [conn: Connection, reason: string];
  error: [err: Error];
  lameduck: [];
  shutdown: [];
}

export interface ServerDeps {
  /** Where logs go; default: nats-server-format lines on stderr for the CLI, nothing when embedded. */
  logger?: Logger;
}

/** Server-wide counters, as /varz reports them. */
export interface ServerStats {
  inMsgs: number;
  inBytes: number;
  outMsgs: number;
  outBytes: number;
  slowConsumers: number;
  totalConnections: number;
}

export class Server extends EventEmitter<ServerEvents> {
  options: ServerOptions;
  logger: Logger;
  readonly wheel: TimerWheel;
  /** Decoded published subjects, shared by every connection. */
  readonly subjects = new SubjectIntern();
  readonly serverId: string;
  readonly startTime: number;
  /** When the configuration was last loaded (start, then each reload), ms epoch. */
  configTime: number;
  readonly accounts = new Map<string, Account>();
  readonly globalAccount: Account;
  readonly systemAccount: Account | null;
  readonly clients = new Map<number, Connection>();
  readonly closed: ClosedRing;
  info: ServerInfo;
  auth: ServerAuth;
  // counters (plain fields: incremented on the hot path)
  inMsgs = 0;
  inBytes = 0;
  outMsgs = 0;
  outBytes = 0;
  slowConsumers = 0;
  totalConnections = 0;
  authFailures = 0;
  /** Refused credentials by the auth engine's failure code (read by /metrics). */
  readonly authRefusalsByCode = new Map<string, number>();
  /** Internal subscriptions bridging accounts (re-installed on reload). */
  private importSubs: Subscription[] = [];
  private readonly responses = new Set<Subscription>();
  private lastResponseSweep = 0;
  private readonly views: MsgView[] = [];
  private nextCid = 1;
  private readDepth = 0;
  private readonly pendingFlush: Connection[] = [];
  private tcp: TcpListener | null = null;
  /** The websocket listener (listeners/ws), when a `websocket {}` block with a port is configured. */
  ws: WebsocketListener | null = null;

  /** Refused websocket handshakes by HTTP status (read by /metrics). */
  get wsHandshakeRejections(): ReadonlyMap<number, number> | undefined {
    return this.ws?.stats.rejected;
  }
  /** The monitoring listener, when http_port / https_port is set. */
  monitor: MonitorHandle | null = null;
  private running = false;
  private shuttingDown = false;
  private lameDuckMode = false;

  constructor(input: ServerOptionsInput = {}, deps: ServerDeps = {}) {
    super();
    this.options = resolveServerOptions(input);
    this.logger = deps.logger ?? new NullLogger();
    this.wheel = new TimerWheel(50);
    this.serverId = createServerNkey().getPublicKey();
    this.startTime = Date.now();
    this.configTime = this.startTime;
    this.closed = new ClosedRing(this.options.max_closed_clients);
    const cache = !this.options.disable_sublist_cache;
    this.auth = new ServerAuth(this.options);
    this.globalAccount = new Account(GLOBAL_ACCOUNT, { cache });
    this.accounts.set(GLOBAL_ACCOUNT, this.globalAccount);
    for (const name of this.auth.accountNames()) {
      if (!this.accounts.has(name)) this.accounts.set(name, new Account(name, { cache }));
    }
    const sysName = this.auth.systemAccountName;
    this.systemAccount = sysName === null ? null : (this.accountByName(sysName) ?? null);
    this.installAllImports();
    this.info = this.buildInfo(this.options.port);
  }

  /** The reusable message view for import depth `depth` (see MsgView). */
  msgView(depth: number): MsgView {
    let v = this.views[depth];
    if (v === undefined) {
      v = new MsgView();
      this.views[depth] = v;
    }
    return v;
  }

  private installAllImports(): void {
    removeInternal(this.importSubs);
    this.importSubs = [];
    for (const acc of [...this.accounts.values()]) this.importSubs.push(...installImports(this, acc));
  }

  /** A `_R_.` response route was created; expired ones are swept now and then. */
  trackResponse(sub: Subscription): void {
    this.responses.add(sub);
    const now = Date.now();
    if (now - this.lastResponseSweep > 10_000) {
      this.lastResponseSweep = now;
      sweepResponses(this.responses, now);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /** Binds the listeners. Resolves once clients can connect. */
  async start(): Promise<void> {
    if (this.running) return;
    const o = this.options;
    this.logger.notice(`Starting starling (NATS protocol, nats-server ${NATS_COMPAT_VERSION} compatible)`);
    this.logger.notice(`  Version:  ${NATS_COMPAT_VERSION}`);
    this.logger.notice(`  Name:     ${this.info.server_name}`);
    this.logger.notice(`  ID:       ${this.serverId}`);
    if (o.config_file) this.logger.notice(`Using configuration file: ${o.config_file}`);
    for (const block of o.unsupported) {
      this.logger.warn(`The "${block.key}" block is parsed and validated but Starling does not provide it yet`);
    }
    this.tcp = new TcpListener(this, o.tls !== null ? buildServerTls(o.tls) : null);
    const port = await this.tcp.listen(o.host, o.port);
    this.info = this.buildInfo(port);
    if (o.websocket !== null && o.websocket.port !== 0) {
      // Websocket listener: imported lazily so uWebSockets.js loads only when configured. It logs
      // "Listening for websocket clients on ws://host:port" and registers its INFO differences.
      const { startWebsocket } = await import('./listeners/ws/index.js');
      try {
        this.ws = await startWebsocket(this, o.websocket);
      } catch (err) {
        // Not started: release the client port too, so the process can exit.
        await this.tcp.close();
        throw err;
      }
    }
    if (o.http_port !== 0 || o.https_port !== 0) {
      // Monitoring: https_port wins when both are set (nats-server refuses both; conf reports it).
      const secure = o.https_port !== 0;
      const host = o.http_host || o.host;
      this.monitor = await startMonitoring(this, {
        host,
        port: secure ? o.https_port : o.http_port,
        tls: secure && o.tls !== null ? buildServerTls(o.tls) : null,
        basePath: o.http_base_path,
      });
      this.logger.notice(`Starting ${secure ? 'https' : 'http'} monitor on ${formatHostPort(host, this.monitor.port)}`);
    }
    this.running = true;
    this.logger.notice(`Listening for client connections on ${formatHostPort(o.host, port)}`);
    this.logger.notice('Server is ready');
  }

  /** The bound client port (useful with port -1 / 0). */
  get port(): number {
    return this.tcp?.port ?? this.options.port;
  }

  /** Host and port clients should use to reach this server. */
  get clientUrl(): string {
    const host = this.options.host === '0.0.0.0' || this.options.host === '' ? '127.0.0.1' : this.options.host;
    return `nats://${formatHostPort(host, this.port)}`;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get inLameDuckMode(): boolean {
    return this.lameDuckMode;
  }

  /** Stops listening, closes every client (reason Server Shutdown) and stops timers. */
  async shutdown(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.logger.notice('Initiating Shutdown...');
    const closing = this.tcp?.close();
    void this.ws?.close(); // websocket listener: stop accepting (its clients close below)
    const conns = [...this.clients.values()];
    for (const c of conns) c.closeAfterFlush(ClosedReason.SERVER_SHUTDOWN);
    // A peer that never reads would hold its socket (and the listener's close) open forever:
    // give flushing a moment, then cut what is left.
    const cut = setTimeout(() => {
      for (const c of conns) c.wire.destroy();
    }, 1000);
    cut.unref();
    await closing;
    clearTimeout(cut);
    await this.monitor?.close();
    this.monitor = null;
    await this.auth.bcrypt.close();
    this.wheel.stop();
    this.running = false;
    this.logger.notice('Server Exiting..');
    this.emit('shutdown');
  }

  /**
   * Lame duck mode: stop accepting, tell proto-1 clients (INFO ldm:true), wait the grace
   * period, then close clients spread over the rest of lame_duck_duration, then shut down.
   */
  async lameDuck(): Promise<void> {
    if (this.lameDuckMode || this.shuttingDown) return;
    this.lameDuckMode = true;
    const o = this.options;
    this.logger.notice('Entering lame duck mode, stop accepting new clients');
    this.emit('lameduck');
    // Stop accepting now; the listener's close completes once the last client is gone.
    const closing = this.tcp?.close();
    closing?.catch(() => {});
    void this.ws?.close(); // websocket listener: stop accepting too
    this.info = { ...this.info, ldm: true };
    for (const c of this.clients.values()) {
      if (c.opts.protocol >= 1 && c.firstPongSent && c.state === ConnState.CONNECTED) {
        c.writeInfo();
        c.flush();
      }
    }
    await sleep(o.lame_duck_grace_period);
    const clients = [...this.clients.values()];
    if (clients.length > 0) {
      const window = Math.max(0, o.lame_duck_duration - o.lame_duck_grace_period);
      const step = Math.min(1000, window / clients.length);
      this.logger.notice(`Closing existing clients`);
      for (const c of clients) {
        c.closeAfterFlush(ClosedReason.SERVER_SHUTDOWN);
        if (step >= 1) await sleep(step);
      }
    }
    await this.shutdown();
  }

  // ---------------------------------------------------------------- reload

  /**
   * Applies new options to the running server (SIGHUP). Returns null on success, or nats-server's
   * refusal text when any changed option cannot be reloaded (then nothing changes).
   */
  reload(input: ServerOptionsInput): string | null {
    let next: ServerOptions;
    try {
      next = resolveServerOptions(input);
    } catch (err) {
      return (err as Error).message;
    }
    const prev = this.options;
    for (const [key, field] of NOT_RELOADABLE) {
      const a = JSON.stringify(prev[key]);
      const b = JSON.stringify(next[key]);
      if (a !== b) return `config reload not supported for ${field}: old=${fmtGo(prev[key])}, new=${fmtGo(next[key])}`;
    }
    for (const key of Object.keys(next) as (keyof ServerOptions)[]) {
      if (key === 'config_file') continue;
      if (JSON.stringify(prev[key]) !== JSON.stringify(next[key])) {
        this.logger.notice(
          `Reloaded: ${String(key)} = ${key === 'authorization' || key === 'accounts' ? '[REDACTED]' : fmtGo(next[key])}`,
        );
      }
    }
    this.options = next;
    this.configTime = Date.now();
    this.auth = new ServerAuth(next, this.auth.bcrypt);
    for (const name of this.auth.accountNames()) this.accountByName(name);
    this.installAllImports();
    this.info = this.buildInfo(this.port);
    this.tcp?.setTls(next.tls !== null ? buildServerTls(next.tls) : null, next.allow_non_tls);
    for (const c of [...this.clients.values()]) {
      if (c.state !== ConnState.CONNECTED) continue;
      c.parser.maxControlLine = next.max_control_line;
      // Re-run authentication: refused clients are closed, the others get their new permissions and limits.
      c.reauthenticate();
    }
    return null;
  }

  // ---------------------------------------------------------------- connections

  /** Called by listeners for each new transport. Returns null when the server refuses it. */
  acceptConnection(wire: Wire, kind: ConnKindValue): Connection {
    const cid = this.nextCid++;
    const conn = new Connection(this, cid, kind, wire, this.globalAccount);
    this.totalConnections++;
    if (this.clients.size >= this.options.max_connections || this.lameDuckMode || this.shuttingDown) {
      // nats-server sends INFO first, then the error, then closes.
      conn.writeInfo();
      conn.out.writeBytes(errLine(ERR_TEXT.MAX_CONNECTIONS_EXCEEDED));
      this.logger.error(`${conn.logPrefix}Maximum connections exceeded`);
      conn.closeAfterFlush(ClosedReason.MAX_CONNECTIONS);
      return conn;
    }
    this.clients.set(cid, conn);
    this.globalAccount.clients.add(conn);
    if (this.logger.debugEnabled) this.logger.debug(`${conn.logPrefix}Client connection created`);
    return conn;
  }

  /** Socketless connection for embedders and tests: returns the client's end as a Duplex stream. */
  connectInProcess(): InProcessStream {
    const wire = new InProcessWire();
    const conn = this.acceptConnection(wire, ConnKind.IN_PROCESS);
    wire.attach(conn);
    if (conn.state === ConnState.AWAIT_CONNECT) conn.greet();
    return wire.stream;
  }

  removeConnection(conn: Connection): void {
    if (!this.clients.delete(conn.cid)) return;
    conn.account.clients.delete(conn);
    const reason = conn.closedReason ?? ClosedReason.CLIENT_CLOSED;
    this.closed.push(conn);
    if (this.logger.debugEnabled) this.logger.debug(`${conn.logPrefix}Client connection closed: ${reason}`);
    this.emit('client:disconnect', conn, reason);
  }

  onClientConnected(conn: Connection): void {
    this.emit('client:connect', conn);
  }

  moveToAccount(conn: Connection, account: Account): void {
    conn.account.clients.delete(conn);
    conn.account = account;
    account.clients.add(conn);
  }

  // ---------------------------------------------------------------- per-read flushing

  beginRead(): void {
    this.readDepth++;
  }

  endRead(): void {
    if (--this.readDepth === 0) this.flushPending();
  }

  /** Connections written to during this read are flushed once when it ends. */
  queueFlush(conn: Connection): void {
    if (this.readDepth === 0) {
      conn.flush();
      return;
    }
    this.pendingFlush.push(conn);
  }

  private flushPending(): void {
    const list = this.pendingFlush;
    // A flush may close a connection, which never queues more; the list only grows here.
    for (let i = 0; i < list.length; i++) list[i]!.flush();
    list.length = 0;
  }

  // ---------------------------------------------------------------- slow consumers

  noteSlowConsumer(conn: Connection): void {
    this.slowConsumers++;
    conn.account.slowConsumers++;
  }

  slowConsumerPending(conn: Connection): void {
    this.noteSlowConsumer(conn);
    this.logger.notice(`${conn.logPrefix}Slow Consumer Detected: MaxPending of ${conn.maxPending} Exceeded`);
    conn.closeNow(ClosedReason.SLOW_CONSUMER_PENDING);
  }

  // ---------------------------------------------------------------- auth hooks

  authRequiredFor(conn: Connection): boolean {
    return this.auth.authRequired(conn.kind);
  }

  hasNoAuthUser(conn: Connection): boolean {
    return this.auth.hasNoAuthUser(conn.kind);
  }

  nonceFor(conn: Connection): string | null {
    return this.auth.nonce(conn.kind);
  }

  authTimeoutMs(conn: Connection): number {
    return this.auth.authTimeoutMs(conn.kind);
  }

  authenticate(conn: Connection): AuthOutcome {
    return this.logAuth(conn, this.auth.authenticate(conn, this));
  }

  /** Like authenticate, but an uncached bcrypt check comes back as a promise instead of blocking. */
  authenticateDeferred(conn: Connection): AuthOutcome | Promise<AuthOutcome> {
    const r = this.auth.authenticateDeferred(conn, this);
    if (r instanceof Promise) return r.then((o) => this.logAuth(conn, o));
    return this.logAuth(conn, r);
  }

  authenticatePreConnect(conn: Connection): AuthOutcome {
    return this.logAuth(conn, this.auth.authenticatePreConnect(this));
  }

  private logAuth(conn: Connection, outcome: AuthOutcome): AuthOutcome {
    if (!outcome.ok) {
      this.authFailures++;
      const code = outcome.code || 'AUTH_REFUSED';
      this.authRefusalsByCode.set(code, (this.authRefusalsByCode.get(code) ?? 0) + 1);
      if (outcome.reason) this.logger.debug(`${conn.logPrefix}${outcome.reason}`);
      this.logger.error(`${conn.logPrefix}${outcome.log}`);
    }
    return outcome;
  }

  accountByName(name: string): Account | null {
    let acc = this.accounts.get(name);
    if (acc === undefined) {
      acc = new Account(name, { cache: !this.options.disable_sublist_cache });
      this.accounts.set(name, acc);
      // Accounts met later (operator mode) bring their imports along.
      if (this.importSubs !== undefined) this.importSubs.push(...installImports(this, acc));
    }
    return acc;
  }

  // ---------------------------------------------------------------- INFO

  /**
   * Per-connection-kind INFO differences (a websocket listener has its own TLS flags, for
   * example). Listeners other than the client port register theirs here.
   */
  readonly infoOverrides = new Map<number, Partial<ServerInfo>>();

  renderInfo(conn: Connection, withNonce = true): string {
    const over = this.infoOverrides.get(conn.kind);
    const base = over === undefined ? this.info : { ...this.info, ...over };
    return renderInfo(
      { ...base, auth_required: this.auth.infoAuthRequired(conn.kind) },
      { max_payload: conn.maxPayload, client_id: conn.cid, client_ip: conn.host, nonce: withNonce ? conn.nonce : null },
    );
  }

  private buildInfo(port: number): ServerInfo {
    const o = this.options;
    let host = o.host;
    let advPort = port;
    if (o.client_advertise) {
      const [h, p] = splitHostPort(o.client_advertise, port);
      host = h;
      advPort = p;
    }
    return {
      server_id: this.serverId,
      server_name: o.server_name ?? this.serverId,
      version: NATS_COMPAT_VERSION,
      proto: PROTO,
      git_commit: null,
      go: `node${process.version}`,
      host,
      port: advPort,
      headers: !o.no_header_support,
      auth_required: false,
      tls_required: o.tls !== null && !o.allow_non_tls,
      tls_verify: o.tls !== null && (o.tls.verify || o.tls.verify_and_map),
      tls_available: o.tls !== null && o.allow_non_tls,
      max_payload: o.max_payload,
      connect_urls: [],
      ws_connect_urls: [],
      ldm: false,
    };
  }

  // ---------------------------------------------------------------- stats

  stats(): ServerStats {
    return {
      inMsgs: this.inMsgs,
      inBytes: this.inBytes,
      outMsgs: this.outMsgs,
      outBytes: this.outBytes,
      slowConsumers: this.slowConsumers,
      totalConnections: this.totalConnections,
    };
  }

  closedConnections(): readonly ClosedConnection[] {
    return this.closed.list();
  }
}

/** Options a reload may not change, with the field names nats-server reports. */
const NOT_RELOADABLE: [keyof ServerOptions, string][] = [
  ['host', 'Host'],
  ['port', 'Port'],
  ['server_name', 'ServerName'],
  ['max_pending', 'MaxPending'],
  ['max_subscriptions', 'MaxSubs'],
  ['http_host', 'HTTPHost'],
  ['http_port', 'HTTPPort'],
  ['https_port', 'HTTPSPort'],
  ['lame_duck_duration', 'LameDuckDuration'],
  ['lame_duck_grace_period', 'LameDuckGracePeriod'],
  ['no_header_support', 'NoHeaderSupport'],
  ['system_account', 'SystemAccount'],
  ['no_system_account', 'NoSystemAccount'],
  ['websocket', 'Websocket'],
];

function fmtGo(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function splitHostPort(s: string, defPort: number): [string, number] {
  const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(s);
  if (!m) return [s, defPort];
  return [m[1] ?? s, m[2] ? Number(m[2]) : defPort];
}
