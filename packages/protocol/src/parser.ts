/**
 * The NATS wire parser: one incremental byte-level state machine for every op the broker reads
 * (client, server, leafnode and route protocols). Framing follows nats-server 2.9.10 (parser.go,
 * client.go processPub/processHeaderPub/splitArg/parseSize, route.go and leafnode.go *Args):
 *
 * - op names are case-insensitive; a control line ends at LF, and if any CR was seen inside the
 *   argument the byte before that LF is dropped (normally that CR) — nats-server's `drop` rule;
 * - `PUB HPUB SUB UNSUB MSG HMSG LS± RS± LMSG RMSG -ERR` need at least one space/tab after the op;
 *   `CONNECT`/`INFO` do not; after the blanks the first byte, whatever it is, starts the argument;
 * - `PING PONG +OK` ignore every byte up to LF;
 * - PUB/HPUB split arguments on space/tab; every other tokenised op also on CR/LF;
 * - sizes are 1..9 decimal digits (leading zeros fine); the payload is exactly `size` bytes then
 *   exactly CRLF, else UNKNOWN_OP; payload bytes are never scanned;
 * - the argument part of a line may be at most `maxControlLine` bytes: checked at LF and whenever a
 *   chunk ends mid-argument; `maxPayload` is checked as soon as a message line is parsed.
 *
 * Zero-copy: byte ranges point into the input chunk; only an op split across chunks is assembled,
 * its control line in a reused scratch buffer (≤ maxControlLine + 2 bytes) and its payload in that
 * scratch when it fits, else in one buffer of exactly `size` bytes (≤ maxPayload).
 */
import {
  MAX_ARGS,
  Op,
  type OpArgs,
  type OpCode,
  ParsedOp,
  ParseError,
  type ParseErrorCode,
  ParserMode,
  type ParserModeValue,
} from './op-args.js';

export interface ParserHandler {
  /** One complete op. Return false to stop parsing this chunk at once (the connection is closing). */
  onOp(a: OpArgs): boolean;
  /** A protocol error at `offset` (index into the chunk being parsed). The parser is dead until reset(). */
  onParseError(code: ParseErrorCode, offset: number): void;
  /**
   * Called (only while `parser.msgLineHook` is true) when a PUB/HPUB control line is complete,
   * before its payload is read — where nats-server runs its line-time checks (pedantic subject).
   * `a` holds the line's fields; the payload is not set yet. Return false to stop parsing.
   */
  onMsgLine?(a: OpArgs): boolean;
}

export interface ParserOptions {
  maxControlLine?: number;
  maxPayload?: number;
}

export const DEFAULT_MAX_CONTROL_LINE = 4096;
export const DEFAULT_MAX_PAYLOAD = 1048576;

// Op codes as module constants (folded by the JIT; a property load per compare otherwise).
const OP_CONNECT = Op.CONNECT;
const OP_PUB = Op.PUB;
const OP_HPUB = Op.HPUB;
const OP_SUB = Op.SUB;
const OP_UNSUB = Op.UNSUB;
const OP_PING = Op.PING;
const OP_PONG = Op.PONG;
const OP_INFO = Op.INFO;
const OP_MSG = Op.MSG;
const OP_HMSG = Op.HMSG;
const OP_OK = Op.OK;
const OP_ERR = Op.ERR;
const OP_LS_PLUS = Op.LS_PLUS;
const OP_LS_MINUS = Op.LS_MINUS;
const OP_LMSG = Op.LMSG;
const OP_RS_PLUS = Op.RS_PLUS;
const OP_RS_MINUS = Op.RS_MINUS;
const OP_RMSG = Op.RMSG;

const LF = 10;
const CR = 13;
const SP = 32;
const TAB = 9;
const EMPTY: Buffer = Buffer.alloc(0);
/** Smallest scratch allocation; it grows by doubling up to maxControlLine + 2. */
const MIN_SCRATCH = 256;

// ---- states -------------------------------------------------------------------------------
const S_START = 0;
const S_C = 1;
const S_CO = 2;
const S_CON = 3;
const S_CONN = 4;
const S_CONNE = 5;
const S_CONNEC = 6;
const S_I = 7;
const S_IN = 8;
const S_INF = 9;
const S_P = 10;
const S_PU = 11;
const S_PI = 12;
const S_PIN = 13;
const S_PO = 14;
const S_PON = 15;
const S_H = 16;
const S_HP = 17;
const S_HPU = 18;
const S_HM = 19;
const S_HMS = 20;
const S_S = 21;
const S_SU = 22;
const S_U = 23;
const S_UN = 24;
const S_UNS = 25;
const S_UNSU = 26;
const S_M = 27;
const S_MS = 28;
const S_L = 29;
const S_LS = 30;
const S_LM = 31;
const S_LMS = 32;
const S_R = 33;
const S_RS = 34;
const S_RM = 35;
const S_RMS = 36;
const S_PLUS = 37;
const S_PLUS_O = 38;
const S_MINUS = 39;
const S_MINUS_E = 40;
const S_MINUS_ER = 41;
/** The op name is complete; one space or tab must follow. */
const S_NEED_BLANK = 42;
/** Skipping blanks; the first other byte (any byte) starts the argument. */
const S_SKIP_BLANKS = 43;
/** Inside the argument, looking for LF. */
const S_ARG = 44;
/** PING PONG +OK: everything up to LF is ignored. */
const S_TO_EOL = 45;
/** Copying a payload that spans chunks. */
const S_PAYLOAD = 46;
const S_END_R = 47;
const S_END_N = 48;
/** After a parse error: all input is ignored until reset(). */
const S_DEAD = 49;

