/**
 * Decode helpers: turn OpArgs byte ranges into strings only when a handler needs them. Subjects,
 * replies, queues, sids, accounts and origins decode as latin1, so every byte maps to one UTF-16
 * code unit and `Buffer.from(s, 'latin1')` gives the exact bytes back (what nats-server compares).
 * CONNECT/INFO JSON decodes as UTF-8 (JSON text).
 */
import type { NodeBuffer } from './node-buffer.js';
import type { OpArgs } from './op-args.js';

function latin1(buf: Buffer, s: number, e: number): string {
  return (buf as NodeBuffer).latin1Slice(s, e);
}

export function subjectOf(a: OpArgs): string {
  return a.subjectStart < 0 ? '' : latin1(a.buf, a.subjectStart, a.subjectEnd);
}

export function replyOf(a: OpArgs): string | null {
  return a.replyStart < 0 ? null : latin1(a.buf, a.replyStart, a.replyEnd);
}

export function queueOf(a: OpArgs): string | null {
  return a.queueStart < 0 ? null : latin1(a.buf, a.queueStart, a.queueEnd);
}

export function sidOf(a: OpArgs): string {
  return a.sidStart < 0 ? '' : latin1(a.buf, a.sidStart, a.sidEnd);
}

export function accountOf(a: OpArgs): string | null {
  return a.accountStart < 0 ? null : latin1(a.buf, a.accountStart, a.accountEnd);
}

export function originOf(a: OpArgs): string | null {
  return a.originStart < 0 ? null : latin1(a.buf, a.originStart, a.originEnd);
}

/** Raw token k (0-based) of a tokenised op, latin1. */
export function argOf(a: OpArgs, k: number): string {
  if (k < 0 || k >= a.argc) return '';
  return latin1(a.buf, a.starts[k]!, a.ends[k]!);
}

/** LMSG/RMSG/HMSG queue names on leaf and route links (a new array; not for hot paths). */
export function queuesOf(a: OpArgs): string[] {
  const out: string[] = [];
  for (let k = 0; k < a.queueCount; k++) out.push(argOf(a, a.queuesFirstArg + k));
  return out;
}

/** CONNECT/INFO: the JSON text (UTF-8). -ERR: the raw text, quotes included. */
export function restOf(a: OpArgs): string {
  return a.restStart < 0 ? '' : a.buf.toString('utf8', a.restStart, a.restEnd);
}

/** -ERR: the error text without the surrounding single quotes nats-server puts around it. */
export function errTextOf(a: OpArgs): string {
  let s = a.restStart;
  let e = a.restEnd;
  if (s < 0) return '';
  const buf = a.buf;
  if (e - s >= 2 && buf[s] === 0x27 && buf[e - 1] === 0x27) {
    s++;
    e--;
  }
  return buf.toString('utf8', s, e);
}

/** The payload as a latin1 string (tests and tools). */
export function payloadString(a: OpArgs): string {
  const pb = a.payloadBuf;
  return pb === null ? '' : latin1(pb, a.payloadStart, a.payloadEnd);
}
