/**
 * Sublist: the subject-routing trie with a bounded, incrementally maintained match cache
 * (the ideas of nats-server's sublist.go, written for V8).
 *
 * - One trie level per token. A node holds its children — a Map of literal tokens plus the
 *   dedicated `pwc` (`*`) and `fwc` (`>`) children — and the plain subscriptions and queue
 *   groups whose subject ends at it (see trie.ts).
 * - `match(subject)` answers from the cache with one Map lookup. On a miss it finds the token
 *   boundaries once (into a reused Int32Array), walks the trie, and caches the result — also an
 *   empty one.
 * - Insert and remove patch the cache: every cached result whose subject the changed
 *   subscription matches is replaced by a new result object (unchanged arrays are shared).
 *   Handed-out results are never written to.
 * - The cache is bounded: when a miss pushes it above {@link CACHE_MAX} entries, the oldest
 *   entries are dropped synchronously until {@link CACHE_SWEEP} remain (nats-server does this
 *   in a goroutine; a pure package has no timers, and the sweep is amortised O(1) per miss).
 *   From the first overflow on, a subject is cached on its second miss only (see `admit`).
 *
 * Subscriptions are identified by object identity. A subscription's `subject` and `queue` must
 * not change while it is in the sublist.
 */
import {
  emptyResult,
  isEmptyResult,
  type Result,
  type SublistResult,
  type SublistSub,
  withoutSub,
  withSub,
} from './result.js';
import { FWC, isValidSubject, matchLiteral, PWC, subjectIsLiteral } from './subject.js';
import {
  addMember,
  deleteMember,
  findGroup,
  Members,
  nodeHasSubs,
  nodeIsEmpty,
  ResultBuilder,
  TrieNode,
} from './trie.js';

/** Cache bound, as nats-server's `slCacheMax`. */
export const CACHE_MAX = 1024;
/** A sweep drops the oldest cache entries until this many remain. */
export const CACHE_SWEEP = 768;
/** Slots in the cache admission table (a power of two). */
const DOORKEEPER_SIZE = 4096;
/** `removeBatch` clears the cache instead of patching it when it removes more wildcard subs than this. */
const BATCH_PATCH_MAX = 4;

export interface SublistOptions {
  /** Keep the match cache (default true). `false` is nats-server's `disable_sublist_cache`. */
  cache?: boolean;
}

/** Counters in the spirit of nats-server's `SublistStats` (served by `/subsz`). */
export interface SublistStats {
  numSubs: number;
  numCache: number;
  numInserts: number;
  numRemoves: number;
  numMatches: number;
  /** Cache hits / matches (0 before the first match). */
  cacheHitRate: number;
  /** Largest `psubs.length + qsubs.length` among cached results. */
  maxFanout: number;
  /** Mean `psubs.length + qsubs.length` over cached results. */
  avgFanout: number;
  /** Raw cache hits (what `cacheHitRate` is made of), for {@link sumSublistStats}. */
  cacheHits: number;
  /** Sum of fan-outs over cached results (what `avgFanout` is made of), for {@link sumSublistStats}. */
  totalFanout: number;
}

/**
 * Several sublists' stats as one (nats-server `SublistStats.add`, used by `/subsz` over all
 * accounts): counts add up, `maxFanout` is the largest, and the rates are recomputed from the
 * raw sums.
 */
export function sumSublistStats(all: readonly SublistStats[]): SublistStats {
  const out: SublistStats = {
    numSubs: 0,
    numCache: 0,
    numInserts: 0,
    numRemoves: 0,
    numMatches: 0,
    cacheHitRate: 0,
    maxFanout: 0,
    avgFanout: 0,
    cacheHits: 0,
    totalFanout: 0,
  };
  for (const st of all) {
    out.numSubs += st.numSubs;
    out.numCache += st.numCache;
    out.numInserts += st.numInserts;
    out.numRemoves += st.numRemoves;
    out.numMatches += st.numMatches;
    out.cacheHits += st.cacheHits;
    out.totalFanout += st.totalFanout;
    if (st.maxFanout > out.maxFanout) out.maxFanout = st.maxFanout;
  }
  out.cacheHitRate = out.numMatches > 0 ? out.cacheHits / out.numMatches : 0;
  out.avgFanout = out.numCache > 0 ? out.totalFanout / out.numCache : 0;
  return out;
}

