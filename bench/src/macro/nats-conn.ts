/**
 * A bare client connection for the load generator: TCP or websocket, the project's protocol
 * parser for everything the server sends, PING answered with PONG, and a promise that resolves
 * once CONNECT (plus any setup ops) has been acknowledged by a PONG. No per-message promise,
 * closure or string: the role's `onMsg` sees the parser's reused args object.
 */
import { connect, type Socket } from 'node:net';
import { Op, type OpArgs, Parser, ParserMode } from '@starling/protocol';
import { checkUpgradeResponse, maskedFrame, newKey, upgradeRequest, WsFrameDecoder } from './ws-frames.js';

export type Transport = 'tcp' | 'ws';

export const CONNECT_OPTIONS = {
  verbose: false,
  pedantic: false,
  tls_required: false,
  name: 'starling-bench',
  lang: 'node',
  version: '0.0.0',
  protocol: 1,
  echo: true,
  headers: false,
  no_responders: false,
};

const PING = Buffer.from('PING\r\n');
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
/** A server that reads nothing (or answers no PING) for this long is stuck: the run fails. */
const STALL_MS = 60_000;
const PONG = Buffer.from('PONG\r\n');

export interface ConnOptions {
  host: string;
  port: number;
  transport: Transport;
  /** Ops sent right after CONNECT and before the PING that completes the handshake. */
  setup: string;
  /** Called for every MSG; `args` is valid only during the call. */
  onMsg: (args: OpArgs) => void;
}

export class NatsConn {
  readonly socket: Socket;
  readonly transport: Transport;
  /** Set by the first -ERR, a parse error, a websocket close or an unexpected socket close. */
  error: string | null;
  closed: boolean;
  private readonly parser: Parser;
  private readonly opts: ConnOptions;
  /** Called after every socket read has been parsed (subscribers stamp arrival times here). */
  afterRead: () => void;
  private pongWaiters: Array<() => void>;
  private decoder: WsFrameDecoder | null;
  private upgradeHead: Buffer | null;
  private upgradeKey: string;
  private upgradeDone: (err: Error | null) => void;
  private infoSeen: boolean;
  private readonly ready: Promise<void>;
  private readyResolve: () => void;
  private readyReject: (err: Error) => void;

  private constructor(socket: Socket, opts: ConnOptions) {
    this.socket = socket;
    this.transport = opts.transport;
    this.error = null;
    this.closed = false;
    this.opts = opts;
    this.afterRead = () => {};
    this.pongWaiters = [];
    this.decoder = null;
    this.upgradeHead = null;
    this.upgradeKey = '';
    this.upgradeDone = () => {};
    this.infoSeen = false;
    this.readyResolve = () => {};
    this.readyReject = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.parser = new Parser(ParserMode.SERVER, {
      onOp: (a: OpArgs) => this.onOp(a),
      onParseError: (code, offset) => this.fail(`protocol parse error ${code} at offset ${offset}`),
    });
  }

  /** Connects, sends CONNECT + setup + PING, resolves when the PONG arrives. */
  static async open(opts: ConnOptions): Promise<NatsConn> {
    // Reads land in one buffer shared by every connection of this process (`onread`): no Buffer
    // per read, no stream events. Safe because each read is fully handled (parsed, copied where
    // kept) before the next one is made.
    let conn: NatsConn | null = null;
    const socket = connect({
      host: opts.host,
      port: opts.port,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: (n: number, buf: Uint8Array) => conn!.onRead(n, buf) },
    });
    conn = new NatsConn(socket, opts);
    const c = conn;
    socket.on('error', (err) => c.fail(`socket error: ${err.message}`));
    socket.on('close', () => {
      if (!c.closed) c.fail('connection closed by the server');
      c.closed = true;
    });
    if (opts.transport === 'ws') {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      await c.upgrade();
    }
    await c.ready;
    return c;
  }

  /** Writes protocol bytes (framed when on a websocket); false means: wait for 'drain'. */
  write(bytes: Buffer): boolean {
    return this.socket.write(this.transport === 'ws' ? maskedFrame(bytes) : bytes);
  }

  /** Writes bytes that are already framed for this transport (PubStream chunks). */
  writeRaw(bytes: Buffer): boolean {
    return this.socket.write(bytes);
  }

  /** Resolves on 'drain'; rejects when the server has not read anything for `timeoutMs`. */
  drain(timeoutMs = STALL_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.socket.writableNeedDrain || this.closed) {
        resolve();
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        reject(new Error(`the server read nothing from this connection for ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  /** Round trip: resolves when the server has processed everything sent before. */
  ping(timeoutMs = STALL_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.error !== null) {
        reject(new Error(this.error));
        return;
      }
      const timer = setTimeout(() => reject(new Error(`no PONG within ${timeoutMs / 1000} s`)), timeoutMs);
      this.pongWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.write(PING);
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  /** Every read of the socket: websocket handshake, then frames, or NATS bytes straight to the parser. */
  private onRead(n: number, buf: Uint8Array): boolean {
    const chunk = (buf as Buffer).subarray(0, n);
    if (this.decoder !== null) this.decoder.push(chunk);
    else if (this.upgradeHead !== null) this.onUpgradeBytes(chunk);
    else this.parser.parse(chunk);
    this.afterRead();
    return true;
  }

  private async upgrade(): Promise<void> {
    const key = newKey();
    this.upgradeKey = key;
    this.upgradeHead = Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      this.upgradeDone = (err) => (err === null ? resolve() : reject(err));
      this.socket.write(upgradeRequest(this.opts.host, this.opts.port, key));
    });
  }

  private onUpgradeBytes(chunk: Buffer): void {
    const head = Buffer.concat([this.upgradeHead!, chunk]);
    this.upgradeHead = head;
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    this.upgradeHead = null;
    const problem = checkUpgradeResponse(head.subarray(0, end).toString('latin1'), this.upgradeKey);
    if (problem !== null) {
      this.upgradeDone(new Error(problem));
      return;
    }
    const decoder = new WsFrameDecoder();
    decoder.onData = (data) => this.parser.parse(data);
    decoder.onPing = (payload) => this.socket.write(maskedFrame(payload, 10));
    decoder.onClose = (code, reason) => this.fail(`websocket closed by the server: ${code} ${reason}`);
    decoder.onError = (reason) => this.fail(`websocket: ${reason}`);
    this.decoder = decoder;
    this.upgradeDone(null);
    const rest = head.subarray(end + 4);
    if (rest.length > 0) decoder.push(rest);
  }

  private onOp(a: OpArgs): boolean {
    switch (a.op) {
      case Op.MSG:
        this.opts.onMsg(a);
        return true;
      case Op.PING:
        this.write(PONG);
        return true;
      case Op.PONG: {
        const waiter = this.pongWaiters.shift();
        if (waiter) waiter();
        return true;
      }
      case Op.INFO:
        if (!this.infoSeen) {
          this.infoSeen = true;
          this.pongWaiters.push(this.readyResolve);
          this.write(Buffer.from(`CONNECT ${JSON.stringify(CONNECT_OPTIONS)}\r\n${this.opts.setup}PING\r\n`, 'latin1'));
        }
        return true;
      case Op.ERR:
        this.fail(`server sent -ERR ${a.buf.toString('latin1', a.restStart, a.restEnd)}`);
        return true;
      default:
        return true;
    }
  }

  private fail(why: string): void {
    if (this.error === null) this.error = why;
    this.readyReject(new Error(why));
    this.upgradeDone(new Error(why));
    const waiters = this.pongWaiters;
    this.pongWaiters = [];
    for (const w of waiters) w();
  }
}
