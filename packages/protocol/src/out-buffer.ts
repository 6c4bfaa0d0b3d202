/**
 * A caller-owned, growable outbound byte buffer. Encoders append to it; the connection hands the
 * written bytes to the socket with `detach()` once per flush.
 *
 * Layout: `buf[start, len)` holds the bytes written since the last detach/reset. `detach()` returns
 * a view of exactly those bytes and moves `start` past them, so the next writes go to fresh bytes
 * of the same allocation (never over bytes already handed out); a new allocation is made only
 * when the current one is nearly full. `reset()` rewinds to the beginning of the current
 * allocation and must only be used when nothing handed out by `detach()` is still in use.
 */
import { StarlingError } from '@starling/errors';
import { PROTOCOL_ERRORS } from './errors.js';
import type { NodeBuffer } from './node-buffer.js';

/** Copies of at most this many bytes are done with a JS loop (Buffer#copy has a fixed call cost). */
const SMALL_COPY = 64;
/** detach() starts a new allocation when less than this many bytes remain. */
const MIN_TAIL = 512;
/** Hard cap on one allocation. */
export const OUT_BUFFER_MAX = 0x7fffffff;

export class OutBuffer {
  buf: Buffer;
  /** Start of the bytes not yet detached. */
  start = 0;
  /** Write position (end of the written bytes). */
  len = 0;
  private readonly initial: number;

  constructor(initialSize = 16384) {
    this.initial = Math.max(initialSize, 64);
    this.buf = Buffer.allocUnsafe(this.initial);
  }

  /** Bytes written and not yet detached. */
  get length(): number {
    return this.len - this.start;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.len + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const used = this.len - this.start;
    const need = used + n;
    if (need > OUT_BUFFER_MAX) {
      throw new StarlingError(PROTOCOL_ERRORS.OUT_BUFFER_TOO_LARGE.code, PROTOCOL_ERRORS.OUT_BUFFER_TOO_LARGE.message);
    }
    // Size from what is needed now, not from the current capacity: a connection that once
    // had a large burst must not keep allocating ever larger buffers for every later one.
    let cap = this.initial;
    while (cap < need * 2) cap *= 2;
    if (cap > OUT_BUFFER_MAX) cap = OUT_BUFFER_MAX;
    const next = Buffer.allocUnsafe(cap);
    if (used > 0) this.buf.copy(next, 0, this.start, this.len);
    // Bytes before `start` were detached: the old allocation now belongs to their holders.
    this.buf = next;
    this.start = 0;
    this.len = used;
  }

  /** Appends src[start, end). */
  writeBytes(src: Uint8Array, start = 0, end: number = src.length): void {
    const n = end - start;
    if (n <= 0) return;
    let p = this.len;
    if (p + n > this.buf.length) {
      this.grow(n);
      p = this.len;
    }
    const buf = this.buf;
    if (n <= SMALL_COPY) {
      for (let k = start; k < end; k++) buf[p++] = src[k]!;
    } else {
      buf.set(start === 0 && end === src.length ? src : src.subarray(start, end), p);
      p += n;
    }
    this.len = p;
  }

  /** Appends one byte. */
  writeByte(b: number): void {
    if (this.len + 1 > this.buf.length) this.grow(1);
    this.buf[this.len++] = b;
  }

  /** Appends a string whose characters are all < 256, one byte each (latin1). */
  writeLatin1(str: string): void {
    const n = str.length;
    let p = this.len;
    if (p + n > this.buf.length) {
      this.grow(n);
      p = this.len;
    }
    const buf = this.buf;
    if (n <= SMALL_COPY) {
      for (let k = 0; k < n; k++) buf[p++] = str.charCodeAt(k);
      this.len = p;
    } else {
      this.len = p + (buf as NodeBuffer).latin1Write(str, p, n);
    }
  }

  /** Appends a string as UTF-8 (for JSON in INFO/CONNECT and -ERR texts). */
  writeUtf8(str: string): void {
    const n = Buffer.byteLength(str, 'utf8');
    this.ensure(n);
    this.len += (this.buf as NodeBuffer).utf8Write(str, this.len, n);
  }

  writeCrlf(): void {
    let p = this.len;
    if (p + 2 > this.buf.length) {
      this.grow(2);
      p = this.len;
    }
    const buf = this.buf;
    buf[p] = 13;
    buf[p + 1] = 10;
    this.len = p + 2;
  }

  writeSpace(): void {
    if (this.len + 1 > this.buf.length) this.grow(1);
    this.buf[this.len++] = 32;
  }

  /** Appends a non-negative safe integer in decimal, without making a string. */
  writeUint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new StarlingError(PROTOCOL_ERRORS.INVALID_NUMBER.code, `${PROTOCOL_ERRORS.INVALID_NUMBER.message}: ${n}`);
    }
    let digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    let p = this.len;
    if (p + digits > this.buf.length) {
      this.grow(digits);
      p = this.len;
    }
    const buf = this.buf;
    let q = p + digits - 1;
    if (n < 0x80000000) {
      let v = n | 0;
      do {
        const d = (v / 10) | 0;
        buf[q--] = 48 + (v - d * 10);
        v = d;
      } while (v > 0);
    } else {
      let v = n;
      do {
        const d = Math.floor(v / 10);
        buf[q--] = 48 + (v - d * 10);
        v = d;
      } while (v > 0);
    }
    this.len = p + digits;
  }

  /**
   * Returns a view of the bytes written since the last detach/reset and starts fresh bytes for the
   * next writes (the returned view is never written again, so it can go to socket.write as is).
   */
  detach(): Buffer {
    const out = this.buf.subarray(this.start, this.len);
    if (this.buf.length - this.len < MIN_TAIL) {
      this.buf = Buffer.allocUnsafe(this.initial);
      this.start = 0;
      this.len = 0;
    } else {
      this.start = this.len;
    }
    return out;
  }

  /** Drops everything written; reuses the allocation from its beginning. Only when no detached view is in use. */
  reset(): void {
    this.start = 0;
    this.len = 0;
  }
}
