/**
 * Publish / subscribe permissions (nats-server client.go `setPermissions`,
 * `pubAllowedFullCheck`, `canSubscribe`, `checkDenySub`, `pruneReplyPerms`).
 *
 * Two layers:
 *  - `CompiledPermissions`: built once per user (config or JWT), immutable, shared by every
 *    connection of that user. Allow/deny lists live in `Sublist`s (with their match cache).
 *  - `ClientPermissions`: one per connection. Small bounded caches (publish results, delivery
 *    deny results) and, with `allow_responses`, a `ResponsePermissionTracker`.
 *
 * Semantics (auth.md §7), all verified against nats-server 2.9.10:
 *  - No allow list = everything allowed; deny applies after allow. An empty allow list from
 *    config or a JWT counts as "no allow list" (`publish: []` allows everything).
 *  - Publish: the literal subject is matched against the patterns.
 *  - Subscribe: the subscription subject is matched *as a literal* against the patterns, so
 *    allow `foo.*` admits `SUB foo.>` but not `SUB >`. A deny entry does not stop a broader
 *    wildcard subscription; instead, once such a subscription is allowed, messages whose subject
 *    hits a deny entry are filtered at delivery time (`deliverAllowed`).
 *  - `"subject queue"` entries (subscribe only) restrict queue groups; a queue name in an entry
 *    may use `*`/`>` tokens (`v1.*`), other characters are literal.
 *  - `allow_responses` turns a missing publish allow list into "deny all" and then lets the
 *    connection publish to the reply subject of each message delivered to it, at most `max`
 *    times within `expires` ms (0 -> defaults 1 and 120000; negative -> unlimited).
 *
 * All subjects are wire-form byte strings (see subjects.ts `toWire`).
 */
import type { Permissions, ResponsePermission, SubjectPermission } from '@starling/conf';
import { Sublist, type SublistResult } from '@starling/sublist';
import { subjectHasWildcard, subjectIsSubsetMatch, toWire } from './subjects.js';

export const DEFAULT_ALLOW_RESPONSE_MAX_MSGS = 1;
export const DEFAULT_ALLOW_RESPONSE_EXPIRATION_MS = 120_000;
/** Per-connection publish result cache size (nats-server uses 128 and prunes 32 at a time). */
export const PUB_CACHE_MAX = 1024;
/** Per-connection delivery deny cache size (nats-server `maxDenyPermCacheSize`). */
export const DENY_CACHE_MAX = 256;
/** Outstanding reply subjects tracked before expired ones are pruned (nats-server `replyPermLimit`). */
export const REPLY_PERM_LIMIT = 4096;

/** One allow/deny entry in a sublist. */
export class PermEntry {
  readonly subject: string;
  readonly queue: string | null;
  constructor(subject: string, queue: string | null) {
    this.subject = subject;
    this.queue = queue;
  }
}

/** Splits `"subject queue"` (whitespace separated) like nats-server `splitSubjectQueue`; null if 3+ fields. */
export function splitSubjectQueue(entry: string): { subject: string; queue: string | null } | null {
  const f = entry.trim().split(/\s+/);
  if (f.length === 1) return { subject: f[0]!, queue: null };
  if (f.length === 2) return { subject: f[0]!, queue: f[1]! };
  return null;
}

function buildList(entries: readonly string[], withQueues: boolean): Sublist<PermEntry> {
  const sl = new Sublist<PermEntry>({ cache: true });
  for (const raw of entries) {
    const sq = withQueues ? splitSubjectQueue(raw) : { subject: raw, queue: null };
    if (sq === null) continue; // nats-server logs and skips it
    // Invalid subjects are skipped (Sublist.insert refuses them), as nats-server ignores the error.
    sl.insert(new PermEntry(toWire(sq.subject), sq.queue === null ? null : toWire(sq.queue)));
  }
  return sl;
}

/** Normalized response permission: max <= 0 after defaults means unlimited, same for expires. */
export interface ResponseLimits {
  readonly max: number;
  readonly expires: number;
}

/** Applies nats-server `validateResponsePermissions` defaults (0 -> default). */
export function normalizeResponse(r: ResponsePermission): ResponseLimits {
  return {
    max: r.max === 0 ? DEFAULT_ALLOW_RESPONSE_MAX_MSGS : r.max,
    expires: r.expires === 0 ? DEFAULT_ALLOW_RESPONSE_EXPIRATION_MS : r.expires,
  };
}

function nonEmpty(list: readonly string[] | null | undefined): list is readonly string[] {
  return list !== null && list !== undefined && list.length > 0;
}

