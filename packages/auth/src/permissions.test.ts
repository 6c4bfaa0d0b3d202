// Permission semantics (auth.md §7). Every row of the tables below was observed on a live
// nats-server 2.9.10 (raw TCP, one user per row group, -ERR or not after each op).
import { describe, expect, it } from 'vitest';
import { pubViolationText, subViolationText } from './go-quote.js';
import { perms } from './options.test-util.js';
import {
  CompiledPermissions,
  compilePermissions,
  DEFAULT_ALLOW_RESPONSE_EXPIRATION_MS,
  PUB_CACHE_MAX,
  ResponsePermissionTracker,
} from './permissions.js';

type Row = [op: 'SUB' | 'PUB', subject: string, queue: string | null, allowed: boolean];

const TABLE: Array<{ name: string; p: ReturnType<typeof perms>; rows: Row[] }> = [
  {
    name: 'sub allow foo.* (subject matched as a literal)',
    p: perms(null, { allow: ['foo.*'] }),
    rows: [
      ['SUB', 'foo.>', null, true],
      ['SUB', 'foo.*', null, true],
      ['SUB', 'foo.bar', null, true],
      ['SUB', '>', null, false],
      ['SUB', '*', null, false],
      ['SUB', 'foo.bar.baz', null, false],
      ['SUB', 'foo', null, false],
      ['SUB', 'foo.bar', 'q', true],
    ],
  },
  {
    name: 'sub allow foo.> deny foo.bar',
    p: perms(null, { allow: ['foo.>'], deny: ['foo.bar'] }),
    rows: [
      ['SUB', 'foo.*', null, true],
      ['SUB', 'foo.bar', null, false],
      ['SUB', 'foo.baz', null, true],
      ['SUB', 'foo.>', null, true],
      ['SUB', 'foo.bar.x', null, true],
      ['SUB', 'foo.bar', 'q', false],
    ],
  },
  {
    name: 'queue-qualified allow "foo.> v1"',
    p: perms(null, { allow: ['foo.> v1'] }),
    rows: [
      ['SUB', 'foo.x', null, false],
      ['SUB', 'foo.x', 'v1', true],
      ['SUB', 'foo.x', 'v2', false],
    ],
  },
  {
    name: 'queue wildcard "foo.> v1.*"',
    p: perms(null, { allow: ['foo.> v1.*'] }),
    rows: [
      ['SUB', 'foo.x', 'v1.a', true],
      ['SUB', 'foo.x', 'v1', false],
      ['SUB', 'foo.x', 'v1.a.b', false],
      ['SUB', 'foo.x', 'v1.*', true],
    ],
  },
  {
    name: '"foo.> v*": v* is a literal queue name',
    p: perms(null, { allow: ['foo.> v*'] }),
    rows: [
      ['SUB', 'foo.x', 'v1', false],
      ['SUB', 'foo.x', 'v*', true],
    ],
  },
  {
    name: 'plain allow plus a queue entry on a narrower subject',
    p: perms(null, { allow: ['foo.>', 'foo.bar q1'] }),
    rows: [
      ['SUB', 'foo.bar', null, true],
      ['SUB', 'foo.bar', 'q1', true],
      ['SUB', 'foo.bar', 'q2', false],
      ['SUB', 'foo.baz', 'q2', true],
    ],
  },
  {
    name: 'deny "bar q1" denies only that queue',
    p: perms(null, { deny: ['bar q1'] }),
    rows: [
      ['SUB', 'bar', null, true],
      ['SUB', 'bar', 'q1', false],
      ['SUB', 'bar', 'q2', true],
    ],
  },
  {
    name: 'deny ["bar", "bar q1"]: a queue entry overrides the plain deny for other queues (nats-server quirk)',
    p: perms(null, { deny: ['bar', 'bar q1'] }),
    rows: [
      ['SUB', 'bar', 'q1', false],
      ['SUB', 'bar', 'q2', true],
      ['SUB', 'bar', null, false],
    ],
  },
  {
    name: 'publish allow a.* deny a.b',
    p: perms({ allow: ['a.*'], deny: ['a.b'] }),
    rows: [
      ['PUB', 'a.c', null, true],
      ['PUB', 'a.b', null, false],
      ['PUB', 'a.c.d', null, false],
      ['PUB', 'a.*', null, true],
      ['PUB', 'a', null, false],
    ],
  },
  {
    name: 'publish: [] means no restriction',
    p: perms({ allow: [] }),
    rows: [['PUB', 'anything', null, true]],
  },
  {
    name: 'allow foo.* and "foo.* q1"',
    p: perms(null, { allow: ['foo.*', 'foo.* q1'] }),
    rows: [
      ['SUB', 'foo.x', null, true],
      ['SUB', 'foo.x', 'q1', true],
      ['SUB', 'foo.x', 'q2', false],
    ],
  },
  {
    name: 'deny foo.* also denies SUB foo.> (literal matching)',
    p: perms(null, { deny: ['foo.*'] }),
    rows: [
      ['SUB', 'foo.x', null, false],
      ['SUB', 'foo.>', null, false],
      ['SUB', '>', null, true],
      ['SUB', 'foo.x.y', null, true],
    ],
  },
];

