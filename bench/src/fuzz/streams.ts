/**
 * Input generation for the parser fuzzer: a seeded PRNG, valid op streams for each parser mode
 * (with case mixing, tabs, bare LF, leading zeros, queue lists), byte-level mutations of them, and
 * plain random bytes. Everything is latin1 so every byte value 0..255 can appear.
 */
import { ParserMode, type ParserModeValue } from '@starling/protocol';

/** xorshift32: small, fast, reproducible from one 32-bit seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.s = x;
    return x / 0x100000000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

const SUBJECTS = ['foo', 'foo.bar', 'a.b.c.d.e', '_INBOX.Zx81.1', '$SYS.REQ.SERVER.PING', 'x', '*', 'foo.>'];
const WORDS = ['q1', 'workers', 'r.1', '_INBOX.abc', 'G', '$G', 'ACC', 'leafc', '1', '22'];
const HEADERS = ['NATS/1.0\r\n\r\n', 'NATS/1.0\r\nA: b\r\n\r\n', 'NATS/1.0 503\r\n\r\n'];

/** Random latin1 text that payloads are cut from (any byte value, CR and LF included). */
const POOL: string = (() => {
  const r = new Rng(0xfeed);
  let s = '';
  for (let k = 0; k < 80_000; k++) s += String.fromCharCode(r.int(256));
  return s;
})();

export class StreamGen {
  constructor(private readonly rng: Rng) {}

  private blank(): string {
    const r = this.rng.int(10);
    return r < 7 ? ' ' : r === 7 ? '\t' : r === 8 ? '  ' : ' \t ';
  }

  private eol(): string {
    return this.rng.int(6) === 0 ? '\n' : '\r\n';
  }

  private name(op: string): string {
    if (this.rng.int(4) !== 0) return op;
    let out = '';
    for (const ch of op) out += this.rng.int(2) === 0 ? ch.toLowerCase() : ch;
    return out;
  }

  private size(n: number): string {
    return this.rng.int(8) === 0 ? `00${n}` : String(n);
  }

  private payload(): string {
    const r = this.rng.int(100);
    const n =
      r < 70 ? this.rng.int(20) : r < 95 ? this.rng.int(400) : r < 99 ? this.rng.int(5000) : this.rng.int(70_000);
    const at = this.rng.int(POOL.length - n);
    return POOL.slice(at, at + n);
  }

  private queues(): string {
    const n = 1 + this.rng.int(3);
    const qs: string[] = [];
    for (let k = 0; k < n; k++) qs.push(this.rng.pick(WORDS));
    return qs.join(this.blank());
  }

  /** `[reply ]`, `+ reply q… `, `| q… ` or nothing (leaf/route message lines). */
  private replyPart(): string {
    const b = this.blank();
    switch (this.rng.int(4)) {
      case 0:
        return '';
      case 1:
        return `${this.rng.pick(WORDS)}${b}`;
      case 2:
        return `+${b}${this.rng.pick(WORDS)}${b}${this.queues()}${b}`;
      default:
        return `|${b}${this.queues()}${b}`;
    }
  }

