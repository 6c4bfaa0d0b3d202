// Operator / JWT mode (auth.md §9): start-up rules and the user JWT checks in nats-server order.
// JWTs are built here with nkeys.js (jwt.test-util.ts); one test cross-checks tokens made by the
// official @nats-io/jwt library when it can be imported from conformance/node_modules.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createAccount, createOperator, createUser, type KeyPair } from 'nkeys.js';
import { describe, expect, it } from 'vitest';
import { ConnKind } from './conn-kind.js';
import { type AuthContext, AuthEngine } from './engine.js';
import { AuthFailureCode, AuthProblemCode } from './errors.js';
import { decodeJwt, decodeUserJwt } from './jwt.js';
import { b64url, encodeJwt, makeAccount, makeOperator, makeUser, pubOf, signNonce } from './jwt.test-util.js';
import { account, auth, baseOptions, NOW, user } from './options.test-util.js';
import type { AuthResult } from './principal.js';

const NONCE = 'Zm9vYmFyYmF6cXV';
const NOW_S = Math.floor(NOW / 1000);

function setup(accountNats: Record<string, unknown> = {}, accountClaims: Record<string, unknown> = {}) {
  const trust = makeOperator();
  const acct = makeAccount(trust.operator, accountNats, accountClaims);
  const opts = baseOptions({
    operator: [trust.operatorJwt],
    resolver: { type: 'MEMORY', url: null, dir: null },
    resolver_preload: { [acct.pub]: acct.jwt },
  });
  const r = AuthEngine.create(opts);
  expect(r.errors).toEqual([]);
  return { trust, acct, engine: r.engine!, opts };
}

function connect(
  engine: AuthEngine,
  u: { kp: KeyPair; jwt: string },
  over: Partial<AuthContext> = {},
  sign = true,
): AuthResult {
  return engine.authenticate({
    kind: ConnKind.STANDARD,
    connect: { jwt: u.jwt, sig: sign ? signNonce(u.kp, NONCE) : undefined },
    nonce: NONCE,
    tlsPeer: null,
    remoteAddress: '127.0.0.1',
    now: NOW,
    ...over,
  });
}

function code(r: AuthResult): string {
  return r.ok ? 'OK' : r.failure.code;
}
function reason(r: AuthResult): string {
  return r.ok ? 'OK' : r.failure.reason;
}