describe('permission tables (live nats-server 2.9.10)', () => {
  for (const t of TABLE) {
    it(t.name, () => {
      const compiled = compilePermissions(t.p);
      for (const [op, subject, queue, allowed] of t.rows) {
        // A fresh connection per row (canSubscribe has side effects on delivery filtering).
        const c = compiled === null ? null : compiled.forConnection();
        const got = c === null ? true : op === 'PUB' ? c.canPublish(subject) : c.canSubscribe(subject, queue);
        expect(got, `${op} ${subject} ${queue ?? ''}`).toBe(allowed);
        // Twice: the cached answer must agree.
        if (c !== null && op === 'PUB') expect(c.canPublish(subject)).toBe(allowed);
      }
    });
  }
});

describe('delivery-time deny filtering', () => {
  it('starts when an allowed wildcard sub covers a deny entry; filters foo.bar (live: SUB foo.* + foo.>)', () => {
    const c = new CompiledPermissions(perms(null, { allow: ['foo.>'], deny: ['foo.bar'] })).forConnection();
    expect(c.filtersDeliveries).toBe(false);
    expect(c.deliverAllowed('foo.bar')).toBe(true); // no wildcard sub yet: nothing to filter
    expect(c.canSubscribe('foo.baz')).toBe(true);
    expect(c.filtersDeliveries).toBe(false);
    expect(c.canSubscribe('foo.*')).toBe(true);
    expect(c.filtersDeliveries).toBe(true);
    expect(c.deliverAllowed('foo.bar')).toBe(false);
    expect(c.deliverAllowed('foo.baz')).toBe(true);
    expect(c.deliverAllowed('foo.bar.x')).toBe(true);
    // cached
    expect(c.deliverAllowed('foo.bar')).toBe(false);
  });
  it('does not start for a wildcard outside the deny entries', () => {
    const c = new CompiledPermissions(perms(null, { deny: ['foo.bar'] })).forConnection();
    expect(c.canSubscribe('baz.*')).toBe(true);
    expect(c.filtersDeliveries).toBe(false);
  });
});