/** One line of interest for `LS+` / `RS+`: a subject, a queue group or null, and a member count. */
export interface SublistInterest {
  readonly subject: string;
  readonly queue: string | null;
  readonly weight: number;
}

export class Sublist<T extends SublistSub> {
  private root: TrieNode<T>;
  private readonly cache: Map<string, Result<T>> | null;
  /** End offset of each token of the subject being matched (reused; grown on demand). */
  private ends: Int32Array;
  /** Collects one result at a time (match, reverseMatch, all). */
  private readonly builder: ResultBuilder<T>;
  /** Cache admission table, from the first cache overflow on (see `admit`). */
  private doorkeeper: Int32Array | null;
  private numSubs: number;
  private numInserts: number;
  private numRemoves: number;
  private numMatches: number;
  private cacheHits: number;
  private gen: number;

  constructor(options: SublistOptions = {}) {
    this.root = new TrieNode<T>();
    this.cache = options.cache === false ? null : new Map();
    this.ends = new Int32Array(32);
    this.builder = new ResultBuilder<T>();
    this.doorkeeper = null;
    this.numSubs = 0;
    this.numInserts = 0;
    this.numRemoves = 0;
    this.numMatches = 0;
    this.cacheHits = 0;
    this.gen = 0;
  }

  /** Whether the match cache is on. */
  get cacheEnabled(): boolean {
    return this.cache !== null;
  }

  /** Bumped by every insert, remove and clear (nats-server `genid`), for callers' own caches. */
  get genid(): number {
    return this.gen;
  }

  /** Number of subscriptions. */
  count(): number {
    return this.numSubs;
  }

  /**
   * Adds `sub`. False (and no change) when its subject is not a valid subscription subject:
   * the caller answers `-ERR 'Invalid Subject'`. Inserting a subscription that is already
   * present (same object) changes nothing and returns true.
   */
  insert(sub: T): boolean {
    const subject = sub.subject;
    if (!isValidSubject(subject)) return false;
    const len = subject.length;
    let l = this.root;
    let start = 0;
    let n: TrieNode<T>;
    for (;;) {
      let end = subject.indexOf('.', start);
      if (end < 0) end = len;
      const c = end === start + 1 ? subject.charCodeAt(start) : 0;
      if (c === PWC) {
        let found = l.pwc;
        if (found === null) {
          found = new TrieNode<T>();
          l.pwc = found;
        }
        n = found;
      } else if (c === FWC) {
        let found = l.fwc;
        if (found === null) {
          found = new TrieNode<T>();
          l.fwc = found;
        }
        n = found;
      } else {
        const token = subject.substring(start, end);
        let nodes = l.nodes;
        if (nodes === null) {
          nodes = new Map();
          l.nodes = nodes;
        }
        let found = nodes.get(token);
        if (found === undefined) {
          found = new TrieNode<T>();
          nodes.set(token, found);
        }
        n = found;
      }
      if (end === len) break;
      l = n;
      start = end + 1;
    }

    const queue = sub.queue;
    if (queue === null) {
      if (!addMember(n, sub)) return true;
    } else {
      let groups = n.qsubs;
      if (groups === null) {
        groups = [];
        n.qsubs = groups;
      }
      const g = findGroup(groups, queue);
      if (g >= 0) {
        if (!addMember(groups[g]!, sub)) return true;
      } else {
        const group = new Members<T>(queue);
        addMember(group, sub);
        groups.push(group);
      }
    }
    this.numSubs++;
    this.numInserts++;
    this.gen++;
    if (this.cache !== null && this.cache.size > 0) this.addToCache(sub);
    return true;
  }

  /** Removes `sub` (by identity). False when it is not in the sublist. */
  remove(sub: T): boolean {
    if (!this.removeFromTrie(sub)) return false;
    if (this.cache !== null && this.cache.size > 0) this.removeFromCache(sub);
    return true;
  }

