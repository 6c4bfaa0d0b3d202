/**
 * Test helpers for the parser: a recording handler, chunked feeding, a seeded PRNG, stream
 * generators, and an independent, deliberately naive reference parser (whole buffer, string
 * tokens) used as a differential oracle.
 */
import {
  accountOf,
  argOf,
  errTextOf,
  type OpArgs,
  type OpCode,
  originOf,
  type ParseErrorCode,
  Parser,
  type ParserModeValue,
  payloadString,
  queueOf,
  queuesOf,
  replyOf,
  restOf,
  sidOf,
  subjectOf,
} from './index.js';
import { MAX_ARGS, Op, ParseError, ParserMode } from './op-args.js';

export interface Rec {
  op: OpCode;
  args: string[];
  subject: string;
  reply: string | null;
  queue: string | null;
  sid: string;
  account: string | null;
  origin: string | null;
  queues: string[];
  size: number;
  sizeTok: string | null;
  hdr: number;
  hdrTok: string | null;
  maxMsgs: number;
  weight: number;
  rest: string;
  payload: string | null;
}

export interface ErrRec {
  err: ParseErrorCode;
  /** Absolute offset in the whole stream. */
  at: number;
}

export type Event = Rec | ErrRec;

function tokOf(a: OpArgs, s: number, e: number): string | null {
  return s < 0 ? null : a.buf.toString('latin1', s, e);
}

export function snapshot(a: OpArgs): Rec {
  const args: string[] = [];
  for (let k = 0; k < a.argc; k++) args.push(argOf(a, k));
  return {
    op: a.op,
    args,
    subject: subjectOf(a),
    reply: replyOf(a),
    queue: queueOf(a),
    sid: sidOf(a),
    account: accountOf(a),
    origin: originOf(a),
    queues: queuesOf(a),
    size: a.size,
    sizeTok: tokOf(a, a.sizeStart, a.sizeEnd),
    hdr: a.hdrSize,
    hdrTok: tokOf(a, a.hdrStart, a.hdrEnd),
    maxMsgs: a.maxMsgs,
    weight: a.weight,
    rest: a.restStart < 0 ? '' : a.buf.toString('latin1', a.restStart, a.restEnd),
    payload: a.payloadBuf === null ? null : payloadString(a),
  };
}

/** Records every op and error; `base` tracks absolute offsets across chunks. */
export class Recorder {
  events: Event[] = [];
  base = 0;
  stopAfter = -1;
  readonly parser: Parser;
  onOpHook: ((a: OpArgs) => void) | null = null;

  constructor(mode: ParserModeValue, opts: { maxControlLine?: number; maxPayload?: number } = {}) {
    this.parser = new Parser(mode, this, opts);
  }

  onOp(a: OpArgs): boolean {
    this.events.push(snapshot(a));
    if (this.onOpHook !== null) this.onOpHook(a);
    if (this.stopAfter >= 0 && this.events.length >= this.stopAfter) return false;
    return true;
  }

  onParseError(code: ParseErrorCode, offset: number): void {
    this.events.push({ err: code, at: this.base + offset });
  }

  feed(chunk: Buffer): void {
    this.parser.parse(chunk);
    this.base += chunk.length;
  }
}

export function parseChunks(
  mode: ParserModeValue,
  chunks: Buffer[],
  opts: { maxControlLine?: number; maxPayload?: number } = {},
): Event[] {
  const r = new Recorder(mode, opts);
  for (const c of chunks) r.feed(c);
  return r.events;
}

export function parseWhole(
  mode: ParserModeValue,
  data: Buffer | string,
  opts: { maxControlLine?: number; maxPayload?: number } = {},
): Event[] {
  return parseChunks(mode, [typeof data === 'string' ? Buffer.from(data, 'latin1') : data], opts);
}

