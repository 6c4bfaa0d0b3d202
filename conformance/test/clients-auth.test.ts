// Real clients against every target, authenticating the ways applications do: nats.js v2 (`nats`)
// and v3 (`@nats-io/transport-node`) with their authenticators (user/pass, token, nkey, JWT,
// creds), a permission violation surfaced as the library's permissions error, and a user JWT that
// expires while connected surfaced as the library's auth-expired error.
import {
  type Account,
  createAccount,
  createOperator,
  createUser,
  encodeAccount,
  encodeOperator,
  encodeUser,
  fmtCreds,
  type KeyPair,
} from '@nats-io/jwt';
import * as v3 from '@nats-io/transport-node';
import * as v2 from 'nats';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { USER_A, USER_B } from '../cases/fixtures.js';
import { errText } from '../src/clients.js';
import { startTargets, type Target, type TargetKind, targetsFromEnv } from '../src/targets.js';

const TARGETS = targetsFromEnv();
const te = new TextEncoder();
const url = (t: Target): string => `nats://${t.host}:${t.port}`;
const nowSec = (): number => Math.floor(Date.now() / 1000);

// ---- operator, account and users (generated once; nkeys in JS cost ~5 ms a key/signature) ----
const NO_LIMITS = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 };
const op = createOperator();
const sys = createAccount();
const acc = createAccount();
const jwtUser = createUser();
const opJwt = await encodeOperator('OP', op, { system_account: sys.getPublicKey() });
const accountJwt = (name: string, kp: KeyPair, a: Partial<Account> = {}): Promise<string> =>
  encodeAccount(name, kp, { limits: NO_LIMITS, ...a }, { signer: op });
const USER_JWT = await encodeUser('client', jwtUser, acc);
const BEARER_JWT = await encodeUser('bearer', jwtUser, acc, { bearer_token: true });
const LIMITED_JWT = await encodeUser('limited', jwtUser, acc, { pub: { allow: ['ok.>'] }, sub: { allow: ['ok.>'] } });
const OPERATOR_CONF =
  `operator: ${opJwt}\nsystem_account: ${sys.getPublicKey()}\nresolver: MEMORY\nresolver_preload: {\n` +
  `  ${sys.getPublicKey()}: ${await accountJwt('SYS', sys)}\n  ${acc.getPublicKey()}: ${await accountJwt('A', acc)}\n}\n`;
const JWT_SEED = jwtUser.getSeed();

const CONFIGS = {
  userPass: 'authorization { user: alice, password: wonderland }\n',
  token: 'authorization { token: "s3cr3t-t0ken" }\n',
  users: `authorization { users: [
  {nkey: ${USER_A.pub}}
  {user: limited, password: l, permissions: { publish: ["ok.>"], subscribe: ["ok.>", "_INBOX.>"] } }
] }\n`,
  operator: OPERATOR_CONF,
} as const;

// ---- the two client generations behind one small surface ----
interface Conn {
  publish(subject: string, data?: string): void;
  subscribe(subject: string, opts?: { queue?: string }): AsyncIterable<{ subject: string; string(): string }>;
  flush(): Promise<void>;
  close(): Promise<void>;
  closed(): Promise<Error | undefined>;
  isClosed(): boolean;
  status(): AsyncIterable<unknown>;
}

interface PermissionInfo {
  operation: string;
  subject: string;
  queue?: string | undefined;
}

interface AuthLib {
  readonly name: string;
  connect(opts: Record<string, unknown>): Promise<Conn>;
  userPass(user: string, pass: string): unknown;
  token(token: string): unknown;
  nkey(seed: Uint8Array): unknown;
  jwt(jwt: string, seed?: Uint8Array): unknown;
  creds(creds: Uint8Array): unknown;
  isAuthError(err: unknown): boolean;
  /** The permission details when `x` (a status event or an error) is the library's permissions error. */
  permission(x: unknown): PermissionInfo | null;
  /** True when `x` (a status event or an error) is the library's "user authentication expired". */
  isAuthExpired(x: unknown): boolean;
}