  /**
   * Removes many subscriptions (a closing connection's). Patches the cache like `remove` when
   * few wildcard subscriptions are among them, otherwise empties the cache once instead of
   * scanning it per subscription (nats-server `RemoveBatch` always empties it). Returns how many
   * were removed.
   */
  removeBatch(subs: Iterable<T>): number {
    let removed = 0;
    let wildcards = 0;
    const literal: T[] = [];
    const wild: T[] = [];
    for (const sub of subs) {
      if (!this.removeFromTrie(sub)) continue;
      removed++;
      if (subjectIsLiteral(sub.subject)) literal.push(sub);
      else {
        wildcards++;
        wild.push(sub);
      }
    }
    const cache = this.cache;
    if (removed === 0 || cache === null || cache.size === 0) return removed;
    if (wildcards > BATCH_PATCH_MAX) {
      cache.clear();
      return removed;
    }
    for (let i = 0; i < literal.length; i++) this.removeFromCache(literal[i]!);
    for (let i = 0; i < wild.length; i++) this.removeFromCache(wild[i]!);
    return removed;
  }

  /**
   * Every subscription whose subject matches the literal `subject`, plain ones in `psubs` and one
   * member list per queue group in `qsubs` (the caller picks one member per group). A `*` or `>`
   * token in `subject` is an ordinary token. A subject with an empty token matches nothing.
   *
   * The result is shared and read-only, and stays a consistent snapshot: later inserts and
   * removes build new results rather than change this one.
   */
  match(subject: string): SublistResult<T> {
    this.numMatches++;
    const cache = this.cache;
    if (cache !== null) {
      const r = cache.get(subject);
      if (r !== undefined) {
        this.cacheHits++;
        return r;
      }
    }
    return this.matchMiss(subject, cache);
  }

  /**
   * Is there any subscription matching `subject`? Answers from the cache when it can, otherwise
   * walks the trie and stops at the first subscription; does not fill the cache or count as a
   * match in `stats()`.
   */
  hasInterest(subject: string): boolean {
    const cache = this.cache;
    if (cache !== null) {
      const r = cache.get(subject);
      if (r !== undefined) return !isEmptyResult(r);
    }
    const n = this.tokenize(subject);
    if (n === 0) return false;
    return this.anyLevel(this.root, subject, 0, n);
  }

  /**
   * The subscriptions covered by `subject`, which may contain wildcards: those whose every
   * matching subject `subject` also matches ({@link subjectIsSubsetOf}). With literal
   * subscriptions (MQTT retained messages, permission lists) that is "which of them would a
   * subscription on `subject` receive". Not cached. An invalid `subject` covers nothing.
   *
   * nats-server 2.9.10 `ReverseMatch` returns a subset of this: it misses wildcard subscriptions
   * below a `*` level of the trie (e.g. `a.*.b` under `>`) and `*` subscriptions under a `*`
   * query token.
   */
  reverseMatch(subject: string): SublistResult<T> {
    if (!isValidSubject(subject)) return emptyResult();
    const n = this.tokenize(subject);
    this.reverseLevel(this.root, subject, 0, n);
    return this.builder.finish();
  }

  /**
   * All interest, grouped for `LS+` / `RS+`: one entry per (subject, null) with the number of
   * plain subscriptions and one per (subject, queue) with the number of members. `filter`
   * restricts which subscriptions count (e.g. only local clients); groups left empty are omitted.
   */
  interest(filter?: (sub: T) => boolean): SublistInterest[] {
    const out: SublistInterest[] = [];
    this.interestLevel(this.root, filter ?? null, out);
    return out;
  }

  /** Every subscription (nats-server `All`). */
  all(): T[] {
    this.builder.addChildren(this.root);
    const r = this.builder.finish();
    const psubs = r.psubs.slice();
    const qsubs = r.qsubs;
    for (let g = 0; g < qsubs.length; g++) {
      const group = qsubs[g]!;
      for (let i = 0; i < group.length; i++) psubs.push(group[i]!);
    }
    return psubs;
  }