/** Copies each piece so the parser cannot rely on seeing the same memory later. */
export function splitAt(data: Buffer, points: number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points].sort((x, y) => x - y)) {
    out.push(Buffer.from(data.subarray(prev, p)));
    prev = p;
  }
  out.push(Buffer.from(data.subarray(prev)));
  return out;
}

/** Chunks are copies that get scribbled over after each parse call, to catch stale views. */
export function parseChunksScribbled(
  mode: ParserModeValue,
  chunks: Buffer[],
  opts: { maxControlLine?: number; maxPayload?: number } = {},
): Event[] {
  const r = new Recorder(mode, opts);
  for (const c of chunks) {
    const copy = Buffer.from(c);
    r.feed(copy);
    copy.fill(0x7e);
  }
  return r.events;
}

/** Events with MAX_CONTROL_LINE offsets blanked (that offset depends on where chunks end). */
export function normalize(events: Event[]): Event[] {
  return events.map((e) => ('err' in e && e.err === ParseError.MAX_CONTROL_LINE ? { err: e.err, at: -1 } : e));
}

// ---- PRNG ------------------------------------------------------------------------------------

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** xorshift32 → [0, 1) */
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

export function randomSplits(rng: Rng, len: number, maxPieces: number): number[] {
  const n = rng.int(maxPieces);
  const pts: number[] = [];
  for (let k = 0; k < n; k++) pts.push(rng.int(len + 1));
  return pts;
}

// ---- stream generators --------------------------------------------------------------------

const SUBJECTS = ['foo', 'foo.bar', 'a.b.c.d', '_INBOX.x1y2', '$SYS.REQ', 'x'];
const WORDS = ['q1', 'workers', 'r.1', '_INBOX.abc', 'G', '$G', 'acc', 'leafc'];

function payloadOf(rng: Rng): string {
  const n = rng.pick([0, 1, 3, 16, 40, 200]);
  let s = '';
  for (let k = 0; k < n; k++) s += String.fromCharCode(rng.int(256));
  return s;
}

function sz(rng: Rng, n: number): string {
  return rng.int(8) === 0 ? `00${n}` : String(n);
}

function eol(rng: Rng): string {
  return rng.int(6) === 0 ? '\n' : '\r\n';
}

function blank(rng: Rng): string {
  return rng.pick([' ', ' ', ' ', '\t', '  ', ' \t ']);
}

function caseMix(rng: Rng, op: string): string {
  if (rng.int(4) !== 0) return op;
  let out = '';
  for (const ch of op) out += rng.int(2) === 0 ? ch.toLowerCase() : ch;
  return out;
}