describe('operator mode start-up (jwt.go validateTrustedOperators, server.go)', () => {
  const trust = makeOperator();
  const resolver = { type: 'MEMORY' as const, url: null, dir: null };
  const errorsOf = (over: Parameters<typeof baseOptions>[0]) =>
    AuthEngine.create(baseOptions(over)).errors.map((e) => e.message);

  it('requires a resolver', () => {
    expect(errorsOf({ operator: [trust.operatorJwt] })).toContain(
      'operators require an account resolver to be configured',
    );
  });
  it('refuses accounts and users in config', () => {
    expect(errorsOf({ operator: [trust.operatorJwt], resolver, accounts: [account('A')] })).toContain(
      'operators do not allow Accounts to be configured directly',
    );
    expect(
      errorsOf({ operator: [trust.operatorJwt], resolver, authorization: auth({ users: [user('a', 'b')] }) }),
    ).toContain('operators do not allow users to be configured directly');
  });
  it('refuses no_auth_user', () => {
    expect(errorsOf({ operator: [trust.operatorJwt], resolver, no_auth_user: 'x' })).toContain(
      'no_auth_user not compatible with Trusted Operator',
    );
  });
  it('system_account must match the operator JWT', () => {
    const sys = createAccount();
    const op = makeOperator({ system_account: pubOf(sys) });
    const other = createAccount().getPublicKey();
    expect(errorsOf({ operator: [op.operatorJwt], resolver, system_account: other })).toContain(
      'system_account in config and operator JWT must be identical',
    );
  });
  it('system account must be resolvable (live 2.9.10: "error resolving system account: account missing")', () => {
    const sys = createAccount();
    const op = makeOperator({ system_account: pubOf(sys) });
    expect(errorsOf({ operator: [op.operatorJwt], resolver })).toContain(
      'error resolving system account: account missing',
    );
    const sysAcct = makeAccount(op.operator, {}, {}, sys);
    const r = AuthEngine.create(
      baseOptions({ operator: [op.operatorJwt], resolver, resolver_preload: { [sysAcct.pub]: sysAcct.jwt } }),
    );
    expect(r.errors).toEqual([]);
    expect(r.engine!.accounts.systemAccount).toBe(pubOf(sys));
    expect(r.engine!.accounts.get(pubOf(sys))!.system).toBe(true);
  });
  it('bad operator JWT and bad trusted keys', () => {
    expect(errorsOf({ operator: ['eyJnot.a.jwt'], resolver })[0]).toMatch(/^error parsing operator JWT: /);
    expect(errorsOf({ trusted_keys: ['OABC'] })).toContain(
      'trust key "OABC" required to be a valid public operator nkey',
    );
  });
  it('decorated operator files are accepted', () => {
    const decorated = `-----BEGIN NATS OPERATOR JWT-----\n${trust.operatorJwt}\n------END NATS OPERATOR JWT------\n`;
    expect(AuthEngine.create(baseOptions({ operator: [decorated], resolver })).errors).toEqual([]);
  });
  it('unsupported resolvers are reported; preloads must decode', () => {
    expect(
      errorsOf({ operator: [trust.operatorJwt], resolver: { type: 'URL', url: 'http://x', dir: null } })[0],
    ).toMatch(/not supported/);
    const k = createAccount().getPublicKey();
    expect(errorsOf({ operator: [trust.operatorJwt], resolver, resolver_preload: { [k]: 'garbage' } })[0]).toBe(
      `preload account error for "${k}": expected 3 chunks`,
    );
  });
  it('auth required, nonce, jwt cookie allowed only here', () => {
    const { engine } = setup();
    expect(engine.authRequired()).toBe(true);
    expect(engine.infoAuthRequired()).toBe(true);
    expect(engine.nonceRequired()).toBe(true);
  });
  it('assert_server_version above 2.9.10 is refused', () => {
    const op = makeOperator({ assert_server_version: '2.10.0' });
    expect(errorsOf({ operator: [op.operatorJwt], resolver })[0]).toMatch(
      /expected minor version 10 > server minor version 9/,
    );
  });
});