/** The immutable, shareable form of one user's permissions. */
export class CompiledPermissions {
  readonly pubAllow: Sublist<PermEntry> | null;
  readonly pubDeny: Sublist<PermEntry> | null;
  readonly subAllow: Sublist<PermEntry> | null;
  readonly subDeny: Sublist<PermEntry> | null;
  /** Subscribe deny subjects (wire form, queue-qualified entries excluded) for delivery filtering. */
  readonly subDenySubjects: readonly string[];
  readonly response: ResponseLimits | null;
  /** The permissions as given (for monitoring), with allow_responses defaults applied. */
  readonly source: Permissions;

  constructor(perms: Permissions) {
    const response = perms.allow_responses ? normalizeResponse(perms.allow_responses) : null;
    const pub: SubjectPermission | null = perms.publish;
    const sub: SubjectPermission | null = perms.subscribe;
    // allow_responses without a publish allow list turns the blanket allow off.
    if (nonEmpty(pub?.allow)) this.pubAllow = buildList(pub.allow, false);
    else this.pubAllow = response !== null ? new Sublist<PermEntry>({ cache: true }) : null;
    this.pubDeny = nonEmpty(pub?.deny) ? buildList(pub.deny, false) : null;
    this.subAllow = nonEmpty(sub?.allow) ? buildList(sub.allow, true) : null;
    this.subDeny = nonEmpty(sub?.deny) ? buildList(sub.deny, true) : null;
    const denySubjects: string[] = [];
    if (nonEmpty(sub?.deny)) {
      for (const raw of sub.deny) {
        const sq = splitSubjectQueue(raw);
        // nats-server inserts the raw entry; a "subject queue" entry can never match a subject.
        if (sq !== null && sq.queue === null) denySubjects.push(toWire(sq.subject));
      }
    }
    this.subDenySubjects = denySubjects;
    this.response = response;
    this.source = {
      publish: pub,
      subscribe: sub,
      allow_responses: response === null ? null : { max: response.max, expires: response.expires },
    };
  }

  /** Nothing is restricted (nats-server treats such a user as having no permissions). */
  get unrestricted(): boolean {
    return (
      this.pubAllow === null &&
      this.pubDeny === null &&
      this.subAllow === null &&
      this.subDeny === null &&
      this.response === null
    );
  }

  /** A fresh per-connection view with its own caches. */
  forConnection(): ClientPermissions {
    return new ClientPermissions(this);
  }
}

/** nats-server `queueMatches`: does `queue` equal (or, for wildcard names, fall under) a group in `qsubs`? */
function queueMatches(queue: string, qsubs: SublistResult<PermEntry>['qsubs']): boolean {
  if (qsubs.length === 0) return true;
  for (const group of qsubs) {
    const qname = group[0]!.queue!;
    if (queue === qname || (subjectHasWildcard(qname) && subjectIsSubsetMatch(queue, qname))) return true;
  }
  return false;
}

/**
 * Reply subjects a connection may answer (allow_responses). Time comes in as `now` (ms);
 * the tracker never reads a clock.
 */
export class ResponsePermissionTracker {
  readonly max: number;
  readonly expires: number;
  private readonly replies = new Map<string, { t: number; n: number }>();

  constructor(limits: ResponseLimits) {
    this.max = limits.max;
    this.expires = limits.expires;
  }

  /** A message carrying `reply` was delivered to this connection. */
  onDeliveredWithReply(reply: string, now: number): void {
    this.replies.set(reply, { t: now, n: 0 });
    if (this.replies.size > REPLY_PERM_LIMIT) this.prune(now);
  }

  /** May the connection publish to `subject` as a response? Counts the response when allowed. */
  canPublishResponse(subject: string, now: number): boolean {
    const r = this.replies.get(subject);
    if (r === undefined) return false;
    r.n++;
    if (this.max > 0 && r.n > this.max) {
      this.replies.delete(subject);
      return false;
    }
    if (this.expires > 0 && now - r.t > this.expires) {
      this.replies.delete(subject);
      return false;
    }
    return true;
  }

  /** Drops entries that are used up or expired (nats-server `pruneReplyPerms`). */
  prune(now: number): void {
    for (const [k, r] of this.replies) {
      if (this.max > 0 && r.n >= this.max) this.replies.delete(k);
      else if (this.expires > 0 && now - r.t > this.expires) this.replies.delete(k);
    }
  }

  get size(): number {
    return this.replies.size;
  }
}

