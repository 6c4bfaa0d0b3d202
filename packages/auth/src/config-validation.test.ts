// Start-up validation texts (auth.md §3, §5, config.md §2, websocket.md §1). Texts marked
// "live" were printed by nats-server 2.9.10 for the equivalent config.

import { isStarlingError } from '@starling/errors';
import { createUser } from 'nkeys.js';
import { describe, expect, it } from 'vitest';
import { AuthEngine } from './engine.js';
import { AuthConfigError, AuthProblemCode, formatAuthProblem } from './errors.js';
import { account, auth, baseOptions, nkeyUser, perms, user, websocket } from './options.test-util.js';

const messages = (over: Parameters<typeof baseOptions>[0]) =>
  AuthEngine.create(baseOptions(over)).errors.map((e) => e.message);

describe('authorization block', () => {
  it('user/pass and token (live)', () => {
    expect(messages({ authorization: auth({ user: 'a', password: 'b', token: 'c' }) })).toEqual([
      'Cannot have a user/pass and token',
    ]);
  });
  it('single user or token next to users', () => {
    expect(messages({ authorization: auth({ user: 'a', password: 'b', users: [user('x', 'y')] }) })).toEqual([
      'Can not have a single user/pass and a users array',
    ]);
    expect(messages({ authorization: auth({ token: 't', users: [user('x', 'y')] }) })).toEqual([
      'Can not have a token and a users array',
    ]);
    expect(
      messages({ authorization: auth({ token: 't' }), accounts: [account('A', { users: [user('x', 'y')] })] }),
    ).toEqual(['Can not have a token and accounts']);
    expect(
      messages({
        authorization: auth({ user: 'u', password: 'p' }),
        accounts: [account('A', { users: [user('x', 'y')] })],
      }),
    ).toEqual(['Can not have a single user/pass and accounts']);
  });
  it('user entries', () => {
    const nk = createUser().getPublicKey();
    expect(messages({ authorization: auth({ users: [user(null, 'x')] }) })).toEqual(['User entry requires a user']);
    expect(messages({ authorization: auth({ users: [nkeyUser('UBAD')] }) })).toEqual([
      'Not a valid public nkey for a user',
    ]);
    expect(messages({ authorization: auth({ users: [nkeyUser(nk, { user: 'x' })] }) })).toEqual([
      'Nkey users do not take usernames or passwords',
    ]);
    expect(messages({ authorization: auth({ users: [user('a', 'x'), user('a', 'y')] }) })).toEqual([
      'Duplicate user "a" detected',
    ]);
    expect(messages({ authorization: auth({ users: [nkeyUser(nk), nkeyUser(nk)] }) })).toEqual([
      `Duplicate nkey "${nk}" detected`,
    ]);
  });
  it('unknown connection types (programmatic text, auth.go validateAllowedConnectionTypes)', () => {
    expect(
      messages({ authorization: auth({ users: [user('a', 'b', { allowed_connection_types: ['foo' as never] })] }) }),
    ).toEqual(['unknown connection type "FOO"']);
    // IN_PROCESS is known to Starling ([main]).
    expect(
      messages({ authorization: auth({ users: [user('a', 'b', { allowed_connection_types: ['IN_PROCESS'] })] }) }),
    ).toEqual([]);
  });
  it('invalid permission subjects (live, printed without a position)', () => {
    const r = AuthEngine.create(
      baseOptions({ authorization: auth({ users: [user('a', 'b', { permissions: perms({ allow: ['a..b'] }) })] }) }),
    );
    expect(r.errors.map(formatAuthProblem)).toEqual(['subject "a..b" is not a valid subject']);
    expect(
      messages({
        authorization: auth({ users: [user('a', 'b', { permissions: perms(null, { allow: ['foo q x'] }) })] }),
      }),
    ).toEqual(['subject "foo q x" is not a valid subject']);
    expect(
      messages({
        authorization: auth({ default_permissions: perms({ deny: ['>.x'] }), users: [user('a', 'b'), user('c', 'd')] }),
      }),
    ).toEqual(['subject ">.x" is not a valid subject']);
  });
  it('positions are formatted file:line:col', () => {
    const r = AuthEngine.create(
      baseOptions({
        authorization: auth({ user: 'a', password: 'b', token: 'c', pos: { file: 'x.conf', line: 1, col: 0 } }),
      }),
    );
    expect(r.errors.map(formatAuthProblem)).toEqual(['x.conf:1:0: Cannot have a user/pass and token']);
    expect(r.errors[0]!.stage).toBe('parse');
    expect(r.errors[0]!.code).toBe(AuthProblemCode.USER_AND_TOKEN);
  });
});

