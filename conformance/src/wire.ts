// A raw TCP send/expect DSL in the style of nats-server's test/test.go. Everything the server
// sends accumulates in one read buffer; each expect* consumes from its front, so a transcript is
// asserted byte for byte, in order. Strings are converted with latin1 both ways, so one char is
// one byte and sizes in the protocol equal string lengths.
import { connect, type Socket } from 'node:net';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export const DEFAULT_EXPECT_MS = 2000;

export class WireError extends Error {
  override name = 'WireError';
}

export interface InfoFrame {
  /** The whole line as received, including `INFO ` and ` \r\n`. */
  raw: string;
  /** The JSON text exactly as received. */
  json: string;
  info: Record<string, unknown>;
}

export type Frame =
  | { op: 'INFO'; raw: string; info: Record<string, unknown> }
  | { op: 'MSG'; raw: string; subject: string; sid: string; reply: string | null; payload: string }
  | {
      op: 'HMSG';
      raw: string;
      subject: string;
      sid: string;
      reply: string | null;
      headers: string;
      payload: string;
    }
  | { op: 'PING' | 'PONG' | '+OK'; raw: string }
  | { op: '-ERR'; raw: string; text: string };

const show = (s: string, max = 400): string => {
  const j = JSON.stringify(s);
  return j.length > max ? `${j.slice(0, max)}…(${s.length} bytes)` : j;
};

