// Sublist micro benchmarks: match with and without the cache over 10k and 100k subscriptions,
// cache misses with the cache on, hasInterest, and insert/remove rates.
// Run: npx tsc -b bench && node bench/dist/micro/run.js sublist
import { Sublist } from '@starling/sublist';
import { bench } from './harness.js';

interface Sub {
  readonly subject: string;
  readonly queue: string | null;
  readonly id: number;
}

/** Deterministic PRNG (mulberry32) so every run builds the same trie. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const APPS = ['orders', 'billing', 'users', 'events', 'metrics', 'inventory', 'search', 'audit'];
const VERBS = ['created', 'updated', 'deleted', 'get', 'list'];
const REGIONS = 20;

/**
 * "mixed": `n` subscriptions shaped like a busy account: 70 % literals
 * `app.r<region>.<verb>.<id>`, 10 % with one `*`, 5 % `app.r<region>.>` (so each of those
 * 160 subjects has ~n/3200 subscribers: a heavy fan-out), 15 % queue-group literals
 * `svc.app.<verb>.<k>` in three groups.
 */
function mixedSubs(n: number, seed: number): Sub[] {
  const rand = rng(seed);
  const subs: Sub[] = [];
  for (let i = 0; i < n; i++) {
    const app = APPS[i % APPS.length]!;
    const region = `r${Math.floor(rand() * REGIONS)}`;
    const verb = VERBS[Math.floor(rand() * VERBS.length)]!;
    const kind = rand();
    let subject: string;
    let queue: string | null = null;
    if (kind < 0.7) subject = `${app}.${region}.${verb}.${i}`;
    else if (kind < 0.8) subject = rand() < 0.5 ? `${app}.${region}.*.${i % 1000}` : `${app}.*.${verb}.${i % 1000}`;
    else if (kind < 0.85) subject = `${app}.${region}.>`;
    else {
      subject = `svc.${app}.${verb}.${i % 200}`;
      queue = `q${i % 3}`;
    }
    subs.push({ subject, queue, id: i });
  }
  return subs;
}

/** Publish subjects for "mixed": half are subscribed literals, half random `app.r<r>.<verb>.<k>`. */
function mixedSubjects(subs: readonly Sub[], count: number, seed: number): string[] {
  const rand = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = subs[Math.floor(rand() * subs.length)]!;
    if (rand() < 0.5 && !s.subject.includes('*') && !s.subject.includes('>')) out.push(s.subject);
    else {
      const app = APPS[Math.floor(rand() * APPS.length)]!;
      const verb = VERBS[Math.floor(rand() * VERBS.length)]!;
      out.push(`${app}.r${Math.floor(rand() * REGIONS)}.${verb}.${Math.floor(rand() * 2000)}`);
    }
  }
  return out;
}

/**
 * "inbox": `n` subscriptions shaped like request/reply clients: 90 % `_INBOX.<22 chars>.*`,
 * 9 % service literals `svc.<k>.<verb>`, 1 % monitors `svc.<k>.>`. Fan-out is small.
 */
function inboxSubs(n: number, seed: number): Sub[] {
  const rand = rng(seed);
  const subs: Sub[] = [];
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < n; i++) {
    const kind = rand();
    let subject: string;
    if (kind < 0.9) {
      let nuid = '';
      for (let k = 0; k < 22; k++) nuid += alphabet[Math.floor(rand() * alphabet.length)];
      subject = `_INBOX.${nuid}.*`;
    } else if (kind < 0.99) subject = `svc.${i % 5000}.${VERBS[i % VERBS.length]!}`;
    else subject = `svc.${i % 5000}.>`;
    subs.push({ subject, queue: null, id: i });
  }
  return subs;
}

/** Publish subjects for "inbox": replies to existing inboxes and service requests. */
function inboxSubjects(subs: readonly Sub[], count: number, seed: number): string[] {
  const rand = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = subs[Math.floor(rand() * subs.length)]!;
    if (s.subject.endsWith('.*')) out.push(`${s.subject.slice(0, -1)}${Math.floor(rand() * 100)}`);
    else out.push(`svc.${Math.floor(rand() * 5000)}.${VERBS[Math.floor(rand() * VERBS.length)]!}`);
  }
  return out;
}

let sink = 0;

function avgFanout(sl: Sublist<Sub>, subjects: readonly string[]): string {
  let total = 0;
  for (const s of subjects) {
    const r = sl.match(s);
    total += r.psubs.length + r.qsubs.length;
  }
  return (total / subjects.length).toFixed(1);
}

function build(subs: readonly Sub[], cache: boolean): Sublist<Sub> {
  const sl = new Sublist<Sub>({ cache });
  for (const s of subs) sl.insert(s);
  return sl;
}

/** Times `sl.match` over `subjects` (length a power of two), cycling. */
function benchMatch(name: string, sl: Sublist<Sub>, subjects: readonly string[]): void {
  const mask = subjects.length - 1;
  bench('sublist', name, (iters) => {
    let x = 0;
    for (let i = 0; i < iters; i++) x += sl.match(subjects[i & mask]!).psubs.length;
    sink += x;
  });
}

