// Config-mode authentication: auth.md §1–§3 and §5, order of checks (§2), failure reasons and log lines.
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { ConnKind } from './conn-kind.js';
import { AuthEngine } from './engine.js';
import { AuthFailureCode } from './errors.js';
import { account, auth, baseOptions, ctx, perms, user, websocket } from './options.test-util.js';
import { clearBcryptCache } from './password.js';
import type { AuthResult } from './principal.js';

function engineOf(over: Parameters<typeof baseOptions>[0]): AuthEngine {
  const r = AuthEngine.create(baseOptions(over));
  expect(r.errors).toEqual([]);
  return r.engine!;
}

function failure(r: AuthResult) {
  if (r.ok) throw new Error('expected failure');
  return r.failure;
}
function principal(r: AuthResult) {
  if (!r.ok) throw new Error(`expected success, got ${r.failure.code}: ${r.failure.reason}`);
  return r.principal;
}

describe('auth not required (auth.md §1)', () => {
  const e = engineOf({});
  it('accepts any CONNECT, ignores credentials, binds to $G', () => {
    expect(e.authRequired()).toBe(false);
    expect(e.infoAuthRequired()).toBe(false);
    expect(e.nonceRequired()).toBe(false);
    const p = principal(e.authenticate(ctx({ user: 'x', pass: 'y', auth_token: 'z' })));
    expect(p.account).toBe('$G');
    expect(p.permissions).toBeNull();
    expect(p.method).toBe('none');
    expect(p.logLabel).toBe('User "N/A"');
  });
  it('still refuses account / new_account in CONNECT (client.go processConnect)', () => {
    expect(failure(e.authenticate(ctx({ account: 'A' }))).code).toBe(AuthFailureCode.ACCOUNT_IN_CONNECT);
    expect(failure(e.authenticate(ctx({ new_account: true }))).code).toBe(AuthFailureCode.ACCOUNT_IN_CONNECT);
    expect(failure(e.authenticate(ctx({ account: 'A' }))).log).toBe('authentication error');
    // An empty account string is not a designation.
    expect(e.authenticate(ctx({ account: '' })).ok).toBe(true);
  });
  it('limits default to the server max_payload and unlimited subscriptions', () => {
    const p = principal(e.authenticate(ctx({})));
    expect(p.limits).toEqual({ maxPayload: 1048576, maxSubscriptions: -1, maxData: -1 });
  });
});

describe('token (auth.md §3, §2.8)', () => {
  const e = engineOf({ authorization: auth({ token: 's3cret' }) });
  it('requires auth and accepts the right token', () => {
    expect(e.authRequired()).toBe(true);
    expect(e.infoAuthRequired()).toBe(true);
    expect(principal(e.authenticate(ctx({ auth_token: 's3cret' }))).method).toBe('token');
  });
  it('refuses a wrong or missing token', () => {
    for (const t of ['s3cre', 's3cret ', '', 'S3CRET']) {
      const f = failure(e.authenticate(ctx({ auth_token: t })));
      expect(f.code).toBe(AuthFailureCode.BAD_TOKEN);
      expect(f.log).toBe('authentication error');
    }
    expect(failure(e.authenticate(ctx({}))).code).toBe(AuthFailureCode.BAD_TOKEN);
  });
  it('ignores user/pass when a token is configured', () => {
    expect(failure(e.authenticate(ctx({ user: 's3cret', pass: 's3cret' }))).code).toBe(AuthFailureCode.BAD_TOKEN);
  });
  it('accepts a bcrypt token', () => {
    const hash = bcrypt.hashSync('tok', 4);
    const e2 = engineOf({ authorization: auth({ token: hash }) });
    expect(e2.authenticate(ctx({ auth_token: 'tok' })).ok).toBe(true);
    expect(e2.authenticate(ctx({ auth_token: hash })).ok).toBe(false);
  });
});