export class WireClient {
  private buf = '';
  private closedFlag = false;
  private closeReason: string | null = null;
  private waiter: (() => void) | null = null;
  readonly socket: Socket;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      this.wake();
    });
    socket.on('error', (err) => {
      this.closeReason = err.message;
    });
    socket.on('close', () => {
      this.closedFlag = true;
      this.wake();
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Bytes received and not yet consumed by an expect. */
  pending(): string {
    return this.buf;
  }

  /** Drops everything buffered so far (returns it). */
  drain(): string {
    const b = this.buf;
    this.buf = '';
    return b;
  }

  send(data: string | Uint8Array): void {
    if (this.closedFlag || this.socket.destroyed) return;
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Writes `data` in pieces cut at `points` (byte offsets), waiting `delayMs` between pieces. */
  async sendSplit(data: string | Uint8Array, points: readonly number[], delayMs = 2): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
    let from = 0;
    const cuts = [...points].filter((p) => p > 0 && p < bytes.length).sort((a, b) => a - b);
    for (const p of cuts) {
      this.send(bytes.subarray(from, p));
      from = p;
      await new Promise((r) => setTimeout(r, delayMs));
    }
    this.send(bytes.subarray(from));
  }

  /** Stops reading from the socket (the kernel buffers fill up, as with a client that hangs). */
  pauseReading(): void {
    this.socket.pause();
  }

  close(): void {
    this.socket.destroy();
  }

  /** Round trip: sends PING and consumes the PONG (after any `expectFirst` bytes, e.g. `+OK`). */
  async ping(expectFirst = '', timeoutMs = DEFAULT_EXPECT_MS): Promise<void> {
    this.send('PING\r\n');
    await this.expect(`${expectFirst}PONG\r\n`, timeoutMs);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Waits for new bytes, close, or the deadline. Returns false on deadline. */
  private waitForChange(deadline: number): Promise<boolean> {
    const left = deadline - Date.now();
    if (left <= 0) return Promise.resolve(false);
    return new Promise((res) => {
      const t = setTimeout(() => {
        this.waiter = null;
        res(false);
      }, left);
      this.waiter = () => {
        clearTimeout(t);
        res(true);
      };
    });
  }

  private describeState(): string {
    const state = this.closedFlag ? `closed${this.closeReason !== null ? ` (${this.closeReason})` : ''}` : 'open';
    return `connection ${state}; unread ${show(this.buf)}`;
  }

  /**
   * Consumes exactly `pattern` (a string: exact bytes; a RegExp: matched at the start of the
   * buffer) and returns the consumed text. Fails at once on a byte mismatch.
   */
  async expect(pattern: string | RegExp, timeoutMs = DEFAULT_EXPECT_MS): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    if (typeof pattern === 'string') {
      for (;;) {
        const n = Math.min(this.buf.length, pattern.length);
        if (this.buf.slice(0, n) !== pattern.slice(0, n)) {
          throw new WireError(`expected ${show(pattern)} but got ${show(this.buf)}`);
        }
        if (this.buf.length >= pattern.length) {
          this.buf = this.buf.slice(pattern.length);
          return pattern;
        }
        if (this.closedFlag) throw new WireError(`expected ${show(pattern)}; ${this.describeState()}`);
        if (!(await this.waitForChange(deadline))) {
          throw new WireError(`timed out after ${timeoutMs} ms expecting ${show(pattern)}; ${this.describeState()}`);
        }
      }
    }
    const re = new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, '')}y`);
    for (;;) {
      re.lastIndex = 0;
      const m = re.exec(this.buf);
      if (m !== null) {
        this.buf = this.buf.slice(m[0].length);
        return m[0];
      }
      if (this.closedFlag) throw new WireError(`expected ${pattern}; ${this.describeState()}`);
      if (!(await this.waitForChange(deadline))) {
        throw new WireError(`timed out after ${timeoutMs} ms expecting ${pattern}; ${this.describeState()}`);
      }
    }
  }

  /** Consumes one complete line (through LF) and returns it. */
  async expectLine(timeoutMs = DEFAULT_EXPECT_MS): Promise<string> {
    return this.expect(/[^\n]*\n/, timeoutMs);
  }

  /**
   * Consumes `INFO <json> \r\n`, checking the exact framing (space before CRLF) and that the JSON
   * is compact (re-serialising it gives the same bytes, so key order is what was sent).
   */
  async expectInfo(timeoutMs = DEFAULT_EXPECT_MS): Promise<InfoFrame> {
    const raw = await this.expect(/INFO [^\r\n]*\r\n/, timeoutMs);
    if (!raw.endsWith(' \r\n')) throw new WireError(`INFO line lacks the space before CRLF: ${show(raw)}`);
    const json = raw.slice('INFO '.length, -' \r\n'.length);
    let info: Record<string, unknown>;
    try {
      info = JSON.parse(json) as Record<string, unknown>;
    } catch (err) {
      throw new WireError(`INFO JSON does not parse: ${(err as Error).message}: ${show(json)}`);
    }
    if (JSON.stringify(info) !== json) throw new WireError(`INFO JSON is not compact/canonical: ${show(json)}`);
    return { raw, json, info };
  }

  /** Asserts the server closes the connection within `ms` without sending anything more. */
  async expectClosed(ms = DEFAULT_EXPECT_MS): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.closedFlag) {
      if (this.buf.length > 0) throw new WireError(`expected close, got bytes: ${this.describeState()}`);
      if (!(await this.waitForChange(deadline))) {
        throw new WireError(`expected the server to close within ${ms} ms; ${this.describeState()}`);
      }
    }
    if (this.buf.length > 0) throw new WireError(`closed, but with unread bytes: ${show(this.buf)}`);
  }

  /** Asserts that nothing arrives (and the connection stays open) for `ms`. */
  async expectNothing(ms = 100): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (this.buf.length > 0) throw new WireError(`expected nothing, got ${show(this.buf)}`);
      if (this.closedFlag) throw new WireError(`expected nothing, but the ${this.describeState()}`);
      if (!(await this.waitForChange(deadline))) return;
    }
  }

  /** Reads and consumes the next complete server op, whatever it is. */
  async nextFrame(timeoutMs = DEFAULT_EXPECT_MS): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = this.tryParseFrame();
      if (f !== null) return f;
      if (this.closedFlag) throw new WireError(`expected a frame; ${this.describeState()}`);
      if (!(await this.waitForChange(deadline))) {
        throw new WireError(`timed out after ${timeoutMs} ms waiting for a frame; ${this.describeState()}`);
      }
    }
  }

  /** Collects `n` frames (e.g. MSGs), failing if they do not all arrive in time. */
  async frames(n: number, timeoutMs = DEFAULT_EXPECT_MS): Promise<Frame[]> {
    const deadline = Date.now() + timeoutMs;
    const out: Frame[] = [];
    while (out.length < n) out.push(await this.nextFrame(Math.max(1, deadline - Date.now())));
    return out;
  }

  private tryParseFrame(): Frame | null {
    const eol = this.buf.indexOf('\r\n');
    if (eol < 0) return null;
    const line = this.buf.slice(0, eol);
    const space = line.indexOf(' ');
    const op = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const args = line.split(' ').filter((a) => a !== '');
    const take = (len: number): string => {
      const raw = this.buf.slice(0, len);
      this.buf = this.buf.slice(len);
      return raw;
    };
    switch (op) {
      case 'PING':
      case 'PONG':
      case '+OK':
        return { op, raw: take(eol + 2) };
      case '-ERR': {
        const raw = take(eol + 2);
        return { op: '-ERR', raw, text: line.slice(5).replace(/^'|'$/g, '') };
      }
      case 'INFO': {
        const raw = take(eol + 2);
        return { op: 'INFO', raw, info: JSON.parse(line.slice(5)) as Record<string, unknown> };
      }
      case 'MSG': {
        if (args.length !== 4 && args.length !== 5) throw new WireError(`bad MSG line ${show(line)}`);
        const size = Number(args[args.length - 1]);
        const total = eol + 2 + size + 2;
        if (this.buf.length < total) return null;
        const raw = take(total);
        if (!raw.endsWith('\r\n')) throw new WireError(`MSG payload not followed by CRLF: ${show(raw)}`);
        return {
          op: 'MSG',
          raw,
          subject: args[1]!,
          sid: args[2]!,
          reply: args.length === 5 ? args[3]! : null,
          payload: raw.slice(eol + 2, eol + 2 + size),
        };
      }
      case 'HMSG': {
        if (args.length !== 5 && args.length !== 6) throw new WireError(`bad HMSG line ${show(line)}`);
        const hsize = Number(args[args.length - 2]);
        const size = Number(args[args.length - 1]);
        const total = eol + 2 + size + 2;
        if (this.buf.length < total) return null;
        const raw = take(total);
        if (!raw.endsWith('\r\n')) throw new WireError(`HMSG payload not followed by CRLF: ${show(raw)}`);
        const body = raw.slice(eol + 2, eol + 2 + size);
        return {
          op: 'HMSG',
          raw,
          subject: args[1]!,
          sid: args[2]!,
          reply: args.length === 6 ? args[3]! : null,
          headers: body.slice(0, hsize),
          payload: body.slice(hsize),
        };
      }
      default:
        throw new WireError(`unknown server op in ${show(line)}`);
    }
  }
}

export function connectWire(target: Endpoint, timeoutMs = DEFAULT_EXPECT_MS): Promise<WireClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    const t = setTimeout(() => {
      socket.destroy();
      reject(new WireError(`connect to ${target.host}:${target.port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    // Attach the client before 'connect' so no early byte is missed.
    const client = new WireClient(socket);
    socket.once('connect', () => {
      clearTimeout(t);
      resolve(client);
    });
    socket.once('error', (err) => {
      clearTimeout(t);
      reject(new WireError(`connect to ${target.host}:${target.port}: ${err.message}`));
    });
  });
}