describe('accounts', () => {
  it('account nkey must be an account key', () => {
    expect(messages({ accounts: [account('A', { nkey: 'UBAD' })] })).toEqual([
      'Not a valid public nkey for an account: "UBAD"',
    ]);
  });
});

describe('no_auth_user (live 2.9.10 texts)', () => {
  it('without users, unknown user, with operators', () => {
    expect(messages({ no_auth_user: 'x' })).toEqual(['no_auth_user: "x" present, but users are not defined']);
    expect(messages({ no_auth_user: 'x', authorization: auth({ users: [user('a', 'b')] }) })).toEqual([
      'no_auth_user: "x" not present as user in authorization block or account configuration',
    ]);
    expect(
      messages({ websocket: websocket({ no_auth_user: 'zz' }), authorization: auth({ users: [user('a', 'b')] }) }),
    ).toEqual(['no_auth_user: "zz" not present as user in authorization block or account configuration']);
  });
  it('may name a user inside an account', () => {
    expect(messages({ no_auth_user: 'u', accounts: [account('A', { users: [user('u', 'p')] })] })).toEqual([]);
  });
});

describe('websocket block', () => {
  it('listener user/token with users (websocket.go)', () => {
    const users = auth({ users: [user('a', 'b')] });
    expect(
      messages({ authorization: users, websocket: websocket({ authorization: auth({ user: 'w', password: 'p' }) }) }),
    ).toEqual(['websocket authentication username not compatible with presence of users/nkeys']);
    expect(messages({ authorization: users, websocket: websocket({ authorization: auth({ token: 't' }) }) })).toEqual([
      'websocket authentication token not compatible with presence of users/nkeys',
    ]);
  });
  it('jwt_cookie needs operator mode (obs)', () => {
    expect(messages({ websocket: websocket({ jwt_cookie: 'jwt' }) })).toEqual([
      'trusted operators or trusted keys configuration is required for JWT authentication via cookie "jwt"',
    ]);
  });
});

describe('warnings and throwing', () => {
  it('plaintext passwords warning (auth.go checkAuthforWarnings)', () => {
    const r = AuthEngine.create(baseOptions({ authorization: auth({ users: [user('a', 'plain')] }) }));
    expect(r.warnings.map((w) => w.message)).toEqual(['Plaintext passwords detected, use nkeys or bcrypt']);
    const b = AuthEngine.create(
      baseOptions({
        authorization: auth({ users: [user('a', '$2a$04$abcdefghijklmnopqrstuu5yWIYmVV.3cj0I6gKCn9cOLyQJbnZVm')] }),
      }),
    );
    expect(b.warnings).toEqual([]);
  });
  it('createOrThrow throws an AuthConfigError that is a StarlingError', () => {
    let caught: unknown = null;
    try {
      AuthEngine.createOrThrow(baseOptions({ no_auth_user: 'x' }));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AuthConfigError);
    expect(isStarlingError(caught)).toBe(true);
    expect((caught as AuthConfigError).code).toBe(AuthProblemCode.NO_AUTH_USER_WITHOUT_USERS);
    expect(AuthEngine.createOrThrow(baseOptions()).engine).toBeInstanceOf(AuthEngine);
  });
  it('collects several problems at once', () => {
    expect(
      messages({
        authorization: auth({ users: [user('a', 'x'), user('a', 'y'), user(null, null)] }),
        no_auth_user: 'nope',
      }),
    ).toEqual([
      'Duplicate user "a" detected',
      'User entry requires a user',
      'no_auth_user: "nope" not present as user in authorization block or account configuration',
    ]);
  });
});