  /** Removes every subscription and cache entry. Cumulative counters (inserts, removes, matches) are kept. */
  clear(): void {
    this.root = new TrieNode<T>();
    this.cache?.clear();
    this.doorkeeper = null;
    this.numSubs = 0;
    this.gen++;
  }

  stats(): SublistStats {
    let numCache = 0;
    let maxFanout = 0;
    let totFanout = 0;
    const cache = this.cache;
    if (cache !== null) {
      numCache = cache.size;
      for (const r of cache.values()) {
        const f = r.psubs.length + r.qsubs.length;
        totFanout += f;
        if (f > maxFanout) maxFanout = f;
      }
    }
    return {
      numSubs: this.numSubs,
      numCache,
      numInserts: this.numInserts,
      numRemoves: this.numRemoves,
      numMatches: this.numMatches,
      cacheHitRate: this.numMatches > 0 ? this.cacheHits / this.numMatches : 0,
      maxFanout,
      avgFanout: numCache > 0 ? totFanout / numCache : 0,
      cacheHits: this.cacheHits,
      totalFanout: totFanout,
    };
  }

  // ---- internals ----

  private matchMiss(subject: string, cache: Map<string, Result<T>> | null): SublistResult<T> {
    const n = this.tokenize(subject);
    if (n === 0) return emptyResult();
    this.matchLevel(this.root, subject, 0, n);
    const result = this.builder.finish();
    if (cache !== null && this.admit(subject)) {
      cache.set(subject, result);
      if (cache.size > CACHE_MAX) {
        sweep(cache);
        if (this.doorkeeper === null) this.doorkeeper = new Int32Array(DOORKEEPER_SIZE);
      }
    }
    return result;
  }

  /**
   * Cache admission. Until the cache first overflows, every miss is cached (as nats-server
   * does). After that the cache is under churn, and a subject is cached on its second miss
   * within a recent window: a small table of subject hashes remembers the first one. Subjects
   * published once (request/reply inboxes, unique IDs) then never enter the cache, so they do
   * not evict hot entries or pay for insertion, sweeping and the garbage collector.
   */
  private admit(subject: string): boolean {
    const table = this.doorkeeper;
    if (table === null) return true;
    // FNV-1a over the UTF-16 code units; 0 marks an empty slot.
    let h = 0x811c9dc5;
    for (let i = 0; i < subject.length; i++) h = Math.imul(h ^ subject.charCodeAt(i), 0x01000193);
    h |= 1;
    const slot = (h >>> 7) & (DOORKEEPER_SIZE - 1);
    if (table[slot] === h) {
      table[slot] = 0;
      return true;
    }
    table[slot] = h;
    return false;
  }

  /**
   * Records the end offset of each token of `subject` in `this.ends` and returns the token count,
   * or 0 when the subject is empty or has an empty token.
   */
  private tokenize(subject: string): number {
    const len = subject.length;
    if (len === 0) return 0;
    let ends = this.ends;
    let n = 0;
    let start = 0;
    for (;;) {
      let end = subject.indexOf('.', start);
      if (end < 0) end = len;
      if (end === start) return 0;
      if (n === ends.length) {
        const grown = new Int32Array(ends.length * 2);
        grown.set(ends);
        ends = grown;
        this.ends = grown;
      }
      ends[n++] = end;
      if (end === len) return n;
      start = end + 1;
    }
  }

  /** Adds to the result every subscription at or below `l` matching tokens k..n-1. */
  private matchLevel(l: TrieNode<T>, subject: string, k: number, n: number): void {
    const ends = this.ends;
    const b = this.builder;
    for (;;) {
      const last = k === n - 1;
      if (l.fwc !== null) b.addNode(l.fwc);
      const pwc = l.pwc;
      if (pwc !== null) {
        if (last) b.addNode(pwc);
        else this.matchLevel(pwc, subject, k + 1, n);
      }
      const nodes = l.nodes;
      if (nodes === null) return;
      const node = nodes.get(subject.substring(k === 0 ? 0 : ends[k - 1]! + 1, ends[k]!));
      if (node === undefined) return;
      if (last) {
        b.addNode(node);
        return;
      }
      l = node;
      k++;
    }
  }