describe('single user / password', () => {
  const e = engineOf({ authorization: auth({ user: 'derek', password: 'pw' }) });
  it('accepts exact user and password', () => {
    const p = principal(e.authenticate(ctx({ user: 'derek', pass: 'pw' })));
    expect(p.user).toBe('derek');
    expect(p.method).toBe('single_user');
    expect(p.logLabel).toBe('User "derek"');
  });
  it('refuses a wrong user before looking at the password', () => {
    expect(failure(e.authenticate(ctx({ user: 'Derek', pass: 'pw' }))).code).toBe(AuthFailureCode.BAD_USER);
    expect(failure(e.authenticate(ctx({ pass: 'pw' }))).code).toBe(AuthFailureCode.BAD_USER);
  });
  it('refuses a wrong password', () => {
    expect(failure(e.authenticate(ctx({ user: 'derek', pass: 'pw2' }))).code).toBe(AuthFailureCode.BAD_PASSWORD);
    expect(failure(e.authenticate(ctx({ user: 'derek' }))).code).toBe(AuthFailureCode.BAD_PASSWORD);
  });
});

describe('users array (§2.6, §3)', () => {
  const hash = bcrypt.hashSync('bpass', 4);
  const e = engineOf({
    authorization: auth({
      users: [
        user('alice', 'apass', { permissions: perms({ allow: ['a.>'] }) }),
        user('bob', hash),
        user('wsonly', 'w', { allowed_connection_types: ['WEBSOCKET'] }),
        user('ws_lower', 'w', { allowed_connection_types: ['websocket', 'mqtt'] as never[] }),
      ],
    }),
  });
  it('plaintext password user', () => {
    const p = principal(e.authenticate(ctx({ user: 'alice', pass: 'apass' })));
    expect(p.user).toBe('alice');
    expect(p.method).toBe('user');
    expect(p.permissions).not.toBeNull();
    expect(p.permissions!.canPublish('a.b')).toBe(true);
    expect(p.permissions!.canPublish('b')).toBe(false);
  });
  it('bcrypt user (sync and async)', async () => {
    clearBcryptCache();
    expect(e.authenticate(ctx({ user: 'bob', pass: 'bpass' })).ok).toBe(true);
    expect(failure(e.authenticate(ctx({ user: 'bob', pass: 'nope' }))).code).toBe(AuthFailureCode.BAD_PASSWORD);
    clearBcryptCache();
    expect((await e.authenticateAsync(ctx({ user: 'bob', pass: 'bpass' }))).ok).toBe(true);
    expect((await e.authenticateAsync(ctx({ user: 'bob', pass: 'x' }))).ok).toBe(false);
    // The hash itself is not a valid password.
    expect(e.authenticate(ctx({ user: 'bob', pass: hash })).ok).toBe(false);
  });
  it('unknown user fails with the user in the log line', () => {
    const f = failure(e.authenticate(ctx({ user: 'mallory', pass: 'x' })));
    expect(f.code).toBe(AuthFailureCode.UNKNOWN_USER);
    expect(f.log).toBe('authentication error - User "mallory"');
  });
  it('no user at all fails (nothing matched)', () => {
    const f = failure(e.authenticate(ctx({ pass: 'apass' })));
    expect(f.code).toBe(AuthFailureCode.NO_CREDENTIALS);
    expect(f.log).toBe('authentication error - User ""');
  });
  it('allowed_connection_types (§5): case-insensitive, per kind', () => {
    expect(failure(e.authenticate(ctx({ user: 'wsonly', pass: 'w' }))).code).toBe(
      AuthFailureCode.CONNECTION_TYPE_NOT_ALLOWED,
    );
    expect(e.authenticate(ctx({ user: 'wsonly', pass: 'w' }, { kind: ConnKind.WEBSOCKET })).ok).toBe(true);
    const table: [number, boolean][] = [
      [ConnKind.STANDARD, false],
      [ConnKind.WEBSOCKET, true],
      [ConnKind.LEAFNODE, false],
      [ConnKind.LEAFNODE_WS, false],
      [ConnKind.MQTT, true],
      [ConnKind.MQTT_WS, false],
      [ConnKind.IN_PROCESS, false],
    ];
    for (const [kind, ok] of table) {
      expect(e.authenticate(ctx({ user: 'ws_lower', pass: 'w' }, { kind })).ok, `kind ${kind}`).toBe(ok);
    }
    // A user without restrictions connects with every kind.
    for (const [kind] of table) expect(e.authenticate(ctx({ user: 'alice', pass: 'apass' }, { kind })).ok).toBe(true);
  });
  it('checks the connection type before the password', () => {
    expect(failure(e.authenticate(ctx({ user: 'wsonly', pass: 'bad' }))).code).toBe(
      AuthFailureCode.CONNECTION_TYPE_NOT_ALLOWED,
    );
  });
});

