/**
 * Published subjects arrive as bytes; the Sublist wants strings. Decoding a subject for every
 * PUB costs more than matching it on a cache hit, so recently seen subjects are kept in a small
 * direct-mapped table keyed by an FNV-1a hash of their bytes: a hit returns the same string
 * object as last time (no allocation, and V8 keeps its hash for the Map lookup that follows).
 */

const SLOTS = 4096;
const MASK = SLOTS - 1;
/** Longer subjects are decoded every time (rare, and they would crowd the table). */
const MAX_LEN = 128;

export class SubjectIntern {
  private readonly keys: (Buffer | null)[] = new Array(SLOTS).fill(null);
  private readonly vals: string[] = new Array(SLOTS).fill('');
  hits = 0;
  misses = 0;

  get(buf: Buffer, s: number, e: number): string {
    const len = e - s;
    if (len > MAX_LEN) return buf.toString('latin1', s, e);
    let h = 0x811c9dc5;
    for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const slot = (h >>> 0) & MASK;
    const k = this.keys[slot]!;
    if (k !== null && k.length === len) {
      let i = 0;
      while (i < len && k[i] === buf[s + i]) i++;
      if (i === len) {
        this.hits++;
        return this.vals[slot]!;
      }
    }
    this.misses++;
    const str = buf.toString('latin1', s, e);
    let key = k;
    if (key === null || key.length !== len) {
      key = Buffer.allocUnsafeSlow(len);
      this.keys[slot] = key;
    }
    buf.copy(key, 0, s, e);
    this.vals[slot] = str;
    return str;
  }
}