/** One valid op (as a latin1 string) for the mode. */
export function validOp(rng: Rng, mode: ParserModeValue): string {
  const b = () => blank(rng);
  const subj = () => rng.pick(SUBJECTS);
  const word = () => rng.pick(WORDS);
  const queues = () => {
    const n = 1 + rng.int(3);
    const qs: string[] = [];
    for (let k = 0; k < n; k++) qs.push(word());
    return qs.join(b());
  };
  const replyPart = () => {
    switch (rng.int(4)) {
      case 0:
        return '';
      case 1:
        return `${word()}${b()}`;
      case 2:
        return `+${b()}${word()}${b()}${queues()}${b()}`;
      default:
        return `|${b()}${queues()}${b()}`;
    }
  };
  const common = [
    () => `${caseMix(rng, 'PING')}${eol(rng)}`,
    () => `${caseMix(rng, 'PONG')}${eol(rng)}`,
    () => `${caseMix(rng, '+OK')}${eol(rng)}`,
    () => `${caseMix(rng, 'INFO')} {"server_id":"N1","max_payload":1048576}${eol(rng)}`,
    () => `-ERR${b()}'Unknown Protocol Operation'${eol(rng)}`,
  ];
  let forms: (() => string)[];
  switch (mode) {
    case ParserMode.CLIENT:
      forms = [
        () => `${caseMix(rng, 'CONNECT')} {"verbose":false,"headers":true}${eol(rng)}`,
        () => {
          const p = payloadOf(rng);
          const r = rng.int(2) === 0 ? '' : `${b()}${word()}`;
          return `${caseMix(rng, 'PUB')}${b()}${subj()}${r}${b()}${sz(rng, p.length)}${eol(rng)}${p}\r\n`;
        },
        () => {
          const h = 'NATS/1.0\r\nA: b\r\n\r\n';
          const p = h + payloadOf(rng);
          const r = rng.int(2) === 0 ? '' : `${b()}${word()}`;
          return `${caseMix(rng, 'HPUB')}${b()}${subj()}${r}${b()}${h.length}${b()}${sz(rng, p.length)}${eol(rng)}${p}\r\n`;
        },
        () =>
          `${caseMix(rng, 'SUB')}${b()}${subj()}${rng.int(2) ? `${b()}${word()}` : ''}${b()}${rng.int(100)}${eol(rng)}`,
        () => `${caseMix(rng, 'UNSUB')}${b()}${rng.int(100)}${rng.int(2) ? `${b()}${rng.int(10)}` : ''}${eol(rng)}`,
      ];
      break;
    case ParserMode.SERVER:
      forms = [
        () => {
          const p = payloadOf(rng);
          const r = rng.int(2) === 0 ? '' : `${b()}${word()}`;
          return `${caseMix(rng, 'MSG')}${b()}${subj()}${b()}${rng.int(99)}${r}${b()}${sz(rng, p.length)}${eol(rng)}${p}\r\n`;
        },
        () => {
          const h = 'NATS/1.0\r\n\r\n';
          const p = h + payloadOf(rng);
          const r = rng.int(2) === 0 ? '' : `${b()}${word()}`;
          return `HMSG${b()}${subj()}${b()}${rng.int(99)}${r}${b()}${h.length}${b()}${p.length}${eol(rng)}${p}\r\n`;
        },
      ];
      break;
    case ParserMode.LEAF:
      forms = [
        () => `CONNECT {"name":"leaf","headers":true}${eol(rng)}`,
        () => `LS+${b()}${subj()}${rng.int(2) ? `${b()}${word()}${b()}${rng.int(9)}` : ''}${eol(rng)}`,
        () => `LS-${b()}${subj()}${rng.int(2) ? `${b()}${word()}` : ''}${eol(rng)}`,
        () => {
          const p = payloadOf(rng);
          return `LMSG${b()}${subj()}${b()}${replyPart()}${sz(rng, p.length)}${eol(rng)}${p}\r\n`;
        },
        () => {
          const p = `NATS/1.0\r\n\r\n${payloadOf(rng)}`;
          return `HMSG${b()}${subj()}${b()}${replyPart()}12${b()}${p.length}${eol(rng)}${p}\r\n`;
        },
      ];
      break;
    default:
      forms = [
        () => `CONNECT {"name":"N2","headers":true}${eol(rng)}`,
        () => `RS+${b()}${word()}${b()}${subj()}${rng.int(2) ? `${b()}${word()}${b()}${rng.int(9)}` : ''}${eol(rng)}`,
        () => `RS-${b()}${word()}${b()}${subj()}${rng.int(2) ? `${b()}${word()}` : ''}${eol(rng)}`,
        () =>
          `LS+${b()}${word()}${b()}${word()}${b()}${subj()}${rng.int(2) ? `${b()}${word()}${b()}${rng.int(9)}` : ''}${eol(rng)}`,
        () => `LS-${b()}${word()}${b()}${subj()}${rng.int(2) ? `${b()}${word()}` : ''}${eol(rng)}`,
        () => {
          const p = payloadOf(rng);
          return `RMSG${b()}${word()}${b()}${subj()}${b()}${replyPart()}${sz(rng, p.length)}${eol(rng)}${p}\r\n`;
        },
        () => {
          const p = `NATS/1.0\r\n\r\n${payloadOf(rng)}`;
          return `HMSG${b()}${word()}${b()}${subj()}${b()}${replyPart()}12${b()}${p.length}${eol(rng)}${p}\r\n`;
        },
        () => {
          const p = payloadOf(rng);
          return `LMSG${b()}${word()}${b()}${word()}${b()}${subj()}${b()}${replyPart()}0${b()}${p.length}${eol(rng)}${p}\r\n`;
        },
      ];
  }
  return rng.int(4) === 0 ? rng.pick(common)() : rng.pick(forms)();
}