const CLIENT = ParserMode.CLIENT;
const SERVER = ParserMode.SERVER;
const LEAF = ParserMode.LEAF;
const ROUTE = ParserMode.ROUTE;

const UNKNOWN_OP = ParseError.UNKNOWN_OP;
const MAX_CONTROL_LINE = ParseError.MAX_CONTROL_LINE;
const MAX_PAYLOAD = ParseError.MAX_PAYLOAD;
const BAD_ARGS = ParseError.BAD_ARGS;

/** 1..9 decimal digits → value, else -1 (nats-server parseSize). */
export function parseSize(buf: Buffer, s: number, e: number): number {
  const n = e - s;
  if (n < 1 || n > 9) return -1;
  let v = 0;
  for (let k = s; k < e; k++) {
    const d = buf[k]! - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function isMsgOp(op: OpCode): boolean {
  return op === OP_PUB || op === OP_HPUB || op === OP_MSG || op === OP_HMSG || op === OP_LMSG || op === OP_RMSG;
}

export class Parser {
  /** Longest argument part of a control line (after the op and its blanks). */
  maxControlLine: number;
  /** Largest size a message op may announce. */
  maxPayload: number;
  /** Which ops are legal; may be changed between ops (also from inside onOp). */
  mode: ParserModeValue;
  /**
   * Whether HPUB is accepted. nats-server refuses an HPUB line from a client that did not
   * announce `headers:true` before reading its payload (silent close): false reports BAD_ARGS
   * at the end of the HPUB line.
   */
  headers = true;
  /**
   * When `onOp` returned false: the index in that chunk just after the op, so a handler that
   * paused (rather than closed) can feed the rest of the chunk again later. -1 otherwise.
   */
  stoppedAt = -1;
  /** Call `handler.onMsgLine` for each PUB/HPUB line before its payload (off by default). */
  msgLineHook = false;

  private readonly handler: ParserHandler;
  private readonly args: ParsedOp = new ParsedOp();
  private state = S_START;
  /** The op whose name has been read (valid from S_NEED_BLANK on). */
  private op: OpCode = OP_PING;
  /** Start of the argument in the current chunk (S_ARG, not in scratch). */
  private argStart = 0;
  /** The argument began in an earlier chunk and is being accumulated in `scratch`. */
  private argInScratch = false;
  /** A CR was seen inside the argument after its first byte (nats-server's `drop`). */
  private crSeen = false;
  private scratch: Buffer = EMPTY;
  private scratchLen = 0;
  /** Length of the completed control line held at scratch[0, lineLen). */
  private lineLen = 0;
  /** Where a spanning payload is assembled: `scratch` or a buffer of exactly `size` bytes. */
  private holder: Buffer | null = null;
  private holderOff = 0;
  private got = 0;

  constructor(mode: ParserModeValue, handler: ParserHandler, opts: ParserOptions = {}) {
    this.mode = mode;
    this.handler = handler;
    this.maxControlLine = opts.maxControlLine ?? DEFAULT_MAX_CONTROL_LINE;
    this.maxPayload = opts.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  }

  /** True after a parse error (until reset()). */
  get dead(): boolean {
    return this.state === S_DEAD;
  }

  /** Bytes currently reserved for split control lines (for memory accounting and tests). */
  get scratchCapacity(): number {
    return this.scratch.length;
  }

  /** Bytes currently reserved for a payload that spans chunks outside the scratch (0 when none). */
  get pendingPayloadCapacity(): number {
    const h = this.holder;
    return h === null || h === this.scratch ? 0 : h.length;
  }

  /** Forget any partial op and any error; keeps the options and the scratch allocation. */
  reset(): void {
    this.state = S_START;
    this.argInScratch = false;
    this.crSeen = false;
    this.scratchLen = 0;
    this.lineLen = 0;
    this.holder = null;
    this.holderOff = 0;
    this.got = 0;
    this.args.clear(OP_PING, EMPTY);
  }

  /** Parses one chunk. Views handed to onOp are valid only during the callback. Never throws on input. */
  parse(buf: Buffer): void {
    this.stoppedAt = -1;
    let state = this.state;
    if (state === S_DEAD) return;
    const len = buf.length;
    const a = this.args;
    const handler = this.handler;
    let mode = this.mode;
    let i = 0;

    for (; i < len; i++) {
      const b = buf[i]!;
      switch (state) {
        case S_START:
          mode = this.mode;
          switch (b) {
            case 0x50: // P
            case 0x70:
              // Fast path for the hottest op: "PUB" + blank all in this chunk (same result as the
              // letter-by-letter states below).
              if (
                mode === CLIENT &&
                i + 3 < len &&
                (buf[i + 1]! | 0x20) === 0x75 &&
                (buf[i + 2]! | 0x20) === 0x62 &&
                (buf[i + 3] === SP || buf[i + 3] === TAB)
              ) {
                this.op = OP_PUB;
                i = this.skipToArg(buf, i + 4, len);
                state = this.state;
              } else {
                state = S_P;
              }
              break;
            case 0x4d: // M
            case 0x6d:
              if (mode !== SERVER) {
                this.fail(UNKNOWN_OP, i);
                return;
              }
              if (
                i + 3 < len &&
                (buf[i + 1]! | 0x20) === 0x73 &&
                (buf[i + 2]! | 0x20) === 0x67 &&
                (buf[i + 3] === SP || buf[i + 3] === TAB)
              ) {
                this.op = OP_MSG;
                i = this.skipToArg(buf, i + 4, len);
                state = this.state;
              } else {
                state = S_M;
              }
              break;
            case 0x48: // H
            case 0x68:
              // Fast path: "HPUB " (client) / "HMSG " (everyone else) all in this chunk.
              if (
                i + 4 < len &&
                (buf[i + 2]! | 0x20) === (mode === CLIENT ? 0x75 : 0x73) &&
                (buf[i + 1]! | 0x20) === (mode === CLIENT ? 0x70 : 0x6d) &&
                (buf[i + 3]! | 0x20) === (mode === CLIENT ? 0x62 : 0x67) &&
                (buf[i + 4] === SP || buf[i + 4] === TAB)
              ) {
                this.op = mode === CLIENT ? OP_HPUB : OP_HMSG;
                i = this.skipToArg(buf, i + 5, len);
                state = this.state;
              } else {
                state = S_H;
              }
              break;
            case 0x53: // S
            case 0x73:
              if (mode !== CLIENT) {
                this.fail(UNKNOWN_OP, i);
                return;
              }
              state = S_S;
              break;
            case 0x55: // U
            case 0x75:
              if (mode !== CLIENT) {
                this.fail(UNKNOWN_OP, i);
                return;
              }
              state = S_U;
              break;
            case 0x43: // C
            case 0x63:
              if (mode === SERVER) {
                this.fail(UNKNOWN_OP, i);
                return;
              }
              state = S_C;
              break;
            case 0x49: // I
            case 0x69:
              state = S_I;
              break;
            case 0x4c: // L
            case 0x6c:
              if (mode !== LEAF && mode !== ROUTE) {
                this.fail(UNKNOWN_OP, i);
                return;
              }
              state = S_L;
              break;
            case 0x52: // R
            case 0x72:
              if (mode !== ROUTE) {
                this.fail(UNKNOWN_OP, i);
                return;
              }
              state = S_R;
              break;
            case 0x2b: // +
              state = S_PLUS;
              break;
            case 0x2d: // -
              state = S_MINUS;
              break;
            default:
              this.fail(UNKNOWN_OP, i);
              return;
          }
          break;

        // ---- P: PUB PING PONG
        case S_P:
          switch (b | 0x20) {
            case 0x75: // u
              if (mode !== CLIENT) {
                this.fail(UNKNOWN_OP, i);
                return;
              }
              state = S_PU;
              break;
            case 0x69: // i
              state = S_PI;
              break;
            case 0x6f: // o
              state = S_PO;
              break;
            default:
              this.fail(UNKNOWN_OP, i);
              return;
          }
          break;
        case S_PU:
          if ((b | 0x20) !== 0x62) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_PUB;
          state = S_NEED_BLANK;
          break;
        case S_PI:
          if ((b | 0x20) !== 0x6e) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_PIN;
          break;
        case S_PIN:
          if ((b | 0x20) !== 0x67) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_PING;
          state = S_TO_EOL;
          break;
        case S_PO:
          if ((b | 0x20) !== 0x6e) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_PON;
          break;
        case S_PON:
          if ((b | 0x20) !== 0x67) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_PONG;
          state = S_TO_EOL;
          break;

        // ---- H: HPUB HMSG
        case S_H:
          switch (b | 0x20) {
            case 0x70: // p
              if (mode !== CLIENT) {
                this.fail(UNKNOWN_OP, i);
                return;
              }
              state = S_HP;
              break;
            case 0x6d: // m
              // [2.9 quirk] a client may send HMSG: the line's arguments are not read, an empty
              // payload (bare CRLF) must follow, and the op is then ignored (see interpret()).
              state = S_HM;
              break;
            default:
              this.fail(UNKNOWN_OP, i);
              return;
          }
          break;
        case S_HP:
          if ((b | 0x20) !== 0x75) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_HPU;
          break;
        case S_HPU:
          if ((b | 0x20) !== 0x62) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_HPUB;
          state = S_NEED_BLANK;
          break;
        case S_HM:
          if ((b | 0x20) !== 0x73) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_HMS;
          break;
        case S_HMS:
          if ((b | 0x20) !== 0x67) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_HMSG;
          state = S_NEED_BLANK;
          break;

        // ---- SUB UNSUB
        case S_S:
          if ((b | 0x20) !== 0x75) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_SU;
          break;
        case S_SU:
          if ((b | 0x20) !== 0x62) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_SUB;
          state = S_NEED_BLANK;
          break;
        case S_U:
          if ((b | 0x20) !== 0x6e) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_UN;
          break;
        case S_UN:
          if ((b | 0x20) !== 0x73) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_UNS;
          break;
        case S_UNS:
          if ((b | 0x20) !== 0x75) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_UNSU;
          break;
        case S_UNSU:
          if ((b | 0x20) !== 0x62) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_UNSUB;
          state = S_NEED_BLANK;
          break;

        // ---- MSG
        case S_M:
          if ((b | 0x20) !== 0x73) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_MS;
          break;
        case S_MS:
          if ((b | 0x20) !== 0x67) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_MSG;
          state = S_NEED_BLANK;
          break;

        // ---- CONNECT
        case S_C:
          if ((b | 0x20) !== 0x6f) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_CO;
          break;
        case S_CO:
          if ((b | 0x20) !== 0x6e) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_CON;
          break;
        case S_CON:
          if ((b | 0x20) !== 0x6e) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_CONN;
          break;
        case S_CONN:
          if ((b | 0x20) !== 0x65) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_CONNE;
          break;
        case S_CONNE:
          if ((b | 0x20) !== 0x63) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_CONNEC;
          break;
        case S_CONNEC:
          if ((b | 0x20) !== 0x74) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_CONNECT;
          state = S_SKIP_BLANKS; // CONNECT{...} is fine
          break;

        // ---- INFO
        case S_I:
          if ((b | 0x20) !== 0x6e) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_IN;
          break;
        case S_IN:
          if ((b | 0x20) !== 0x66) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_INF;
          break;
        case S_INF:
          if ((b | 0x20) !== 0x6f) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_INFO;
          state = S_SKIP_BLANKS;
          break;

        // ---- LS+ LS- LMSG
        case S_L:
          switch (b | 0x20) {
            case 0x73: // s
              state = S_LS;
              break;
            case 0x6d: // m
              state = S_LM;
              break;
            default:
              this.fail(UNKNOWN_OP, i);
              return;
          }
          break;
        case S_LS:
          if (b === 0x2b) this.op = OP_LS_PLUS;
          else if (b === 0x2d) this.op = OP_LS_MINUS;
          else {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_NEED_BLANK;
          break;
        case S_LM:
          if ((b | 0x20) !== 0x73) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_LMS;
          break;
        case S_LMS:
          if ((b | 0x20) !== 0x67) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_LMSG;
          state = S_NEED_BLANK;
          break;

        // ---- RS+ RS- RMSG
        case S_R:
          switch (b | 0x20) {
            case 0x73: // s
              state = S_RS;
              break;
            case 0x6d: // m
              state = S_RM;
              break;
            default:
              this.fail(UNKNOWN_OP, i);
              return;
          }
          break;
        case S_RS:
          if (b === 0x2b) this.op = OP_RS_PLUS;
          else if (b === 0x2d) this.op = OP_RS_MINUS;
          else {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_NEED_BLANK;
          break;
        case S_RM:
          if ((b | 0x20) !== 0x73) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_RMS;
          break;
        case S_RMS:
          if ((b | 0x20) !== 0x67) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_RMSG;
          state = S_NEED_BLANK;
          break;

        // ---- +OK -ERR
        case S_PLUS:
          if ((b | 0x20) !== 0x6f) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_PLUS_O;
          break;
        case S_PLUS_O:
          if ((b | 0x20) !== 0x6b) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_OK;
          state = S_TO_EOL;
          break;
        case S_MINUS:
          if ((b | 0x20) !== 0x65) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_MINUS_E;
          break;
        case S_MINUS_E:
          if ((b | 0x20) !== 0x72) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_MINUS_ER;
          break;
        case S_MINUS_ER:
          if ((b | 0x20) !== 0x72) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          this.op = OP_ERR;
          state = S_NEED_BLANK;
          break;

        // ---- generic argument handling
        case S_NEED_BLANK:
          if (b !== SP && b !== TAB) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_SKIP_BLANKS;
          break;
        case S_SKIP_BLANKS:
          if (b !== SP && b !== TAB) {
            // Whatever this byte is (even CR or LF) it is the argument's first byte.
            this.argStart = i;
            this.crSeen = false;
            state = S_ARG;
          }
          break;
        case S_TO_EOL:
          if (b === LF) {
            a.clear(this.op, buf);
            state = S_START;
            this.state = S_START;
            if (!handler.onOp(a)) {
              this.stoppedAt = i + 1;
              return;
            }
          }
          break;

        case S_ARG: {
          const op = this.op;
          let j = i;
          let err: ParseErrorCode | 0 = 0;
          // the line's range in buf (when it is not in the scratch)
          let ls = 0;
          let le = 0;
          if (this.argInScratch) {
            // The argument began in an earlier chunk (cold path).
            while (j < len && buf[j] !== LF) j++;
            err = this.appendScratch(buf, i, j, j < len);
            if (err !== 0) {
              this.fail(err, j);
              return;
            }
            if (j === len) {
              i = len;
              break;
            }
            err = this.processLine(this.scratch, 0, this.lineLen, op, mode);
          } else if (op === OP_CONNECT || op === OP_INFO || op === OP_ERR) {
            while (j < len && buf[j] !== LF) j++;
            if (j === len) {
              i = len; // the partial argument is saved after the loop
              break;
            }
            const s = this.argStart;
            let drop = 0;
            for (let k = s + 1; k < j; k++) {
              if (buf[k] === CR) {
                drop = 1;
                break;
              }
            }
            const e = j - drop;
            if (e - s > this.maxControlLine) {
              this.fail(MAX_CONTROL_LINE, j);
              return;
            }
            a.clear(op, buf);
            a.restStart = s;
            a.restEnd = e;
            ls = s;
            le = e;
          } else {
            // Hot path: find LF and split the argument into tokens in the same pass.
            // PUB/HPUB split on space/tab only; every other op also on CR/LF (nats-server splitArg).
            const crlf = op !== OP_PUB && op !== OP_HPUB;
            const s = this.argStart;
            const starts = a.starts;
            const ends = a.ends;
            const b0 = buf[s]!;
            let ts = crlf && (b0 === CR || b0 === LF) ? -1 : s;
            let argc = 0;
            let cr = false;
            for (; j < len; j++) {
              const c = buf[j]!;
              if (c > SP) {
                if (ts < 0) ts = j;
                continue;
              }
              if (c === LF) break;
              if (c === CR) {
                cr = true;
                if (!crlf) {
                  if (ts < 0) ts = j;
                  continue;
                }
              } else if (c !== SP && c !== TAB) {
                if (ts < 0) ts = j;
                continue;
              }
              if (ts >= 0) {
                if (argc < MAX_ARGS) {
                  starts[argc] = ts;
                  ends[argc] = j;
                }
                argc++;
                ts = -1;
              }
            }
            if (j === len) {
              i = len; // the partial argument is saved (and re-split) after the loop
              break;
            }
            // nats-server drops the byte before LF when a CR was seen in the argument.
            const e = cr ? j - 1 : j;
            if (e - s > this.maxControlLine) {
              this.fail(MAX_CONTROL_LINE, j);
              return;
            }
            if (ts >= 0 && e > ts) {
              if (argc < MAX_ARGS) {
                starts[argc] = ts;
                ends[argc] = e;
              }
              argc++;
            }
            ls = s;
            le = e;
            a.clear(op, buf);
            if (argc > MAX_ARGS) err = BAD_ARGS;
            else {
              a.argc = argc;
              err = this.interpret(buf, argc, op, mode);
            }
          }
          if (err !== 0) {
            this.fail(err, j);
            return;
          }
          if (!isMsgOp(op)) {
            this.argInScratch = false;
            state = S_START;
            this.state = S_START;
            i = j;
            if (!handler.onOp(a)) {
              this.stoppedAt = i + 1;
              return;
            }
            break;
          }
          if (op === OP_HPUB && !this.headers) {
            this.fail(BAD_ARGS, j);
            return;
          }
          const size = a.size;
          if (size > this.maxPayload) {
            this.fail(MAX_PAYLOAD, j);
            return;
          }
          if (this.msgLineHook && (op === OP_PUB || op === OP_HPUB) && handler.onMsgLine !== undefined) {
            if (!handler.onMsgLine(a)) return;
          }
          const ps = j + 1;
          const pe = ps + size;
          if (pe + 1 < len) {
            // Whole payload and its CRLF are in this chunk: a view, no copy.
            if (buf[pe] !== CR) {
              this.fail(UNKNOWN_OP, pe);
              return;
            }
            if (buf[pe + 1] !== LF) {
              this.fail(UNKNOWN_OP, pe + 1);
              return;
            }
            a.setPayload(buf, ps, pe);
            this.argInScratch = false;
            state = S_START;
            this.state = S_START;
            i = pe + 1;
            if (!handler.onOp(a)) {
              this.stoppedAt = i + 1;
              return;
            }
            break;
          }
          i = this.beginSplitPayload(buf, ls, le, ps, len, mode);
          state = this.state;
          break;
        }

        case S_PAYLOAD: {
          const h = this.holder!;
          const need = a.size - this.got;
          const avail = len - i;
          const n = Math.min(need, avail);
          buf.copy(h, this.holderOff + this.got, i, i + n);
          this.got += n;
          i += n - 1;
          if (this.got === a.size) state = S_END_R;
          break;
        }
        case S_END_R:
          if (b !== CR) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          state = S_END_N;
          break;
        case S_END_N: {
          if (b !== LF) {
            this.fail(UNKNOWN_OP, i);
            return;
          }
          const h = this.holder!;
          // the control line waits in the scratch (a.buf was released when the last read ended)
          a.buf = this.scratch;
          a.setPayload(h, this.holderOff, this.holderOff + a.size);
          this.holder = null;
          this.argInScratch = false;
          state = S_START;
          this.state = S_START;
          if (!handler.onOp(a)) {
            this.stoppedAt = i + 1;
            return;
          }
          break;
        }
        default:
          this.fail(UNKNOWN_OP, i);
          return;
      }
    }

    if (state === S_ARG && !this.argInScratch) {
      const err = this.saveArg(buf, this.argStart, len);
      if (err !== 0) {
        this.fail(err, len);
        return;
      }
    }
    this.state = state;
    // Do not keep the caller's read buffer (or a big split payload) alive between reads.
    a.release();
  }

  /**
   * Fast path after "PUB "/"MSG ": skips further blanks from `k`; the first other byte starts the
   * argument. Sets this.state (S_ARG, or S_SKIP_BLANKS when the chunk ends first) and returns the
   * loop index to continue from (the loop's i++ then lands on the byte after the argument start).
   */
  private skipToArg(buf: Buffer, k: number, len: number): number {
    while (k < len) {
      const c = buf[k];
      if (c !== SP && c !== TAB) {
        this.argStart = k;
        this.crSeen = false;
        this.state = S_ARG;
        return k;
      }
      k++;
    }
    this.state = S_SKIP_BLANKS;
    return len;
  }

  private fail(code: ParseErrorCode, offset: number): void {
    this.state = S_DEAD;
    this.holder = null;
    this.argInScratch = false;
    this.args.release();
    this.handler.onParseError(code, offset);
  }

  /** Makes sure the scratch holds at least `n` bytes (n ≤ maxControlLine + 2 by construction). */
  private ensureScratch(n: number, keep: number): void {
    const cur = this.scratch;
    if (cur.length >= n) return;
    let cap = cur.length < MIN_SCRATCH ? MIN_SCRATCH : cur.length * 2;
    if (cap < n) cap = n;
    const limit = this.maxControlLine + 2;
    if (cap > limit) cap = Math.max(limit, n);
    const next = Buffer.allocUnsafe(cap);
    if (keep > 0) cur.copy(next, 0, 0, keep);
    this.scratch = next;
  }

  /** The chunk ended inside an argument: keep buf[s, e) in the scratch. */
  private saveArg(buf: Buffer, s: number, e: number): ParseErrorCode | 0 {
    let cr = false;
    for (let k = s + 1; k < e; k++) {
      if (buf[k] === CR) {
        cr = true;
        break;
      }
    }
    const n = e - s;
    // The final argument will be at least n - 1 bytes (n if no CR can be dropped yet).
    if (n - (cr ? 1 : 0) > this.maxControlLine) return MAX_CONTROL_LINE;
    this.ensureScratch(n, 0);
    buf.copy(this.scratch, 0, s, e);
    this.scratchLen = n;
    this.crSeen = cr;
    this.argInScratch = true;
    return 0;
  }

  /** More argument bytes buf[s, e) for a line held in scratch; `lf` when buf[e] is its LF. */
  private appendScratch(buf: Buffer, s: number, e: number, lf: boolean): ParseErrorCode | 0 {
    let cr = this.crSeen;
    if (!cr) {
      for (let k = s; k < e; k++) {
        if (buf[k] === CR) {
          cr = true;
          break;
        }
      }
    }
    const total = this.scratchLen + (e - s);
    const drop = cr ? 1 : 0;
    if (total - drop > this.maxControlLine) return MAX_CONTROL_LINE;
    this.ensureScratch(total, this.scratchLen);
    buf.copy(this.scratch, this.scratchLen, s, e);
    this.scratchLen = total;
    this.crSeen = cr;
    if (lf) this.lineLen = total - drop;
    return 0;
  }

  /**
   * A message line is complete (in buf[s, e) or in the scratch) but its payload + CRLF run past
   * this chunk: move the line into the scratch (so `a.buf` stays valid), pick where the payload is
   * assembled, copy what is here. Returns the loop index to continue from.
   */
  private beginSplitPayload(buf: Buffer, s: number, e: number, ps: number, len: number, mode: ParserModeValue): number {
    const a = this.args;
    if (!this.argInScratch) {
      const n = e - s;
      this.ensureScratch(n, 0);
      buf.copy(this.scratch, 0, s, e);
      this.scratchLen = n;
      this.lineLen = n;
      this.argInScratch = true;
      // Same bytes, new home: cannot fail.
      this.processLine(this.scratch, 0, n, this.op, mode);
    }
    const size = a.size;
    const lineLen = this.lineLen;
    if (lineLen + size <= this.maxControlLine + 2) {
      this.ensureScratch(lineLen + size, lineLen);
      // the line may have moved with the scratch: refresh a.buf
      a.buf = this.scratch;
      this.holder = this.scratch;
      this.holderOff = lineLen;
    } else {
      this.holder = Buffer.allocUnsafe(size);
      this.holderOff = 0;
    }
    let n = len - ps;
    if (n > size) n = size;
    if (n > 0) buf.copy(this.holder, this.holderOff, ps, ps + n);
    this.got = n;
    if (n === size) {
      this.state = S_END_R;
      return ps + n - 1;
    }
    this.state = S_PAYLOAD;
    return len;
  }

  /** Splits buf[s, e) into a.starts/ends; CR/LF separate too when `crlf`. Returns argc, -1 if > MAX_ARGS. */
  private tokenize(buf: Buffer, s: number, e: number, crlf: boolean): number {
    const a = this.args;
    const starts = a.starts;
    const ends = a.ends;
    let argc = 0;
    let ts = -1;
    for (let k = s; k < e; k++) {
      const c = buf[k]!;
      if (c > SP) {
        if (ts < 0) ts = k;
      } else if (c === SP || c === TAB || (crlf && (c === CR || c === LF))) {
        if (ts >= 0) {
          if (argc === MAX_ARGS) return -1;
          starts[argc] = ts;
          ends[argc] = k;
          argc++;
          ts = -1;
        }
      } else if (ts < 0) {
        ts = k;
      }
    }
    if (ts >= 0) {
      if (argc === MAX_ARGS) return -1;
      starts[argc] = ts;
      ends[argc] = e;
      argc++;
    }
    a.argc = argc;
    return argc;
  }

  /** Fills the OpArgs for a complete control line buf[s, e) (split lines). Returns 0 or BAD_ARGS. */
  private processLine(buf: Buffer, s: number, e: number, op: OpCode, mode: ParserModeValue): ParseErrorCode | 0 {
    const a = this.args;
    a.clear(op, buf);
    if (op === OP_CONNECT || op === OP_INFO || op === OP_ERR) {
      a.restStart = s;
      a.restEnd = e;
      return 0;
    }
    const argc = this.tokenize(buf, s, e, op !== OP_PUB && op !== OP_HPUB);
    if (argc < 0) return BAD_ARGS;
    return this.interpret(buf, argc, op, mode);
  }

  /** Assigns the tokens of a tokenised op to the named fields. Returns 0 or BAD_ARGS. */
  private interpret(buf: Buffer, argc: number, op: OpCode, mode: ParserModeValue): ParseErrorCode | 0 {
    switch (op) {
      case OP_PUB:
        return this.pubArgs(buf, argc, false);
      case OP_HPUB:
        return this.pubArgs(buf, argc, true);
      case OP_SUB:
        return this.subArgs(argc);
      case OP_UNSUB:
        return this.unsubArgs(buf, argc);
      case OP_MSG:
        return this.msgArgs(buf, argc, false);
      case OP_HMSG:
        if (mode === CLIENT) {
          const a = this.args;
          // nats-server 2.9.10 accepts a client HMSG line without reading its sizes: zero bytes
          // of payload follow. The handler receives it and ignores it (+OK in verbose).
          a.size = 0;
          a.hdrSize = 0;
          return 0;
        }
        if (mode === SERVER) return this.msgArgs(buf, argc, true);
        return this.peerMsgArgs(buf, argc, mode === LEAF ? 0 : 1, true);
      case OP_LMSG:
        if (mode === LEAF) return this.peerMsgArgs(buf, argc, 0, false);
        return this.peerMsgArgs(buf, argc, 2, true);
      case OP_RMSG:
        return this.peerMsgArgs(buf, argc, 1, false);
      case OP_LS_PLUS:
        return this.subPlusArgs(buf, argc, mode === LEAF ? 0 : 2);
      case OP_RS_PLUS:
        return this.subPlusArgs(buf, argc, 1);
      case OP_LS_MINUS:
        return this.subMinusArgs(argc, mode === LEAF ? 0 : 1);
      case OP_RS_MINUS:
        return this.subMinusArgs(argc, 1);
      default:
        return 0;
    }
  }

  private setSize(buf: Buffer, k: number): boolean {
    const a = this.args;
    const s = a.starts[k]!;
    const e = a.ends[k]!;
    a.sizeStart = s;
    a.sizeEnd = e;
    const v = parseSize(buf, s, e);
    a.size = v;
    return v >= 0;
  }

  private setHdr(buf: Buffer, k: number): boolean {
    const a = this.args;
    const s = a.starts[k]!;
    const e = a.ends[k]!;
    a.hdrStart = s;
    a.hdrEnd = e;
    const v = parseSize(buf, s, e);
    a.hdrSize = v;
    return v >= 0;
  }

  /** PUB <subject> [reply] <size> / HPUB <subject> [reply] <hdr> <size> */
  private pubArgs(buf: Buffer, argc: number, hdr: boolean): ParseErrorCode | 0 {
    const a = this.args;
    const starts = a.starts;
    const ends = a.ends;
    const base = hdr ? 3 : 2;
    if (argc !== base && argc !== base + 1) return BAD_ARGS;
    a.subjectStart = starts[0]!;
    a.subjectEnd = ends[0]!;
    if (argc === base + 1) {
      a.replyStart = starts[1]!;
      a.replyEnd = ends[1]!;
    }
    if (hdr && !this.setHdr(buf, argc - 2)) return BAD_ARGS;
    if (!this.setSize(buf, argc - 1)) return BAD_ARGS;
    if (hdr && a.hdrSize > a.size) return BAD_ARGS;
    return 0;
  }

  /** SUB <subject> [queue] <sid> */
  private subArgs(argc: number): ParseErrorCode | 0 {
    const a = this.args;
    if (argc !== 2 && argc !== 3) return BAD_ARGS;
    a.subjectStart = a.starts[0]!;
    a.subjectEnd = a.ends[0]!;
    if (argc === 3) {
      a.queueStart = a.starts[1]!;
      a.queueEnd = a.ends[1]!;
    }
    a.sidStart = a.starts[argc - 1]!;
    a.sidEnd = a.ends[argc - 1]!;
    return 0;
  }

  /** UNSUB <sid> [max] — a max that is not a decimal counts as 0 (unsubscribe now). */
  private unsubArgs(buf: Buffer, argc: number): ParseErrorCode | 0 {
    const a = this.args;
    if (argc !== 1 && argc !== 2) return BAD_ARGS;
    a.sidStart = a.starts[0]!;
    a.sidEnd = a.ends[0]!;
    if (argc === 2) {
      const v = parseSize(buf, a.starts[1]!, a.ends[1]!);
      a.maxMsgs = Math.max(v, 0);
    }
    return 0;
  }

  /** MSG <subject> <sid> [reply] <size> / HMSG <subject> <sid> [reply] <hdr> <size> (server → client). */
  private msgArgs(buf: Buffer, argc: number, hdr: boolean): ParseErrorCode | 0 {
    const a = this.args;
    const base = hdr ? 4 : 3;
    if (argc !== base && argc !== base + 1) return BAD_ARGS;
    a.subjectStart = a.starts[0]!;
    a.subjectEnd = a.ends[0]!;
    a.sidStart = a.starts[1]!;
    a.sidEnd = a.ends[1]!;
    if (argc === base + 1) {
      a.replyStart = a.starts[2]!;
      a.replyEnd = a.ends[2]!;
    }
    if (hdr && !this.setHdr(buf, argc - 2)) return BAD_ARGS;
    if (!this.setSize(buf, argc - 1)) return BAD_ARGS;
    if (hdr && a.hdrSize > a.size) return BAD_ARGS;
    return 0;
  }

  /**
   * Leaf and route messages: [origin] [account] <subject> then `[reply]`, `+ <reply> <q…>` or
   * `| <q…>`, then [hdr] <size>. `subj` is the subject's token index (0 leaf, 1 RMSG/route HMSG,
   * 2 route LMSG); the tokens before it are origin (when 2) and account.
   */
  private peerMsgArgs(buf: Buffer, argc: number, subj: number, hdr: boolean): ParseErrorCode | 0 {
    const a = this.args;
    const starts = a.starts;
    const ends = a.ends;
    const sizes = hdr ? 2 : 1;
    const n = argc - subj; // tokens from the subject on
    if (n < 1 + sizes) return BAD_ARGS;
    if (n === 2 + sizes) {
      a.replyStart = starts[subj + 1]!;
      a.replyEnd = ends[subj + 1]!;
    } else if (n > 2 + sizes) {
      const is = starts[subj + 1]!;
      if (ends[subj + 1]! - is !== 1) return BAD_ARGS;
      const ind = buf[is];
      let first: number;
      if (ind === 0x2b) {
        a.replyStart = starts[subj + 2]!;
        a.replyEnd = ends[subj + 2]!;
        first = subj + 3;
      } else if (ind === 0x7c) {
        first = subj + 2;
      } else {
        return BAD_ARGS;
      }
      const count = argc - sizes - first;
      if (count > 0) {
        a.queuesFirstArg = first;
        a.queueCount = count;
      }
    }
    if (hdr && !this.setHdr(buf, argc - 2)) return BAD_ARGS;
    if (!this.setSize(buf, argc - 1)) return BAD_ARGS;
    if (hdr && a.hdrSize > a.size) return BAD_ARGS;
    a.subjectStart = starts[subj]!;
    a.subjectEnd = ends[subj]!;
    if (subj === 2) {
      a.originStart = starts[0]!;
      a.originEnd = ends[0]!;
    }
    if (subj >= 1) {
      a.accountStart = starts[subj - 1]!;
      a.accountEnd = ends[subj - 1]!;
    }
    return 0;
  }

  /**
   * LS+ (leaf: <subject> [<queue> <weight>]; route: <origin> <account> <subject> [<queue> <weight>])
   * and RS+ (<account> <subject> [<queue> <weight>]). `subj` is the subject's token index.
   */
  private subPlusArgs(buf: Buffer, argc: number, subj: number): ParseErrorCode | 0 {
    const a = this.args;
    const starts = a.starts;
    const ends = a.ends;
    if (argc !== subj + 1 && argc !== subj + 3) return BAD_ARGS;
    a.subjectStart = starts[subj]!;
    a.subjectEnd = ends[subj]!;
    if (argc === subj + 3) {
      a.queueStart = starts[subj + 1]!;
      a.queueEnd = ends[subj + 1]!;
      a.weight = parseSize(buf, starts[subj + 2]!, ends[subj + 2]!);
    }
    if (subj === 2) {
      a.originStart = starts[0]!;
      a.originEnd = ends[0]!;
    }
    if (subj >= 1) {
      a.accountStart = starts[subj - 1]!;
      a.accountEnd = ends[subj - 1]!;
    }
    return 0;
  }

  /** LS- (leaf: <subject> [queue]; route, as 2.9: <account> <subject> [queue]) and RS- (route). */
  private subMinusArgs(argc: number, subj: number): ParseErrorCode | 0 {
    const a = this.args;
    if (argc !== subj + 1 && argc !== subj + 2) return BAD_ARGS;
    a.subjectStart = a.starts[subj]!;
    a.subjectEnd = a.ends[subj]!;
    if (argc === subj + 2) {
      a.queueStart = a.starts[subj + 1]!;
      a.queueEnd = a.ends[subj + 1]!;
    }
    if (subj === 1) {
      a.accountStart = a.starts[0]!;
      a.accountEnd = a.ends[0]!;
    }
    return 0;
  }
}
