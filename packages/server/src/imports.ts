/**
 * Account exports and imports, as internal subscriptions (nats-server's model):
 * - a stream import of B from A is a subscription in A on the exported subject that copies each
 *   message into B under the mapped subject;
 * - a service import of B from A is a subscription in B on the local subject that forwards the
 *   request into A under the exported subject, with its reply replaced by a fresh `_R_.` subject;
 * - that `_R_.` subject is a subscription in A that carries the response back to B's reply.
 */
import { randomBytes } from 'node:crypto';
import { applyTransform, type ServiceImport, type StreamImport } from '@starling/auth';
import { createOpArgs, Op, type OpArgs } from '@starling/protocol';
import type { Account } from './account.js';
import type { Connection } from './connection.js';
import type { MsgView } from './msg-view.js';
import type { Server } from './server.js';
import { SubKind, Subscription } from './subscription.js';

/** Longest chain of account hops one message may take (stops import loops). */
export const MAX_IMPORT_DEPTH = 4;

/** Responses to a `stream`/`chunked` service, or unanswered ones, expire after this long. */
const RESPONSE_TTL_MS = 120_000;

interface StreamLink {
  target: Account;
  imp: StreamImport;
}
interface ServiceLink {
  target: Account;
  imp: ServiceImport;
}
interface ResponseLink {
  target: Account;
  reply: string;
  replyBytes: Buffer;
  single: boolean;
  expires: number;
}

function mapSubject(imp: StreamImport | ServiceImport, subject: string): string {
  if (imp.usePub) return subject;
  if (imp.transform !== null) return applyTransform(imp.transform, subject);
  return imp.to;
}

/** Installs the internal subscriptions for `account`'s imports. Returns them (for removal). */
export function installImports(server: Server, account: Account): Subscription[] {
  const resolved = server.auth.engine.accounts.get(account.name);
  if (resolved === undefined) return [];
  const subs: Subscription[] = [];
  for (const imp of resolved.streamImports) {
    const exporter = server.accountByName(imp.account);
    if (exporter === null) continue;
    const sub = new Subscription(null, exporter, imp.from, null, '', SubKind.STREAM_IMPORT, {
      target: account,
      imp,
    } satisfies StreamLink);
    if (exporter.sublist.insert(sub)) subs.push(sub);
  }
  for (const imp of resolved.serviceImports) {
    const exporter = server.accountByName(imp.account);
    if (exporter === null) continue;
    const sub = new Subscription(null, account, imp.from, null, '', SubKind.SERVICE_IMPORT, {
      target: exporter,
      imp,
    } satisfies ServiceLink);
    if (account.sublist.insert(sub)) subs.push(sub);
  }
  return subs;
}

export function removeInternal(subs: readonly Subscription[]): void {
  for (const sub of subs) {
    if (sub.closed) continue;
    sub.closed = true;
    sub.account.sublist.remove(sub);
  }
}

/** Routes a message that matched an internal subscription into the account it links to. */
export function routeInternal(conn: Connection, sub: Subscription, a: OpArgs, v: MsgView, depth: number): number {
  if (sub.closed) return 0;
  const server = conn.server;
  const next = server.msgView(depth + 1);
  switch (sub.kind) {
    case SubKind.STREAM_IMPORT: {
      const link = sub.link as StreamLink;
      const subject = mapSubject(link.imp, v.subject);
      const result = link.target.sublist.match(subject);
      if (result.psubs.length === 0 && result.qsubs.length === 0) return 0;
      setSubject(next, subject, v);
      next.rb = v.rb;
      next.rs = v.rs;
      next.re = v.re;
      return conn.deliverMatches(a, result, next, depth + 1);
    }
    case SubKind.SERVICE_IMPORT: {
      const link = sub.link as ServiceLink;
      const subject = mapSubject(link.imp, v.subject);
      const result = link.target.sublist.match(subject);
      // nats-server counts the import itself as a receiver: no 503 even when nobody answers.
      if (result.psubs.length === 0 && result.qsubs.length === 0) return 1;
      setSubject(next, subject, v);
      let response: Subscription | null = null;
      if (v.rb !== null) {
        const replyTo = v.rb.toString('latin1', v.rs, v.re);
        const rsubj = `${replyPrefix(link.target)}${base62(6)}`;
        response = new Subscription(null, link.target, rsubj, null, '', SubKind.SERVICE_RESPONSE, {
          target: sub.account,
          reply: replyTo,
          replyBytes: Buffer.from(replyTo, 'latin1'),
          single: link.imp.responseType === 'single',
          expires: Date.now() + RESPONSE_TTL_MS,
        } satisfies ResponseLink);
        link.target.sublist.insert(response);
        server.trackResponse(response);
        const rb = Buffer.from(rsubj, 'latin1');
        next.rb = rb;
        next.rs = 0;
        next.re = rb.length;
      } else {
        next.rb = null;
      }
      // Header-capable responders see who asked: Nats-Request-Info is added to the headers.
      const req = withRequestInfo(a, sub.account.name, conn.rtt);
      const n = conn.deliverMatches(req, result, next, depth + 1);
      if (n === 0 && response !== null) removeInternal([response]);
      return 1;
    }
    case SubKind.SERVICE_RESPONSE: {
      const link = sub.link as ResponseLink;
      const result = link.target.sublist.match(link.reply);
      next.subject = link.reply;
      next.sb = link.replyBytes;
      next.ss = 0;
      next.se = link.replyBytes.length;
      next.rb = v.rb;
      next.rs = v.rs;
      next.re = v.re;
      if (link.single) removeInternal([sub]);
      return conn.deliverMatches(a, result, next, depth + 1);
    }
    default:
      return 0;
  }
}