describe('user JWT authentication', () => {
  it('succeeds with a signed nonce; account = public key; unlimited limits are capped by the server', () => {
    const { engine, acct } = setup();
    const u = makeUser(acct.kp, { tags: ['a:b'] }, { name: 'alice' });
    const r = connect(engine, u);
    expect(code(r)).toBe('OK');
    if (!r.ok) return;
    expect(r.principal.account).toBe(acct.pub);
    expect(r.principal.nkey).toBe(u.pub);
    expect(r.principal.method).toBe('jwt');
    expect(r.principal.limits).toEqual({ maxPayload: 1048576, maxSubscriptions: -1, maxData: -1 });
    expect(r.principal.jwt?.name).toBe('alice');
    expect(r.principal.jwt?.tags).toEqual(['a:b']);
    expect(r.principal.expiresAt).toBeNull();
    expect(r.principal.logLabel).toBe(`JWT User "${u.pub}"`);
    expect(r.principal.permissions).toBeNull();
  });
  it('a user JWT without subs/payload means zero (auth.md §9 quirk)', () => {
    const { engine, acct } = setup();
    const u = makeUser(acct.kp, { subs: undefined, payload: undefined, data: undefined });
    const r = connect(engine, u);
    expect(r.ok && r.principal.limits).toEqual({ maxPayload: 0, maxSubscriptions: 0, maxData: 0 });
  });
  it('an account JWT without limits has zero connections (live 2.9.10: maximum account active connections exceeded)', () => {
    const { engine, acct } = setup({ limits: undefined });
    const r = connect(engine, makeUser(acct.kp));
    expect(r.ok && r.principal.accountInfo.limits.maxConnections).toBe(0);
    expect(r.ok && r.principal.limits.maxSubscriptions).toBe(0);
  });
  it('limits: min(user, account, server)', () => {
    const { engine, acct } = setup({
      limits: { subs: 10, payload: 2000, data: -1, conn: -1, leaf: -1, imports: -1, exports: -1 },
    });
    const r = connect(engine, makeUser(acct.kp, { subs: 50, payload: 100 }));
    expect(r.ok && r.principal.limits).toEqual({ maxPayload: 100, maxSubscriptions: 10, maxData: -1 });
  });
  it('permissions from the JWT, else the account default', () => {
    const { engine, acct } = setup({ default_permissions: { pub: { deny: ['secret.>', 'ok.secret'] } } });
    const a = connect(
      engine,
      makeUser(acct.kp, { pub: { allow: ['ok.>'] }, sub: { allow: ['in.*'] }, resp: { max: 1, ttl: 5e9 } }),
    );
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const p = a.principal.permissions!;
    expect(p.canPublish('ok.1')).toBe(true);
    // The JWT's own permissions replace the account default entirely.
    expect(p.canPublish('ok.secret')).toBe(true);
    expect(p.canPublish('secret.1')).toBe(false);
    expect(p.canSubscribe('in.x')).toBe(true);
    expect(p.canSubscribe('out')).toBe(false);
    expect(p.compiled.response).toEqual({ max: 1, expires: 5000 });
    const b = connect(engine, makeUser(acct.kp));
    expect(b.ok && b.principal.permissions?.canPublish('secret.1')).toBe(false);
    expect(b.ok && b.principal.permissions?.canPublish('other')).toBe(true);
  });

  describe('failures, in nats-server order', () => {
    const { engine, acct, trust } = setup();
    it('no JWT', () => {
      const r = engine.authenticate({
        kind: 0,
        connect: { user: 'x' },
        nonce: NONCE,
        tlsPeer: null,
        remoteAddress: '1.2.3.4',
        now: NOW,
      });
      expect(code(r)).toBe(AuthFailureCode.JWT_REQUIRED);
      expect(reason(r)).toBe('Authentication requires a user JWT');
      expect(r.ok ? '' : r.failure.log).toBe('authentication error');
    });
    it('malformed JWTs are a typed failure', () => {
      const u = makeUser(acct.kp);
      const [h, c, s] = u.jwt.split('.') as [string, string, string];
      const bad = [
        'garbage',
        'a.b',
        `${h}.${c}.${s}.x`,
        `${b64url('{"typ":"JWT","alg":"HS256"}')}.${c}.${s}`,
        `${b64url('{"typ":"JOSE","alg":"ed25519-nkey"}')}.${c}.${s}`,
        `${b64url('[1]')}.${c}.${s}`,
        `${h}.${b64url('not json')}.${s}`,
        `${h}.${b64url('{"nats":{"type":"user","version":3}}')}.${s}`,
        `${h}.${c}.${s.slice(0, -4)}AAAA`,
        `${h}.${c}.!!!`,
        `${h}.${c.slice(0, -1)}`,
        'x'.repeat(2 * 1024 * 1024),
      ];
      for (const t of bad) {
        const r = connect(engine, { kp: u.kp, jwt: t });
        expect(code(r), t.slice(0, 60)).toBe(AuthFailureCode.JWT_INVALID);
        expect(reason(r)).toMatch(/^User JWT not valid: /);
      }
      expect(reason(connect(engine, { kp: u.kp, jwt: `${b64url('{"typ":"JWT","alg":"HS256"}')}.${c}.${s}` }))).toBe(
        'User JWT not valid: unexpected "HS256" algorithm',
      );
    });
    it('wrong claim types are a typed failure', () => {
      const types = [
        { exp: 'soon' },
        { iat: 1.5 },
        { nats: { type: 'user', version: 2, subs: '5' } },
        { nats: 5 },
        { sub: 7 },
      ];
      for (const extra of types) {
        const kp = createUser();
        const jwt = encodeJwt({ sub: pubOf(kp), nats: { type: 'user', version: 2 }, ...extra }, acct.kp);
        expect(code(connect(engine, { kp, jwt })), JSON.stringify(extra)).toBe(AuthFailureCode.JWT_INVALID);
      }
    });
    it('an account JWT, or one issued by a user key, is not a user JWT', () => {
      expect(reason(connect(engine, { kp: acct.kp, jwt: acct.jwt }))).toBe('User JWT not valid: not user claim');
      const rogue = createUser();
      const u = makeUser(rogue);
      expect(reason(connect(engine, u))).toBe('User JWT not valid: unable to validate expected prefixes');
    });
    it('expired / not yet valid user JWT', () => {
      const exp = connect(engine, makeUser(acct.kp, {}, { exp: NOW_S - 1 }));
      expect(code(exp)).toBe(AuthFailureCode.JWT_NOT_VALID_NOW);
      expect(reason(exp)).toBe('User JWT no longer valid: claim is expired');
      expect(code(connect(engine, makeUser(acct.kp, {}, { nbf: NOW_S + 60 })))).toBe(AuthFailureCode.JWT_NOT_VALID_NOW);
    });
    it('invalid claims content (bad CIDR, bad time range, bad zone)', () => {
      expect(code(connect(engine, makeUser(acct.kp, { src: ['300.1.1.1/8'] })))).toBe(
        AuthFailureCode.JWT_NOT_VALID_NOW,
      );
      expect(code(connect(engine, makeUser(acct.kp, { times: [{ start: '25:00:00', end: '26:00:00' }] })))).toBe(
        AuthFailureCode.JWT_NOT_VALID_NOW,
      );
      expect(code(connect(engine, makeUser(acct.kp, { times_location: 'Mars/Olympus' })))).toBe(
        AuthFailureCode.JWT_NOT_VALID_NOW,
      );
    });
    it('unknown account', () => {
      const other = createAccount();
      const r = connect(engine, makeUser(other));
      expect(code(r)).toBe(AuthFailureCode.ACCOUNT_NOT_FOUND);
      expect(reason(r)).toBe('Account JWT lookup error: account missing');
    });
    it('signing key without issuer_account is not known; with it, it works', () => {
      const sk = createAccount();
      const e2 = setup({ signing_keys: [pubOf(sk)] });
      const bad = connect(e2.engine, makeUser(sk));
      expect(code(bad)).toBe(AuthFailureCode.ACCOUNT_NOT_FOUND);
      const good = connect(e2.engine, makeUser(sk, { issuer_account: e2.acct.pub }));
      expect(code(good)).toBe('OK');
      expect(good.ok && good.principal.account).toBe(e2.acct.pub);
      // A key that is not a signing key of the account.
      const stranger = createAccount();
      const r = connect(e2.engine, makeUser(stranger, { issuer_account: e2.acct.pub }));
      expect(code(r)).toBe(AuthFailureCode.ISSUER_NOT_KNOWN);
      expect(reason(r)).toBe('User JWT issuer is not known');
    });
    it('missing or wrong nonce signature; bearer skips it', () => {
      const u = makeUser(acct.kp);
      expect(reason(connect(engine, u, {}, false))).toBe('Signature missing');
      const other = createUser();
      expect(reason(connect(engine, { kp: other, jwt: u.jwt }))).toBe('Signature not verified');
      const bearer = makeUser(acct.kp, { bearer_token: true });
      expect(code(connect(engine, bearer, {}, false))).toBe('OK');
    });
    it('the nonce is verified with the JWT subject as any nkey (nkeys FromPublicKey)', () => {
      const garbage = {
        kp: createUser(),
        jwt: encodeJwt({ sub: 'not-a-key', nats: { type: 'user', version: 2 } }, acct.kp),
      };
      expect(reason(connect(engine, garbage))).toBe('User nkey not valid: nkeys: invalid public key');
      const akp = createAccount();
      const asSub = { kp: akp, jwt: encodeJwt({ sub: pubOf(akp), nats: { type: 'user', version: 2 } }, acct.kp) };
      expect(code(connect(engine, asSub))).toBe('OK');
    });
    it('bearer refused when the account disallows it', () => {
      const e2 = setup({
        limits: {
          subs: -1,
          payload: -1,
          data: -1,
          conn: -1,
          leaf: -1,
          imports: -1,
          exports: -1,
          disallow_bearer: true,
        },
      });
      const r = connect(e2.engine, makeUser(e2.acct.kp, { bearer_token: true }), {}, false);
      expect(code(r)).toBe(AuthFailureCode.BEARER_NOT_ALLOWED);
    });
    it('revocations: per user and "*", at or after iat', () => {
      const kp = createUser();
      const e2 = setup({ revocations: { [pubOf(kp)]: NOW_S - 100 } });
      const old = makeUser(e2.acct.kp, {}, { iat: NOW_S - 200 }, kp);
      expect(code(connect(e2.engine, old))).toBe(AuthFailureCode.USER_REVOKED);
      const atTime = makeUser(e2.acct.kp, {}, { iat: NOW_S - 100 }, kp);
      expect(code(connect(e2.engine, atTime))).toBe(AuthFailureCode.USER_REVOKED);
      const fresh = makeUser(e2.acct.kp, {}, { iat: NOW_S - 50 }, kp);
      expect(code(connect(e2.engine, fresh))).toBe('OK');
      const e3 = setup({ revocations: { '*': NOW_S - 100 } });
      expect(code(connect(e3.engine, makeUser(e3.acct.kp, {}, { iat: NOW_S - 101 })))).toBe(
        AuthFailureCode.USER_REVOKED,
      );
      expect(code(connect(e3.engine, makeUser(e3.acct.kp, {}, { iat: NOW_S - 99 })))).toBe('OK');
    });
    it('src CIDRs (IPv4, IPv6, v4-mapped, comma string)', () => {
      const u = makeUser(acct.kp, { src: ['192.168.1.0/24', '2001:db8::/32'] });
      const at = (ip: string) => code(connect(engine, u, { remoteAddress: ip }));
      expect(at('192.168.1.77')).toBe('OK');
      expect(at('::ffff:192.168.1.77')).toBe('OK');
      expect(at('192.168.2.1')).toBe(AuthFailureCode.SOURCE_NOT_ALLOWED);
      expect(at('2001:db8:1::5')).toBe('OK');
      expect(at('2001:db9::5')).toBe(AuthFailureCode.SOURCE_NOT_ALLOWED);
      expect(at('')).toBe(AuthFailureCode.SOURCE_NOT_ALLOWED);
      expect(reason(connect(engine, u, { remoteAddress: '10.0.0.1' }))).toBe('Bad src Ip 10.0.0.1');
      const s = makeUser(acct.kp, { src: '10.0.0.0/8, 127.0.0.1/32' });
      expect(code(connect(engine, s))).toBe('OK');
    });
    it('times: inside, outside, and the connection expires at the end of the range', () => {
      // NOW is 12:00:00 UTC.
      const inside = makeUser(acct.kp, { times: [{ start: '11:00:00', end: '13:00:00' }], times_location: 'UTC' });
      const r = connect(engine, inside);
      expect(code(r)).toBe('OK');
      expect(r.ok && r.principal.expiresAt).toBe(NOW + 3600_000);
      const outside = makeUser(acct.kp, { times: [{ start: '13:00:00', end: '14:00:00' }], times_location: 'UTC' });
      expect(reason(connect(engine, outside))).toBe('Outside connect times');
      // 12:00 UTC is 13:00 in Berlin (winter): 12:30-14:00 Berlin admits.
      const berlin = makeUser(acct.kp, {
        times: [{ start: '12:30:00', end: '14:00:00' }],
        times_location: 'Europe/Berlin',
      });
      expect(code(connect(engine, berlin))).toBe('OK');
      // Crossing midnight: start today, end tomorrow.
      const night = makeUser(acct.kp, { times: [{ start: '11:59:00', end: '01:00:00' }], times_location: 'UTC' });
      const n = connect(engine, night);
      expect(n.ok && n.principal.expiresAt).toBe(NOW + 13 * 3600_000);
    });
    it('exp sets expiresAt (whole seconds), the earlier of exp and the time range wins', () => {
      const u = makeUser(acct.kp, {}, { exp: NOW_S + 30 });
      const r = connect(engine, u, { now: NOW + 400 });
      expect(r.ok && r.principal.expiresAt).toBe(NOW + 400 + 30_000);
      const both = makeUser(
        acct.kp,
        { times: [{ start: '11:00:00', end: '12:00:10' }], times_location: 'UTC' },
        { exp: NOW_S + 60 },
      );
      const b = connect(engine, both);
      expect(b.ok && b.principal.expiresAt).toBe(NOW + 10_000);
    });
    it('connection types: unknown dropped, none left -> refused', () => {
      const ws = makeUser(acct.kp, { allowed_connection_types: ['WEBSOCKET', 'FOO'] });
      expect(code(connect(engine, ws))).toBe(AuthFailureCode.CONNECTION_TYPE_NOT_ALLOWED);
      expect(code(connect(engine, ws, { kind: ConnKind.WEBSOCKET }))).toBe('OK');
      const unknown = makeUser(acct.kp, { allowed_connection_types: ['FOO'] });
      const r = connect(engine, unknown, { kind: ConnKind.WEBSOCKET });
      expect(code(r)).toBe(AuthFailureCode.CONNECTION_TYPES_UNKNOWN);
      expect(reason(r)).toBe('invalid connection types ["FOO"]');
      const lower = makeUser(acct.kp, { allowed_connection_types: ['standard'] });
      expect(code(connect(engine, lower))).toBe('OK');
    });
    it('account expired / not yet valid / untrusted', () => {
      const e2 = setup({}, { exp: NOW_S - 10 });
      expect(reason(connect(e2.engine, makeUser(e2.acct.kp)))).toBe('Account JWT has expired');
      const e3 = setup({}, { nbf: NOW_S + 100 });
      expect(code(connect(e3.engine, makeUser(e3.acct.kp)))).toBe(AuthFailureCode.ACCOUNT_NOT_TRUSTED);
      // Preloaded account signed by another operator: kept out, lookups fail validation.
      const rogueOp = createOperator();
      const rogue = makeAccount(rogueOp);
      const opts = baseOptions({
        operator: [trust.operatorJwt],
        resolver: { type: 'MEMORY', url: null, dir: null },
        resolver_preload: { [rogue.pub]: rogue.jwt },
      });
      const built = AuthEngine.create(opts);
      expect(built.errors).toEqual([]);
      expect(built.warnings.some((w) => w.code === AuthProblemCode.PRELOAD_WARNING)).toBe(true);
      expect(reason(connect(built.engine!, makeUser(rogue.kp)))).toBe(
        'Account JWT lookup error: account validation failed',
      );
    });
    it('account expiry is reported for the server timer', () => {
      const e2 = setup({}, { exp: NOW_S + 500 });
      const r = connect(e2.engine, makeUser(e2.acct.kp));
      expect(r.ok && r.principal.accountExpiresAt).toBe((NOW_S + 500) * 1000);
    });
    it('CONNECT jwt outside operator mode is discarded', () => {
      const e = AuthEngine.create(baseOptions({ authorization: auth({ token: 't' }) })).engine!;
      const u = makeUser(acct.kp);
      expect(
        e.authenticate({ kind: 0, connect: { jwt: u.jwt }, nonce: null, tlsPeer: null, remoteAddress: '', now: NOW })
          .ok,
      ).toBe(false);
      expect(
        e.authenticate({
          kind: 0,
          connect: { jwt: u.jwt, auth_token: 't' },
          nonce: null,
          tlsPeer: null,
          remoteAddress: '',
          now: NOW,
        }).ok,
      ).toBe(true);
    });
    it('JWT from a WebSocket cookie', () => {
      const u = makeUser(acct.kp, { bearer_token: true });
      const r = engine.authenticate({
        kind: ConnKind.WEBSOCKET,
        connect: {},
        cookies: { jwt: u.jwt, user: null, pass: null, token: null },
        nonce: NONCE,
        tlsPeer: null,
        remoteAddress: '127.0.0.1',
        now: NOW,
      });
      expect(code(r)).toBe('OK');
    });
  });

  describe('scoped signing keys', () => {
    const sk = createAccount();
    const scope = {
      kind: 'user_scope',
      key: pubOf(sk),
      role: 'dev',
      template: {
        pub: { allow: ['app.{{name()}}.>', 'tag.{{tag(team)}}'] },
        sub: { allow: ['_INBOX.>', 'acct.{{account-name()}}.>'], deny: ['bad.{{subject()}}'] },
        subs: 5,
        payload: 100,
        data: -1,
      },
    };
    const env = setup({ signing_keys: [scope] }, { name: 'ACME' });
    it('template replaces permissions and limits', () => {
      const u = makeUser(
        sk,
        {
          issuer_account: env.acct.pub,
          tags: ['team:red', 'team:blue'],
          pub: undefined,
          sub: undefined,
          subs: undefined,
          data: undefined,
          payload: undefined,
        },
        { name: 'bob' },
      );
      const r = connect(env.engine, u);
      expect(code(r)).toBe('OK');
      if (!r.ok) return;
      const p = r.principal.permissions!;
      expect(p.canPublish('app.bob.x')).toBe(true);
      expect(p.canPublish('app.alice.x')).toBe(false);
      expect(p.canPublish('tag.red')).toBe(true);
      expect(p.canPublish('tag.blue')).toBe(true);
      expect(p.canPublish('tag.green')).toBe(false);
      expect(p.canSubscribe('acct.ACME.x')).toBe(true);
      expect(p.canSubscribe(`bad.${u.pub}`)).toBe(false);
      expect(r.principal.limits).toEqual({ maxPayload: 100, maxSubscriptions: 5, maxData: -1 });
    });
    it('a scoped user carrying its own permissions is refused', () => {
      const u = makeUser(sk, { issuer_account: env.acct.pub, pub: { allow: ['x'] } });
      const r = connect(env.engine, u);
      expect(code(r)).toBe(AuthFailureCode.SCOPED_USER_INVALID);
      expect(reason(r)).toBe('User JWT is not valid: scoped users require no permissions or limits set');
    });
  });

  it('v1 JWTs (signature over the claims only) are accepted', () => {
    const { engine, acct } = setup();
    const kp = createUser();
    const jwt = encodeJwt({ sub: pubOf(kp), type: 'user', nats: { pub: {}, sub: {} } }, acct.kp, {
      v1Signature: true,
      header: { typ: 'jwt', alg: 'ed25519' },
    });
    const d = decodeUserJwt(jwt);
    expect(d.ok && d.claims.version).toBe(1);
    // v1 limits default to unlimited.
    const r = connect(engine, { kp, jwt });
    expect(code(r)).toBe('OK');
    expect(r.ok && r.principal.limits.maxSubscriptions).toBe(-1);
    // A v2 claim signed v1-style does not verify.
    const bad = encodeJwt({ sub: pubOf(kp), nats: { type: 'user', version: 2 } }, acct.kp, {
      v1Signature: true,
    });
    expect(reason(connect(engine, { kp, jwt: bad }))).toBe(
      'User JWT not valid: claim failed V2 signature verification',
    );
  });
});