const LIBS: readonly AuthLib[] = [
  {
    name: 'nats.js v2',
    connect: async (opts) => (await v2.connect(opts)) as unknown as Conn,
    userPass: (u, p) => v2.usernamePasswordAuthenticator(u, p),
    token: (t) => v2.tokenAuthenticator(t),
    nkey: (seed) => v2.nkeyAuthenticator(seed),
    jwt: (jwt, seed) => v2.jwtAuthenticator(jwt, seed),
    creds: (creds) => v2.credsAuthenticator(creds),
    isAuthError: (e) => (e as { code?: unknown }).code === v2.ErrorCode.AuthorizationViolation,
    permission(x) {
      // A status event {type: 'error', data: 'PERMISSIONS_VIOLATION', permissionContext} or a NatsError.
      const s = x as { type?: string; data?: unknown; code?: unknown; permissionContext?: PermissionInfo };
      const isPerm = s.data === v2.ErrorCode.PermissionsViolation || s.code === v2.ErrorCode.PermissionsViolation;
      return isPerm && s.permissionContext !== undefined ? s.permissionContext : null;
    },
    isAuthExpired(x) {
      const s = x as { data?: unknown; code?: unknown };
      return s.data === v2.ErrorCode.AuthenticationExpired || s.code === v2.ErrorCode.AuthenticationExpired;
    },
  },
  {
    name: 'nats.js v3',
    connect: async (opts) => (await v3.connect(opts)) as unknown as Conn,
    userPass: (u, p) => v3.usernamePasswordAuthenticator(u, p),
    token: (t) => v3.tokenAuthenticator(t),
    nkey: (seed) => v3.nkeyAuthenticator(seed),
    jwt: (jwt, seed) => v3.jwtAuthenticator(jwt, seed),
    creds: (creds) => v3.credsAuthenticator(creds),
    isAuthError: (e) => e instanceof v3.errors.AuthorizationError,
    permission(x) {
      const e = (x as { type?: string; error?: unknown }).type === 'error' ? (x as { error: unknown }).error : x;
      return e instanceof v3.errors.PermissionViolationError
        ? { operation: e.operation, subject: e.subject, queue: e.queue }
        : null;
    },
    isAuthExpired(x) {
      const e = (x as { type?: string; error?: unknown }).type === 'error' ? (x as { error: unknown }).error : x;
      return e instanceof v3.errors.UserAuthenticationExpiredError;
    },
  },
];