  /** `matchLevel` that stops at the first subscription. */
  private anyLevel(l: TrieNode<T>, subject: string, k: number, n: number): boolean {
    const ends = this.ends;
    for (;;) {
      const last = k === n - 1;
      if (l.fwc !== null && nodeHasSubs(l.fwc)) return true;
      const pwc = l.pwc;
      if (pwc !== null) {
        if (last) {
          if (nodeHasSubs(pwc)) return true;
        } else if (this.anyLevel(pwc, subject, k + 1, n)) {
          return true;
        }
      }
      const nodes = l.nodes;
      if (nodes === null) return false;
      const node = nodes.get(subject.substring(k === 0 ? 0 : ends[k - 1]! + 1, ends[k]!));
      if (node === undefined) return false;
      if (last) return nodeHasSubs(node);
      l = node;
      k++;
    }
  }

  /** Adds every subscription at or below `l` whose tokens k.. are covered by the query's. */
  private reverseLevel(l: TrieNode<T>, subject: string, k: number, n: number): void {
    const ends = this.ends;
    const start = k === 0 ? 0 : ends[k - 1]! + 1;
    const end = ends[k]!;
    const last = k === n - 1;
    const c = end === start + 1 ? subject.charCodeAt(start) : 0;
    if (c === FWC) {
      // `>` (always last) covers every subscription with at least one more token.
      this.builder.addChildren(l);
      return;
    }
    if (c === PWC) {
      // `*` covers any one literal token and `*` itself, never `>`.
      if (l.nodes !== null) {
        for (const node of l.nodes.values()) this.reverseStep(node, subject, k, n, last);
      }
      if (l.pwc !== null) this.reverseStep(l.pwc, subject, k, n, last);
      return;
    }
    const node = l.nodes === null ? undefined : l.nodes.get(subject.substring(start, end));
    if (node !== undefined) this.reverseStep(node, subject, k, n, last);
  }

  private reverseStep(node: TrieNode<T>, subject: string, k: number, n: number, last: boolean): void {
    if (last) this.builder.addNode(node);
    else this.reverseLevel(node, subject, k + 1, n);
  }

  private interestLevel(l: TrieNode<T>, filter: ((sub: T) => boolean) | null, out: SublistInterest[]): void {
    if (l.nodes !== null) for (const node of l.nodes.values()) this.interestNode(node, filter, out);
    if (l.pwc !== null) this.interestNode(l.pwc, filter, out);
    if (l.fwc !== null) this.interestNode(l.fwc, filter, out);
  }

  private interestNode(node: TrieNode<T>, filter: ((sub: T) => boolean) | null, out: SublistInterest[]): void {
    if (node.subs !== null) pushInterest(node.subs, null, filter, out);
    const groups = node.qsubs;
    if (groups !== null)
      for (let g = 0; g < groups.length; g++) pushInterest(groups[g]!.subs!, groups[g]!.queue, filter, out);
    this.interestLevel(node, filter, out);
  }

  /** Takes `sub` out of the trie and prunes emptied nodes; updates counters, not the cache. */
  private removeFromTrie(sub: T): boolean {
    const subject = sub.subject;
    if (!isValidSubject(subject)) return false;
    if (!this.removeAt(this.root, sub, subject, 0)) return false;
    this.numSubs--;
    this.numRemoves++;
    this.gen++;
    return true;
  }

  private removeAt(l: TrieNode<T>, sub: T, subject: string, start: number): boolean {
    const len = subject.length;
    let end = subject.indexOf('.', start);
    if (end < 0) end = len;
    const c = end === start + 1 ? subject.charCodeAt(start) : 0;
    let node: TrieNode<T> | null | undefined;
    if (c === PWC) node = l.pwc;
    else if (c === FWC) node = l.fwc;
    else node = l.nodes === null ? undefined : l.nodes.get(subject.substring(start, end));
    if (node === null || node === undefined) return false;

    if (end === len) {
      if (!removeFromNode(node, sub)) return false;
    } else {
      if (!this.removeAt(node, sub, subject, end + 1)) return false;
    }
    if (nodeIsEmpty(node)) {
      if (c === PWC) l.pwc = null;
      else if (c === FWC) l.fwc = null;
      else {
        const nodes = l.nodes!;
        nodes.delete(subject.substring(start, end));
        if (nodes.size === 0) l.nodes = null;
      }
    }
    return true;
  }