export function validStream(rng: Rng, mode: ParserModeValue, ops: number): string {
  let s = '';
  for (let k = 0; k < ops; k++) s += validOp(rng, mode);
  return s;
}

const INTERESTING = [0x00, 0x09, 0x0a, 0x0d, 0x20, 0x2b, 0x2d, 0x30, 0x39, 0x7c, 0x7f, 0xff, 0x50, 0x4d, 0x48];

/** A valid stream with a few random byte edits (flip, insert, delete, duplicate a slice). */
export function mutate(rng: Rng, s: string): string {
  const edits = 1 + rng.int(4);
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
        out = out.slice(0, at) + out.slice(at + 1 + rng.int(4));
        break;
      case 3: {
        const len = rng.int(30);
        out = out.slice(0, at) + out.slice(at, at + len) + out.slice(at);
        break;
      }
      default: {
        const digits = String(rng.int(10 ** (1 + rng.int(10))));
        out = out.slice(0, at) + digits + out.slice(at);
      }
    }
  }
  return out;
}

// ---- the reference parser -------------------------------------------------------------------

const NAMES: Record<number, [string, OpCode][]> = {
  [ParserMode.CLIENT]: [
    ['CONNECT', Op.CONNECT],
    ['PUB', Op.PUB],
    ['HPUB', Op.HPUB],
    ['SUB', Op.SUB],
    ['UNSUB', Op.UNSUB],
  ],
  [ParserMode.SERVER]: [
    ['MSG', Op.MSG],
    ['HMSG', Op.HMSG],
  ],
  [ParserMode.LEAF]: [
    ['CONNECT', Op.CONNECT],
    ['LS+', Op.LS_PLUS],
    ['LS-', Op.LS_MINUS],
    ['LMSG', Op.LMSG],
    ['HMSG', Op.HMSG],
  ],
  [ParserMode.ROUTE]: [
    ['CONNECT', Op.CONNECT],
    ['RS+', Op.RS_PLUS],
    ['RS-', Op.RS_MINUS],
    ['RMSG', Op.RMSG],
    ['HMSG', Op.HMSG],
    ['LS+', Op.LS_PLUS],
    ['LS-', Op.LS_MINUS],
    ['LMSG', Op.LMSG],
  ],
};
const COMMON: [string, OpCode][] = [
  ['INFO', Op.INFO],
  ['PING', Op.PING],
  ['PONG', Op.PONG],
  ['+OK', Op.OK],
  ['-ERR', Op.ERR],
];

const upper = (c: string) => (c >= 'a' && c <= 'z' ? c.toUpperCase() : c);
const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

function emptyRec(op: OpCode): Rec {
  return {
    op,
    args: [],
    subject: '',
    reply: null,
    queue: null,
    sid: '',
    account: null,
    origin: null,
    queues: [],
    size: 0,
    sizeTok: null,
    hdr: -1,
    hdrTok: null,
    maxMsgs: -1,
    weight: 1,
    rest: '',
    payload: null,
  };
}

function refSize(t: string | undefined): number {
  if (t === undefined || t.length < 1 || t.length > 9 || !/^[0-9]+$/.test(t)) return -1;
  return Number(t);
}

function splitTokens(s: string, crlf: boolean): string[] {
  const re = crlf ? /[ \t\r\n]+/ : /[ \t]+/;
  return s.split(re).filter((t) => t.length > 0);
}