  op(mode: ParserModeValue): string {
    const rng = this.rng;
    const b = () => this.blank();
    const subj = () => rng.pick(SUBJECTS);
    const word = () => rng.pick(WORDS);
    if (rng.int(5) === 0) {
      switch (rng.int(5)) {
        case 0:
          return `${this.name('PING')}${this.eol()}`;
        case 1:
          return `${this.name('PONG')}${this.eol()}`;
        case 2:
          return `${this.name('+OK')}${this.eol()}`;
        case 3:
          return `${this.name('INFO')} {"server_id":"NABC","max_payload":1048576,"headers":true}${this.eol()}`;
        default:
          return `-ERR${b()}'Unknown Protocol Operation'${this.eol()}`;
      }
    }
    switch (mode) {
      case ParserMode.CLIENT:
        switch (rng.int(5)) {
          case 0:
            return `${this.name('CONNECT')} {"verbose":false,"pedantic":false,"headers":true}${this.eol()}`;
          case 1: {
            const p = this.payload();
            const r = rng.int(2) === 0 ? '' : `${b()}${word()}`;
            return `${this.name('PUB')}${b()}${subj()}${r}${b()}${this.size(p.length)}${this.eol()}${p}\r\n`;
          }
          case 2: {
            const h = rng.pick(HEADERS);
            const p = h + this.payload();
            const r = rng.int(2) === 0 ? '' : `${b()}${word()}`;
            return `${this.name('HPUB')}${b()}${subj()}${r}${b()}${h.length}${b()}${this.size(p.length)}${this.eol()}${p}\r\n`;
          }
          case 3:
            return `${this.name('SUB')}${b()}${subj()}${rng.int(2) ? `${b()}${word()}` : ''}${b()}${rng.int(1000)}${this.eol()}`;
          default:
            return `${this.name('UNSUB')}${b()}${rng.int(1000)}${rng.int(2) ? `${b()}${rng.int(10)}` : ''}${this.eol()}`;
        }
      case ParserMode.SERVER:
        if (rng.int(2) === 0) {
          const p = this.payload();
          const r = rng.int(2) === 0 ? '' : `${b()}${word()}`;
          return `${this.name('MSG')}${b()}${subj()}${b()}${rng.int(99)}${r}${b()}${this.size(p.length)}${this.eol()}${p}\r\n`;
        } else {
          const h = rng.pick(HEADERS);
          const p = h + this.payload();
          const r = rng.int(2) === 0 ? '' : `${b()}${word()}`;
          return `${this.name('HMSG')}${b()}${subj()}${b()}${rng.int(99)}${r}${b()}${h.length}${b()}${p.length}${this.eol()}${p}\r\n`;
        }
      case ParserMode.LEAF:
        switch (rng.int(5)) {
          case 0:
            return `CONNECT {"name":"leaf","headers":true}${this.eol()}`;
          case 1:
            return `LS+${b()}${subj()}${rng.int(2) ? `${b()}${word()}${b()}${rng.int(9)}` : ''}${this.eol()}`;
          case 2:
            return `LS-${b()}${subj()}${rng.int(2) ? `${b()}${word()}` : ''}${this.eol()}`;
          case 3: {
            const p = this.payload();
            return `LMSG${b()}${subj()}${b()}${this.replyPart()}${this.size(p.length)}${this.eol()}${p}\r\n`;
          }
          default: {
            const h = rng.pick(HEADERS);
            const p = h + this.payload();
            return `HMSG${b()}${subj()}${b()}${this.replyPart()}${h.length}${b()}${p.length}${this.eol()}${p}\r\n`;
          }
        }
      default:
        switch (rng.int(8)) {
          case 0:
            return `CONNECT {"name":"N2","headers":true}${this.eol()}`;
          case 1:
            return `RS+${b()}${word()}${b()}${subj()}${rng.int(2) ? `${b()}${word()}${b()}${rng.int(9)}` : ''}${this.eol()}`;
          case 2:
            return `RS-${b()}${word()}${b()}${subj()}${rng.int(2) ? `${b()}${word()}` : ''}${this.eol()}`;
          case 3:
            return `LS+${b()}${word()}${b()}${word()}${b()}${subj()}${rng.int(2) ? `${b()}${word()}${b()}${rng.int(9)}` : ''}${this.eol()}`;
          case 4:
            return `LS-${b()}${word()}${b()}${subj()}${this.eol()}`;
          case 5: {
            const p = this.payload();
            return `RMSG${b()}${word()}${b()}${subj()}${b()}${this.replyPart()}${this.size(p.length)}${this.eol()}${p}\r\n`;
          }
          case 6: {
            const h = rng.pick(HEADERS);
            const p = h + this.payload();
            return `HMSG${b()}${word()}${b()}${subj()}${b()}${this.replyPart()}${h.length}${b()}${p.length}${this.eol()}${p}\r\n`;
          }
          default: {
            const p = this.payload();
            return `LMSG${b()}${word()}${b()}${word()}${b()}${subj()}${b()}${this.replyPart()}0${b()}${p.length}${this.eol()}${p}\r\n`;
          }
        }
    }
  }

  valid(mode: ParserModeValue, ops: number): string {
    let s = '';
    for (let k = 0; k < ops; k++) s += this.op(mode);
    return s;
  }

  /** A few random edits: overwrite, insert, delete, duplicate a slice, insert digits. */
  mutate(s: string): string {
    const rng = this.rng;
    const edits = 1 + rng.int(3);
    let out = s;
    for (let k = 0; k < edits; k++) {
      const at = rng.int(out.length + 1);
      const byte = String.fromCharCode(rng.int(3) === 0 ? rng.int(256) : rng.pick(INTERESTING));
      switch (rng.int(5)) {
        case 0:
          out = out.slice(0, at) + byte + out.slice(at + 1);
          break;
        case 1:
          out = out.slice(0, at) + byte + out.slice(at);
          break;
        case 2:
          out = out.slice(0, at) + out.slice(at + 1 + rng.int(8));
          break;
        case 3:
          out = out.slice(0, at) + out.slice(at, at + rng.int(40)) + out.slice(at);
          break;
        default:
          out = out.slice(0, at) + String(rng.int(10 ** (1 + rng.int(10)))) + out.slice(at);
      }
    }
    return out;
  }

  randomBytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let k = 0; k < n; k++) {
      // bias towards protocol-significant bytes so random input reaches deeper states
      b[k] = this.rng.int(3) === 0 ? this.rng.pick(INTERESTING) : this.rng.int(256);
    }
    return b;
  }
}

const INTERESTING = [
  0x00, 0x09, 0x0a, 0x0d, 0x20, 0x2b, 0x2d, 0x30, 0x31, 0x39, 0x7c, 0x7f, 0xff, 0x50, 0x55, 0x42, 0x4d, 0x53, 0x47,
  0x48, 0x4c, 0x52, 0x49, 0x43,
];
