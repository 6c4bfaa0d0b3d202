/**
 * Match results: plain subscriptions plus one member list per queue group.
 *
 * Results are shared (the match cache hands the same object to every caller) and immutable once
 * handed out: the sublist never writes into an array it has returned. Cache maintenance builds
 * new result objects instead, sharing the arrays that did not change, so a result a caller holds
 * stays a consistent snapshot whatever happens to the sublist afterwards.
 */

/** What a sublist stores: a subject and an optional queue group name. */
export interface SublistSub {
  readonly subject: string;
  readonly queue: string | null;
}

/** The outcome of a match. Read-only: never mutate it (it is shared with the cache). */
export interface SublistResult<T> {
  /** Plain (non-queue) subscriptions. */
  readonly psubs: readonly T[];
  /** One array per matching queue group, holding that group's matching members (never empty). */
  readonly qsubs: readonly (readonly T[])[];
}

/** The one implementation, so every result has the same hidden class. */
export class Result<T> implements SublistResult<T> {
  readonly psubs: readonly T[];
  readonly qsubs: readonly (readonly T[])[];

  constructor(psubs: readonly T[], qsubs: readonly (readonly T[])[]) {
    this.psubs = psubs;
    this.qsubs = qsubs;
  }
}

const EMPTY: Result<never> = new Result<never>([], []);

/** The shared empty result. */
export function emptyResult<T>(): Result<T> {
  return EMPTY;
}

/** True when the result holds no subscription at all. */
export function isEmptyResult(r: SublistResult<unknown>): boolean {
  return r.psubs.length === 0 && r.qsubs.length === 0;
}

/** Index of the group for `queue` in `qsubs`, or -1. Groups are never empty, so `[0]` names them. */
export function findQSlot<T extends SublistSub>(qsubs: readonly (readonly T[])[], queue: string): number {
  for (let i = 0; i < qsubs.length; i++) {
    if (qsubs[i]![0]!.queue === queue) return i;
  }
  return -1;
}

/** A new result: `r` plus `sub`. Arrays that do not change are shared with `r`. */
export function withSub<T extends SublistSub>(r: Result<T>, sub: T): Result<T> {
  const queue = sub.queue;
  if (queue === null) {
    const psubs = r.psubs.slice();
    psubs.push(sub);
    return new Result(psubs, r.qsubs);
  }
  const qsubs = r.qsubs.slice();
  const slot = findQSlot(qsubs, queue);
  if (slot < 0) {
    qsubs.push([sub]);
  } else {
    const members = qsubs[slot]!.slice();
    members.push(sub);
    qsubs[slot] = members;
  }
  return new Result(r.psubs, qsubs);
}

/** A new result: `r` without `sub`, or `r` itself when `sub` is not in it. */
export function withoutSub<T extends SublistSub>(r: Result<T>, sub: T): Result<T> {
  const queue = sub.queue;
  if (queue === null) {
    const i = r.psubs.indexOf(sub);
    if (i < 0) return r;
    if (r.psubs.length === 1 && r.qsubs.length === 0) return EMPTY;
    return new Result(removeAt(r.psubs, i), r.qsubs);
  }
  const slot = findQSlot(r.qsubs, queue);
  if (slot < 0) return r;
  const members = r.qsubs[slot]!;
  const i = members.indexOf(sub);
  if (i < 0) return r;
  if (members.length === 1) {
    if (r.qsubs.length === 1 && r.psubs.length === 0) return EMPTY;
    return new Result(r.psubs, removeAt(r.qsubs, slot));
  }
  const qsubs = r.qsubs.slice();
  qsubs[slot] = removeAt(members, i);
  return new Result(r.psubs, qsubs);
}

function removeAt<E>(a: readonly E[], i: number): E[] {
  const out = a.slice(0, i);
  for (let k = i + 1; k < a.length; k++) out.push(a[k]!);
  return out;
}
