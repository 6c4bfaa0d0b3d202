// Seeded random insert / remove / match sequences checked against a naive model (a plain list of
// subscriptions and the split-based matcher in reference.test-util.ts), with and without the cache.
import { describe, expect, it } from 'vitest';
import {
  canon,
  naiveMatch,
  naiveResult,
  naiveSubset,
  pick,
  randomLiteral,
  randomPattern,
  rng,
  type TestSub,
} from './reference.test-util.js';
import type { SublistResult } from './result.js';
import { Sublist } from './sublist.js';

interface Scenario {
  name: string;
  seed: number;
  steps: number;
  tokens: string[];
  maxLen: number;
  queues: (string | null)[];
  /** Steps between reverseMatch checks (the subset oracle enumerates subjects, so it is slow). */
  reverseEvery: number;
}

const SCENARIOS: Scenario[] = [
  // small alphabet: heavy overlap between wildcards, lots of cache patching
  {
    name: 'dense',
    seed: 11,
    steps: 6000,
    tokens: ['a', 'b', 'c'],
    maxLen: 4,
    queues: [null, null, 'q1', 'q2'],
    reverseEvery: 250,
  },
  // large alphabet: more distinct subjects than the cache holds, so sweeps happen
  {
    name: 'sparse',
    seed: 12,
    steps: 8000,
    tokens: ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9', 'a*b', 'ü'],
    maxLen: 4,
    queues: [null, null, null, 'q1'],
    reverseEvery: 2000,
  },
];

describe.each([
  { mode: 'cache', cache: true },
  { mode: 'no cache', cache: false },
])('Sublist vs naive model ($mode)', ({ cache }) => {
  it.each(SCENARIOS)('$name: random inserts, removes and matches', (sc) => {
    const rand = rng(sc.seed);
    const sl = new Sublist<TestSub>({ cache });
    const live: TestSub[] = [];
    const held: { r: SublistResult<TestSub>; snapshot: ReturnType<typeof canon> }[] = [];
    let id = 1;
    let matches = 0;
    const distinct = new Set<string>();
    for (let step = 0; step < sc.steps; step++) {
      const op = rand();
      if (op < 0.3) {
        const s: TestSub = {
          subject: randomPattern(rand, sc.tokens, sc.maxLen),
          queue: pick(rand, sc.queues),
          id: id++,
        };
        expect(sl.insert(s)).toBe(true);
        live.push(s);
      } else if (op < 0.33) {
        // invalid subjects are refused and change nothing
        const bad = pick(rand, ['', 'a..b', '.a', 'a.', '>.a', 'a.>.b']);
        expect(sl.insert({ subject: bad, queue: null, id: id++ })).toBe(false);
      } else if (op < 0.5 && live.length > 0) {
        const i = Math.floor(rand() * live.length);
        const s = live[i]!;
        live[i] = live[live.length - 1]!;
        live.pop();
        expect(sl.remove(s)).toBe(true);
        expect(sl.remove(s)).toBe(false);
      } else {
        const subject = randomLiteral(rand, sc.tokens, sc.maxLen + 1);
        const r = sl.match(subject);
        matches++;
        distinct.add(subject);
        const want = naiveResult(live, subject);
        expect(canon(r), `step ${step} match ${subject}`).toEqual(want);
        expect(sl.hasInterest(subject)).toBe(want.p.length > 0 || want.q.length > 0);
        if (rand() < 0.05) held.push({ r, snapshot: canon(r) });
      }
      if (step % 500 === 0) expect(sl.count()).toBe(live.length);
      if (step % sc.reverseEvery === 0) {
        const q = randomPattern(rand, sc.tokens, sc.maxLen);
        expect(canon(sl.reverseMatch(q)), `reverseMatch ${q}`).toEqual(
          naiveResult(live, q, (subSubject, query) => naiveSubset(subSubject, query)),
        );
      }
    }
    // every result handed out earlier is still exactly what it was
    for (const h of held) expect(canon(h.r)).toEqual(h.snapshot);
    expect(held.length).toBeGreaterThan(20);

    const st = sl.stats();
    expect(st.numSubs).toBe(live.length);
    expect(st.numMatches).toBe(matches);
    if (sc.name === 'sparse') expect(distinct.size).toBeGreaterThan(2 * 1024); // the cache had to sweep
    if (cache) {
      expect(st.cacheHitRate).toBeGreaterThan(0);
      expect(st.numCache).toBeLessThanOrEqual(1024);
    }

    // interest() accounts for every live subscription exactly once
    const weights = new Map<string, number>();
    for (const s of live) weights.set(`${s.subject} ${s.queue}`, (weights.get(`${s.subject} ${s.queue}`) ?? 0) + 1);
    const got = new Map(sl.interest().map((e) => [`${e.subject} ${e.queue}`, e.weight] as const));
    expect(got).toEqual(weights);

    // drain: everything goes, the trie ends empty
    for (const s of live) expect(sl.remove(s)).toBe(true);
    expect(sl.count()).toBe(0);
    expect(sl.all()).toEqual([]);
    for (let i = 0; i < 200; i++) {
      const subject = randomLiteral(rand, sc.tokens, sc.maxLen);
      expect(canon(sl.match(subject))).toEqual({ p: [], q: [] });
    }
  });

  it('removeBatch matches the model', () => {
    const rand = rng(21);
    const tokens = ['a', 'b', 'c'];
    const sl = new Sublist<TestSub>({ cache });
    let live: TestSub[] = [];
    let id = 1;
    for (let round = 0; round < 200; round++) {
      for (let k = 0; k < 10; k++) {
        const s: TestSub = { subject: randomPattern(rand, tokens, 3), queue: pick(rand, [null, 'q']), id: id++ };
        sl.insert(s);
        live.push(s);
      }
      for (let k = 0; k < 5; k++) sl.match(randomLiteral(rand, tokens, 4));
      const batch = live.filter(() => rand() < 0.4);
      expect(sl.removeBatch(batch)).toBe(batch.length);
      live = live.filter((s) => !batch.includes(s));
      for (let k = 0; k < 10; k++) {
        const subject = randomLiteral(rand, tokens, 4);
        expect(canon(sl.match(subject))).toEqual(naiveResult(live, subject));
      }
    }
  });
});

it('the naive matcher itself distinguishes the basic cases', () => {
  expect(naiveMatch('a.*', 'a.b')).toBe(true);
  expect(naiveMatch('a.>', 'a')).toBe(false);
  expect(naiveMatch('a.b', 'a.*')).toBe(false);
  expect(naiveMatch('*', 'a..b')).toBe(false);
});
