// Accounts, exports and imports (auth.md §8). Error texts were checked with
// `nats-server -c x.conf -t` (2.9.10); nats-server reports them at the `accounts` block position.
import { createAccount } from 'nkeys.js';
import { describe, expect, it } from 'vitest';
import { AuthEngine } from './engine.js';
import { makeAccount, makeOperator, pubOf } from './jwt.test-util.js';
import { account, baseOptions, NOW, user } from './options.test-util.js';
import { applyTransform, compileTransform } from './subjects.js';

function build(accounts: ReturnType<typeof account>[]) {
  return AuthEngine.create(baseOptions({ accounts }));
}
const stream = (subject: string, accounts: string[] | null = null) => ({ kind: 'stream' as const, subject, accounts });
const service = (subject: string, accounts: string[] | null = null) => ({
  kind: 'service' as const,
  subject,
  accounts,
  response_type: 'single' as const,
  threshold: null,
});
const simp = (acc: string, subject: string, over: { prefix?: string; to?: string } = {}) => ({
  kind: 'stream' as const,
  account: acc,
  subject,
  prefix: over.prefix ?? null,
  to: over.to ?? null,
});
const vimp = (acc: string, subject: string, to: string | null = null) => ({
  kind: 'service' as const,
  account: acc,
  subject,
  to,
});

describe('config accounts', () => {
  it('the live 2.9.10 error set (acc1.conf)', () => {
    const r = build([
      account('A', {
        users: [user('a', 'a')],
        exports: [stream('private.>', ['B']), stream('events.>'), service('svc.>')],
      }),
      account('B', {
        users: [user('b', 'b')],
        imports: [simp('A', 'private.>'), simp('A', 'events.a.*', { prefix: 'fromA' }), vimp('A', 'svc.echo', 'echo')],
      }),
      account('C', {
        users: [user('c', 'c')],
        imports: [
          simp('A', 'private.>'),
          simp('X', 'foo'),
          vimp('A', 'nosvc'),
          simp('A', 'events.>', { prefix: 'a.*' }),
        ],
      }),
    ]);
    expect(r.errors.map((e) => e.message)).toEqual([
      'Error adding stream import "private.>": stream import not authorized',
      '"X" account not defined for stream import',
      'Error adding stream import "events.>": stream import prefix can not contain wildcard tokens',
      'Error adding service import "nosvc": service import not authorized',
    ]);
  });

  it('resolves routable imports', () => {
    const r = build([
      account('A', { exports: [stream('private.>', ['B']), stream('events.>'), service('svc.>')] }),
      account('B', {
        imports: [
          simp('A', 'private.>'),
          simp('A', 'events.a.*', { prefix: 'fromA' }),
          vimp('A', 'svc.echo', 'echo'),
          vimp('A', 'svc.x'),
        ],
      }),
    ]);
    expect(r.errors).toEqual([]);
    const b = r.engine!.accounts.get('B')!;
    expect(b.streamImports.map((s) => [s.account, s.from, s.to, s.usePub])).toEqual([
      ['A', 'private.>', 'private.>', true],
      ['A', 'events.a.*', 'fromA.events.a.*', false],
    ]);
    const t = b.streamImports[1]!.transform!;
    expect(applyTransform(t, 'events.a.z')).toBe('fromA.events.a.z');
    expect(b.serviceImports.map((s) => [s.account, s.from, s.to, s.responseType])).toEqual([
      ['A', 'echo', 'svc.echo', 'single'],
      ['A', 'svc.x', 'svc.x', 'single'],
    ]);
    expect(r.engine!.accounts.importersOf('A').map((a) => a.name)).toEqual(['B']);
  });

  it('cycles (acc2.conf / acc3.conf)', () => {
    const s = build([
      account('A', { exports: [stream('x.>')], imports: [simp('B', 'x.>')] }),
      account('B', { exports: [stream('x.>')], imports: [simp('A', 'x.>')] }),
    ]);
    expect(s.errors.map((e) => e.message)).toEqual(['Error adding stream import "x.>": import forms a cycle']);
    const v = build([
      account('A', { exports: [service('q')], imports: [vimp('B', 'q')] }),
      account('B', { exports: [service('q')], imports: [vimp('A', 'q')] }),
    ]);
    expect(v.errors.map((e) => e.message)).toEqual(['Error adding service import "q": import forms a cycle']);
  });

  it('mapped stream imports with wildcards (acc4.conf)', () => {
    const r = build([
      account('A', { exports: [stream('e.*.>')] }),
      account('B', { imports: [simp('A', 'e.*.>', { to: 'b.$1.>' })] }),
      account('C', { imports: [simp('A', 'e.*.>', { to: 'c.*.>' }), simp('A', 'e.*.>', { to: 'd.>' })] }),
    ]);
    expect(r.errors.map((e) => e.message)).toEqual([
      'Error adding stream import "e.*.>": failed to create mapping transform for stream import subject "e.*.>" to "d.>": invalid mapping destination: not using all of the token wildcard(s) in d.>',
    ]);
    expect(r.engine).toBeNull();
    const ok = build([
      account('A', { exports: [stream('e.*.>')] }),
      account('B', { imports: [simp('A', 'e.*.>', { to: 'b.$1.>' })] }),
    ]);
    const imp = ok.engine!.accounts.get('B')!.streamImports[0]!;
    expect(imp.to).toBe('b.*.>');
    expect(applyTransform(imp.transform!, 'e.k.x.y')).toBe('b.k.x.y');
  });

  it('reserved, duplicate and undefined account names', () => {
    expect(build([account('$G')]).errors.map((e) => e.message)).toEqual(['"$G" is a Reserved Account']);
    expect(build([account('A'), account('A')]).errors.map((e) => e.message)).toEqual(['Duplicate Account Entry: A']);
    expect(build([account('A', { exports: [stream('x', ['Z'])] })]).errors.map((e) => e.message)).toEqual([
      '"Z" account not defined for stream export',
    ]);
  });

  it('users must be unique across accounts', () => {
    const r = build([account('A', { users: [user('u', 'x')] }), account('B', { users: [user('u', 'y')] })]);
    expect(r.errors.map((e) => e.message)).toEqual(['Duplicate user "u" detected']);
  });

  it('a configured $SYS becomes the system account; system_account picks another; the only-system-account rule', () => {
    const r = build([account('$SYS', { users: [user('admin', 'x')] })]);
    expect(r.engine!.accounts.systemAccount).toBe('$SYS');
    const r2 = AuthEngine.create(
      baseOptions({ accounts: [account('SYS', { users: [user('admin', 'x')] })], system_account: 'SYS' }),
    );
    const e = r2.engine!;
    expect(e.accounts.systemAccount).toBe('SYS');
    // server.go: only the system account configured -> hidden no-auth user in $G; INFO keeps auth_required.
    expect(e.systemOnlyNoAuthUser).toBe('nats-sysonly');
    expect(e.userNames()).toEqual(['admin']);
    expect(e.infoAuthRequired()).toBe(true);
    const anon = e.authenticate({ kind: 0, connect: {}, nonce: null, tlsPeer: null, remoteAddress: '', now: NOW });
    expect(anon.ok && anon.principal.account).toBe('$G');
    expect(
      e.authenticate({
        kind: 0,
        connect: { user: 'admin', pass: 'x' },
        nonce: null,
        tlsPeer: null,
        remoteAddress: '',
        now: NOW,
      }).ok,
    ).toBe(true);
    const missing = AuthEngine.create(baseOptions({ system_account: 'NOPE' }));
    expect(missing.errors.map((x) => x.message)).toEqual(['error resolving system account: account missing']);
    expect(AuthEngine.create(baseOptions({ no_system_account: true })).engine!.accounts.systemAccount).toBeNull();
  });
});