/** Resolves with the first status event matching `pred`, or rejects after `ms`. */
function statusMatching(nc: Conn, pred: (s: unknown) => boolean, ms: number): Promise<unknown> {
  const seen: string[] = [];
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no matching status in ${ms} ms; saw ${seen.join(', ')}`)), ms);
    t.unref();
    (async () => {
      for await (const s of nc.status()) {
        seen.push(JSON.stringify(s, (_k, v) => (v instanceof Error ? `${v.name}: ${v.message}` : v)));
        if (pred(s)) {
          clearTimeout(t);
          resolve(s);
          return;
        }
      }
    })().catch(reject);
  });
}

describe.each(TARGETS)('%s', (kind: TargetKind) => {
  const servers = {} as Record<keyof typeof CONFIGS, Target>;
  let ready: Promise<void> | null = null;
  // Started on first use (not beforeAll): a target that cannot start fails each test with the error.
  beforeEach(async () => {
    ready ??= startTargets(Object.values(CONFIGS).map((config) => [kind, { config }] as const)).then((ts) => {
      for (const [i, k] of (Object.keys(CONFIGS) as (keyof typeof CONFIGS)[]).entries()) servers[k] = ts[i]!;
    });
    await ready;
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((t) => t.stop()));
  });

  describe.each(LIBS.map((l) => [l.name, l] as const))('%s', (_name: string, lib: AuthLib) => {
    const open: Conn[] = [];
    const conn = async (t: Target, opts: Record<string, unknown>): Promise<Conn> => {
      const nc = await lib.connect({ servers: url(t), reconnect: false, timeout: 3000, ...opts });
      open.push(nc);
      return nc;
    };
    const refusedWith = async (t: Target, opts: Record<string, unknown>): Promise<unknown> => {
      const e = await conn(t, opts).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e, 'connect should have been refused').not.toBeNull();
      return e;
    };
    afterAll(async () => {
      await Promise.all(open.filter((nc) => !nc.isClosed()).map((nc) => nc.close()));
    });

    /** A round trip over the connection proves it is really usable. */
    async function roundTrip(nc: Conn, subject: string): Promise<void> {
      const sub = nc.subscribe(subject);
      await nc.flush();
      nc.publish(subject, 'ping');
      for await (const m of sub) {
        expect(m.string()).toBe('ping');
        break;
      }
    }

    it('usernamePasswordAuthenticator: right credentials work, a wrong password is an auth error', async () => {
      const nc = await conn(servers.userPass, { authenticator: lib.userPass('alice', 'wonderland') });
      await roundTrip(nc, 'ca.up');
      const e = await refusedWith(servers.userPass, { authenticator: lib.userPass('alice', 'nope') });
      expect(lib.isAuthError(e), errText(e)).toBe(true);
    });

    it('tokenAuthenticator: right token works, a wrong token is an auth error', async () => {
      const nc = await conn(servers.token, { authenticator: lib.token('s3cr3t-t0ken') });
      await roundTrip(nc, 'ca.tok');
      const e = await refusedWith(servers.token, { authenticator: lib.token('nope') });
      expect(lib.isAuthError(e), errText(e)).toBe(true);
    });

    it('nkeyAuthenticator: a listed key signs the nonce; an unlisted key is an auth error', async () => {
      const nc = await conn(servers.users, { authenticator: lib.nkey(te.encode(USER_A.seed)) });
      await roundTrip(nc, 'ca.nkey');
      const e = await refusedWith(servers.users, { authenticator: lib.nkey(te.encode(USER_B.seed)) });
      expect(lib.isAuthError(e), errText(e)).toBe(true);
    });

    it('jwtAuthenticator (operator mode): JWT + seed connects; a bearer JWT needs no seed; no seed is refused', async () => {
      const nc = await conn(servers.operator, { authenticator: lib.jwt(USER_JWT, JWT_SEED) });
      await roundTrip(nc, 'ca.jwt');
      const bearer = await conn(servers.operator, { authenticator: lib.jwt(BEARER_JWT) });
      await roundTrip(bearer, 'ca.bearer');
      const e = await refusedWith(servers.operator, { authenticator: lib.jwt(USER_JWT) });
      expect(lib.isAuthError(e), errText(e)).toBe(true);
    });

    it('credsAuthenticator (operator mode): a .creds file connects; another seed is refused', async () => {
      const nc = await conn(servers.operator, { authenticator: lib.creds(fmtCreds(USER_JWT, jwtUser)) });
      await roundTrip(nc, 'ca.creds');
      const e = await refusedWith(servers.operator, {
        authenticator: lib.creds(fmtCreds(USER_JWT, createUser())),
      });
      expect(lib.isAuthError(e), errText(e)).toBe(true);
    });

    it('a subscribe violation reaches the client as its permissions error and ends that subscription', async () => {
      const nc = await conn(servers.users, { user: 'limited', pass: 'l' });
      const status = statusMatching(nc, (s) => lib.permission(s) !== null, 3000);
      const denied = nc.subscribe('secret.stuff');
      const ended = (async () => {
        try {
          for await (const _m of denied) {
            // nothing is delivered on a denied subscription
          }
          return null;
        } catch (e) {
          return e;
        }
      })();
      await nc.flush();
      expect(lib.permission(await status)).toMatchObject({ operation: 'subscription', subject: 'secret.stuff' });
      // Both generations end the subscription's iterator by throwing that same error.
      const end = await ended;
      expect(end, 'the denied subscription should end with an error').not.toBeNull();
      expect(lib.permission(end), errText(end)).toMatchObject({ operation: 'subscription', subject: 'secret.stuff' });
      // The connection stays up and allowed subjects still work.
      await roundTrip(nc, 'ok.after');
      expect(nc.isClosed()).toBe(false);
    });

    it('a publish violation reaches the client as its permissions error; the connection stays up', async () => {
      const nc = await conn(servers.users, { user: 'limited', pass: 'l' });
      const status = statusMatching(nc, (s) => lib.permission(s) !== null, 3000);
      nc.publish('secret.pub', 'x');
      await nc.flush();
      expect(lib.permission(await status)).toMatchObject({ operation: 'publish', subject: 'secret.pub' });
      await roundTrip(nc, 'ok.pub');
    });

    it('JWT permissions (operator mode) surface the same way', async () => {
      const nc = await conn(servers.operator, { authenticator: lib.jwt(LIMITED_JWT, JWT_SEED) });
      const status = statusMatching(nc, (s) => lib.permission(s) !== null, 3000);
      nc.publish('not.ok', 'x');
      await nc.flush();
      expect(lib.permission(await status)).toMatchObject({ operation: 'publish', subject: 'not.ok' });
      await roundTrip(nc, 'ok.jwt');
    });

    it('a user JWT expiring while connected: auth-expired status, then the connection closes with that error', async () => {
      const jwt = await encodeUser('expiring', jwtUser, acc, {}, { exp: nowSec() + 2 });
      const nc = await conn(servers.operator, { authenticator: lib.jwt(jwt, JWT_SEED) });
      await roundTrip(nc, 'ca.exp');
      const status = statusMatching(nc, (s) => lib.isAuthExpired(s), 4000);
      await status;
      const closedWith = await Promise.race([
        nc.closed(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('not closed within 2 s')), 2000).unref()),
      ]);
      expect(lib.isAuthExpired(closedWith), errText(closedWith)).toBe(true);
      expect(nc.isClosed()).toBe(true);
    }, 10_000);
  });
});