function cacheSet(cache: Map<string, boolean>, key: string, value: boolean, max: number): void {
  if (cache.size >= max) {
    // Drop the oldest quarter (insertion order).
    let n = max >> 2;
    for (const k of cache.keys()) {
      cache.delete(k);
      if (--n <= 0) break;
    }
  }
  cache.set(key, value);
}

/** One connection's permission checks. */
export class ClientPermissions {
  readonly compiled: CompiledPermissions;
  /** Set when the user has allow_responses. */
  readonly responses: ResponsePermissionTracker | null;
  private readonly pubCache: Map<string, boolean>;
  /** Delivery deny filter: null until a wildcard subscription overlapping a deny entry is allowed. */
  private denyFilter: Sublist<PermEntry> | null;
  private denyCache: Map<string, boolean> | null;

  constructor(compiled: CompiledPermissions) {
    this.compiled = compiled;
    this.responses = compiled.response === null ? null : new ResponsePermissionTracker(compiled.response);
    this.pubCache = new Map();
    this.denyFilter = null;
    this.denyCache = null;
  }

  /**
   * May this connection publish to `subject`? The static allow/deny answer is cached per
   * subject; when it is "no" and allow_responses is on, the reply-subject tracker is consulted
   * (and counts the response) using `now` (ms).
   */
  canPublish(subject: string, now = 0): boolean {
    let allowed = this.pubCache.get(subject);
    if (allowed === undefined) {
      allowed = this.staticPublish(subject);
      cacheSet(this.pubCache, subject, allowed, PUB_CACHE_MAX);
    }
    if (allowed) return true;
    const r = this.responses;
    return r?.canPublishResponse(subject, now) ?? false;
  }

  private staticPublish(subject: string): boolean {
    const c = this.compiled;
    let allowed = true;
    if (c.pubAllow !== null) allowed = c.pubAllow.match(subject).psubs.length !== 0;
    if (allowed && c.pubDeny !== null) allowed = c.pubDeny.match(subject).psubs.length === 0;
    return allowed;
  }

  /**
   * May this connection subscribe to `subject` (with `queue`, or null)? Follows nats-server
   * `canSubscribe` exactly, including starting delivery-time deny filtering when a wildcard
   * subscription covers a deny entry. Not cached: subscribes are rare.
   */
  canSubscribe(subject: string, queue: string | null = null): boolean {
    const c = this.compiled;
    let allowed = true;
    const q = queue === null || queue === '' ? null : queue;
    if (c.subAllow !== null) {
      const r = c.subAllow.match(subject);
      allowed = r.psubs.length > 0;
      if (q !== null && r.qsubs.length > 0) allowed = queueMatches(q, r.qsubs);
    }
    if (allowed && c.subDeny !== null) {
      const r = c.subDeny.match(subject);
      allowed = r.psubs.length === 0;
      if (q !== null && r.qsubs.length > 0) allowed = !queueMatches(q, r.qsubs);
      if (allowed && this.denyFilter === null && subjectHasWildcard(subject)) {
        for (const d of c.subDenySubjects) {
          if (subjectIsSubsetMatch(d, subject)) {
            this.loadDenyFilter();
            break;
          }
        }
      }
    }
    return allowed;
  }

  private loadDenyFilter(): void {
    const sl = new Sublist<PermEntry>({ cache: false });
    for (const d of this.compiled.subDenySubjects) sl.insert(new PermEntry(d, null));
    this.denyFilter = sl;
    this.denyCache = new Map();
  }

  /** True when deliveries may need filtering (a fast guard for the delivery path). */
  get filtersDeliveries(): boolean {
    return this.denyFilter !== null;
  }

  /** May a message on `subject` be delivered to this connection (subscribe deny filtering)? */
  deliverAllowed(subject: string): boolean {
    const f = this.denyFilter;
    if (f === null) return true;
    const cache = this.denyCache!;
    const hit = cache.get(subject);
    if (hit !== undefined) return hit;
    const ok = f.match(subject).psubs.length === 0;
    cacheSet(cache, subject, ok, DENY_CACHE_MAX);
    return ok;
  }

  /** Records a delivered message's reply subject for allow_responses (no-op without it). */
  onDeliveredWithReply(reply: string, now: number): void {
    this.responses?.onDeliveredWithReply(reply, now);
  }
}

/** Compiles permissions, or returns null when they restrict nothing (then everything is allowed). */
export function compilePermissions(perms: Permissions | null): CompiledPermissions | null {
  if (perms === null) return null;
  const c = new CompiledPermissions(perms);
  return c.unrestricted ? null : c;
}