describe('JWT accounts', () => {
  it('exports/imports between preloaded accounts, with activation tokens for private exports', async () => {
    const { operator, operatorJwt } = makeOperator();
    const expKp = createAccount();
    const impKp = createAccount();
    const { encodeJwt } = await import('./jwt.test-util.js');
    const activation = encodeJwt(
      { sub: pubOf(impKp), nats: { type: 'activation', version: 2, subject: 'priv.>', kind: 'stream' } },
      expKp,
    );
    const exporter = makeAccount(
      operator,
      {
        exports: [
          { subject: 'pub.>', type: 'stream' },
          { subject: 'priv.>', type: 'stream', token_req: true },
          { subject: 'svc.*', type: 'service', response_type: 'Stream' },
        ],
      },
      {},
      expKp,
    );
    const importer = makeAccount(
      operator,
      {
        imports: [
          { subject: 'pub.>', account: pubOf(expKp), type: 'stream', local_subject: 'in.>' },
          { subject: 'priv.>', account: pubOf(expKp), type: 'stream', token: activation },
          { subject: 'priv2.>', account: pubOf(expKp), type: 'stream' },
          { subject: 'svc.x', account: pubOf(expKp), type: 'service', local_subject: 'my.svc' },
        ],
      },
      {},
      impKp,
    );
    const r = AuthEngine.create(
      baseOptions({
        operator: [operatorJwt],
        resolver: { type: 'MEMORY', url: null, dir: null },
        resolver_preload: { [exporter.pub]: exporter.jwt, [importer.pub]: importer.jwt },
      }),
    );
    expect(r.errors).toEqual([]);
    const imp = r.engine!.accounts.get(importer.pub)!;
    expect(imp.streamImports.map((s) => [s.from, s.to])).toEqual([
      ['pub.>', 'in.>'],
      ['priv.>', 'priv.>'],
    ]);
    expect(imp.serviceImports.map((s) => [s.from, s.to, s.responseType])).toEqual([['my.svc', 'svc.x', 'stream']]);
    expect(imp.incomplete).toBe(true);
    expect(r.warnings.map((w) => w.message).join('\n')).toMatch(/priv2\.>.*stream import not authorized/);
  });
});

describe('subject transforms', () => {
  it('nats-server newTransform rules', () => {
    expect(compileTransform('a.*', 'b.>')).toBe('invalid subject');
    expect(compileTransform('a.*.*', 'b.$2')).toBe(
      'invalid mapping destination: not using all of the token wildcard(s) in b.$2',
    );
    expect(compileTransform('a.*', 'b.$2')).toBe('invalid mapping destination: wildcard index out of range in $2: [2]');
    expect(compileTransform('a.*', 'b.{{partition(3,1)}}')).toBe(
      'invalid mapping destination: unknown function in {{partition(3,1)}}',
    );
    const t = compileTransform('a.*.*.>', 'x.$2.{{wildcard(1)}}.>');
    expect(typeof t).toBe('object');
    if (typeof t === 'object') {
      expect(t.to).toBe('x.*.*.>');
      expect(applyTransform(t, 'a.1.2.3.4')).toBe('x.2.1.3.4');
    }
    const lit = compileTransform('a.b', 'c.d');
    expect(typeof lit === 'object' && applyTransform(lit, 'a.b')).toBe('c.d');
  });
});
