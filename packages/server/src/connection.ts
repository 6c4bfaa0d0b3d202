/**
 * The one transport-agnostic connection core. Bytes come in through `onData`, ops come out of
 * the parser into `onOp`, and bytes go out through a per-connection OutBuffer that the server
 * flushes once per inbound read (see Server.flushPending). Listeners (TCP, TLS, in-process,
 * and later WebSocket/MQTT/leafnode) only adapt their transport to the `Wire` interface.
 *
 * Hot-path rules: no closures, promises or per-message objects; payloads are views of the
 * read buffer, written straight into the receivers' OutBuffers.
 */

import type { PeerCertificate } from 'node:tls';
import type { ClientPermissions } from '@starling/auth';
import {
  ERR_TEXT,
  errLine,
  Op,
  type OpArgs,
  OutBuffer,
  ParseError,
  type ParseErrorCode,
  Parser,
  ParserMode,
  permPublishText,
  permReplyText,
  permSubscribeText,
} from '@starling/protocol';
import type { SublistResult } from '@starling/sublist';
import { isValidPublishSubject, isValidSubject } from '@starling/sublist';
import type { Account } from './account.js';
import { ClosedReason, type ClosedReasonText } from './closed-reason.js';
import { applyConnectJson, type ConnectOptions, defaultConnectOptions } from './connect-options.js';
import { MAX_IMPORT_DEPTH, routeInternal } from './imports.js';
import type { MsgView } from './msg-view.js';
import type { Server } from './server.js';
import type { AuthOutcome, ListenerCredentials } from './server-auth.js';
import { SubKind, Subscription } from './subscription.js';
import { type TimerTarget, WheelTimer } from './timer-wheel.js';
import { ConnKind, type ConnKindValue, type Wire } from './wire.js';

/** Connection lifecycle states. */
export const ConnState = {
  /** INFO sent, waiting for CONNECT. */
  AWAIT_CONNECT: 0,
  CONNECTED: 1,
  /** Closing: flushing what is queued, ignoring input. */
  CLOSING: 2,
  CLOSED: 3,
} as const;

const OP_NAMES: Record<number, string> = {
  [Op.PUB]: 'PUB',
  [Op.HPUB]: 'HPUB',
  [Op.SUB]: 'SUB',
  [Op.UNSUB]: 'UNSUB',
  [Op.PING]: 'PING',
  [Op.PONG]: 'PONG',
  [Op.INFO]: 'INFO',
  [Op.HMSG]: 'HMSG',
  [Op.OK]: '+OK',
  [Op.ERR]: '-ERR',
};

/** Longest a publisher waits for a slow receiver per read (nats-server: up to 10 ms). */
const STALL_MS = 5;

const TIMER_AUTH = 1;
const TIMER_PING = 2;
const TIMER_WRITE_DEADLINE = 3;
const TIMER_EXPIRY = 4;

const PONG = Buffer.from('PONG\r\n');
const PING = Buffer.from('PING\r\n');
const OK = Buffer.from('+OK\r\n');
/** [2.9] no-responders status: `NATS/1.0 503\r\n\r\n`, 16 bytes, no payload. */
const NO_RESPONDERS_HDR = Buffer.from('NATS/1.0 503\r\n\r\n');

const CH_SPACE = 0x20;
const CH_CR = 0x0d;
const CH_LF = 0x0a;

export class Connection implements TimerTarget {
  readonly cid: number;
  readonly kind: ConnKindValue;
  readonly server: Server;
  wire: Wire;
  readonly parser: Parser;
  readonly out: OutBuffer;
  opts: ConnectOptions;
  state: number;
  account: Account;
  readonly subs: Map<string, Subscription>;
  /** Effective limits for this connection. */
  maxPayload: number;
  maxSubscriptions: number;
  maxPending: number;
  authRequired: boolean;
  nonce: string | null;
  user: string | null;
  permissions: ClientPermissions | null;
  /** nats-server's label for this client in violation logs (`User "bob"`). */
  authLabel: string;
  /**
   * Credentials a listener found outside CONNECT (websocket cookies or upgrade headers), given
   * to the auth engine with the CONNECT fields. null for plain TCP.
   */
  listenerCredentials: ListenerCredentials | null;
  /** The verified client certificate on TLS connections, for verify_and_map and /connz. */
  tlsPeer: PeerCertificate | null;
  tlsVersion: string | null;
  tlsCipher: string | null;
  /** Remote address as shown in logs and monitoring. */
  readonly host: string;
  readonly port: number;
  readonly start: number;
  lastActivity: number;
  readonly logPrefix: string;
  // --- keepalive
  /** This listener's ping interval (a websocket block may set its own), ms. */
  readonly pingInterval: number;
  pingsOut: number;
  /** We answered the client's first PING after CONNECT: from then on async INFO may be sent. */
  firstPongSent: boolean;
  /** The first PING after CONNECT measures RTT and is sent even to a busy client. */
  rttPending: boolean;
  /** When the RTT PING went out (ms epoch), and the measured round trip (ms), -1 until known. */
  rttStart: number;
  rtt: number;
  readonly authTimer: WheelTimer;
  readonly pingTimer: WheelTimer;
  readonly writeTimer: WheelTimer;
  readonly expiryTimer: WheelTimer;
  /** A CONNECT is waiting for an asynchronous credential check; input is held meanwhile. */
  authPending: boolean;
  private held: Buffer[];
  private heldBytes: number;
  /** Pending bytes past which publishers to this connection are paced (3/4 of maxPending). */
  stallAt: number;
  /** The receiver this publisher waits for, and the publishers waiting for this receiver. */
  stalledOn: Connection | null;
  stalledProducers: Connection[];
  /** Reading is paused (stall). */
  paused: boolean;
  /** Set when the expiry timer closes for another reason than credential expiry. */
  closeOnExpiry: ClosedReasonText | null;
  // --- outbound
  flushQueued: boolean;
  /** Bytes the wire still held at the last flush/drain. */
  wirePending: number;
  /** Bytes ever handed to the wire, and how many of them had left it at the last check. */
  wireWritten: number;
  wireProgressMark: number;
  // --- stats
  inMsgs: number;
  inBytes: number;
  outMsgs: number;
  outBytes: number;
  closedReason: ClosedReasonText | null;
  stopTime: number;