  /** Adds `sub` to every cached result whose subject it matches. */
  private addToCache(sub: T): void {
    const cache = this.cache!;
    const subject = sub.subject;
    if (subjectIsLiteral(subject)) {
      const r = cache.get(subject);
      if (r !== undefined) cache.set(subject, withSub(r, sub));
      return;
    }
    // Every subject the wildcard matches starts with its literal prefix: a cheap reject first.
    const prefix = literalPrefix(subject);
    const c0 = prefix.length > 0 ? prefix.charCodeAt(0) : -1;
    for (const key of cache.keys()) {
      if (c0 >= 0 && (key.charCodeAt(0) !== c0 || !key.startsWith(prefix))) continue;
      if (matchLiteral(key, subject)) cache.set(key, withSub(cache.get(key)!, sub));
    }
  }

  /** Takes `sub` out of every cached result whose subject it matches. */
  private removeFromCache(sub: T): void {
    const cache = this.cache!;
    const subject = sub.subject;
    if (subjectIsLiteral(subject)) {
      const r = cache.get(subject);
      if (r !== undefined) cache.set(subject, withoutSub(r, sub));
      return;
    }
    const prefix = literalPrefix(subject);
    const c0 = prefix.length > 0 ? prefix.charCodeAt(0) : -1;
    for (const key of cache.keys()) {
      if (c0 >= 0 && (key.charCodeAt(0) !== c0 || !key.startsWith(prefix))) continue;
      if (matchLiteral(key, subject)) cache.set(key, withoutSub(cache.get(key)!, sub));
    }
  }
}

function removeFromNode<T>(node: TrieNode<T>, sub: T & SublistSub): boolean {
  const queue = sub.queue;
  if (queue === null) {
    return deleteMember(node, sub);
  }
  const groups = node.qsubs;
  if (groups === null) return false;
  const g = findGroup(groups, queue);
  if (g < 0) return false;
  const group = groups[g]!;
  if (!deleteMember(group, sub)) return false;
  if (group.subs === null) {
    const lastGroup = groups.pop()!;
    if (g < groups.length) groups[g] = lastGroup;
    if (groups.length === 0) node.qsubs = null;
  }
  return true;
}

function pushInterest<T extends SublistSub>(
  subs: readonly T[],
  queue: string | null,
  filter: ((sub: T) => boolean) | null,
  out: SublistInterest[],
): void {
  let weight = 0;
  let first: T | null = null;
  for (let i = 0; i < subs.length; i++) {
    const sub = subs[i]!;
    if (filter !== null && !filter(sub)) continue;
    if (first === null) first = sub;
    weight++;
  }
  if (first !== null) out.push({ subject: first.subject, queue, weight });
}

/**
 * The literal tokens of a wildcard subscription subject before its first wildcard, with the
 * trailing dot (`a.b.*.c` → `a.b.`; `*.a` → ``): every subject it matches starts with this.
 */
function literalPrefix(subject: string): string {
  const len = subject.length;
  let start = 0;
  for (;;) {
    let end = subject.indexOf('.', start);
    if (end < 0) end = len;
    if (end === start + 1) {
      const c = subject.charCodeAt(start);
      if (c === PWC || c === FWC) return subject.substring(0, start);
    }
    if (end === len) return subject;
    start = end + 1;
  }
}

/** Drops the oldest entries (Map order is insertion order) down to CACHE_SWEEP. */
function sweep(cache: Map<string, unknown>): void {
  for (const key of cache.keys()) {
    cache.delete(key);
    if (cache.size <= CACHE_SWEEP) return;
  }
}