// ---- normalisation of values that legitimately differ between servers and runs ----

/** INFO keys whose values differ by nature (identity, build, per-connection, ports). */
export const VOLATILE_INFO_KEYS = ['server_id', 'server_name', 'version', 'go', 'client_id', 'nonce', 'port'] as const;

/**
 * INFO keys whose very presence depends on the build: `git_commit` is only sent when the binary
 * knows its commit (the Debian 2.9.10 build does not).
 */
export const BUILD_DEPENDENT_INFO_KEYS = ['git_commit'] as const;

/** Replaces volatile INFO values with `<key>` placeholders and drops build-dependent keys, keeping key order. */
export function normaliseInfo(info: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(info)) {
    if ((BUILD_DEPENDENT_INFO_KEYS as readonly string[]).includes(k)) continue;
    out[k] = (VOLATILE_INFO_KEYS as readonly string[]).includes(k) ? `<${k}>` : v;
  }
  return out;
}

/** The INFO line with volatile values replaced, as a string for exact comparison. */
export function normaliseInfoLine(frame: InfoFrame): string {
  return `INFO ${JSON.stringify(normaliseInfo(frame.info))} \r\n`;
}

/** A subject unique to one case run, so cases sharing a server never see each other's messages. */
export function uniqueSubject(prefix = 'conf'): string {
  return `${prefix}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}`;
}