/** Uses the original subject bytes when unchanged, else encodes the mapped subject once. */
function setSubject(next: MsgView, subject: string, v: MsgView): void {
  next.subject = subject;
  if (subject === v.subject) {
    next.sb = v.sb;
    next.ss = v.ss;
    next.se = v.se;
    return;
  }
  const b = Buffer.from(subject, 'latin1');
  next.sb = b;
  next.ss = 0;
  next.se = b.length;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += BASE62[bytes[i]! % 62];
  return out;
}

/** `_R_.<6 chars>.` — one stable prefix per exporting account, as nats-server keeps one. */
const replyPrefixes = new WeakMap<Account, string>();
function replyPrefix(acc: Account): string {
  let p = replyPrefixes.get(acc);
  if (p === undefined) {
    p = `_R_.${base62(6)}.`;
    replyPrefixes.set(acc, p);
  }
  return p;
}

/**
 * The request as the exporter's responders see it: the requester's headers (if any) plus
 * `Nats-Request-Info: {"acc":"<importer>","rtt":<ns>}`. Responders without header support get
 * the headers stripped as usual, i.e. the original payload.
 */
function withRequestInfo(a: OpArgs, account: string, rttMs: number): OpArgs {
  const pb = a.payloadBuf!;
  const hasHdr = a.op === Op.HPUB && a.hdrSize > 0;
  const rttNs = rttMs > 0 ? Math.round(rttMs * 1e6) : 0;
  const info = `Nats-Request-Info: ${JSON.stringify({ acc: account, rtt: rttNs })}\r\n`;
  const head = hasHdr ? pb.toString('latin1', a.payloadStart, a.payloadStart + a.hdrSize - 2) : 'NATS/1.0\r\n';
  const hdr = Buffer.from(`${head}${info}\r\n`, 'latin1');
  const bodyStart = hasHdr ? a.payloadStart + a.hdrSize : a.payloadStart;
  const body = Buffer.concat([hdr, pb.subarray(bodyStart, a.payloadEnd)]);
  const sizes = Buffer.from(`${hdr.length} ${body.length}`, 'latin1');
  const r = createOpArgs();
  r.op = Op.HPUB;
  r.buf = sizes;
  r.hdrSize = hdr.length;
  r.hdrStart = 0;
  r.hdrEnd = String(hdr.length).length;
  r.sizeStart = r.hdrEnd + 1;
  r.sizeEnd = sizes.length;
  r.size = body.length;
  r.payloadBuf = body;
  r.payloadStart = 0;
  r.payloadEnd = body.length;
  return r;
}

/** Drops response subscriptions past their expiry. */
export function sweepResponses(responses: Set<Subscription>, now: number): void {
  for (const sub of responses) {
    if (sub.closed) {
      responses.delete(sub);
      continue;
    }
    if ((sub.link as ResponseLink).expires <= now) {
      removeInternal([sub]);
      responses.delete(sub);
    }
  }
}
