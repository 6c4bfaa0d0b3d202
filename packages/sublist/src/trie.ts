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

/**
 * A copy-on-write member list: a node's plain subscriptions (the node itself) or one queue
 * group ({@link Members}). Both classes carry these three fields, so the helpers below serve both.
 */
interface MemberList<T> {
  /** The members; null when there are none. Never written while `shared`: replaced by a copy. */
  subs: T[] | null;
  /** True once `subs` has been handed to a result. */
  shared: boolean;
  /** sub → position in `subs`, once the list is long enough to need it. */
  index: Map<T, number> | null;
}

/** The current members, for a result: from now on that array is never written. */
export function borrowMembers<T>(list: MemberList<T>): readonly T[] {
  list.shared = true;
  return list.subs ?? NONE;
}

function writable<T>(list: MemberList<T>): T[] {
  const subs = list.subs;
  if (subs === null) {
    const fresh: T[] = [];
    list.subs = fresh;
    list.shared = false;
    return fresh;
  }
  if (!list.shared) return subs;
  const copy = subs.slice();
  list.subs = copy;
  list.shared = false;
  return copy;
}

/** Adds `sub`; false when it is already there. */
export function addMember<T>(list: MemberList<T>, sub: T): boolean {
  const index = list.index;
  if (index !== null) {
    if (index.has(sub)) return false;
  } else if (list.subs !== null && list.subs.indexOf(sub) >= 0) {
    return false;
  }
  const subs = writable(list);
  if (index !== null) {
    index.set(sub, subs.length);
  } else if (subs.length + 1 >= INDEX_MIN) {
    const m = new Map<T, number>();
    for (let i = 0; i < subs.length; i++) m.set(subs[i]!, i);
    m.set(sub, subs.length);
    list.index = m;
  }
  subs.push(sub);
  return true;
}

/** Removes `sub` (the last member takes its place); false when it is not there. Empties to null. */
export function deleteMember<T>(list: MemberList<T>, sub: T): boolean {
  if (list.subs === null) return false;
  const index = list.index;
  let i: number;
  if (index !== null) {
    const at = index.get(sub);
    if (at === undefined) return false;
    i = at;
  } else {
    i = list.subs.indexOf(sub);
    if (i < 0) return false;
  }
  if (list.subs.length === 1) {
    list.subs = null;
    list.shared = false;
    list.index = null;
    return true;
  }
  index?.delete(sub);
  const subs = writable(list);
  const last = subs.pop()!;
  if (i < subs.length) {
    subs[i] = last;
    if (index !== null) index.set(last, i);
  }
  return true;
}

/** One queue group of a node. */
export class Members<T> implements MemberList<T> {
  readonly queue: string;
  subs: T[] | null;
  shared: boolean;
  index: Map<T, number> | null;

  constructor(queue: string) {
    this.queue = queue;
    this.subs = null;
    this.shared = false;
    this.index = null;
  }
}

/**
 * A trie node. Its children (the next token level) live on the node itself: literal tokens in
 * `nodes`, and the dedicated `pwc` (`*`) and `fwc` (`>`) children. The root is a node without
 * subscriptions. Plain subscriptions are inline (one pointer less on the match path).
 */
export class TrieNode<T> implements MemberList<T> {
  /** Children by literal token; null until the first one. */
  nodes: Map<string, TrieNode<T>> | null;
  pwc: TrieNode<T> | null;
  fwc: TrieNode<T> | null;
  subs: T[] | null;
  shared: boolean;
  index: Map<T, number> | null;
  /** Queue groups, each non-empty; null when there are none. */
  qsubs: Members<T>[] | null;

  constructor() {
    this.nodes = null;
    this.pwc = null;
    this.fwc = null;
    this.subs = null;
    this.shared = false;
    this.index = null;
    this.qsubs = null;
  }
}

/** No subscriptions and no children: the node can be pruned. */
export function nodeIsEmpty(n: TrieNode<unknown>): boolean {
  return n.subs === null && n.qsubs === null && n.nodes === null && n.pwc === null && n.fwc === null;
}

export function nodeHasSubs(n: TrieNode<unknown>): boolean {
  return n.subs !== null || n.qsubs !== null;
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
    if (n.subs !== null) {
      const subs = borrowMembers(n);
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
      for (let g = 0; g < groups.length; g++) qsubs.push(borrowMembers(groups[g]!));
      return;
    }
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      const slot = findQSlot(qsubs, group.queue);
      // Merging the same queue name from two nodes is rare: concat makes an owned copy.
      if (slot < 0) qsubs.push(borrowMembers(group));
      else qsubs[slot] = qsubs[slot]!.concat(borrowMembers(group));
    }
  }

  /** Adds every subscription in `n` and below it. */
  addSubtree(n: TrieNode<T>): void {
    this.addNode(n);
    this.addChildren(n);
  }

  /** Adds every subscription below `n` (not `n`'s own). */
  addChildren(n: TrieNode<T>): void {
    if (n.nodes !== null) for (const c of n.nodes.values()) this.addSubtree(c);
    if (n.pwc !== null) this.addSubtree(n.pwc);
    if (n.fwc !== null) this.addSubtree(n.fwc);
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
