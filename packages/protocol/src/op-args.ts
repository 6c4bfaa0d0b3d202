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
  /** LS+ RS+ with a queue: weight, 1 when absent. */
  weight: number;

  /** CONNECT INFO -ERR: the rest of the line (JSON or error text), CR/LF and leading blanks trimmed. */
  restStart: number;
  restEnd: number;

  /** PUB HPUB MSG HMSG LMSG RMSG: header+payload bytes (size bytes, no CRLF). A view, not a copy. */
  payload: Buffer | null;
}