describe('allow_responses', () => {
  it('turns publish into deny-all and allows replies, max 2 (live: 2 replies ok, 3rd denied)', () => {
    const c = new CompiledPermissions(perms(null, null, { max: 2, expires: 60_000 })).forConnection();
    expect(c.canPublish('any', 0)).toBe(false);
    c.onDeliveredWithReply('_INBOX.1', 1000);
    expect(c.canPublish('_INBOX.1', 1001)).toBe(true);
    expect(c.canPublish('_INBOX.1', 1002)).toBe(true);
    expect(c.canPublish('_INBOX.1', 1003)).toBe(false);
    expect(c.canPublish('_INBOX.1', 1004)).toBe(false);
  });
  it('expires', () => {
    const t = new ResponsePermissionTracker({ max: 5, expires: 100 });
    t.onDeliveredWithReply('r', 1000);
    expect(t.canPublishResponse('r', 1100)).toBe(true);
    expect(t.canPublishResponse('r', 1101)).toBe(false);
    expect(t.canPublishResponse('r', 1000)).toBe(false); // entry removed
  });
  it('defaults (0 -> max 1, 2 minutes) and negative = unlimited', () => {
    const c = new CompiledPermissions(perms(null, null, { max: 0, expires: 0 }));
    expect(c.response).toEqual({ max: 1, expires: DEFAULT_ALLOW_RESPONSE_EXPIRATION_MS });
    const u = new CompiledPermissions(perms(null, null, { max: -1, expires: -1 })).forConnection();
    u.onDeliveredWithReply('r', 0);
    for (let i = 0; i < 100; i++) expect(u.canPublish('r', 10 ** 9)).toBe(true);
  });
  it('keeps an explicit publish allow list', () => {
    const c = new CompiledPermissions(perms({ allow: ['ok.>'] }, null, { max: 1, expires: 1000 })).forConnection();
    expect(c.canPublish('ok.1')).toBe(true);
    expect(c.canPublish('no')).toBe(false);
    c.onDeliveredWithReply('no', 0);
    expect(c.canPublish('no', 1)).toBe(true);
  });
  it('prunes used-up and expired entries', () => {
    const t = new ResponsePermissionTracker({ max: 1, expires: 10 });
    t.onDeliveredWithReply('a', 0);
    t.onDeliveredWithReply('b', 0);
    t.canPublishResponse('a', 1);
    t.onDeliveredWithReply('c', 100);
    t.prune(100);
    expect(t.size).toBe(1);
  });
});

describe('caches stay bounded', () => {
  it('publish cache', () => {
    const c = new CompiledPermissions(perms({ allow: ['a.*'] })).forConnection();
    for (let i = 0; i < PUB_CACHE_MAX * 3; i++) expect(c.canPublish(`a.${i}`)).toBe(true);
    expect((c as unknown as { pubCache: Map<string, boolean> }).pubCache.size).toBeLessThanOrEqual(PUB_CACHE_MAX);
    expect(c.canPublish('b.1')).toBe(false);
  });
});

describe('compilePermissions', () => {
  it('null for no permissions or nothing restricted', () => {
    expect(compilePermissions(null)).toBeNull();
    expect(compilePermissions(perms({ allow: [], deny: [] }, { allow: null }))).toBeNull();
  });
  it('skips invalid entries instead of throwing', () => {
    const c = compilePermissions(perms({ allow: ['a..b', 'ok'] }, { allow: ['x y z', 'fine'] }))!.forConnection();
    expect(c.canPublish('ok')).toBe(true);
    expect(c.canPublish('a..b')).toBe(false);
    expect(c.canSubscribe('fine')).toBe(true);
  });
  it('UTF-8 subjects in config match latin1 wire subjects', () => {
    const c = compilePermissions(perms({ allow: ['café.>'] }))!.forConnection();
    const wire = Buffer.from('café.x', 'utf8').toString('latin1');
    expect(c.canPublish(wire)).toBe(true);
  });
});

describe('violation texts (Go %q)', () => {
  it('match nats-server', () => {
    expect(pubViolationText('a.b')).toBe('Permissions Violation for Publish to "a.b"');
    expect(subViolationText('foo.x', 'v2')).toBe('Permissions Violation for Subscription to "foo.x" using queue "v2"');
    expect(subViolationText('>', null)).toBe('Permissions Violation for Subscription to ">"');
  });
});
