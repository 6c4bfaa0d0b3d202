import { describe, expect, it } from 'vitest';
import { canon, type TestSub } from './reference.test-util.js';
import type { SublistResult } from './result.js';
import { CACHE_MAX, Sublist, sumSublistStats } from './sublist.js';

let nextId = 1;
function sub(subject: string, queue: string | null = null): TestSub {
  return { subject, queue, id: nextId++ };
}

function ids(subs: readonly TestSub[]): number[] {
  return subs.map((s) => s.id).sort((a, b) => a - b);
}

/** Canonical form for comparisons: sorted plain ids and `queue:ids` groups. */
function c(r: SublistResult<TestSub>) {
  return canon(r);
}

function expected(psubs: TestSub[], groups: TestSub[][] = []) {
  return canon({ psubs, qsubs: groups });
}

// Every case runs with and without the match cache (style.md: "Sublist: every case with and without the cache").
describe.each([
  { name: 'cache', cache: true },
  { name: 'no cache', cache: false },
])('Sublist ($name)', ({ cache }) => {
  const make = () => new Sublist<TestSub>({ cache });

  describe('literal subjects', () => {
    it('matches exactly', () => {
      const sl = make();
      const a = sub('foo.bar');
      const b = sub('foo.baz');
      const d = sub('foo');
      expect(sl.insert(a)).toBe(true);
      expect(sl.insert(b)).toBe(true);
      expect(sl.insert(d)).toBe(true);
      expect(c(sl.match('foo.bar'))).toEqual(expected([a]));
      expect(c(sl.match('foo.baz'))).toEqual(expected([b]));
      expect(c(sl.match('foo'))).toEqual(expected([d]));
      expect(c(sl.match('foo.bar.baz'))).toEqual(expected([]));
      expect(c(sl.match('bar'))).toEqual(expected([]));
      expect(sl.count()).toBe(3);
    });

    it('keeps several subscriptions on one subject', () => {
      const sl = make();
      const subs = [sub('a.b'), sub('a.b'), sub('a.b')];
      for (const s of subs) sl.insert(s);
      expect(c(sl.match('a.b'))).toEqual(expected(subs));
    });

    it('treats a*b, a> and UTF-8 (latin1-decoded) tokens as literals', () => {
      const sl = make();
      const utf8 = Buffer.from('ü.日本', 'utf8').toString('latin1');
      const a = sub('a*b');
      const b = sub('a>');
      const u = sub(utf8);
      sl.insert(a);
      sl.insert(b);
      sl.insert(u);
      expect(c(sl.match('a*b'))).toEqual(expected([a]));
      expect(c(sl.match('axb'))).toEqual(expected([]));
      expect(c(sl.match('a>'))).toEqual(expected([b]));
      expect(c(sl.match('a.b'))).toEqual(expected([]));
      expect(c(sl.match(utf8))).toEqual(expected([u]));
    });
  });

  describe('wildcards', () => {
    it('* matches exactly one token', () => {
      const sl = make();
      const s1 = sub('foo.*');
      const s2 = sub('*.bar');
      const s3 = sub('*');
      const s4 = sub('foo.*.baz');
      for (const s of [s1, s2, s3, s4]) sl.insert(s);
      expect(c(sl.match('foo.bar'))).toEqual(expected([s1, s2]));
      expect(c(sl.match('foo'))).toEqual(expected([s3]));
      expect(c(sl.match('x.bar'))).toEqual(expected([s2]));
      expect(c(sl.match('foo.bar.baz'))).toEqual(expected([s4]));
      expect(c(sl.match('foo.bar.baz.x'))).toEqual(expected([]));
    });

    it('> matches one or more trailing tokens, never zero', () => {
      const sl = make();
      const all = sub('>');
      const foo = sub('foo.>');
      const deep = sub('foo.*.>');
      for (const s of [all, foo, deep]) sl.insert(s);
      expect(c(sl.match('foo'))).toEqual(expected([all]));
      expect(c(sl.match('foo.bar'))).toEqual(expected([all, foo]));
      expect(c(sl.match('foo.bar.baz'))).toEqual(expected([all, foo, deep]));
      expect(c(sl.match('bar.baz'))).toEqual(expected([all]));
    });

    it('mixes literal, * and > on one subject', () => {
      const sl = make();
      const subs = [
        sub('a.b.c'),
        sub('a.*.c'),
        sub('a.b.*'),
        sub('*.b.c'),
        sub('*.*.*'),
        sub('a.>'),
        sub('a.b.>'),
        sub('>'),
        sub('*.>'),
        sub('a.b'),
        sub('a.b.c.d'),
        sub('x.>'),
        sub('a.*.d'),
      ];
      for (const s of subs) sl.insert(s);
      expect(c(sl.match('a.b.c'))).toEqual(expected(subs.slice(0, 9)));
    });

    it('published * and > tokens are plain tokens (nats-server routes PUB foo.* to foo.*, foo.>, >)', () => {
      const sl = make();
      const lit = sub('foo.bar');
      const pwc = sub('foo.*');
      const fwc = sub('foo.>');
      const mid = sub('foo.*.baz');
      for (const s of [lit, pwc, fwc, mid]) sl.insert(s);
      expect(c(sl.match('foo.*'))).toEqual(expected([pwc, fwc]));
      expect(c(sl.match('foo.>'))).toEqual(expected([pwc, fwc]));
      expect(c(sl.match('foo.>.baz'))).toEqual(expected([fwc, mid]));
    });
  });

  describe('queue groups', () => {
    it('groups members by queue name across matching subjects', () => {
      const sl = make();
      const q1a = sub('foo.bar', 'q1');
      const q1b = sub('foo.*', 'q1');
      const q2a = sub('foo.>', 'q2');
      const plain = sub('foo.bar');
      for (const s of [q1a, q1b, q2a, plain]) sl.insert(s);
      const r = sl.match('foo.bar');
      expect(r.qsubs).toHaveLength(2);
      expect(c(r)).toEqual(expected([plain], [[q1a, q1b], [q2a]]));
      const only = sl.match('foo.x');
      expect(c(only)).toEqual(expected([], [[q1b], [q2a]]));
    });

    it('plain and queue subscriptions on one subject are separate', () => {
      const sl = make();
      const p = sub('s');
      const q = sub('s', 'w');
      sl.insert(p);
      sl.insert(q);
      const r = sl.match('s');
      expect(ids(r.psubs as TestSub[])).toEqual([p.id]);
      expect(r.qsubs.map((g) => ids(g as TestSub[]))).toEqual([[q.id]]);
      expect(sl.remove(q)).toBe(true);
      expect(c(sl.match('s'))).toEqual(expected([p]));
    });

    it('an empty queue group disappears from results', () => {
      const sl = make();
      const a = sub('x', 'g');
      const b = sub('x', 'g');
      sl.insert(a);
      sl.insert(b);
      expect(c(sl.match('x'))).toEqual(expected([], [[a, b]]));
      sl.remove(a);
      expect(c(sl.match('x'))).toEqual(expected([], [[b]]));
      sl.remove(b);
      expect(sl.match('x').qsubs).toHaveLength(0);
    });
  });

  describe('invalid input', () => {
    it.each(['', '.', 'foo.', '.foo', 'foo..bar', '>.foo', 'foo.>.bar'])('insert(%j) is refused', (s) => {
      const sl = make();
      expect(sl.insert(sub(s))).toBe(false);
      expect(sl.count()).toBe(0);
      expect(sl.stats().numInserts).toBe(0);
      expect(sl.all()).toEqual([]);
    });

    it('subjects with empty tokens match nothing, even >', () => {
      const sl = make();
      sl.insert(sub('>'));
      sl.insert(sub('*.*'));
      for (const s of ['', '.', 'foo..bar', '.foo', 'foo.']) {
        expect(c(sl.match(s)), s).toEqual(expected([]));
        expect(sl.hasInterest(s), s).toBe(false);
      }
      expect(sl.stats().numCache).toBe(0);
    });

    it('remove of an unknown, already removed or invalid subscription returns false', () => {
      const sl = make();
      const a = sub('foo.bar');
      expect(sl.remove(a)).toBe(false);
      sl.insert(a);
      expect(sl.remove(sub('foo.bar'))).toBe(false); // same subject, other object
      expect(sl.remove(sub('foo.bar', 'q'))).toBe(false);
      expect(sl.remove(sub('foo..bar'))).toBe(false);
      expect(sl.remove(sub('foo.*'))).toBe(false);
      expect(sl.remove(a)).toBe(true);
      expect(sl.remove(a)).toBe(false);
      expect(sl.count()).toBe(0);
      expect(sl.stats().numRemoves).toBe(1);
    });

    it('inserting the same object twice changes nothing', () => {
      const sl = make();
      const a = sub('foo.*');
      const q = sub('foo.*', 'g');
      expect(sl.insert(a)).toBe(true);
      expect(sl.insert(q)).toBe(true);
      sl.match('foo.x');
      expect(sl.insert(a)).toBe(true);
      expect(sl.insert(q)).toBe(true);
      expect(sl.count()).toBe(2);
      expect(c(sl.match('foo.x'))).toEqual(expected([a], [[q]]));
    });
  });

  describe('removal', () => {
    it('removes and prunes the trie', () => {
      const sl = make();
      const subs = [sub('a.b.c'), sub('a.*.c'), sub('a.>'), sub('a.b.c', 'q'), sub('>'), sub('*')];
      for (const s of subs) sl.insert(s);
      for (const s of subs) expect(sl.remove(s)).toBe(true);
      expect(sl.count()).toBe(0);
      expect(c(sl.match('a.b.c'))).toEqual(expected([]));
      // white box: nothing is left in the trie
      const root = (sl as unknown as { root: { nodes: unknown; pwc: unknown; fwc: unknown } }).root;
      expect(root.nodes).toBeNull();
      expect(root.pwc).toBeNull();
      expect(root.fwc).toBeNull();
    });

    it('keeps siblings when pruning', () => {
      const sl = make();
      const deep = sub('a.b.c.d');
      const mid = sub('a.b');
      sl.insert(deep);
      sl.insert(mid);
      sl.remove(deep);
      expect(c(sl.match('a.b'))).toEqual(expected([mid]));
      sl.insert(deep);
      sl.remove(mid);
      expect(c(sl.match('a.b.c.d'))).toEqual(expected([deep]));
      expect(c(sl.match('a.b'))).toEqual(expected([]));
    });

    it('handles many members of one subject and group (indexed removal)', () => {
      const sl = make();
      const plain: TestSub[] = [];
      const queued: TestSub[] = [];
      for (let i = 0; i < 200; i++) {
        plain.push(sub('big.subject'));
        queued.push(sub('big.*', 'g'));
      }
      for (let i = 0; i < 200; i++) {
        sl.insert(plain[i]!);
        sl.insert(queued[i]!);
      }
      sl.match('big.subject');
      // remove every third, in a scrambled order
      const gone = new Set<TestSub>();
      for (let k = 0; k < 200; k++) {
        const i = (k * 7) % 200;
        if (i % 3 !== 0) continue;
        expect(sl.remove(plain[i]!)).toBe(true);
        expect(sl.remove(queued[i]!)).toBe(true);
        gone.add(plain[i]!);
        gone.add(queued[i]!);
      }
      for (const s of gone) expect(sl.remove(s)).toBe(false);
      const keepP = plain.filter((s) => !gone.has(s));
      const keepQ = queued.filter((s) => !gone.has(s));
      expect(c(sl.match('big.subject'))).toEqual(expected(keepP, [keepQ]));
      expect(sl.count()).toBe(keepP.length + keepQ.length);
      for (const s of keepQ) sl.insert(s); // duplicates: no change
      expect(sl.count()).toBe(keepP.length + keepQ.length);
    });

    it('removeBatch removes many at once and keeps matches right', () => {
      const sl = make();
      const keep = [sub('a.b'), sub('a.*'), sub('>', 'q')];
      const drop = [
        sub('a.b'),
        sub('a.*'),
        sub('a.>'),
        sub('*.b'),
        sub('*.*'),
        sub('>'),
        sub('a.b', 'q'),
        sub('a.*', 'q'),
      ];
      for (const s of [...keep, ...drop]) sl.insert(s);
      expect(c(sl.match('a.b'))).toEqual(
        expected([...keep.slice(0, 2), ...drop.slice(0, 6)], [[keep[2]!, drop[6]!, drop[7]!]]),
      );
      expect(sl.removeBatch([...drop, sub('zzz')])).toBe(drop.length);
      expect(sl.count()).toBe(keep.length);
      expect(c(sl.match('a.b'))).toEqual(expected(keep.slice(0, 2), [[keep[2]!]]));
      // a small batch (patching path)
      sl.match('a.x');
      expect(sl.removeBatch([keep[1]!])).toBe(1);
      expect(c(sl.match('a.x'))).toEqual(expected([], [[keep[2]!]]));
    });
  });

  describe('results', () => {
    it('a held result is unchanged by later inserts and removes', () => {
      const sl = make();
      const a = sub('foo.bar');
      const w = sub('foo.*', 'q');
      sl.insert(a);
      sl.insert(w);
      const held = sl.match('foo.bar');
      const snapshot = c(held);
      const psubsRef = held.psubs;
      const qsubsRef = held.qsubs;
      const groupRef = held.qsubs[0];
      const more = [sub('foo.bar'), sub('foo.>'), sub('foo.*', 'q'), sub('>', 'r')];
      for (const s of more) sl.insert(s);
      sl.remove(a);
      sl.remove(w);
      expect(c(held)).toEqual(snapshot);
      expect(held.psubs).toBe(psubsRef);
      expect(held.qsubs).toBe(qsubsRef);
      expect(held.qsubs[0]).toBe(groupRef);
      expect(held.psubs).toHaveLength(1);
      expect(held.qsubs[0]).toHaveLength(1);
      expect(c(sl.match('foo.bar'))).toEqual(expected([more[0]!, more[1]!], [[more[2]!], [more[3]!]]));
    });

    it('the shared empty result is never filled in', () => {
      const sl = make();
      const empty = sl.match('nobody');
      expect(c(empty)).toEqual(expected([]));
      sl.insert(sub('nobody'));
      sl.insert(sub('nobody', 'q'));
      expect(empty.psubs).toHaveLength(0);
      expect(empty.qsubs).toHaveLength(0);
      expect(sl.match('nobody').psubs).toHaveLength(1);
      expect(c(sl.match('other'))).toEqual(expected([]));
    });
  });

  describe('cache coherence', () => {
    it('interleaved insert / match / remove always agree with a fresh sublist', () => {
      const sl = make();
      const subjects = ['a.b.c', 'a.b.d', 'a.x.c', 'b.b.c', 'a.b', 'a'];
      const patterns = ['a.b.c', 'a.*.c', 'a.>', '*.b.*', '>', 'a.b', '*', 'a.b.c'];
      const queues = [null, 'q1', null, 'q2', 'q1', null, null, 'q2'];
      const live: TestSub[] = [];
      const check = () => {
        const fresh = new Sublist<TestSub>({ cache: false });
        for (const s of live) fresh.insert(s);
        for (const s of subjects) expect(c(sl.match(s)), s).toEqual(c(fresh.match(s)));
      };
      for (let i = 0; i < patterns.length; i++) {
        check();
        const s = sub(patterns[i]!, queues[i]!);
        sl.insert(s);
        live.push(s);
        check();
      }
      while (live.length > 0) {
        const s = live.splice(live.length > 2 ? 2 : 0, 1)[0]!;
        sl.remove(s);
        check();
      }
    });

    it('stays bounded', () => {
      const sl = make();
      sl.insert(sub('k.*'));
      for (let i = 0; i < 3 * CACHE_MAX; i++) expect(sl.match(`k.${i}`).psubs).toHaveLength(1);
      const st = sl.stats();
      expect(st.numCache).toBeLessThanOrEqual(cache ? CACHE_MAX : 0);
      if (cache) expect(st.numCache).toBeGreaterThan(CACHE_MAX / 2);
      // still coherent after sweeps
      const w = sub('k.>');
      sl.insert(w);
      for (let i = 0; i < 3 * CACHE_MAX; i += 7) expect(sl.match(`k.${i}`).psubs).toHaveLength(2);
      sl.remove(w);
      for (let i = 0; i < 3 * CACHE_MAX; i += 7) expect(sl.match(`k.${i}`).psubs).toHaveLength(1);
    });
  });

  describe('cache admission', () => {
    it('caches every miss until the cache first overflows, then a subject on its second miss', () => {
      const sl = make();
      const w = sub('u.>');
      sl.insert(w);
      for (let i = 0; i < CACHE_MAX; i++) sl.match(`u.${i}`);
      expect(sl.stats().numCache).toBe(cache ? CACHE_MAX : 0);
      sl.match('u.overflow'); // the 1025th entry: sweep, admission control from now on
      const after = sl.stats().numCache;
      if (cache) expect(after).toBeLessThan(CACHE_MAX);
      const hits = () => sl.stats().cacheHitRate * sl.stats().numMatches;
      // a new subject: first miss not cached, second miss cached, third a hit
      expect(c(sl.match('u.fresh'))).toEqual(expected([w]));
      expect(sl.stats().numCache).toBe(after);
      const h0 = hits();
      expect(c(sl.match('u.fresh'))).toEqual(expected([w]));
      expect(sl.stats().numCache).toBe(cache ? after + 1 : 0);
      expect(hits()).toBeCloseTo(h0);
      expect(c(sl.match('u.fresh'))).toEqual(expected([w]));
      expect(hits()).toBeCloseTo(cache ? h0 + 1 : 0);
      // a subject admitted this way is patched like any other entry
      const x = sub('u.fresh');
      sl.insert(x);
      expect(c(sl.match('u.fresh'))).toEqual(expected([w, x]));
      // clear() starts over: the first miss is cached again
      sl.clear();
      sl.match('u.a');
      expect(sl.stats().numCache).toBe(cache ? 1 : 0);
    });
  });

  describe('hasInterest', () => {
    it('answers like match', () => {
      const sl = make();
      sl.insert(sub('a.*.c'));
      sl.insert(sub('q.>', 'g'));
      const deep = sub('x.y.z');
      sl.insert(deep);
      expect(sl.hasInterest('a.b.c')).toBe(true);
      expect(sl.hasInterest('a.b')).toBe(false);
      expect(sl.hasInterest('q')).toBe(false);
      expect(sl.hasInterest('q.1.2')).toBe(true);
      expect(sl.hasInterest('x.y')).toBe(false); // interior node without subscriptions
      expect(sl.hasInterest('x.y.z')).toBe(true);
      sl.match('x.y.z');
      sl.remove(deep);
      expect(sl.hasInterest('x.y.z')).toBe(false);
    });

    it('does not fill the cache or count as a match', () => {
      const sl = make();
      sl.insert(sub('a'));
      sl.hasInterest('a');
      sl.hasInterest('b');
      expect(sl.stats().numCache).toBe(0);
      expect(sl.stats().numMatches).toBe(0);
    });
  });

  describe('reverseMatch', () => {
    it('returns the subscriptions a wildcard subject covers', () => {
      const sl = make();
      const s = {
        fooBar: sub('foo.bar'),
        fooBaz: sub('foo.baz'),
        fooBarBaz: sub('foo.bar.baz'),
        foo: sub('foo'),
        fooStar: sub('foo.*'),
        fooFwc: sub('foo.>'),
        fooStarBar: sub('foo.*.bar'),
        q: sub('foo.qq', 'g'),
        other: sub('bar.x'),
      };
      for (const v of Object.values(s)) sl.insert(v);
      expect(c(sl.reverseMatch('foo.*'))).toEqual(expected([s.fooBar, s.fooBaz, s.fooStar], [[s.q]]));
      expect(c(sl.reverseMatch('foo.>'))).toEqual(
        expected([s.fooBar, s.fooBaz, s.fooBarBaz, s.fooStar, s.fooFwc, s.fooStarBar], [[s.q]]),
      );
      expect(c(sl.reverseMatch('foo.bar'))).toEqual(expected([s.fooBar]));
      expect(c(sl.reverseMatch('*.*.bar'))).toEqual(expected([s.fooStarBar]));
      expect(c(sl.reverseMatch('>'))).toEqual(c(sl.reverseMatch('>')));
      expect(sl.reverseMatch('>').psubs).toHaveLength(8);
      expect(c(sl.reverseMatch('foo..bar'))).toEqual(expected([]));
      expect(c(sl.reverseMatch('nothing.*'))).toEqual(expected([]));
    });
  });

  describe('interest and all', () => {
    it('groups subscriptions for LS+/RS+ with weights and an optional filter', () => {
      const sl = make();
      const local = (s: TestSub) => s.id % 2 === 0;
      const subs = [
        sub('foo.bar'),
        sub('foo.bar'),
        sub('foo.bar', 'w'),
        sub('foo.bar', 'w'),
        sub('foo.bar', 'w'),
        sub('foo.*', 'v'),
        sub('>'),
      ];
      for (const s of subs) sl.insert(s);
      const sortKey = (x: { subject: string; queue: string | null }) => `${x.subject} ${x.queue ?? ''}`;
      const got = sl.interest().sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      expect(got).toEqual([
        { subject: '>', queue: null, weight: 1 },
        { subject: 'foo.*', queue: 'v', weight: 1 },
        { subject: 'foo.bar', queue: null, weight: 2 },
        { subject: 'foo.bar', queue: 'w', weight: 3 },
      ]);
      const filtered = sl.interest(local);
      const expectWeight = (subject: string, queue: string | null) =>
        subs.filter((s) => s.subject === subject && s.queue === queue && local(s)).length;
      for (const e of filtered) expect(e.weight).toBe(expectWeight(e.subject, e.queue));
      expect(filtered.reduce((n, e) => n + e.weight, 0)).toBe(subs.filter(local).length);
      expect(ids(sl.all())).toEqual(ids(subs));
    });
  });

  describe('stats, clear, genid', () => {
    it('counts inserts, removes, matches, hits and fanout', () => {
      const sl = make();
      const subs = [sub('a.b'), sub('a.*'), sub('a.*', 'q'), sub('a.*', 'q'), sub('x')];
      for (const s of subs) sl.insert(s);
      sl.remove(subs[4]!);
      sl.match('a.b'); // fanout 2 psubs + 1 group = 3
      sl.match('a.b');
      sl.match('a.c'); // 1 + 1 = 2
      sl.match('zzz'); // 0
      const st = sl.stats();
      expect(st.numSubs).toBe(4);
      expect(st.numInserts).toBe(5);
      expect(st.numRemoves).toBe(1);
      expect(st.numMatches).toBe(4);
      if (cache) {
        expect(st.numCache).toBe(3);
        expect(st.cacheHitRate).toBeCloseTo(0.25);
        expect(st.maxFanout).toBe(3);
        expect(st.avgFanout).toBeCloseTo(5 / 3);
      } else {
        expect(st.numCache).toBe(0);
        expect(st.cacheHitRate).toBe(0);
        expect(st.maxFanout).toBe(0);
        expect(st.avgFanout).toBe(0);
      }
      expect(sl.cacheEnabled).toBe(cache);
    });

    it('starts at zero', () => {
      expect(make().stats()).toEqual({
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
      });
    });

    it('sumSublistStats adds several sublists up like nats-server', () => {
      const a = make();
      const b = make();
      a.insert(sub('x'));
      a.insert(sub('x'));
      b.insert(sub('y', 'q'));
      a.match('x');
      a.match('x');
      b.match('y');
      b.match('z');
      const sum = sumSublistStats([a.stats(), b.stats()]);
      expect(sum.numSubs).toBe(3);
      expect(sum.numInserts).toBe(3);
      expect(sum.numMatches).toBe(4);
      if (cache) {
        expect(sum.numCache).toBe(3);
        expect(sum.cacheHits).toBe(1);
        expect(sum.cacheHitRate).toBeCloseTo(0.25);
        expect(sum.maxFanout).toBe(2);
        expect(sum.totalFanout).toBe(3);
        expect(sum.avgFanout).toBeCloseTo(1);
      } else {
        expect(sum.numCache).toBe(0);
        expect(sum.cacheHitRate).toBe(0);
        expect(sum.avgFanout).toBe(0);
      }
      expect(sumSublistStats([])).toEqual(make().stats());
    });

    it('clear drops subscriptions and cache, keeps cumulative counters', () => {
      const sl = make();
      const a = sub('a');
      sl.insert(a);
      sl.match('a');
      const held = sl.match('a');
      sl.clear();
      expect(sl.count()).toBe(0);
      expect(sl.stats().numCache).toBe(0);
      expect(sl.stats().numInserts).toBe(1);
      expect(c(sl.match('a'))).toEqual(expected([]));
      expect(c(held)).toEqual(expected([a]));
      expect(sl.remove(a)).toBe(false);
      expect(sl.insert(a)).toBe(true);
      expect(c(sl.match('a'))).toEqual(expected([a]));
    });

    it('genid moves on every change', () => {
      const sl = make();
      const a = sub('a');
      const g0 = sl.genid;
      sl.insert(a);
      const g1 = sl.genid;
      expect(g1).not.toBe(g0);
      sl.match('a');
      expect(sl.genid).toBe(g1);
      sl.insert(sub('a..b'));
      expect(sl.genid).toBe(g1);
      sl.remove(a);
      expect(sl.genid).not.toBe(g1);
    });
  });

  it('handles subjects with more tokens than the scratch buffer', () => {
    const sl = make();
    const long = Array.from({ length: 100 }, (_, i) => `t${i}`).join('.');
    const a = sub(long);
    const w = sub(`${long.split('.').slice(0, 60).join('.')}.>`);
    sl.insert(a);
    sl.insert(w);
    expect(c(sl.match(long))).toEqual(expected([a, w]));
    expect(sl.hasInterest(long)).toBe(true);
    expect(c(sl.reverseMatch('>'))).toEqual(expected([a, w]));
  });
});
