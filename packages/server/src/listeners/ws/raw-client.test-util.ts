/**
 * A small raw websocket client for the listener's tests: an upgrade request written by hand,
 * masked client frames built byte by byte, server frames decoded (uncompressed only).
 */
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export const TEST_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

export interface Frame {
  fin: boolean;
  rsv: number;
  opcode: number;
  payload: Buffer;
}

export interface HttpAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

export class RawWs {
  readonly socket: Socket;
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  answer: HttpAnswer | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async more(deadline: number): Promise<void> {
    if (this.closed) throw new Error('connection closed');
    const left = deadline - Date.now();
    if (left <= 0) throw new Error('timeout');
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, left);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Opens a TCP connection and sends `request` (a full HTTP request text). */
  static async open(port: number, request: string, tls = false): Promise<RawWs> {
    const socket = tls
      ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false })
      : connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once(tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const c = new RawWs(socket);
    socket.write(request);
    return c;
  }

  /** Reads the HTTP response head (and, for non-101, the body until close or Content-Length). */
  async readAnswer(timeoutMs = 2000): Promise<HttpAnswer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end >= 0) {
        const head = this.buf.toString('latin1', 0, end).split('\r\n');
        const status = Number(head[0]?.split(' ')[1]);
        const headers = new Map<string, string>();
        for (const line of head.slice(1)) {
          const i = line.indexOf(':');
          headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
        }
        let rest = this.buf.subarray(end + 4);
        let body = '';
        if (status !== 101) {
          const len = Number(headers.get('content-length') ?? '0');
          while (rest.length < len) {
            await this.more(deadline);
            rest = this.buf.subarray(end + 4);
          }
          body = rest.toString('utf8', 0, len);
          rest = rest.subarray(len);
        }
        this.buf = Buffer.from(rest);
        this.answer = { status, headers, body };
        return this.answer;
      }
      await this.more(deadline);
    }
  }

  /** Sends one frame (masked unless `mask` is false). */
  sendFrame(
    payload: Buffer | string,
    opts: { opcode?: number; fin?: boolean; rsv?: number; mask?: boolean } = {},
  ): void {
    this.socket.write(encodeFrame(typeof payload === 'string' ? Buffer.from(payload) : payload, opts));
  }

  /** Sends NATS protocol text in one binary frame. */
  send(text: string): void {
    this.sendFrame(text);
  }

  async readFrame(timeoutMs = 2000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = decodeFrame(this.buf);
      if (f !== null) {
        this.buf = Buffer.from(this.buf.subarray(f.size));
        return f.frame;
      }
      await this.more(deadline);
    }
  }

  /** Reads data frames until their concatenated payloads contain `text`; returns all text read. */
  async readUntil(text: string, timeoutMs = 2000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let acc = '';
    while (!acc.includes(text)) {
      const f = await this.readFrame(Math.max(1, deadline - Date.now()));
      if (f.opcode === 8)
        throw new Error(`close frame ${closeOf(f).code} ${closeOf(f).reason} after ${JSON.stringify(acc)}`);
      acc += f.payload.toString('latin1');
    }
    return acc;
  }

  /** Resolves once the server has closed the TCP connection. */
  async waitClosed(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed)
      await this.more(deadline).catch((e: Error) => {
        if (e.message === 'timeout') throw new Error('still open');
      });
  }

  close(): void {
    this.socket.destroy();
  }
}

export function closeOf(f: Frame): { code: number; reason: string } {
  if (f.payload.length < 2) return { code: 0, reason: '' };
  return { code: f.payload.readUInt16BE(0), reason: f.payload.toString('utf8', 2) };
}

export function upgradeRequest(extra: Record<string, string> = {}, path = '/', method = 'GET'): string {
  const headers: Record<string, string> = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': TEST_KEY,
    'Sec-WebSocket-Version': '13',
    ...extra,
  };
  let s = `${method} ${path} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(headers)) if (v !== '') s += `${k}: ${v}\r\n`;
  return `${s}\r\n`;
}

export function encodeFrame(
  payload: Buffer,
  opts: { opcode?: number; fin?: boolean; rsv?: number; mask?: boolean } = {},
): Buffer {
  const opcode = opts.opcode ?? 2;
  const fin = opts.fin ?? true;
  const mask = opts.mask ?? true;
  const len = payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opcode];
  const m = mask ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65536) head.push(m | 126, len >> 8, len & 0xff);
  else {
    head.push(m | 127, 0, 0, 0, 0);
    head.push((len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = Buffer.from([0x11, 0x22, 0x33, 0x44]);
  const body = Buffer.alloc(len);
  for (let i = 0; i < len; i++) body[i] = payload[i]! ^ key[i & 3]!;
  return Buffer.concat([Buffer.from(head), key, body]);
}

export function decodeFrame(b: Buffer): { frame: Frame; size: number } | null {
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
  if (b1 & 0x80) off += 4; // servers never mask, but be exact
  if (b.length < off + len) return null;
  return {
    frame: { fin: (b0 & 0x80) !== 0, rsv: (b0 >> 4) & 7, opcode: b0 & 0x0f, payload: b.subarray(off, off + len) },
    size: off + len,
  };
}
