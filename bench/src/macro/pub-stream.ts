/**
 * Pre-built publish streams. A template of K complete `PUB` ops is laid out once; every chunk is
 * a copy of it with the K sequence numbers patched in place (4 bytes each), so the generator
 * spends a memcpy and K integer stores per K messages instead of formatting protocol text.
 * Chunks are fresh Buffers (the socket keeps a reference until it has written them).
 */
import { randomBytes } from 'node:crypto';
import { payloadTemplate } from './payload.js';
import { maskedFrame } from './ws-frames.js';

/** Target chunk size: large writes, few syscalls, still interleaves with other sockets. */
export const CHUNK_BYTES = 256 * 1024;

export interface PubStreamSpec {
  pubId: number;
  /** Subjects used round-robin, message i goes to subjects[i % length]. */
  subjects: readonly string[];
  /** Reply subject on every PUB, or null. */
  reply: string | null;
  payloadSize: number;
  /** Messages to send in total. */
  count: number;
  /**
   * Websocket transport: every chunk is one masked binary frame. The mask key is fixed per
   * stream so the template can be masked once and the sequence numbers patched pre-masked.
   */
  ws: boolean;
}

export class PubStream {
  readonly spec: PubStreamSpec;
  /** Messages per full chunk. */
  readonly perChunk: number;
  private template: Buffer;
  /** Offset of each message's sequence number inside the template. */
  private readonly seqOffsets: Int32Array;
  /** Offset just past each message inside the template (for the short last chunk). */
  private readonly msgEnds: Int32Array;
  /** Per message: the 4 mask bytes that land on its sequence number, as a uint32 LE (ws only). */
  private readonly seqMasks: Uint32Array | null;
  /** Bytes of the ws frame head (incl. mask key) in front of a full chunk's data, 0 for tcp. */
  private readonly frameHead: Buffer | null;
  private readonly mask: Buffer;
  private sent: number;

  constructor(spec: PubStreamSpec, chunkBytes = CHUNK_BYTES) {
    if (spec.subjects.length === 0) throw new RangeError('a publish stream needs at least one subject');
    this.spec = spec;
    const payload = payloadTemplate(spec.pubId, spec.payloadSize);
    const heads = spec.subjects.map((s) =>
      Buffer.from(`PUB ${s}${spec.reply === null ? '' : ` ${spec.reply}`} ${spec.payloadSize}\r\n`, 'latin1'),
    );
    let cycleBytes = 0;
    for (const h of heads) cycleBytes += h.length + spec.payloadSize + 2;
    const cycles = Math.max(1, Math.floor(chunkBytes / cycleBytes));
    this.perChunk = cycles * heads.length;
    this.template = Buffer.allocUnsafe(cycles * cycleBytes);
    this.seqOffsets = new Int32Array(this.perChunk);
    this.msgEnds = new Int32Array(this.perChunk);
    let off = 0;
    for (let i = 0; i < this.perChunk; i++) {
      const head = heads[i % heads.length]!;
      off += head.copy(this.template, off);
      this.seqOffsets[i] = off + 4;
      off += payload.copy(this.template, off);
      this.template[off++] = 13;
      this.template[off++] = 10;
      this.msgEnds[i] = off;
    }
    this.mask = randomBytes(4);
    this.seqMasks = null;
    this.frameHead = null;
    if (spec.ws) {
      const masks = new Uint32Array(this.perChunk);
      for (let i = 0; i < this.perChunk; i++) {
        const o = this.seqOffsets[i]!;
        const m = this.mask;
        masks[i] = (m[o & 3]! | (m[(o + 1) & 3]! << 8) | (m[(o + 2) & 3]! << 16) | (m[(o + 3) & 3]! << 24)) >>> 0;
      }
      this.seqMasks = masks;
      const framed = maskedFrame(this.template, 2, this.mask);
      const headLen = framed.length - this.template.length;
      this.frameHead = framed.subarray(0, headLen);
      this.template = framed.subarray(headLen);
    }
    this.sent = 0;
  }

  /** Messages already handed out. */
  get position(): number {
    return this.sent;
  }

  /** The next chunk of protocol bytes, or null when all `count` messages were handed out. */
  next(): Buffer | null {
    const remaining = this.spec.count - this.sent;
    if (remaining <= 0) return null;
    const n = Math.min(remaining, this.perChunk);
    const base = this.sent;
    this.sent += n;
    const bytes = this.msgEnds[n - 1]!;
    const offsets = this.seqOffsets;
    const masks = this.seqMasks;
    if (masks === null) {
      const chunk = Buffer.allocUnsafeSlow(bytes);
      this.template.copy(chunk, 0, 0, bytes);
      for (let i = 0; i < n; i++) chunk.writeUInt32LE(base + i, offsets[i]!);
      return chunk;
    }
    if (n < this.perChunk) {
      // The short last chunk needs its own frame length: unmask, patch, re-mask (once per stream).
      const plain = Buffer.allocUnsafe(bytes);
      for (let i = 0; i < bytes; i++) plain[i] = this.template[i]! ^ this.mask[i & 3]!;
      for (let i = 0; i < n; i++) plain.writeUInt32LE(base + i, offsets[i]!);
      return maskedFrame(plain, 2, this.mask);
    }
    const head = this.frameHead!;
    const chunk = Buffer.allocUnsafeSlow(head.length + bytes);
    head.copy(chunk, 0);
    this.template.copy(chunk, head.length, 0, bytes);
    const at = head.length;
    for (let i = 0; i < n; i++) chunk.writeUInt32LE(((base + i) ^ masks[i]!) >>> 0, at + offsets[i]!);
    return chunk;
  }
}