/** Interprets the tokens; null = BAD_ARGS. */
function refInterpret(op: OpCode, mode: ParserModeValue, t: string[]): Rec | null {
  const r = emptyRec(op);
  r.args = t;
  const setSizes = (hdrIdx: number, sizeIdx: number): boolean => {
    if (hdrIdx >= 0) {
      r.hdrTok = t[hdrIdx]!;
      r.hdr = refSize(t[hdrIdx]);
      if (r.hdr < 0) return false;
    }
    r.sizeTok = t[sizeIdx]!;
    r.size = refSize(t[sizeIdx]);
    if (r.size < 0) return false;
    return !(hdrIdx >= 0 && r.hdr > r.size);
  };
  const peer = (subj: number, hdr: boolean): Rec | null => {
    const sizes = hdr ? 2 : 1;
    const n = t.length - subj;
    if (n < 1 + sizes) return null;
    if (n === 2 + sizes) r.reply = t[subj + 1]!;
    else if (n > 2 + sizes) {
      const ind = t[subj + 1]!;
      let first: number;
      if (ind === '+') {
        r.reply = t[subj + 2]!;
        first = subj + 3;
      } else if (ind === '|') first = subj + 2;
      else return null;
      r.queues = t.slice(first, t.length - sizes);
    }
    if (!setSizes(hdr ? t.length - 2 : -1, t.length - 1)) return null;
    r.subject = t[subj]!;
    if (subj === 2) r.origin = t[0]!;
    if (subj >= 1) r.account = t[subj - 1]!;
    return r;
  };
  switch (op) {
    case Op.PUB:
    case Op.HPUB: {
      const base = op === Op.HPUB ? 3 : 2;
      if (t.length !== base && t.length !== base + 1) return null;
      r.subject = t[0]!;
      if (t.length === base + 1) r.reply = t[1]!;
      return setSizes(op === Op.HPUB ? t.length - 2 : -1, t.length - 1) ? r : null;
    }
    case Op.SUB:
      if (t.length !== 2 && t.length !== 3) return null;
      r.subject = t[0]!;
      if (t.length === 3) r.queue = t[1]!;
      r.sid = t[t.length - 1]!;
      return r;
    case Op.UNSUB:
      if (t.length !== 1 && t.length !== 2) return null;
      r.sid = t[0]!;
      if (t.length === 2) r.maxMsgs = Math.max(0, refSize(t[1]));
      return r;
    case Op.MSG:
    case Op.HMSG: {
      if (op === Op.HMSG && mode !== ParserMode.SERVER) return peer(mode === ParserMode.LEAF ? 0 : 1, true);
      const base = op === Op.HMSG ? 4 : 3;
      if (t.length !== base && t.length !== base + 1) return null;
      r.subject = t[0]!;
      r.sid = t[1]!;
      if (t.length === base + 1) r.reply = t[2]!;
      return setSizes(op === Op.HMSG ? t.length - 2 : -1, t.length - 1) ? r : null;
    }
    case Op.LMSG:
      return mode === ParserMode.LEAF ? peer(0, false) : peer(2, true);
    case Op.RMSG:
      return peer(1, false);
    case Op.LS_PLUS:
    case Op.RS_PLUS: {
      const subj = op === Op.RS_PLUS ? 1 : mode === ParserMode.LEAF ? 0 : 2;
      if (t.length !== subj + 1 && t.length !== subj + 3) return null;
      r.subject = t[subj]!;
      if (t.length === subj + 3) {
        r.queue = t[subj + 1]!;
        r.weight = refSize(t[subj + 2]);
      }
      if (subj === 2) r.origin = t[0]!;
      if (subj >= 1) r.account = t[subj - 1]!;
      return r;
    }
    default: {
      // LS- RS-
      const subj = op === Op.LS_MINUS && mode === ParserMode.LEAF ? 0 : 1;
      if (t.length !== subj + 1 && t.length !== subj + 2) return null;
      r.subject = t[subj]!;
      if (t.length === subj + 2) r.queue = t[subj + 1]!;
      if (subj === 1) r.account = t[0]!;
      return r;
    }
  }
}

