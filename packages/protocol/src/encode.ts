/**
 * Encoders: every op the broker writes, appended to a caller-owned OutBuffer with no intermediate
 * string per message. Two shapes:
 *  - string forms (`writeMsg(out, 'foo', '1', null, payload)`): tokens are byte strings (latin1,
 *    one char per byte, as the decode helpers return them); they are validated (non-empty, no
 *    blank/CR/LF) and a bad token throws ERR_PROTOCOL_INVALID_TOKEN;
 *  - byte-range forms for hot paths (`writeMsgRange`, `writeMsgFromOp`, …): tokens are copied from
 *    the publisher's control line as they are (nats-server echoes size tokens verbatim); no checks.
 * Layouts follow nats-server 2.9.10 client.go msgHeader / msgHeaderForRouteOrLeaf.
 */
import { StarlingError } from '@starling/errors';
import { PROTOCOL_ERRORS } from './errors.js';
import type { OpArgs } from './op-args.js';
import type { OutBuffer } from './out-buffer.js';
import {
  OK,
  OP_CONNECT,
  OP_ERR,
  OP_HMSG,
  OP_HPUB,
  OP_INFO,
  OP_LMSG,
  OP_LS_MINUS,
  OP_LS_PLUS,
  OP_MSG,
  OP_PUB,
  OP_RMSG,
  OP_RS_MINUS,
  OP_RS_PLUS,
  OP_SUB,
  OP_UNSUB,
  PING,
  PONG,
  QUEUES_ONLY,
  REPLY_AND_QUEUES,
} from './wire-constants.js';

const SP = 32;
const CR = 13;
const LF = 10;
const SMALL_COPY = 64;

/** Copies src[s, e) to dst at p (capacity already ensured); returns the new position. */
function put(dst: Buffer, p: number, src: Uint8Array, s: number, e: number): number {
  if (e - s <= SMALL_COPY) {
    for (let k = s; k < e; k++) dst[p++] = src[k]!;
    return p;
  }
  dst.set(src.subarray(s, e), p);
  return p + (e - s);
}

