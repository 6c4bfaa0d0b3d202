/**
 * The trie's building blocks: member lists, nodes, levels, and the result builder.
 *
 * Member lists are copy-on-write: a match hands a node's array straight to the result (no copy)
 * and marks it shared; the next insert or remove on that node copies the array first. So a
 * stable subject with many subscribers costs no copying per match, and a result never changes
 * under its holder.
 */
import { emptyResult, findQSlot, Result, type SublistSub } from './result.js';

/** A member list gets a Map index (O(1) removal) from this size on. */
const INDEX_MIN = 16;

const NONE: readonly never[] = [];

/** The members of one node for one queue name (or the plain subs, `queue === null`). */
export class Members<T> {
  readonly queue: string | null;
  /** The members. Never written while `shared`; replaced by a copy instead. */
  subs: T[];
  /** True once `subs` has been handed to a result. */
  shared: boolean;
  /** sub → position in `subs`, once the list is long enough to need it. */
  index: Map<T, number> | null;

  constructor(queue: string | null) {
    this.queue = queue;
    this.subs = [];
    this.shared = false;
    this.index = null;
  }

  /** The current members, for a result: from now on they are never written. */
  borrow(): readonly T[] {
    this.shared = true;
    return this.subs;
  }

  /** Adds `sub`; false when it is already there. */
  add(sub: T): boolean {
    const index = this.index;
    if (index !== null) {
      if (index.has(sub)) return false;
    } else if (this.subs.indexOf(sub) >= 0) {
      return false;
    }
    const subs = this.writable();
    if (index !== null) {
      index.set(sub, subs.length);
    } else if (subs.length + 1 >= INDEX_MIN) {
      const m = new Map<T, number>();
      for (let i = 0; i < subs.length; i++) m.set(subs[i]!, i);
      m.set(sub, subs.length);
      this.index = m;
    }
    subs.push(sub);
    return true;
  }

  /** Removes `sub` (the last member takes its place); false when it is not there. */
  delete(sub: T): boolean {
    const index = this.index;
    let i: number;
    if (index !== null) {
      const at = index.get(sub);
      if (at === undefined) return false;
      i = at;
      index.delete(sub);
    } else {
      i = this.subs.indexOf(sub);
      if (i < 0) return false;
    }
    const subs = this.writable();
    const last = subs.pop()!;
    if (i < subs.length) {
      subs[i] = last;
      if (index !== null) index.set(last, i);
    }
    return true;
  }

  private writable(): T[] {
    if (this.shared) {
      this.subs = this.subs.slice();
      this.shared = false;
    }
    return this.subs;
  }
}

export class TrieNode<T> {
  next: TrieLevel<T> | null;
  /** Plain subscriptions; null when there are none. */
  psubs: Members<T> | null;
  /** Queue groups, each non-empty; null when there are none. */
  qsubs: Members<T>[] | null;

  constructor() {
    this.next = null;
    this.psubs = null;
    this.qsubs = null;
  }
}

export class TrieLevel<T> {
  /** Literal tokens; null until the first one. */
  nodes: Map<string, TrieNode<T>> | null;
  pwc: TrieNode<T> | null;
  fwc: TrieNode<T> | null;

  constructor() {
    this.nodes = null;
    this.pwc = null;
    this.fwc = null;
  }
}

export function nodeIsEmpty(n: TrieNode<unknown>): boolean {
  return n.psubs === null && n.qsubs === null && n.next === null;
}

export function nodeHasSubs(n: TrieNode<unknown>): boolean {
  return n.psubs !== null || n.qsubs !== null;
}

export function levelIsEmpty(l: TrieLevel<unknown>): boolean {
  return l.nodes === null && l.pwc === null && l.fwc === null;
}

export function findGroup<T>(groups: Members<T>[], queue: string): number {
  for (let i = 0; i < groups.length; i++) {
    if (groups[i]!.queue === queue) return i;
  }
  return -1;
}

/**
 * Collects the subscriptions of matching nodes into one result. One instance per sublist,
 * reset for each match. The first node's member arrays are borrowed as they are; a second
 * contributor to the same list makes an owned copy to merge into.
 */
export class ResultBuilder<T extends SublistSub> {
  private psubs: readonly T[] | null;
  private pOwned: boolean;
  private qsubs: (readonly T[])[] | null;

  constructor() {
    this.psubs = null;
    this.pOwned = false;
    this.qsubs = null;
  }

  addNode(n: TrieNode<T>): void {
    const p = n.psubs;
    if (p !== null) {
      const subs = p.borrow();
      const into = this.psubs;
      if (into === null) {
        this.psubs = subs;
      } else if (this.pOwned) {
        const owned = into as T[];
        for (let i = 0; i < subs.length; i++) owned.push(subs[i]!);
      } else {
        const owned = into.slice();
        for (let i = 0; i < subs.length; i++) owned.push(subs[i]!);
        this.psubs = owned;
        this.pOwned = true;
      }
    }
    const groups = n.qsubs;
    if (groups === null) return;
    let qsubs = this.qsubs;
    if (qsubs === null) {
      qsubs = [];
      this.qsubs = qsubs;
      for (let g = 0; g < groups.length; g++) qsubs.push(groups[g]!.borrow());
      return;
    }
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      const slot = findQSlot(qsubs, group.queue!);
      // Merging the same queue name from two nodes is rare: concat makes an owned copy.
      if (slot < 0) qsubs.push(group.borrow());
      else qsubs[slot] = qsubs[slot]!.concat(group.borrow());
    }
  }

  /** Adds every subscription in `n` and below it. */
  addSubtree(n: TrieNode<T>): void {
    this.addNode(n);
    if (n.next !== null) this.addLevelSubtree(n.next);
  }

  /** Adds every subscription below `l`. */
  addLevelSubtree(l: TrieLevel<T>): void {
    if (l.nodes !== null) for (const n of l.nodes.values()) this.addSubtree(n);
    if (l.pwc !== null) this.addSubtree(l.pwc);
    if (l.fwc !== null) this.addSubtree(l.fwc);
  }

  /** The result so far (the shared empty result when nothing matched); resets the builder. */
  finish(): Result<T> {
    const psubs = this.psubs;
    const qsubs = this.qsubs;
    this.psubs = null;
    this.pOwned = false;
    this.qsubs = null;
    if (psubs === null && qsubs === null) return emptyResult();
    return new Result(psubs ?? NONE, qsubs ?? NONE);
  }
}