for (const n of [10_000, 100_000]) {
  const label = `${n / 1000}k`;
  const mixed = mixedSubs(n, 42);
  const inbox = inboxSubs(n, 43);

  // Cache hits: 512 hot subjects (they fit in the 1024-entry cache), warmed first. The subject
  // strings are reused, so V8 has their hash cached; the next case adds the cost of a fresh
  // string per publish (latin1 decode from a Buffer, as the server does).
  const cached = build(mixed, true);
  const hot = mixedSubjects(mixed, 512, 7);
  for (const s of hot) cached.match(s);
  benchMatch(`match cached hit (${label} mixed subs, 512 hot subjects, fanout ${avgFanout(cached, hot)})`, cached, hot);
  if (n === 10_000) {
    const wire = Buffer.from(hot.join(' '), 'latin1');
    const offsets: number[] = [];
    let at = 0;
    for (const s of hot) {
      offsets.push(at, at + s.length);
      at += s.length + 1;
    }
    const mask = hot.length - 1;
    bench('sublist', 'latin1 decode of the subject alone (baseline for the next case)', (iters) => {
      let x = 0;
      for (let i = 0; i < iters; i++) {
        const k = (i & mask) << 1;
        x += wire.toString('latin1', offsets[k]!, offsets[k + 1]!).length;
      }
      sink += x;
    });
    bench('sublist', 'latin1 decode + match cached hit (fresh subject string per call)', (iters) => {
      let x = 0;
      for (let i = 0; i < iters; i++) {
        const k = (i & mask) << 1;
        x += cached.match(wire.toString('latin1', offsets[k]!, offsets[k + 1]!)).psubs.length;
      }
      sink += x;
    });
  }

  // No cache: every match walks the trie.
  const mixedCold = mixedSubjects(mixed, 16_384, 9);
  const inboxCold = inboxSubjects(inbox, 16_384, 10);
  const mixedNoCache = build(mixed, false);
  const inboxNoCache = build(inbox, false);
  benchMatch(
    `match uncached (${label} mixed subs, cache disabled, fanout ${avgFanout(mixedNoCache, mixedCold)})`,
    mixedNoCache,
    mixedCold,
  );
  benchMatch(
    `match uncached (${label} inbox subs, cache disabled, fanout ${avgFanout(inboxNoCache, inboxCold)})`,
    inboxNoCache,
    inboxCold,
  );
  // The same trie walk when the touched part of the trie is in CPU caches (512 hot subjects):
  // the gap to the 16k-subject cases above is memory latency of Map lookups in big levels.
  benchMatch(`match uncached (${label} mixed subs, cache disabled, 512 hot subjects)`, mixedNoCache, hot);
  const inboxHot = inboxCold.slice(0, 512);
  benchMatch(`match uncached (${label} inbox subs, cache disabled, 512 hot subjects)`, inboxNoCache, inboxHot);

  // Cache on but every subject new to it: 16k distinct subjects cycle through the 1024-entry
  // cache, so every match misses. Once the cache has overflowed, admission control (second miss
  // within a recent window) keeps most of these one-off subjects out of it.
  benchMatch(`match cache miss (${label} mixed subs, cache on, 16k distinct subjects)`, build(mixed, true), mixedCold);

  bench('sublist', `hasInterest uncached (${label} mixed subs)`, (iters) => {
    const mask = mixedCold.length - 1;
    let x = 0;
    for (let i = 0; i < iters; i++) if (mixedNoCache.hasInterest(mixedCold[i & mask]!)) x++;
    sink += x;
  });
}

// Insert + remove: every op is one insert or one remove, on top of 100k subscriptions. With the
// cache on, a wildcard insert/remove patches every cached result it matches, so it scans the
// cache; literal ones touch one entry. The inbox case is the worst one for the scan: every cached
// subject shares the `_INBOX.` prefix with the new subscriptions.
{
  const base = mixedSubs(100_000, 44);
  const literalChurn: Sub[] = [];
  const wildChurn: Sub[] = [];
  for (let i = 0; i < 10_000; i++) {
    literalChurn.push({ subject: `churn.${APPS[i % APPS.length]!}.${i}.x`, queue: i % 4 === 0 ? 'q' : null, id: i });
    wildChurn.push({ subject: `churn.*.${i}.>`, queue: null, id: i });
  }
  for (const [name, cache] of [
    ['cache on, 1024 cached results', true],
    ['cache off', false],
  ] as const) {
    const sl = build(base, cache);
    for (const s of mixedSubjects(base, 4096, 5)) sl.match(s); // fill the cache
    for (const [kind, churn] of [
      ['literal', literalChurn],
      ['wildcard', wildChurn],
    ] as const) {
      bench('sublist', `insert+remove ${kind} (100k mixed subs, ${name})`, (iters) => churnOps(sl, churn, iters));
    }
  }

  const inbox = inboxSubs(100_000, 45);
  const inboxChurn = inboxSubs(20_000, 46).filter((s) => s.subject.startsWith('_INBOX.'));
  for (const [name, cache] of [
    ['cache on, 1024 cached _INBOX replies', true],
    ['cache off', false],
  ] as const) {
    const sl = build(inbox, cache);
    for (const s of inboxSubjects(inbox, 8192, 6)) if (s.startsWith('_INBOX.')) sl.match(s);
    bench('sublist', `insert+remove _INBOX.<nuid>.* (100k inbox subs, ${name})`, (iters) =>
      churnOps(sl, inboxChurn, iters),
    );
  }
}

/** `iters` operations: batches of inserts followed by the matching removes. */
function churnOps(sl: Sublist<Sub>, churn: readonly Sub[], iters: number): void {
  let done = 0;
  while (done < iters) {
    const m = Math.max(1, Math.min(churn.length, (iters - done) >> 1));
    for (let i = 0; i < m; i++) sl.insert(churn[i]!);
    for (let i = 0; i < m; i++) sl.remove(churn[i]!);
    done += 2 * m;
  }
}

if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
