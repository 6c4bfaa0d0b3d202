/**
 * The contract between the parser and whoever handles ops (the server's Connection, a client,
 * the benchmark load generator). The parser owns ONE OpArgs object and refills it for every op:
 * handlers must not keep references to it, to `buf`, or to `payload` past the callback.
 */

/** Op codes. Numeric so the handler can `switch` on them cheaply. */
export const Op = {
  CONNECT: 1,
  PUB: 2,
  HPUB: 3,
  SUB: 4,
  UNSUB: 5,
  PING: 6,
  PONG: 7,
  INFO: 8,
  MSG: 9,
  HMSG: 10,
  OK: 11,
  ERR: 12,
  LS_PLUS: 13,
  LS_MINUS: 14,
  LMSG: 15,
  RS_PLUS: 16,
  RS_MINUS: 17,
  RMSG: 18,
} as const;
export type OpCode = (typeof Op)[keyof typeof Op];

/** Which ops are legal: the kind of peer being read. */
export const ParserMode = {
  /** A server reading a client: CONNECT PUB HPUB SUB UNSUB PING PONG INFO +OK -ERR. */
  CLIENT: 0,
  /** A client reading a server: INFO MSG HMSG PING PONG +OK -ERR. */
  SERVER: 1,
  /** A server reading a leafnode peer: CONNECT INFO LS+ LS- LMSG HMSG PING PONG +OK -ERR. */
  LEAF: 2,
  /** A server reading a route peer: CONNECT INFO RS+ RS- RMSG HMSG LS+ LS- LMSG PING PONG +OK -ERR. */
  ROUTE: 3,
} as const;
export type ParserModeValue = (typeof ParserMode)[keyof typeof ParserMode];

/** Why the parser stopped. Each maps to one nats-server reaction (see `PARSE_ERROR_REACTION`). */
export const ParseError = {
  /** Unknown op, an op not legal in this mode, or a payload not followed by exactly CRLF. */
  UNKNOWN_OP: 1,
  /** The argument part of a control line is longer than maxControlLine. */
  MAX_CONTROL_LINE: 2,
  /** A PUB/HPUB/MSG/HMSG size above maxPayload (checked before the payload is read). */
  MAX_PAYLOAD: 3,
  /** Wrong argument count, a size that is not a non-negative decimal, header size > total. */
  BAD_ARGS: 4,
} as const;
export type ParseErrorCode = (typeof ParseError)[keyof typeof ParseError];

/** Most tokens any op line may carry (LMSG/RMSG with many queue names); more is BAD_ARGS. */
export const MAX_ARGS = 64;

/**
 * One parsed op. Byte ranges are [start, end) offsets into `buf`; an absent optional field has
 * start === end === -1... except where noted. Use the decode helpers to get strings (latin1, so
 * bytes round-trip exactly) only when needed.
 */
export interface OpArgs {
  op: OpCode;
  /** Holds the control line: the input chunk itself, or the parser's scratch area when split. */
  buf: Buffer;
  /** Raw whitespace-separated argument tokens after the op name. */
  argc: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;

  /** PUB HPUB SUB MSG HMSG LS± RS± LMSG RMSG: the subject. */
  subjectStart: number;
  subjectEnd: number;
  /** PUB HPUB MSG HMSG LMSG RMSG: the reply subject, -1/-1 when absent. */
  replyStart: number;
  replyEnd: number;
  /** SUB LS+ LS- RS+ RS-: the queue group, -1/-1 when absent. */
  queueStart: number;
  queueEnd: number;
  /** SUB UNSUB MSG HMSG: the sid token. */
  sidStart: number;
  sidEnd: number;
  /** RS± RMSG (and HMSG/LS± on routes): the account token, -1/-1 when absent. */
  accountStart: number;
  accountEnd: number;
  /** LMSG RMSG HMSG on leaf/route links: index into starts/ends of the first queue name, -1 if none. */
  queuesFirstArg: number;
  /** (added) How many queue names follow `queuesFirstArg` (0 when none). */
  queueCount: number;
  /** (added) LS+ and LMSG on ROUTE links: the origin (leaf) cluster token, -1/-1 when absent. */
  originStart: number;
  originEnd: number;

  /** PUB HPUB MSG HMSG LMSG RMSG: total size (header + payload). Token kept for verbatim echo. */
  size: number;
  sizeStart: number;
  sizeEnd: number;
  /** HPUB HMSG (and header-carrying LMSG/RMSG): header size, -1 when absent; token for echo. */
  hdrSize: number;
  hdrStart: number;
  hdrEnd: number;