/** A whole-buffer parser written for clarity, not speed; mirrors the documented rules. */
export function referenceParse(
  mode: ParserModeValue,
  data: string,
  maxControlLine = 4096,
  maxPayload = 1048576,
): Event[] {
  const out: Event[] = [];
  const names = [...NAMES[mode]!, ...COMMON];
  const n = data.length;
  let i = 0;
  for (;;) {
    if (i >= n) return out;
    // op name
    let cands = names;
    let k = 0;
    let found: [string, OpCode] | null = null;
    while (found === null) {
      if (i + k >= n) return out;
      const c = upper(data[i + k]!);
      cands = cands.filter(([nm]) => nm[k] === c);
      if (cands.length === 0) {
        out.push({ err: ParseError.UNKNOWN_OP, at: i + k });
        return out;
      }
      const full = cands.find(([nm]) => nm.length === k + 1);
      if (full) found = full;
      k++;
    }
    const op = found[1];
    let p = i + k;
    if (op === Op.PING || op === Op.PONG || op === Op.OK) {
      const lf = data.indexOf('\n', p);
      if (lf < 0) return out;
      out.push(emptyRec(op));
      i = lf + 1;
      continue;
    }
    if (op !== Op.CONNECT && op !== Op.INFO) {
      if (p >= n) return out;
      if (!isBlank(data[p])) {
        out.push({ err: ParseError.UNKNOWN_OP, at: p });
        return out;
      }
    }
    while (p < n && isBlank(data[p])) p++;
    if (p >= n) return out;
    const argStart = p;
    const lf = data.indexOf('\n', argStart + 1);
    if (lf < 0) {
      // chunk ends mid-argument: the limit is still enforced
      const partial = data.slice(argStart);
      const cr = partial.slice(1).includes('\r') ? 1 : 0;
      if (partial.length - cr > maxControlLine) out.push({ err: ParseError.MAX_CONTROL_LINE, at: n });
      return out;
    }
    const drop = data.slice(argStart + 1, lf).includes('\r') ? 1 : 0;
    const line = data.slice(argStart, lf - drop);
    if (line.length > maxControlLine) {
      out.push({ err: ParseError.MAX_CONTROL_LINE, at: lf });
      return out;
    }
    if (op === Op.CONNECT || op === Op.INFO || op === Op.ERR) {
      const r = emptyRec(op);
      r.rest = line;
      out.push(r);
      i = lf + 1;
      continue;
    }
    const t = splitTokens(line, op !== Op.PUB && op !== Op.HPUB);
    const r = t.length > MAX_ARGS ? null : refInterpret(op, mode, t);
    if (r === null) {
      out.push({ err: ParseError.BAD_ARGS, at: lf });
      return out;
    }
    const isMsg =
      op === Op.PUB || op === Op.HPUB || op === Op.MSG || op === Op.HMSG || op === Op.LMSG || op === Op.RMSG;
    if (!isMsg) {
      out.push(r);
      i = lf + 1;
      continue;
    }
    if (r.size > maxPayload) {
      out.push({ err: ParseError.MAX_PAYLOAD, at: lf });
      return out;
    }
    const ps = lf + 1;
    const pe = ps + r.size;
    if (pe >= n) return out;
    if (data[pe] !== '\r') {
      out.push({ err: ParseError.UNKNOWN_OP, at: pe });
      return out;
    }
    if (pe + 1 >= n) return out;
    if (data[pe + 1] !== '\n') {
      out.push({ err: ParseError.UNKNOWN_OP, at: pe + 1 });
      return out;
    }
    r.payload = data.slice(ps, pe);
    out.push(r);
    i = pe + 2;
  }
}

export { errTextOf, restOf };
