// Websocket conformance helpers: start a target with a `websocket {}` block on a port the server
// picks (read back from its "Listening for websocket clients on ws://host:port" log line), and a
// raw websocket client over node:net / node:tls — upgrade request text written by hand, frames
// built byte by byte (masked or not, any opcode/RSV bits, fragmented, compressed), server frames
// decoded and permessage-deflate messages inflated — so every byte on the wire is under test.
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { sleep, startTarget, type Target, type TargetKind } from '../src/targets.js';

export const WS_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
export const WS_ACCEPT = createHash('sha1').update(`${WS_KEY}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');

export interface WsTarget {
  readonly kind: TargetKind;
  readonly target: Target;
  readonly wsPort: number;
  readonly scheme: 'ws' | 'wss';
  stop(): Promise<void>;
}

/** nats.conf text with a websocket block on a server-chosen loopback port. */
export function wsConfig(wsBlock: string, top = ''): string {
  return `${top}\nwebsocket {\n  host: 127.0.0.1\n  port: -1\n  ${wsBlock}\n}\n`;
}

const LISTEN_RE = /Listening for websocket clients on (wss?):\/\/[^\s]*:(\d+)/;

export async function startWsTarget(kind: TargetKind, wsBlock: string, top = ''): Promise<WsTarget> {
  const target = await startTarget(kind, { config: wsConfig(wsBlock, top) });
  const deadline = Date.now() + 5000;
  for (;;) {
    const m = LISTEN_RE.exec(target.logs());
    if (m !== null) {
      return { kind, target, wsPort: Number(m[2]), scheme: m[1] as 'ws' | 'wss', stop: () => target.stop() };
    }
    if (Date.now() > deadline) {
      await target.stop();
      throw new Error(`${kind}: no websocket listen line in the log\n${target.logs()}`);
    }
    await sleep(20);
  }
}

/** One shared server per (target kind, config); stopped by `stopAll`. */
export class WsTargets {
  private readonly map = new Map<string, Promise<WsTarget>>();
  get(kind: TargetKind, wsBlock: string, top = ''): Promise<WsTarget> {
    const key = `${kind}\n${top}\n${wsBlock}`;
    let p = this.map.get(key);
    if (p === undefined) {
      p = startWsTarget(kind, wsBlock, top);
      this.map.set(key, p);
    }
    return p;
  }
  async stopAll(): Promise<void> {
    const all = [...this.map.values()];
    this.map.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => null))?.stop()));
  }
}

export function upgradeRequest(
  headers: Record<string, string | null> = {},
  opts: { path?: string; method?: string; version?: string } = {},
): string {
  const all: Record<string, string | null> = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': WS_KEY,
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  let s = `${opts.method ?? 'GET'} ${opts.path ?? '/'} ${opts.version ?? 'HTTP/1.1'}\r\n`;
  for (const [k, v] of Object.entries(all)) if (v !== null) s += `${k}: ${v}\r\n`;
  return `${s}\r\n`;
}

export interface HttpAnswer {
  status: number;
  statusLine: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Map<string, string>;
  body: string;
}

export interface WsFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  payload: Buffer;
}

export interface FrameOptions {
  opcode?: number;
  fin?: boolean;
  rsv?: number;
  mask?: boolean;
}

export function encodeFrame(payload: Buffer, o: FrameOptions = {}): Buffer {
  const mask = o.mask ?? true;
  const len = payload.length;
  const head: number[] = [((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | (o.opcode ?? 2)];
  const m = mask ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65536) head.push(m | 126, len >> 8, len & 0xff);
  else head.push(m | 127, 0, 0, 0, 0, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = Buffer.from([0x3a, 0x5c, 0x9e, 0x07]);
  const body = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) body[i] = payload[i]! ^ key[i & 3]!;
  return Buffer.concat([Buffer.from(head), key, body]);
}

/** A raw deflate of `text` with the 4-byte `00 00 ff ff` tail removed (RFC 7692 §7.2.1). */
export function deflateMessage(text: string | Buffer): Buffer {
  const out = deflateRawSync(typeof text === 'string' ? Buffer.from(text) : text, {
    finishFlush: constants.Z_SYNC_FLUSH,
  });
  return out.subarray(0, out.length - 4);
}

export function inflateMessage(payload: Buffer): Buffer {
  return inflateRawSync(Buffer.concat([payload, Buffer.from([0, 0, 0xff, 0xff])]), {
    finishFlush: constants.Z_SYNC_FLUSH,
  });
}

export function closeInfo(f: WsFrame): { code: number | null; reason: string } {
  if (f.payload.length < 2) return { code: null, reason: '' };
  return { code: f.payload.readUInt16BE(0), reason: f.payload.toString('utf8', 2) };
}

export class RawWsClient {
  readonly socket: Socket;
  private buf: Buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  /** Frames read so far that form an unfinished fragmented message. */
  private partial: WsFrame[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static async connect(port: number, opts: { tls?: boolean } = {}): Promise<RawWsClient> {
    const socket: Socket = opts.tls
      ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false })
      : connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once(opts.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawWsClient(socket);
  }

  /** Connects and writes `request`. */
  static async request(port: number, request: string, opts: { tls?: boolean } = {}): Promise<RawWsClient> {
    const c = await RawWsClient.connect(port, opts);
    c.write(request);
    return c;
  }

  /** Connects, upgrades (expecting 101) and consumes the INFO message. Returns the INFO JSON. */
  static async open(
    port: number,
    headers: Record<string, string | null> = {},
    opts: { tls?: boolean; path?: string } = {},
  ): Promise<{ ws: RawWsClient; answer: HttpAnswer; info: Record<string, unknown> }> {
    const ws = await RawWsClient.request(port, upgradeRequest(headers, { path: opts.path }), opts);
    const answer = await ws.readAnswer();
    if (answer.status !== 101) throw new Error(`expected 101, got ${answer.statusLine} ${JSON.stringify(answer.body)}`);
    const text = await ws.readText('\r\n');
    if (!text.startsWith('INFO ') || !text.endsWith(' \r\n'))
      throw new Error(`expected INFO, got ${JSON.stringify(text)}`);
    return { ws, answer, info: JSON.parse(text.slice(5, -3)) as Record<string, unknown> };
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async more(deadline: number, what: string): Promise<void> {
    if (this.closed)
      throw new Error(
        `connection closed while waiting for ${what}; unread ${JSON.stringify(this.buf.toString('latin1').slice(0, 200))}`,
      );
    const left = deadline - Date.now();
    if (left <= 0)
      throw new Error(
        `timeout waiting for ${what}; unread ${JSON.stringify(this.buf.toString('latin1').slice(0, 200))}`,
      );
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, left);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** The HTTP answer to the upgrade request (head, then the body by Content-Length for non-101). */
  async readAnswer(timeoutMs = 3000): Promise<HttpAnswer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end >= 0) {
        const lines = this.buf.toString('latin1', 0, end).split('\r\n');
        const statusLine = lines[0] ?? '';
        const headers = new Map<string, string>();
        for (const line of lines.slice(1)) {
          const i = line.indexOf(':');
          const k = line.slice(0, i).toLowerCase();
          const v = line.slice(i + 1).trim();
          headers.set(k, headers.has(k) ? `${headers.get(k)}, ${v}` : v);
        }
        const status = Number(statusLine.split(' ')[1]);
        let rest = this.buf.subarray(end + 4);
        let body = '';
        if (status !== 101) {
          const len = headers.has('content-length') ? Number(headers.get('content-length')) : -1;
          if (len >= 0) {
            while (this.buf.length - end - 4 < len) await this.more(deadline, 'the response body');
            rest = this.buf.subarray(end + 4);
            body = rest.toString('utf8', 0, len);
            rest = rest.subarray(len);
          }
        }
        this.buf = Buffer.from(rest);
        return { status, statusLine, headers, body };
      }
      await this.more(deadline, 'an HTTP answer');
    }
  }

  sendFrame(payload: string | Buffer, o: FrameOptions = {}): void {
    this.socket.write(encodeFrame(typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload, o));
  }

  /** NATS protocol text in one masked binary frame. */
  send(text: string): void {
    this.sendFrame(text);
  }

  /** One complete message, compressed (RSV1) with permessage-deflate. */
  sendCompressed(text: string): void {
    this.sendFrame(deflateMessage(text), { rsv: 4 });
  }

  /** The next raw frame. */
  async readFrame(timeoutMs = 3000): Promise<WsFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = decodeFrame(this.buf);
      if (f !== null) {
        this.buf = Buffer.from(this.buf.subarray(f.size));
        return f.frame;
      }
      await this.more(deadline, 'a frame');
    }
  }

  /**
   * The next data message (fragments joined, inflated when RSV1 is set). Control frames are
   * returned as they come (opcode 8, 9, 10).
   */
  async readMessage(timeoutMs = 3000): Promise<WsFrame & { compressed: boolean }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = await this.readFrame(Math.max(1, deadline - Date.now()));
      if (f.opcode >= 8) return { ...f, compressed: false };
      this.partial.push(f);
      if (!f.fin) continue;
      const first = this.partial[0]!;
      const payload = Buffer.concat(this.partial.map((p) => p.payload));
      this.partial = [];
      const compressed = (first.rsv & 4) !== 0;
      return { ...first, fin: true, payload: compressed ? inflateMessage(payload) : payload, compressed };
    }
  }

  /** Reads data messages until their text contains `until`; returns everything read. */
  async readText(until: string, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let acc = '';
    while (!acc.includes(until)) {
      const m = await this.readMessage(Math.max(1, deadline - Date.now()));
      if (m.opcode === 8) {
        const c = closeInfo(m);
        throw new Error(
          `close frame ${c.code} ${JSON.stringify(c.reason)} while waiting for ${JSON.stringify(until)} after ${JSON.stringify(acc)}`,
        );
      }
      if (m.opcode === 9 || m.opcode === 10) continue;
      acc += m.payload.toString('latin1');
    }
    return acc;
  }

  /** Sends `CONNECT` + PING and waits for the PONG. */
  async connectNats(connectJson = '{"verbose":false}'): Promise<void> {
    this.send(`CONNECT ${connectJson}\r\nPING\r\n`);
    const got = await this.readText('PONG\r\n');
    if (got !== 'PONG\r\n') throw new Error(`expected PONG, got ${JSON.stringify(got)}`);
  }

  /** Resolves when the server closed the TCP connection; fails after `timeoutMs`. */
  async waitClosed(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now())));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Nothing arrives and the connection stays open for `ms`. */
  async expectNothing(ms = 200): Promise<void> {
    const before = this.buf.length;
    await sleep(ms);
    if (this.closed) throw new Error('connection closed');
    if (this.buf.length !== before) throw new Error(`unexpected bytes ${JSON.stringify(this.buf.toString('latin1'))}`);
  }

  close(): void {
    this.socket.destroy();
  }
}

export function decodeFrame(b: Buffer): { frame: WsFrame; size: number } | null {
  if (b.length < 2) return null;
  const b0 = b[0]!;
  const b1 = b[1]!;
  let len = b1 & 0x7f;
  let off = 2;
  if (len === 126) {
    if (b.length < 4) return null;
    len = b.readUInt16BE(2);
    off = 4;
  } else if (len === 127) {
    if (b.length < 10) return null;
    len = Number(b.readBigUInt64BE(2));
    off = 10;
  }
  const masked = (b1 & 0x80) !== 0;
  if (masked) off += 4;
  if (b.length < off + len) return null;
  let payload = b.subarray(off, off + len);
  if (masked) {
    const key = b.subarray(off - 4, off);
    payload = Buffer.from(payload.map((x, i) => x ^ key[i & 3]!));
  }
  return { frame: { fin: (b0 & 0x80) !== 0, rsv: (b0 >> 4) & 7, opcode: b0 & 0x0f, payload }, size: off + len };
}

/** A plain TCP NATS client for cross-transport cases. */
export class TcpNats {
  private acc = '';
  private waiters: (() => void)[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.acc += d.toString('latin1');
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => {});
  }
  static async connect(port: number, connectJson = '{"verbose":false}'): Promise<TcpNats> {
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const c = new TcpNats(socket);
    await c.read('\r\n');
    c.acc = '';
    socket.write(`CONNECT ${connectJson}\r\nPING\r\n`);
    return c;
  }
  /** Waits until the text read so far contains `text`, then consumes up to and including it. */
  async read(text: string, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.acc.indexOf(text);
      if (i >= 0) {
        const out = this.acc.slice(0, i + text.length);
        this.acc = this.acc.slice(i + text.length);
        return out;
      }
      if (Date.now() > deadline)
        throw new Error(`tcp: timeout waiting for ${JSON.stringify(text)} in ${JSON.stringify(this.acc)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
  write(s: string): void {
    this.socket.write(s);
  }
  close(): void {
    this.socket.destroy();
  }
}