  /** UNSUB: max msgs, -1 when absent; 0 when present but not a positive decimal. */
  maxMsgs: number;
  /** LS+ RS+ with a queue: weight, 1 when absent (-1 when present but not a decimal, as nats-server). */
  weight: number;

  /** CONNECT INFO -ERR: the rest of the line (JSON or error text), CR/LF and leading blanks trimmed. */
  restStart: number;
  restEnd: number;

  /**
   * (added) Where the header+payload bytes are without creating a view: `payloadBuf` is the input
   * chunk (or the parser's split buffer), [payloadStart, payloadEnd) the bytes; null/-1 for ops
   * without a payload. Use these on hot paths (`out.writeBytes(a.payloadBuf, s, e)`) to avoid the
   * per-message view object.
   */
  payloadBuf: Buffer | null;
  payloadStart: number;
  payloadEnd: number;

  /**
   * PUB HPUB MSG HMSG LMSG RMSG: header+payload bytes (size bytes, no CRLF). A view, not a copy
   * (created on first access per op), valid only during the callback.
   */
  readonly payload: Buffer | null;
}

const EMPTY: Buffer = Buffer.alloc(0);

/**
 * (added) The concrete OpArgs: every field is set in the constructor, in declaration order, so all
 * instances share one hidden class. `payload` is a getter that makes the view on demand (once per op).
 */
export class ParsedOp implements OpArgs {
  op: OpCode = Op.PING;
  buf: Buffer = EMPTY;
  argc = 0;
  readonly starts: Int32Array = new Int32Array(MAX_ARGS);
  readonly ends: Int32Array = new Int32Array(MAX_ARGS);
  subjectStart = -1;
  subjectEnd = -1;
  replyStart = -1;
  replyEnd = -1;
  queueStart = -1;
  queueEnd = -1;
  sidStart = -1;
  sidEnd = -1;
  accountStart = -1;
  accountEnd = -1;
  queuesFirstArg = -1;
  queueCount = 0;
  originStart = -1;
  originEnd = -1;
  size = 0;
  sizeStart = -1;
  sizeEnd = -1;
  hdrSize = -1;
  hdrStart = -1;
  hdrEnd = -1;
  maxMsgs = -1;
  weight = 1;
  restStart = -1;
  restEnd = -1;
  payloadBuf: Buffer | null = null;
  payloadStart = -1;
  payloadEnd = -1;
  /** Cached view for the current op (null until `payload` is read). */
  private view: Buffer | null = null;

  get payload(): Buffer | null {
    const pb = this.payloadBuf;
    if (pb === null) return null;
    let v = this.view;
    if (v === null) {
      v = pb.subarray(this.payloadStart, this.payloadEnd);
      this.view = v;
    }
    return v;
  }

  /** Sets the payload range for the next op and drops the cached view. */
  setPayload(buf: Buffer | null, start: number, end: number): void {
    this.payloadBuf = buf;
    this.payloadStart = start;
    this.payloadEnd = end;
    this.view = null;
  }

  /** Drops the references to input memory once a parse call returns (the fields stay as they were). */
  release(): void {
    this.buf = EMPTY;
    this.payloadBuf = null;
    this.view = null;
  }

  /** Resets every per-op field to "absent". */
  clear(op: OpCode, buf: Buffer): void {
    this.op = op;
    this.buf = buf;
    this.argc = 0;
    this.subjectStart = -1;
    this.subjectEnd = -1;
    this.replyStart = -1;
    this.replyEnd = -1;
    this.queueStart = -1;
    this.queueEnd = -1;
    this.sidStart = -1;
    this.sidEnd = -1;
    this.accountStart = -1;
    this.accountEnd = -1;
    this.queuesFirstArg = -1;
    this.queueCount = 0;
    this.originStart = -1;
    this.originEnd = -1;
    this.size = 0;
    this.sizeStart = -1;
    this.sizeEnd = -1;
    this.hdrSize = -1;
    this.hdrStart = -1;
    this.hdrEnd = -1;
    this.maxMsgs = -1;
    this.weight = 1;
    this.restStart = -1;
    this.restEnd = -1;
    this.payloadBuf = null;
    this.payloadStart = -1;
    this.payloadEnd = -1;
    this.view = null;
  }
}

/** (added) A fresh OpArgs with every field "absent". */
export function createOpArgs(): ParsedOp {
  return new ParsedOp();
}