function digitsOf(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** Writes decimal n (non-negative integer) ending right before `end`. */
function putUint(dst: Buffer, p: number, n: number): number {
  const d = digitsOf(n);
  let q = p + d - 1;
  do {
    const t = Math.floor(n / 10);
    dst[q--] = 48 + (n - t * 10);
    n = t;
  } while (n > 0);
  return p + d;
}

function checkToken(t: string): void {
  const n = t.length;
  let ok = n > 0;
  for (let k = 0; ok && k < n; k++) {
    const c = t.charCodeAt(k);
    if (c === SP || c === 9 || c === CR || c === LF || c > 255) ok = false;
  }
  if (!ok) {
    throw new StarlingError(
      PROTOCOL_ERRORS.INVALID_TOKEN.code,
      `${PROTOCOL_ERRORS.INVALID_TOKEN.message}: ${JSON.stringify(t)}`,
    );
  }
}

/** token + space */
function tok(out: OutBuffer, t: string): void {
  checkToken(t);
  out.writeLatin1(t);
  out.writeByte(SP);
}

function tokBytes(out: OutBuffer, t: string | Uint8Array): void {
  if (typeof t === 'string') tok(out, t);
  else {
    out.writeBytes(t);
    out.writeByte(SP);
  }
}

function payloadTail(out: OutBuffer, payload: Uint8Array): void {
  out.writeCrlf();
  out.writeBytes(payload);
  out.writeCrlf();
}

/** `+ reply q1 q2 ` / `| q1 q2 ` / `reply ` / nothing (leaf and route message lines). */
function replyAndQueues(out: OutBuffer, reply: string | null, queues: readonly string[] | null): void {
  if (queues !== null && queues.length > 0) {
    if (reply !== null && reply.length > 0) {
      out.writeBytes(REPLY_AND_QUEUES);
      tok(out, reply);
    } else {
      out.writeBytes(QUEUES_ONLY);
    }
    for (const q of queues) tok(out, q);
  } else if (reply !== null && reply.length > 0) {
    tok(out, reply);
  }
}

/** `<subject>\r\n` or `<subject> <queue> <weight>\r\n`: the tail of LS+ and RS+. */
function interestPlusTail(out: OutBuffer, subject: string, queue: string | null, weight: number): void {
  if (queue === null) {
    checkToken(subject);
    out.writeLatin1(subject);
  } else {
    tok(out, subject);
    tok(out, queue);
    out.writeUint(weight);
  }
  out.writeCrlf();
}

/** `<subject>[ <queue>]\r\n`: the tail of LS- and RS-. */
function interestMinusTail(out: OutBuffer, subject: string, queue: string | null): void {
  checkToken(subject);
  out.writeLatin1(subject);
  if (queue !== null) {
    out.writeByte(SP);
    checkToken(queue);
    out.writeLatin1(queue);
  }
  out.writeCrlf();
}

/** `[<hdrLen> ]<size>\r\n<payload>\r\n`: the tail of LMSG/RMSG/HMSG (hdrLen 0: no header size). */
function sizesAndPayload(out: OutBuffer, hdrLen: number, payload: Uint8Array): void {
  if (hdrLen > 0) {
    out.writeUint(hdrLen);
    out.writeByte(SP);
  }
  out.writeUint(payload.length);
  payloadTail(out, payload);
}

// ---- fixed ops --------------------------------------------------------------------------------

export function writePing(out: OutBuffer): void {
  out.writeBytes(PING);
}

export function writePong(out: OutBuffer): void {
  out.writeBytes(PONG);
}

export function writeOk(out: OutBuffer): void {
  out.writeBytes(OK);
}

/** `INFO <json> \r\n` — note the space before CRLF (nats-server generateInfoJSON). JSON as UTF-8. */
export function writeInfo(out: OutBuffer, json: string): void {
  out.writeBytes(OP_INFO);
  out.writeUtf8(json);
  out.writeByte(SP);
  out.writeCrlf();
}

/** `CONNECT <json>\r\n` (leaf/route solicit side, load generators, tests). JSON as UTF-8. */
export function writeConnect(out: OutBuffer, json: string): void {
  out.writeBytes(OP_CONNECT);
  out.writeUtf8(json);
  out.writeCrlf();
}

/** `-ERR '<text>'\r\n`; text is a byte string (see errors.ts). Prefer ERR_LINE for constant texts. */
export function writeErr(out: OutBuffer, text: string): void {
  out.writeBytes(OP_ERR);
  out.writeLatin1(text);
  out.writeByte(0x27);
  out.writeCrlf();
}

// ---- client → server ops (load generators, clients, tests) ------------------------------------

/** `PUB <subject> [reply] <size>\r\n<payload>\r\n` */
export function writePub(out: OutBuffer, subject: string, reply: string | null, payload: Uint8Array): void {
  out.writeBytes(OP_PUB);
  tok(out, subject);
  if (reply !== null) tok(out, reply);
  out.writeUint(payload.length);
  payloadTail(out, payload);
}

/** `HPUB <subject> [reply] <hdrLen> <total>\r\n<payload>\r\n`; payload = header block + body. */
export function writeHpub(
  out: OutBuffer,
  subject: string,
  reply: string | null,
  hdrLen: number,
  payload: Uint8Array,
): void {
  out.writeBytes(OP_HPUB);
  tok(out, subject);
  if (reply !== null) tok(out, reply);
  out.writeUint(hdrLen);
  out.writeByte(SP);
  out.writeUint(payload.length);
  payloadTail(out, payload);
}

/** `SUB <subject> [queue] <sid>\r\n` */
export function writeSub(out: OutBuffer, subject: string, queue: string | null, sid: string): void {
  out.writeBytes(OP_SUB);
  tok(out, subject);
  if (queue !== null) tok(out, queue);
  checkToken(sid);
  out.writeLatin1(sid);
  out.writeCrlf();
}

/** `UNSUB <sid> [max]\r\n` (max < 0: absent) */
export function writeUnsub(out: OutBuffer, sid: string, max = -1): void {
  out.writeBytes(OP_UNSUB);
  checkToken(sid);
  out.writeLatin1(sid);
  if (max >= 0) {
    out.writeByte(SP);
    out.writeUint(max);
  }
  out.writeCrlf();
}

// ---- server → client messages -------------------------------------------------------------------

/** `MSG <subject> <sid> [reply] <size>\r\n<payload>\r\n` */
export function writeMsg(
  out: OutBuffer,
  subject: string,
  sid: string | Uint8Array,
  reply: string | null,
  payload: Uint8Array,
): void {
  out.writeBytes(OP_MSG);
  tok(out, subject);
  tokBytes(out, sid);
  if (reply !== null) tok(out, reply);
  out.writeUint(payload.length);
  payloadTail(out, payload);
}

/** `HMSG <subject> <sid> [reply] <hdrLen> <total>\r\n<payload>\r\n`; payload = header block + body. */
export function writeHmsg(
  out: OutBuffer,
  subject: string,
  sid: string | Uint8Array,
  reply: string | null,
  hdrLen: number,
  payload: Uint8Array,
): void {
  out.writeBytes(OP_HMSG);
  tok(out, subject);
  tokBytes(out, sid);
  if (reply !== null) tok(out, reply);
  out.writeUint(hdrLen);
  out.writeByte(SP);
  out.writeUint(payload.length);
  payloadTail(out, payload);
}

/**
 * Hot-path MSG: `MSG <src[subjS,subjE)> <sid> [<src[replyS,replyE)>] <size>\r\n<payload>\r\n`.
 * replyS < 0: no reply. sizeS ≥ 0: the size token src[sizeS,sizeE) is copied verbatim; sizeS < 0:
 * the size is written from the payload length. The payload is payload[ps, pe).
 */
export function writeMsgRange(
  out: OutBuffer,
  src: Buffer,
  subjS: number,
  subjE: number,
  sid: Uint8Array,
  replyS: number,
  replyE: number,
  sizeS: number,
  sizeE: number,
  payload: Uint8Array,
  ps = 0,
  pe: number = payload.length,
): void {
  const plen = pe - ps;
  const sizeLen = sizeS >= 0 ? sizeE - sizeS : digitsOf(plen);
  const need = 4 + (subjE - subjS) + 1 + sid.length + 1 + (replyS >= 0 ? replyE - replyS + 1 : 0) + sizeLen + 4 + plen;
  out.ensure(need);
  const buf = out.buf;
  let p = out.len;
  buf[p] = 0x4d; // M
  buf[p + 1] = 0x53; // S
  buf[p + 2] = 0x47; // G
  buf[p + 3] = SP;
  p = put(buf, p + 4, src, subjS, subjE);
  buf[p++] = SP;
  p = put(buf, p, sid, 0, sid.length);
  buf[p++] = SP;
  if (replyS >= 0) {
    p = put(buf, p, src, replyS, replyE);
    buf[p++] = SP;
  }
  p = sizeS >= 0 ? put(buf, p, src, sizeS, sizeE) : putUint(buf, p, plen);
  buf[p++] = CR;
  buf[p++] = LF;
  p = put(buf, p, payload, ps, pe);
  buf[p++] = CR;
  buf[p++] = LF;
  out.len = p;
}

/**
 * Hot-path HMSG: `HMSG <subject> <sid> [reply] <hdr> <total>\r\n<payload>\r\n` with the header and
 * total size tokens copied verbatim from src.
 */
export function writeHmsgRange(
  out: OutBuffer,
  src: Buffer,
  subjS: number,
  subjE: number,
  sid: Uint8Array,
  replyS: number,
  replyE: number,
  hdrS: number,
  hdrE: number,
  sizeS: number,
  sizeE: number,
  payload: Uint8Array,
  ps = 0,
  pe: number = payload.length,
): void {
  const plen = pe - ps;
  const need =
    5 +
    (subjE - subjS) +
    1 +
    sid.length +
    1 +
    (replyS >= 0 ? replyE - replyS + 1 : 0) +
    (hdrE - hdrS) +
    1 +
    (sizeE - sizeS) +
    4 +
    plen;
  out.ensure(need);
  const buf = out.buf;
  let p = out.len;
  buf[p] = 0x48; // H
  buf[p + 1] = 0x4d; // M
  buf[p + 2] = 0x53; // S
  buf[p + 3] = 0x47; // G
  buf[p + 4] = SP;
  p = put(buf, p + 5, src, subjS, subjE);
  buf[p++] = SP;
  p = put(buf, p, sid, 0, sid.length);
  buf[p++] = SP;
  if (replyS >= 0) {
    p = put(buf, p, src, replyS, replyE);
    buf[p++] = SP;
  }
  p = put(buf, p, src, hdrS, hdrE);
  buf[p++] = SP;
  p = put(buf, p, src, sizeS, sizeE);
  buf[p++] = CR;
  buf[p++] = LF;
  p = put(buf, p, payload, ps, pe);
  buf[p++] = CR;
  buf[p++] = LF;
  out.len = p;
}

/**
 * Delivers the message of an inbound op (PUB HPUB MSG HMSG LMSG RMSG) to one subscription, exactly
 * as nats-server's msgHeader: a message with headers (hdr > 0) goes as HMSG with both size tokens
 * verbatim when the subscriber supports headers, else as MSG without the header block and with the
 * size recomputed; a message without headers (or hdr 0) goes as MSG with the size token verbatim.
 */
export function writeMsgFromOp(out: OutBuffer, a: OpArgs, sid: Uint8Array, headers: boolean): void {
  const pb = a.payloadBuf!;
  if (a.hdrSize > 0) {
    if (headers) {
      writeHmsgRange(
        out,
        a.buf,
        a.subjectStart,
        a.subjectEnd,
        sid,
        a.replyStart,
        a.replyEnd,
        a.hdrStart,
        a.hdrEnd,
        a.sizeStart,
        a.sizeEnd,
        pb,
        a.payloadStart,
        a.payloadEnd,
      );
    } else {
      writeMsgRange(
        out,
        a.buf,
        a.subjectStart,
        a.subjectEnd,
        sid,
        a.replyStart,
        a.replyEnd,
        -1,
        -1,
        pb,
        a.payloadStart + a.hdrSize,
        a.payloadEnd,
      );
    }
    return;
  }
  writeMsgRange(
    out,
    a.buf,
    a.subjectStart,
    a.subjectEnd,
    sid,
    a.replyStart,
    a.replyEnd,
    a.sizeStart,
    a.sizeEnd,
    pb,
    a.payloadStart,
    a.payloadEnd,
  );
}

// ---- leafnode ops ----------------------------------------------------------------------------

/** `LS+ <subject>\r\n` or `LS+ <subject> <queue> <weight>\r\n` */
export function writeLsPlus(out: OutBuffer, subject: string, queue: string | null = null, weight = 1): void {
  out.writeBytes(OP_LS_PLUS);
  interestPlusTail(out, subject, queue, weight);
}

/** `LS- <subject>[ <queue>]\r\n` */
export function writeLsMinus(out: OutBuffer, subject: string, queue: string | null = null): void {
  out.writeBytes(OP_LS_MINUS);
  interestMinusTail(out, subject, queue);
}

/**
 * Leaf message: `LMSG <subject> [reply | + reply q… | \| q…] <size>` or, with hdrLen > 0,
 * `HMSG <subject> … <hdrLen> <total>`; payload = header block + body.
 */
export function writeLmsg(
  out: OutBuffer,
  subject: string,
  reply: string | null,
  queues: readonly string[] | null,
  payload: Uint8Array,
  hdrLen = 0,
): void {
  out.writeBytes(hdrLen > 0 ? OP_HMSG : OP_LMSG);
  tok(out, subject);
  replyAndQueues(out, reply, queues);
  sizesAndPayload(out, hdrLen, payload);
}

// ---- route ops -----------------------------------------------------------------------------

/** `RS+ <account> <subject>[ <queue> <weight>]\r\n` */
export function writeRsPlus(
  out: OutBuffer,
  account: string,
  subject: string,
  queue: string | null = null,
  weight = 1,
): void {
  out.writeBytes(OP_RS_PLUS);
  tok(out, account);
  interestPlusTail(out, subject, queue, weight);
}

/** `RS- <account> <subject>[ <queue>]\r\n` */
export function writeRsMinus(out: OutBuffer, account: string, subject: string, queue: string | null = null): void {
  out.writeBytes(OP_RS_MINUS);
  tok(out, account);
  interestMinusTail(out, subject, queue);
}

/**
 * Route message: `RMSG <account> <subject> [reply | + reply q… | \| q…] <size>` or, with
 * hdrLen > 0, `HMSG <account> <subject> … <hdrLen> <total>`.
 */
export function writeRmsg(
  out: OutBuffer,
  account: string,
  subject: string,
  reply: string | null,
  queues: readonly string[] | null,
  payload: Uint8Array,
  hdrLen = 0,
): void {
  out.writeBytes(hdrLen > 0 ? OP_HMSG : OP_RMSG);
  tok(out, account);
  tok(out, subject);
  replyAndQueues(out, reply, queues);
  sizesAndPayload(out, hdrLen, payload);
}

/** Route form of LS+ (interest held for a leaf cluster): `LS+ <origin> <account> <subject>[ <queue> <weight>]` */
export function writeRouteLsPlus(
  out: OutBuffer,
  origin: string,
  account: string,
  subject: string,
  queue: string | null = null,
  weight = 1,
): void {
  out.writeBytes(OP_LS_PLUS);
  tok(out, origin);
  tok(out, account);
  interestPlusTail(out, subject, queue, weight);
}

/** Route form of LS- as 2.9 sends it: `LS- <account> <subject>[ <queue>]` (no origin). */
export function writeRouteLsMinus(out: OutBuffer, account: string, subject: string, queue: string | null = null): void {
  out.writeBytes(OP_LS_MINUS);
  tok(out, account);
  interestMinusTail(out, subject, queue);
}

/** Route form of LMSG: `LMSG <origin> <account> <subject> [reply…] <hdrLen> <total>` (header size always present). */
export function writeRouteLmsg(
  out: OutBuffer,
  origin: string,
  account: string,
  subject: string,
  reply: string | null,
  queues: readonly string[] | null,
  hdrLen: number,
  payload: Uint8Array,
): void {
  out.writeBytes(OP_LMSG);
  tok(out, origin);
  tok(out, account);
  tok(out, subject);
  replyAndQueues(out, reply, queues);
  out.writeUint(hdrLen);
  out.writeByte(SP);
  out.writeUint(payload.length);
  payloadTail(out, payload);
}

/**
 * Forwards an inbound message op to a leaf (`account` null: LMSG/HMSG leaf forms) or a route
 * (`account` given: RMSG/HMSG route forms) with the chosen queue names, as nats-server's
 * msgHeaderForRouteOrLeaf: size tokens verbatim; a headered message goes as HMSG when the peer
 * supports headers, else as LMSG/RMSG with the header block stripped and the size recomputed.
 */
export function writePeerMsgFromOp(
  out: OutBuffer,
  a: OpArgs,
  account: Uint8Array | null,
  queues: readonly Uint8Array[] | null,
  headers: boolean,
): void {
  const src = a.buf;
  const pb = a.payloadBuf!;
  const hasHdr = a.hdrSize > 0;
  const asHmsg = hasHdr && headers;
  out.writeBytes(asHmsg ? OP_HMSG : account === null ? OP_LMSG : OP_RMSG);
  if (account !== null) {
    out.writeBytes(account);
    out.writeByte(SP);
  }
  out.writeBytes(src, a.subjectStart, a.subjectEnd);
  out.writeByte(SP);
  const hasReply = a.replyStart >= 0 && a.replyEnd > a.replyStart;
  if (queues !== null && queues.length > 0) {
    if (hasReply) {
      out.writeBytes(REPLY_AND_QUEUES);
      out.writeBytes(src, a.replyStart, a.replyEnd);
      out.writeByte(SP);
    } else {
      out.writeBytes(QUEUES_ONLY);
    }
    for (const q of queues) {
      out.writeBytes(q);
      out.writeByte(SP);
    }
  } else if (hasReply) {
    out.writeBytes(src, a.replyStart, a.replyEnd);
    out.writeByte(SP);
  }
  let ps = a.payloadStart;
  if (asHmsg) {
    out.writeBytes(src, a.hdrStart, a.hdrEnd);
    out.writeByte(SP);
    out.writeBytes(src, a.sizeStart, a.sizeEnd);
  } else if (hasHdr) {
    ps += a.hdrSize;
    out.writeUint(a.payloadEnd - ps);
  } else {
    out.writeBytes(src, a.sizeStart, a.sizeEnd);
  }
  out.writeCrlf();
  out.writeBytes(pb, ps, a.payloadEnd);
  out.writeCrlf();
}