describe('tokens from the official @nats-io/jwt library', () => {
  const lib = resolve(import.meta.dirname, '../../../conformance/node_modules/@nats-io/jwt/lib/mod.js');
  // Skipped only when the conformance package's dependencies are not installed.
  it.skipIf(!existsSync(lib))('decode and authenticate', async () => {
    const jwtLib = (await import(lib)) as {
      encodeOperator: (n: string, k: unknown, o?: unknown) => Promise<string>;
      encodeAccount: (n: string, k: unknown, a?: unknown, o?: unknown) => Promise<string>;
      encodeUser: (n: string, u: unknown, i: unknown, d?: unknown) => Promise<string>;
      createOperator: () => KeyPair;
      createAccount: () => KeyPair;
      createUser: () => KeyPair;
    };
    const okp = jwtLib.createOperator();
    const akp = jwtLib.createAccount();
    const ukp = jwtLib.createUser();
    const opJwt = await jwtLib.encodeOperator('O', okp);
    const acJwt = await jwtLib.encodeAccount('A', akp, {}, { signer: okp });
    const uJwt = await jwtLib.encodeUser('U', ukp, akp, { pub: { allow: ['x.>'] } });
    for (const t of [opJwt, acJwt, uJwt]) expect(decodeJwt(t).ok).toBe(true);
    const r = AuthEngine.create(
      baseOptions({
        operator: [opJwt],
        resolver: { type: 'MEMORY', url: null, dir: null },
        resolver_preload: { [pubOf(akp)]: acJwt },
      }),
    );
    expect(r.errors).toEqual([]);
    const res = r.engine!.authenticate({
      kind: 0,
      connect: { jwt: uJwt, sig: signNonce(ukp, NONCE) },
      nonce: NONCE,
      tlsPeer: null,
      remoteAddress: '127.0.0.1',
      now: Date.now(),
    });
    expect(code(res)).toBe('OK');
    expect(res.ok && res.principal.permissions?.canPublish('x.1')).toBe(true);
    expect(res.ok && res.principal.permissions?.canPublish('y')).toBe(false);
  });
});