  constructor(server: Server, cid: number, kind: ConnKindValue, wire: Wire, account: Account) {
    const o = server.options;
    this.cid = cid;
    this.kind = kind;
    this.server = server;
    this.wire = wire;
    this.parser = new Parser(ParserMode.CLIENT, this, {
      maxControlLine: o.max_control_line,
      maxPayload: o.max_payload,
    });
    this.out = new OutBuffer(512);
    // HPUB is refused until a CONNECT announces headers (nats-server checks it at the line).
    this.parser.headers = false;
    // Pedantic (the default until CONNECT says otherwise) checks the subject at the line.
    this.parser.msgLineHook = true;
    this.opts = defaultConnectOptions();
    this.state = ConnState.AWAIT_CONNECT;
    this.account = account;
    this.subs = new Map();
    this.maxPayload = o.max_payload;
    this.maxSubscriptions = o.max_subscriptions > 0 ? o.max_subscriptions : -1;
    this.maxPending = o.max_pending;
    this.authRequired = false;
    this.nonce = null;
    this.user = null;
    this.permissions = null;
    this.authLabel = 'User "N/A"';
    this.listenerCredentials = null;
    this.tlsPeer = null;
    this.tlsVersion = null;
    this.tlsCipher = null;
    this.host = wire.remoteAddress;
    this.port = wire.remotePort;
    this.start = Date.now();
    this.lastActivity = this.start;
    // nats-server labels websocket clients `wid:` and plain ones `cid:`.
    const label = kind === ConnKind.WEBSOCKET ? 'wid' : 'cid';
    this.logPrefix = `${this.host}:${this.port} - ${label}:${cid} - `;
    this.pingInterval =
      kind === ConnKind.WEBSOCKET && o.websocket?.ping_interval != null ? o.websocket.ping_interval : o.ping_interval;
    this.pingsOut = 0;
    this.firstPongSent = false;
    this.rttPending = false;
    this.rttStart = 0;
    this.rtt = -1;
    this.authTimer = new WheelTimer(this, TIMER_AUTH);
    this.pingTimer = new WheelTimer(this, TIMER_PING);
    this.writeTimer = new WheelTimer(this, TIMER_WRITE_DEADLINE);
    this.expiryTimer = new WheelTimer(this, TIMER_EXPIRY);
    this.authPending = false;
    this.held = [];
    this.heldBytes = 0;
    this.stallAt = Math.floor((o.max_pending * 3) / 4);
    this.stalledOn = null;
    this.stalledProducers = [];
    this.paused = false;
    this.closeOnExpiry = null;
    this.flushQueued = false;
    this.wirePending = 0;
    this.wireWritten = 0;
    this.wireProgressMark = 0;
    this.inMsgs = 0;
    this.inBytes = 0;
    this.outMsgs = 0;
    this.outBytes = 0;
    this.closedReason = null;
    this.stopTime = 0;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Sends INFO and arms the auth and first-ping timers. Called by the listener once the wire is ready. */
  greet(): void {
    this.sendInitialInfo();
    this.armStartTimers();
  }

  /** The first INFO (before a TLS upgrade, the listener sends it and arms timers after the handshake). */
  sendInitialInfo(): void {
    this.authRequired = this.server.authRequiredFor(this);
    this.nonce = this.server.nonceFor(this);
    this.writeInfo();
    this.flush();
  }

  armStartTimers(): void {
    if (this.state !== ConnState.AWAIT_CONNECT) return;
    if (this.authRequired) this.server.wheel.schedule(this.authTimer, this.server.authTimeoutMs(this));
    // Before CONNECT the regular ping interval applies; CONNECT arms the early RTT PING.
    this.server.wheel.schedule(this.pingTimer, this.pingInterval);
  }

  writeInfo(withNonce = true): void {
    const info = this.server.renderInfo(this, withNonce);
    this.out.writeLatin1(`INFO ${info} \r\n`);
  }

  /** Feed bytes from the transport. */
  onData(chunk: Buffer): void {
    if (this.state >= ConnState.CLOSING) return;
    if (this.authPending) {
      this.hold(chunk);
      return;
    }
    this.lastActivity = Date.now();
    this.server.beginRead();
    try {
      this.parser.parse(chunk);
    } catch (err) {
      // A bug must cost only this connection.
      this.server.logger.error(`${this.logPrefix}Internal error processing input: ${(err as Error).stack ?? err}`);
      this.closeNow(ClosedReason.PROTOCOL_VIOLATION);
    }
    this.server.endRead();
    if (this.authPending && this.parser.stoppedAt >= 0) this.hold(chunk.subarray(this.parser.stoppedAt));
    if (this.stalledOn !== null && !this.paused) this.stall();
  }

  /** The transport drained everything it held. */
  onDrain(): void {
    this.wirePending = this.wire.bufferedAmount();
    if (this.wirePending === 0) this.server.wheel.cancel(this.writeTimer);
    if (this.wirePending < this.stallAt) this.releaseProducers();
  }

  // ---------------------------------------------------------------- fast-producer stall

  /**
   * A receiver of ours is more than 3/4 full: stop reading from this publisher for a moment
   * (nats-server waits 2–10 ms per read), so a fast producer is paced by its slowest
   * receiver instead of pushing it past max_pending. Bounded: reading resumes when the
   * receiver drains or after STALL_MS, whichever comes first.
   */
  private stall(): void {
    this.paused = true;
    this.wire.pause();
    setTimeout(this.resumeFromStall, STALL_MS);
  }

  /** Bound once: no closure per stall. */
  private readonly resumeFromStall = (): void => {
    const on = this.stalledOn;
    this.stalledOn = null;
    if (on !== null) on.forgetProducer(this);
    if (!this.paused) return;
    this.paused = false;
    if (this.state < ConnState.CLOSING) this.wire.resume();
  };

  private noteStall(receiver: Connection): void {
    if (this.stalledOn !== null || receiver === this) return;
    this.stalledOn = receiver;
    receiver.stalledProducers.push(this);
  }

  forgetProducer(p: Connection): void {
    const list = this.stalledProducers;
    const i = list.indexOf(p);
    if (i >= 0) list.splice(i, 1);
  }

  private releaseProducers(): void {
    const list = this.stalledProducers;
    if (list.length === 0) return;
    this.stalledProducers = [];
    for (const p of list) {
      p.stalledOn = null;
      p.resumeFromStall();
    }
  }

  /** The transport closed (peer gone, error, or after our own end/destroy). */
  onClose(err?: Error): void {
    if (this.state === ConnState.CLOSED) return;
    if (this.closedReason === null) {
      this.closedReason = err ? ClosedReason.READ_ERROR : ClosedReason.CLIENT_CLOSED;
    }
    this.teardown();
  }

  /** Queue `-ERR`, flush, and close gracefully with `reason`. */
  closeWithError(text: string, reason: ClosedReasonText): void {
    if (this.state >= ConnState.CLOSING) return;
    this.out.writeBytes(errLine(text));
    this.closeAfterFlush(reason);
  }

  /** Flush what is queued, then close. */
  closeAfterFlush(reason: ClosedReasonText): void {
    if (this.state >= ConnState.CLOSING) return;
    this.closedReason = reason;
    this.state = ConnState.CLOSING;
    this.flush();
    this.wire.end();
    this.teardown();
  }

  /** Close at once, dropping queued output (slow consumers, fatal transport errors). */
  closeNow(reason: ClosedReasonText): void {
    if (this.state >= ConnState.CLOSING) return;
    this.closedReason = reason;
    this.state = ConnState.CLOSING;
    this.out.reset();
    this.wire.destroy();
    this.teardown();
  }

  private teardown(): void {
    if (this.state === ConnState.CLOSED) return;
    this.state = ConnState.CLOSED;
    this.stopTime = Date.now();
    const wheel = this.server.wheel;
    wheel.cancel(this.authTimer);
    wheel.cancel(this.pingTimer);
    wheel.cancel(this.writeTimer);
    wheel.cancel(this.expiryTimer);
    // Publishers paced by this receiver go on; a stalled publisher stops waiting.
    this.releaseProducers();
    if (this.stalledOn !== null) this.stalledOn.forgetProducer(this);
    this.stalledOn = null;
    // Recorded (for /connz?state=closed) before the subscriptions are dropped.
    this.server.removeConnection(this);
    for (const sub of this.subs.values()) {
      sub.closed = true;
      sub.account.sublist.remove(sub);
    }
    this.subs.clear();
  }

  // ---------------------------------------------------------------- timers

  onTimer(kind: number): void {
    if (this.state >= ConnState.CLOSING) return;
    switch (kind) {
      case TIMER_AUTH:
        if (this.state === ConnState.AWAIT_CONNECT) {
          this.server.logger.debug(`${this.logPrefix}Authentication Timeout`);
          this.closeWithError(ERR_TEXT.AUTHENTICATION_TIMEOUT, ClosedReason.AUTH_TIMEOUT);
        }
        return;
      case TIMER_PING:
        this.onPingTimer();
        return;
      case TIMER_WRITE_DEADLINE:
        this.onWriteDeadline();
        return;
      case TIMER_EXPIRY:
        if (this.closeOnExpiry === ClosedReason.MAX_SUBSCRIPTIONS) {
          this.server.logger.error(`${this.logPrefix}maximum subscriptions exceeded`);
          this.closeWithError(ERR_TEXT.MAX_SUBSCRIPTIONS_EXCEEDED, ClosedReason.MAX_SUBSCRIPTIONS);
          return;
        }
        this.server.logger.debug(`${this.logPrefix}User Authentication Expired`);
        this.closeWithError(ERR_TEXT.USER_AUTHENTICATION_EXPIRED, ClosedReason.AUTH_EXPIRED);
        return;
    }
  }

  /** After CONNECT the first PING comes early, min(ping_interval, 2 s) plus up to 20 %, to measure RTT. */
  private armFirstPing(): void {
    const interval = this.pingInterval;
    const first = Math.min(interval, 2000);
    this.rttPending = true;
    this.server.wheel.schedule(this.pingTimer, first + Math.floor(Math.random() * first * 0.2));
  }

  private onPingTimer(): void {
    const o = this.server.options;
    const now = Date.now();
    // Client activity within the interval proves it alive: no PING needed — except the first
    // one after CONNECT, which measures RTT.
    if (!this.rttPending && now - this.lastActivity < this.pingInterval) {
      this.server.wheel.schedule(this.pingTimer, this.pingInterval);
      return;
    }
    if (this.pingsOut + 1 > o.ping_max) {
      this.server.logger.debug(`${this.logPrefix}Stale Client Connection - Closing`);
      this.closeWithError(ERR_TEXT.STALE_CONNECTION, ClosedReason.STALE_CONNECTION);
      return;
    }
    if (this.rttPending) {
      this.rttPending = false;
      this.rttStart = performance.now();
    }
    this.pingsOut++;
    this.out.writeBytes(PING);
    this.flush();
    this.server.wheel.schedule(this.pingTimer, this.pingInterval);
  }

  private onWriteDeadline(): void {
    const buffered = this.wire.bufferedAmount();
    if (buffered === 0) return;
    const left = this.wireWritten - buffered;
    if (left > this.wireProgressMark) {
      // The peer is reading, just slowly: give it another deadline.
      this.wireProgressMark = left;
      this.server.wheel.schedule(this.writeTimer, this.server.options.write_deadline);
      return;
    }
    this.server.noteSlowConsumer(this);
    this.server.logger.notice(
      `${this.logPrefix}Slow Consumer Detected: WriteDeadline of ${formatSeconds(this.server.options.write_deadline)} exceeded with ${buffered} total bytes.`,
    );
    this.closeNow(ClosedReason.SLOW_CONSUMER_DEADLINE);
  }

  // ---------------------------------------------------------------- outbound

  /** Marks this connection to be flushed at the end of the current read cycle. */
  queueFlush(): void {
    if (!this.flushQueued) {
      this.flushQueued = true;
      this.server.queueFlush(this);
    }
  }

  /** Hands everything queued to the wire in one write. */
  flush(): void {
    this.flushQueued = false;
    const n = this.out.length;
    if (n === 0 || this.state === ConnState.CLOSED) return;
    const buf = this.out.detach();
    this.wireWritten += n;
    this.wire.write(buf);
    const pending = this.wire.bufferedAmount();
    this.wirePending = pending;
    if (pending > 0 && !this.writeTimer.armed && this.state === ConnState.CONNECTED) {
      this.wireProgressMark = this.wireWritten - pending;
      this.server.wheel.schedule(this.writeTimer, this.server.options.write_deadline);
    }
  }

  // ---------------------------------------------------------------- parser callbacks

  onParseError(code: ParseErrorCode, _offset: number): void {
    switch (code) {
      case ParseError.MAX_CONTROL_LINE:
        this.closeWithError(ERR_TEXT.MAX_CONTROL_LINE_EXCEEDED, ClosedReason.MAX_CONTROL_LINE);
        return;
      case ParseError.MAX_PAYLOAD:
        this.server.logger.error(`${this.logPrefix}Maximum Payload Violation`);
        this.closeWithError(ERR_TEXT.MAX_PAYLOAD_VIOLATION, ClosedReason.MAX_PAYLOAD);
        return;
      case ParseError.BAD_ARGS:
        this.closeAfterFlush(ClosedReason.PROTOCOL_VIOLATION);
        return;
      default:
        this.closeWithError(ERR_TEXT.UNKNOWN_PROTOCOL_OPERATION, ClosedReason.PROTOCOL_VIOLATION);
    }
  }

  /**
   * A PUB/HPUB line is complete (payload not read yet): nats-server's pedantic subject check
   * happens here, so its `-ERR` precedes any error about the payload. The message is still
   * routed afterwards.
   */
  onMsgLine(a: OpArgs): boolean {
    if (this.state === ConnState.AWAIT_CONNECT && this.authRequired) return true; // refused at onOp
    if (!isValidPublishSubject(this.subjectOf(a))) {
      this.out.writeBytes(errLine(ERR_TEXT.INVALID_PUBLISH_SUBJECT));
      this.queueFlush();
    }
    return true;
  }

  onOp(a: OpArgs): boolean {
    if (this.server.logger.traceEnabled) this.traceOp(a);
    if (this.state === ConnState.AWAIT_CONNECT && a.op !== Op.CONNECT && !this.preConnectOp()) return false;
    switch (a.op) {
      case Op.PUB:
      case Op.HPUB:
        this.processPub(a);
        break;
      case Op.SUB:
        this.processSub(a);
        break;
      case Op.UNSUB:
        this.processUnsub(a);
        break;
      case Op.PING:
        this.out.writeBytes(PONG);
        if (this.state === ConnState.CONNECTED && !this.firstPongSent) {
          this.firstPongSent = true;
          // [2.9] a proto-1 client whose effective max_payload differs from the server's
          // (a JWT limit) learns it from a fresh INFO right after its first PONG.
          if (this.opts.protocol >= 1 && this.maxPayload !== this.server.options.max_payload) this.writeInfo(false);
        }
        this.queueFlush();
        break;
      case Op.PONG:
        this.pingsOut = 0;
        if (this.rttStart > 0) {
          this.rtt = performance.now() - this.rttStart;
          this.rttStart = 0;
        }
        break;
      case Op.CONNECT:
        this.processConnect(a.buf.toString('utf8', a.restStart, a.restEnd));
        break;
      case Op.INFO:
        // A client INFO is parsed and ignored; invalid JSON closes silently.
        try {
          JSON.parse(a.buf.toString('utf8', a.restStart, a.restEnd));
        } catch {
          this.closeAfterFlush(ClosedReason.PROTOCOL_VIOLATION);
        }
        break;
      case Op.OK:
        break;
      case Op.HMSG:
        // [2.9 quirk] a client HMSG (with its bare CRLF) is swallowed; verbose still acknowledges it.
        if (this.opts.verbose) {
          this.out.writeBytes(OK);
          this.queueFlush();
        }
        break;
      case Op.ERR:
        this.closeAfterFlush(ClosedReason.PARSE_ERROR);
        break;
      default:
        this.closeWithError(ERR_TEXT.UNKNOWN_PROTOCOL_OPERATION, ClosedReason.PROTOCOL_VIOLATION);
    }
    return this.state < ConnState.CLOSING && !this.authPending;
  }

  /** `-V`: nats-server's trace lines for an inbound op (`<<- [PUB foo 5]`, `<<- MSG_PAYLOAD: ["…"]`). */
  private traceOp(a: OpArgs): void {
    const log = this.server.logger;
    const name = OP_NAMES[a.op] ?? '?';
    if (a.op === Op.CONNECT) return; // traced (with secrets masked) in processConnect
    const args = a.argc > 0 ? a.buf.toString('latin1', a.starts[0]!, a.ends[a.argc - 1]!) : '';
    log.trace(`${this.logPrefix}<<- [${name}${args ? ` ${args}` : ''}]`);
    if (a.payloadBuf !== null) {
      const max = this.server.options.max_traced_msg_len;
      let text = a.payloadBuf.toString('latin1', a.payloadStart, a.payloadEnd);
      if (max > 0 && text.length > max) text = `${text.slice(0, max)}...`;
      log.trace(`${this.logPrefix}<<- MSG_PAYLOAD: [${JSON.stringify(text)}]`);
    }
  }

  /**
   * An op other than CONNECT arrived first. Without auth it is simply processed; with a
   * no_auth_user the client is authenticated as that user on the spot; otherwise it is an
   * Authorization Violation.
   */
  private preConnectOp(): boolean {
    if (!this.authRequired) return true;
    if (this.server.hasNoAuthUser(this)) {
      return this.applyAuth(this.server.authenticatePreConnect(this));
    }
    this.closeWithError(ERR_TEXT.AUTHORIZATION_VIOLATION, ClosedReason.AUTH_FAILURE);
    return false;
  }

  // ---------------------------------------------------------------- CONNECT

  private processConnect(json: string): void {
    if (this.server.logger.traceEnabled)
      this.server.logger.trace(`${this.logPrefix}<<- [CONNECT ${redactConnect(json)}]`);
    const opts = this.state === ConnState.AWAIT_CONNECT ? defaultConnectOptions() : this.opts;
    if (!applyConnectJson(json, opts)) {
      this.closeAfterFlush(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    this.opts = opts;
    this.parser.headers = opts.headers && !this.server.options.no_header_support;
    this.parser.msgLineHook = opts.pedantic;
    if (opts.protocol < 0 || opts.protocol > 1) {
      this.closeWithError(ERR_TEXT.INVALID_CLIENT_PROTOCOL, ClosedReason.BAD_CLIENT_PROTOCOL);
      return;
    }
    if (opts.no_responders && !opts.headers) {
      this.closeWithError(ERR_TEXT.NO_RESPONDERS_REQUIRES_HEADERS, ClosedReason.NO_RESPONDERS_NO_HEADERS);
      return;
    }
    if (opts.account || opts.new_account) {
      this.closeWithError(ERR_TEXT.AUTHORIZATION_VIOLATION, ClosedReason.AUTH_FAILURE);
      return;
    }
    const res = this.server.authenticateDeferred(this);
    if (res instanceof Promise) {
      // An uncached bcrypt check: hold this client's input (onData) instead of blocking every
      // other connection, and carry on where the parser stopped once it is decided.
      this.authPending = true;
      res.then(
        (outcome) => this.resumeAfterAuth(outcome),
        () => this.resumeAfterAuth(null),
      );
      return;
    }
    this.finishConnect(res);
  }

  private finishConnect(res: AuthOutcome): void {
    if (!this.applyAuth(res)) return;
    if (this.opts.verbose) this.out.writeBytes(OK);
    this.queueFlush();
  }

  private resumeAfterAuth(res: AuthOutcome | null): void {
    this.authPending = false;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    if (this.state >= ConnState.CLOSING) return;
    if (res === null) {
      this.closeWithError(ERR_TEXT.AUTHORIZATION_VIOLATION, ClosedReason.AUTH_FAILURE);
      return;
    }
    this.finishConnect(res);
    for (let i = 0; i < held.length && this.state < ConnState.CLOSING && !this.authPending; i++) {
      this.onData(held[i]!);
    }
  }

  /** Keeps a copy of input that arrived while authentication was pending (bounded by max_pending). */
  private hold(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.heldBytes += chunk.length;
    if (this.heldBytes > this.maxPending) {
      this.closeNow(ClosedReason.SLOW_CONSUMER_PENDING);
      return;
    }
    this.held.push(Buffer.from(chunk));
  }

  private applyAuth(res: AuthOutcome): boolean {
    if (!res.ok || res.account === null) {
      this.closeWithError(ERR_TEXT.AUTHORIZATION_VIOLATION, ClosedReason.AUTH_FAILURE);
      return false;
    }
    this.server.wheel.cancel(this.authTimer);
    if (res.account !== this.account) {
      const limit = res.accountMaxConnections;
      if (limit >= 0 && res.account.clients.size >= limit) {
        this.server.logger.error(`${this.logPrefix}maximum account active connections exceeded`);
        this.closeWithError(ERR_TEXT.MAX_ACCOUNT_CONNECTIONS_EXCEEDED, ClosedReason.MAX_ACCOUNT_CONNECTIONS);
        return false;
      }
      this.server.moveToAccount(this, res.account);
    }
    this.applyLimits(res);
    if (res.expiresAt > 0) this.server.wheel.schedule(this.expiryTimer, res.expiresAt - Date.now());
    const first = this.state === ConnState.AWAIT_CONNECT;
    this.state = ConnState.CONNECTED;
    if (res.maxSubscriptions === 0) {
      // A JWT (or account) allowing no subscriptions: nats-server accepts the CONNECT and closes
      // the client with the limit error ~20 ms later (what was already sent is answered first).
      this.server.wheel.schedule(this.expiryTimer, 0);
      this.closeOnExpiry = ClosedReason.MAX_SUBSCRIPTIONS;
    }
    if (first) {
      this.armFirstPing();
      this.server.onClientConnected(this);
    }
    return true;
  }

  /** Identity, permissions and limits from an auth outcome (-1 limits = unlimited). */
  private applyLimits(res: AuthOutcome): void {
    this.user = res.user;
    this.authLabel = res.label;
    this.permissions = res.permissions;
    const max = res.maxPayload < 0 ? this.server.options.max_payload : res.maxPayload;
    this.maxPayload = max;
    this.parser.maxPayload = max;
    this.maxSubscriptions = res.maxSubscriptions;
  }

  /** After a reload: re-check credentials; closes on refusal, else applies new permissions/limits. */
  reauthenticate(): void {
    const res = this.server.authenticate(this);
    if (!res.ok || res.account === null) {
      this.closeWithError(ERR_TEXT.AUTHORIZATION_VIOLATION, ClosedReason.AUTH_FAILURE);
      return;
    }
    if (res.account !== this.account) {
      // nats-server closes clients whose account changed.
      this.closeAfterFlush(ClosedReason.CLIENT_CLOSED);
      return;
    }
    this.applyLimits(res);
    if (this.permissions !== null) {
      for (const sub of [...this.subs.values()]) {
        if (!this.permissions.canSubscribe(sub.subject, sub.queue)) this.removeSub(sub);
      }
    }
  }

  // ---------------------------------------------------------------- SUB / UNSUB

  private processSub(a: OpArgs): void {
    const buf = a.buf;
    const subject = buf.toString('latin1', a.subjectStart, a.subjectEnd);
    const queue = a.queueStart >= 0 ? buf.toString('latin1', a.queueStart, a.queueEnd) : null;
    const sid = buf.toString('latin1', a.sidStart, a.sidEnd);
    if (this.permissions !== null && !this.permissions.canSubscribe(subject, queue)) {
      this.subPermissionViolation(subject, queue);
      return;
    }
    if (queue === '_sys_') {
      this.subPermissionViolation(subject, queue);
      return;
    }
    if (this.maxSubscriptions >= 0 && this.subs.size >= this.maxSubscriptions) {
      this.server.logger.error(`${this.logPrefix}maximum subscriptions exceeded`);
      this.out.writeBytes(errLine(ERR_TEXT.MAX_SUBSCRIPTIONS_EXCEEDED));
      this.queueFlush();
      return;
    }
    if (!this.subs.has(sid)) {
      if (!isValidSubject(subject)) {
        this.out.writeBytes(errLine(ERR_TEXT.INVALID_SUBJECT));
        this.queueFlush();
        return;
      }
      const sub = new Subscription(this, this.account, subject, queue, sid);
      if (!this.account.sublist.insert(sub)) {
        this.out.writeBytes(errLine(ERR_TEXT.INVALID_SUBJECT));
        this.queueFlush();
        return;
      }
      this.subs.set(sid, sub);
    }
    if (this.opts.verbose) {
      this.out.writeBytes(OK);
      this.queueFlush();
    }
  }

  private subPermissionViolation(subject: string, queue: string | null): void {
    const text = permSubscribeText(subject, queue);
    this.server.logger.error(`${this.logPrefix}Subscription Violation - ${this.userLabel()}, Subject "${subject}"`);
    this.out.writeBytes(errLine(text));
    this.queueFlush();
  }

  private processUnsub(a: OpArgs): void {
    const sid = a.buf.toString('latin1', a.sidStart, a.sidEnd);
    const sub = this.subs.get(sid);
    if (sub !== undefined) {
      const max = a.maxMsgs;
      if (max > 0 && max > sub.delivered) {
        sub.max = max;
      } else {
        this.removeSub(sub);
      }
    }
    if (this.opts.verbose) {
      this.out.writeBytes(OK);
      this.queueFlush();
    }
  }

  removeSub(sub: Subscription): void {
    if (sub.closed) return;
    sub.closed = true;
    this.subs.delete(sub.sid);
    sub.account.sublist.remove(sub);
  }

  // ---------------------------------------------------------------- PUB / HPUB and delivery

  /** The published subject as a string (interned: repeated subjects are not decoded again). */
  private subjectOf(a: OpArgs): string {
    return this.server.subjects.get(a.buf, a.subjectStart, a.subjectEnd);
  }

  private processPub(a: OpArgs): void {
    if (a.op === Op.HPUB && (!this.opts.headers || this.server.options.no_header_support)) {
      // nats-server closes silently: the client did not announce header support.
      this.closeAfterFlush(ClosedReason.PROTOCOL_VIOLATION);
      return;
    }
    const subject = this.subjectOf(a);
    const size = a.size;
    this.inMsgs++;
    this.inBytes += size;
    const acc = this.account;
    acc.inMsgs++;
    acc.inBytes += size;
    this.server.inMsgs++;
    this.server.inBytes += size;
    if (subject.startsWith('_GR_.')) {
      this.pubPermissionViolation(subject);
      return;
    }
    const perms = this.permissions;
    if (perms !== null && !perms.canPublish(subject, perms.responses !== null ? Date.now() : 0)) {
      this.pubPermissionViolation(subject);
      return;
    }
    if (a.replyStart >= 0 && isReservedReply(a.buf, a.replyStart, a.replyEnd)) {
      const reply = a.buf.toString('latin1', a.replyStart, a.replyEnd);
      this.server.logger.error(`${this.logPrefix}Publish Violation - ${this.userLabel()}, Reply "${reply}"`);
      this.out.writeBytes(errLine(permReplyText(reply)));
      this.queueFlush();
      return;
    }
    if (this.opts.verbose) {
      this.out.writeBytes(OK);
      this.queueFlush();
    }
    const result = acc.sublist.match(subject);
    const delivered = this.deliverResult(a, result, subject);
    if (delivered === 0 && this.opts.no_responders && a.replyStart >= 0) this.sendNoResponders(a);
  }

  private pubPermissionViolation(subject: string): void {
    this.server.logger.error(`${this.logPrefix}Publish Violation - ${this.userLabel()}, Subject "${subject}"`);
    this.out.writeBytes(errLine(permPublishText(subject)));
    this.queueFlush();
  }

  /** Delivers to every plain subscriber and one member of each queue group; returns the count. */
  private deliverResult(a: OpArgs, result: SublistResult<Subscription>, subject: string): number {
    const v = this.server.msgView(0);
    v.subject = subject;
    v.sb = a.buf;
    v.ss = a.subjectStart;
    v.se = a.subjectEnd;
    v.rb = a.replyStart >= 0 ? a.buf : null;
    v.rs = a.replyStart;
    v.re = a.replyEnd;
    return this.deliverMatches(a, result, v, 0);
  }

  /**
   * Delivers one message, seen as `v` (subject and reply, possibly rewritten by an account
   * import), to `result`. Internal subscriptions (imports, service responses) route it on into
   * another account; `depth` bounds such chains.
   */
  deliverMatches(a: OpArgs, result: SublistResult<Subscription>, v: MsgView, depth: number): number {
    let n = 0;
    const psubs = result.psubs;
    const echo = this.opts.echo;
    for (let i = 0; i < psubs.length; i++) {
      const sub = psubs[i]!;
      if (sub.kind !== SubKind.CLIENT) {
        if (depth < MAX_IMPORT_DEPTH) n += routeInternal(this, sub, a, v, depth);
        continue;
      }
      if (!echo && sub.conn === this) continue;
      if (this.deliver(sub, a, v)) n++;
    }
    const qsubs = result.qsubs;
    for (let g = 0; g < qsubs.length; g++) {
      const members = qsubs[g]!;
      const len = members.length;
      if (len === 0) continue;
      // Random start, then the first member that takes the message.
      const start = len === 1 ? 0 : Math.floor(Math.random() * len);
      for (let k = 0; k < len; k++) {
        const sub = members[(start + k) % len]!;
        if (!echo && sub.conn === this) continue;
        if (this.deliver(sub, a, v)) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  /**
   * Writes one MSG/HMSG for `sub` into its connection's OutBuffer. Returns false when the
   * subscription could not take it (closed, over its max, filtered by permissions).
   */
  private deliver(sub: Subscription, a: OpArgs, v: MsgView): boolean {
    if (sub.closed) return false;
    const client = sub.conn!;
    if (client.state >= ConnState.CLOSING) return false;
    if (sub.max > 0) {
      if (sub.delivered >= sub.max) {
        client.removeSub(sub);
        return false;
      }
    }
    const rb = v.rb;
    const perms = client.permissions;
    if (perms !== null) {
      if (perms.filtersDeliveries && !perms.deliverAllowed(v.subject)) return false;
      // allow_responses: the receiver may now publish once (or max times) to this reply.
      if (perms.responses !== null && rb !== null) {
        perms.onDeliveredWithReply(rb.toString('latin1', v.rs, v.re), Date.now());
      }
    }
    sub.delivered++;
    const src = a.buf;
    // Header+payload bytes as a range of the read buffer (no view object per message).
    const pb = a.payloadBuf!;
    const ps = a.payloadStart;
    const pe = a.payloadEnd;
    const hdr = a.hdrSize;
    const withHeaders = a.op === Op.HPUB && hdr > 0;
    const out = client.out;
    const subjLen = v.se - v.ss;
    const sidLen = sub.sidBytes.length;
    const replyLen = rb !== null ? v.re - v.rs : -1;
    const sid = sub.sidBytes;
    if (withHeaders && client.opts.headers) {
      // HMSG <subject> <sid> [reply] <hdr> <total>\r\n<hdr+payload>\r\n — size tokens verbatim.
      const hdrTok = a.hdrEnd - a.hdrStart;
      const totTok = a.sizeEnd - a.sizeStart;
      out.ensure(5 + subjLen + 1 + sidLen + 1 + (replyLen + 1) + hdrTok + 1 + totTok + 2 + (pe - ps) + 2);
      const b = out.buf;
      let p = out.len;
      b[p++] = 0x48; // H
      p = writeMsgHead(b, p, v, sid);
      for (let i = a.hdrStart; i < a.hdrEnd; i++) b[p++] = src[i]!;
      b[p++] = CH_SPACE;
      for (let i = a.sizeStart; i < a.sizeEnd; i++) b[p++] = src[i]!;
      b[p++] = CH_CR;
      b[p++] = CH_LF;
      p = copyBytes(pb, ps, pe, b, p);
      b[p++] = CH_CR;
      b[p++] = CH_LF;
      out.len = p;
    } else {
      // MSG <subject> <sid> [reply] <size>\r\n<payload>\r\n; headers stripped for clients without them.
      const bs = withHeaders ? ps + hdr : ps;
      const bodyLen = pe - bs;
      out.ensure(4 + subjLen + 1 + sidLen + 1 + (replyLen + 1) + 11 + 2 + bodyLen + 2);
      const b = out.buf;
      let p = writeMsgHead(b, out.len, v, sid);
      if (withHeaders) {
        p = writeUint(b, p, bodyLen);
      } else {
        for (let i = a.sizeStart; i < a.sizeEnd; i++) b[p++] = src[i]!;
      }
      b[p++] = CH_CR;
      b[p++] = CH_LF;
      p = copyBytes(pb, bs, pe, b, p);
      b[p++] = CH_CR;
      b[p++] = CH_LF;
      out.len = p;
    }
    const size = pe - ps;
    client.outMsgs++;
    client.outBytes += size;
    const acc = client.account;
    acc.outMsgs++;
    acc.outBytes += size;
    this.server.outMsgs++;
    this.server.outBytes += size;
    if (!client.flushQueued) {
      client.flushQueued = true;
      this.server.queueFlush(client);
    }
    const pending = out.length + client.wirePending;
    if (pending > client.stallAt) {
      if (pending > client.maxPending) this.server.slowConsumerPending(client);
      else this.noteStall(client);
    }
    if (sub.max > 0 && sub.delivered >= sub.max) client.removeSub(sub);
    return true;
  }

  /**
   * [2.9] no-responders: nobody received a request from a client that asked for the status,
   * and the client listens on the reply subject itself: answer with a 503 HMSG to that sub.
   */
  private sendNoResponders(a: OpArgs): void {
    const reply = a.buf.toString('latin1', a.replyStart, a.replyEnd);
    const result = this.account.sublist.match(reply);
    for (const sub of result.psubs) {
      if (sub.kind !== SubKind.CLIENT || sub.conn !== this || sub.closed) continue;
      const out = this.out;
      out.writeLatin1('HMSG ');
      out.writeLatin1(reply);
      out.writeLatin1(' ');
      out.writeBytes(sub.sidBytes);
      out.writeLatin1(' 16 16\r\n');
      out.writeBytes(NO_RESPONDERS_HDR);
      out.writeLatin1('\r\n');
      this.queueFlush();
      return;
    }
  }

  private userLabel(): string {
    return this.authLabel;
  }
}

/** `_R_.`, `$JS.ACK.` (with something after it) and `_GR_.` replies are reserved for the server. */
function isReservedReply(buf: Buffer, s: number, e: number): boolean {
  const len = e - s;
  if (len >= 4 && buf[s] === 0x5f && buf[s + 1] === 0x52 && buf[s + 2] === 0x5f && buf[s + 3] === 0x2e) return true; // _R_.
  if (
    len >= 5 &&
    buf[s] === 0x5f &&
    buf[s + 1] === 0x47 &&
    buf[s + 2] === 0x52 &&
    buf[s + 3] === 0x5f &&
    buf[s + 4] === 0x2e
  )
    return true; // _GR_.
  if (len > 8 && buf.toString('latin1', s, s + 8) === '$JS.ACK.') return true;
  return false;
}

/** Writes `MSG <subject> <sid> [reply] ` at p (the caller writes an `H` first for HMSG). */
function writeMsgHead(b: Buffer, p: number, v: MsgView, sid: Buffer): number {
  b[p++] = 0x4d; // M
  b[p++] = 0x53; // S
  b[p++] = 0x47; // G
  b[p++] = CH_SPACE;
  p = copyBytes(v.sb, v.ss, v.se, b, p);
  b[p++] = CH_SPACE;
  for (let i = 0; i < sid.length; i++) b[p++] = sid[i]!;
  b[p++] = CH_SPACE;
  const rb = v.rb;
  if (rb !== null) {
    p = copyBytes(rb, v.rs, v.re, b, p);
    b[p++] = CH_SPACE;
  }
  return p;
}

/**
 * Copies src[s, e) to dst at p; returns the new position. Short runs (subjects, small
 * payloads) are copied in JS: Buffer#copy has a fixed native-call cost that dominates them.
 */
function copyBytes(src: Buffer, s: number, e: number, dst: Buffer, p: number): number {
  const n = e - s;
  if (n <= 48) {
    for (let i = s; i < e; i++) dst[p++] = src[i]!;
    return p;
  }
  return p + src.copy(dst, p, s, e);
}

/** Writes a non-negative integer in decimal at `p`; returns the new position. */
function writeUint(b: Buffer, p: number, n: number): number {
  if (n === 0) {
    b[p] = 0x30;
    return p + 1;
  }
  let digits = 0;
  for (let x = n; x > 0; x = Math.floor(x / 10)) digits++;
  let q = p + digits - 1;
  for (let x = n; x > 0; x = Math.floor(x / 10)) b[q--] = 0x30 + (x % 10);
  return p + digits;
}

/** Go's duration text for the log line (`2s`, `1.5s`, `500ms`). */
function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`;
}

/** CONNECT JSON for trace logs with secrets masked. */
function redactConnect(json: string): string {
  return json.replace(/"(pass|auth_token|sig|jwt)"\s*:\s*"(?:[^"\\]|\\.)*"/g, '"$1":"[REDACTED]"');
}