describe('no_auth_user (§2.6b, INFO rules §1)', () => {
  const e = engineOf({
    authorization: auth({
      users: [user('anon', 'apw', { permissions: perms({ allow: ['pub.>'] }) }), user('bob', 'bpw')],
    }),
    no_auth_user: 'anon',
  });
  it('omits auth_required from INFO but still requires auth', () => {
    expect(e.authRequired()).toBe(true);
    expect(e.infoAuthRequired()).toBe(false);
  });
  it('a CONNECT without user, pass or token becomes the no_auth_user', () => {
    const p = principal(e.authenticate(ctx({})));
    expect(p.user).toBe('anon');
    expect(p.method).toBe('no_auth_user');
    expect(p.permissions!.canPublish('pub.x')).toBe(true);
  });
  it('credentials still select a real user; a password alone does not use no_auth_user', () => {
    expect(principal(e.authenticate(ctx({ user: 'bob', pass: 'bpw' }))).user).toBe('bob');
    expect(e.authenticate(ctx({ pass: 'apw' })).ok).toBe(false);
    expect(e.authenticate(ctx({ auth_token: 'x' })).ok).toBe(false);
  });
  it('the pre-CONNECT shortcut gives the no_auth_user principal', () => {
    expect(e.preConnectPrincipal()?.user).toBe('anon');
    expect(engineOf({ authorization: auth({ users: [user('a', 'b')] }) }).preConnectPrincipal()).toBeNull();
  });
});

describe('websocket listener overrides (websocket.md §1, §10)', () => {
  it('websocket authorization applies only to websocket clients', () => {
    const e = engineOf({ websocket: websocket({ authorization: auth({ user: 'wsu', password: 'wsp' }) }) });
    const ws = e.listenerFor(ConnKind.WEBSOCKET);
    expect(e.authRequired()).toBe(false);
    expect(e.authRequired(ws)).toBe(true);
    expect(e.infoAuthRequired(ws)).toBe(true);
    expect(e.authenticate(ctx({})).ok).toBe(true);
    expect(e.authenticate(ctx({}, { kind: ConnKind.WEBSOCKET })).ok).toBe(false);
    expect(e.authenticate(ctx({ user: 'wsu', pass: 'wsp' }, { kind: ConnKind.WEBSOCKET })).ok).toBe(true);
  });
  it('cookies fill empty CONNECT fields', () => {
    const e = engineOf({ websocket: websocket({ authorization: auth({ token: 'ctok' }) }) });
    const cookies = { jwt: null, user: null, pass: null, token: 'ctok' };
    expect(e.authenticate(ctx({}, { kind: ConnKind.WEBSOCKET, cookies })).ok).toBe(true);
    // A CONNECT value wins over the cookie.
    expect(e.authenticate(ctx({ auth_token: 'other' }, { kind: ConnKind.WEBSOCKET, cookies })).ok).toBe(false);
  });
  it('websocket no_auth_user overrides the global one and keeps auth_required in the WS INFO', () => {
    const e = engineOf({
      authorization: auth({ users: [user('a', 'apw'), user('w', 'wpw')] }),
      no_auth_user: 'a',
      websocket: websocket({ no_auth_user: 'w' }),
    });
    expect(principal(e.authenticate(ctx({}))).user).toBe('a');
    expect(principal(e.authenticate(ctx({}, { kind: ConnKind.WEBSOCKET }))).user).toBe('w');
    expect(e.infoAuthRequired(e.listenerFor(ConnKind.WEBSOCKET))).toBe(true);
    expect(e.infoAuthRequired()).toBe(false);
  });
  it('a leafnode over websocket uses the websocket no_auth_user', () => {
    const e = engineOf({
      authorization: auth({ users: [user('a', 'apw'), user('w', 'wpw')] }),
      no_auth_user: 'a',
      websocket: websocket({ no_auth_user: 'w' }),
    });
    expect(principal(e.authenticate(ctx({}, { kind: ConnKind.LEAFNODE_WS }))).user).toBe('w');
    expect(principal(e.authenticate(ctx({}, { kind: ConnKind.LEAFNODE }))).user).toBe('a');
  });
  it('auth timeouts', () => {
    const e = engineOf({
      authorization: auth({ token: 't', timeout: 5000 }),
      websocket: websocket({ authorization: auth({ token: 'w', timeout: 1500 }) }),
    });
    expect(e.authTimeoutMs()).toBe(5000);
    expect(e.authTimeoutMs(e.listenerFor(ConnKind.WEBSOCKET))).toBe(1500);
    expect(engineOf({}).authTimeoutMs()).toBe(2000);
  });
});

describe('accounts (§8)', () => {
  const e = engineOf({
    accounts: [
      account('A', {
        users: [user('a', 'a')],
        default_permissions: perms({ deny: ['secret'] }),
        limits: { max_connections: 5, max_subscriptions: 10, max_payload: 512, max_leafnodes: null },
      }),
      account('B', { users: [user('b', 'b', { permissions: perms({ allow: ['x'] }) })] }),
    ],
  });
  it('binds users to their account with account default permissions and limits', () => {
    const a = principal(e.authenticate(ctx({ user: 'a', pass: 'a' })));
    expect(a.account).toBe('A');
    expect(a.permissions!.canPublish('secret')).toBe(false);
    expect(a.permissions!.canPublish('other')).toBe(true);
    expect(a.limits).toEqual({ maxPayload: 512, maxSubscriptions: 10, maxData: -1 });
    expect(a.accountInfo.limits.maxConnections).toBe(5);
    const b = principal(e.authenticate(ctx({ user: 'b', pass: 'b' })));
    expect(b.account).toBe('B');
    expect(b.permissions!.canPublish('x')).toBe(true);
    expect(b.permissions!.canPublish('secret')).toBe(false);
  });
  it('config account limits of 0 are literal (live 2.9.10: INFO max_payload 0, maximum subscriptions exceeded)', () => {
    const z = engineOf({
      accounts: [
        account('Z', {
          users: [user('z', 'z')],
          limits: { max_connections: null, max_subscriptions: 0, max_payload: 0, max_leafnodes: null },
        }),
      ],
    });
    const p = principal(z.authenticate(ctx({ user: 'z', pass: 'z' })));
    expect(p.limits).toEqual({ maxPayload: 0, maxSubscriptions: 0, maxData: -1 });
    expect(p.accountInfo.limits.maxConnections).toBe(-1);
  });
  it('creates $G and the default $SYS system account', () => {
    expect(e.accounts.get('$G')).toBeDefined();
    expect(e.accounts.systemAccount).toBe('$SYS');
    expect(e.accounts.get('$SYS')!.system).toBe(true);
  });
});

describe('malformed CONNECT fields never throw', () => {
  const e = engineOf({ authorization: auth({ users: [user('a', 'a')] }) });
  it('non-string fields are a typed failure', () => {
    for (const bad of [{ user: 1 }, { pass: {} }, { auth_token: [] }, { nkey: true }, { sig: 5 }, { jwt: {} }]) {
      expect(failure(e.authenticate(ctx(bad as never))).code).toBe(AuthFailureCode.BAD_CONNECT_FIELD);
    }
    expect(failure(e.authenticate(ctx(null as never))).code).toBe(AuthFailureCode.BAD_CONNECT_FIELD);
  });
  it('null fields count as absent (Go json null)', () => {
    expect(e.authenticate(ctx({ user: 'a', pass: 'a', nkey: null, jwt: null })).ok).toBe(true);
  });
});
