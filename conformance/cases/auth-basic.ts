// Auth over plain TCP: user/pass, bcrypt, token, users, nkeys, no_auth_user, first-op rule,
// auth timeout, allowed_connection_types, basic permissions (auth §1–§5, §7; client-protocol §2).
import { fromSeed } from '@nats-io/nkeys';
import { type CaseContext, type CaseGroup, closed, err, expect, info, nothing, send } from '../src/case.js';
import { startTarget } from '../src/targets.js';
import { WireError } from '../src/wire.js';
import { BCRYPT_2A, BCRYPT_2B, USER_A, USER_B } from './fixtures.js';

const AV = 'Authorization Violation';
const USERPASS = 'authorization { user: alice, password: wonderland }\n';
const TOKEN = 'authorization { token: "s3cr3t-t0ken" }\n';
const USERS = 'authorization { users: [ {user: a, password: pa}, {user: b, password: pb} ] }\n';
const NKEYS = `authorization { users: [ {nkey: ${USER_A.pub}} ] }\n`;
const NO_AUTH_USER = 'authorization { users: [ {user: a, password: pa}, {user: b, password: pb} ] }\nno_auth_user: a\n';
const CT = (types: string): string =>
  `authorization { users: [ {user: a, password: pa, allowed_connection_types: ${types}} ] }\n`;

const ok = (name: string, config: string, connect: string, ref = 'auth §2') => ({
  name,
  config,
  ref,
  steps: [info(), send(`CONNECT ${connect}\r\nPING\r\n`), expect('+OK\r\nPONG\r\n')],
});
const denied = (name: string, config: string, connect: string, ref = 'auth §2') => ({
  name,
  config,
  ref,
  steps: [info(), send(`CONNECT ${connect}\r\n`), err(AV), closed()],
});

const te = new TextEncoder();
const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

async function nkeyConnect(ctx: CaseContext, seed: string, pub: string, encode: (sig: Uint8Array) => string) {
  const c = await ctx.connect();
  const { info: i } = await c.expectInfo();
  if (typeof i.nonce !== 'string') throw new WireError('no nonce in INFO');
  const kp = fromSeed(te.encode(seed));
  const sig = encode(kp.sign(te.encode(i.nonce)));
  c.send(`CONNECT ${JSON.stringify({ verbose: true, nkey: pub, sig })}\r\nPING\r\n`);
  return c;
}

export const authBasicGroup: CaseGroup = {
  name: 'auth-basic',
  cases: [
    // ---- single user / password ----
    ok('user/pass: right credentials → +OK', USERPASS, '{"user":"alice","pass":"wonderland"}'),
    denied('user/pass: wrong password → Authorization Violation, close', USERPASS, '{"user":"alice","pass":"x"}'),
    denied('user/pass: wrong user → Authorization Violation, close', USERPASS, '{"user":"bob","pass":"wonderland"}'),
    denied('user/pass: no credentials → Authorization Violation, close', USERPASS, '{}'),
    denied('user/pass: a token instead → Authorization Violation, close', USERPASS, '{"auth_token":"wonderland"}'),
    denied('user/pass: user names are case-sensitive', USERPASS, '{"user":"Alice","pass":"wonderland"}'),
    {
      name: 'user/pass: verbose:false → no +OK, PING works',
      config: USERPASS,
      steps: [
        info(),
        send('CONNECT {"verbose":false,"user":"alice","pass":"wonderland"}\r\nPING\r\n'),
        expect('PONG\r\n'),
      ],
    },
    ok(
      'bcrypt $2a$ password',
      `authorization { user: alice, password: "${BCRYPT_2A}" }\n`,
      '{"user":"alice","pass":"s3cret"}',
      'auth §3',
    ),
    ok(
      'bcrypt $2b$ password',
      `authorization { user: alice, password: "${BCRYPT_2B}" }\n`,
      '{"user":"alice","pass":"s3cret"}',
      'auth §3',
    ),
    denied(
      'bcrypt: wrong password',
      `authorization { user: alice, password: "${BCRYPT_2A}" }\n`,
      '{"user":"alice","pass":"s3cre"}',
    ),
    denied(
      'bcrypt: sending the hash itself does not authenticate',
      `authorization { user: alice, password: "${BCRYPT_2A}" }\n`,
      JSON.stringify({ user: 'alice', pass: BCRYPT_2A }),
      'auth §3',
    ),

    // ---- token ----
    ok('token: right token → +OK', TOKEN, '{"auth_token":"s3cr3t-t0ken"}'),
    denied('token: wrong token → Authorization Violation, close', TOKEN, '{"auth_token":"nope"}'),
    denied('token: token sent as pass → Authorization Violation', TOKEN, '{"user":"x","pass":"s3cr3t-t0ken"}'),
    denied('token: none → Authorization Violation', TOKEN, '{}'),

    // ---- users ----
    ok('users: first user', USERS, '{"user":"a","pass":"pa"}'),
    ok('users: second user', USERS, '{"user":"b","pass":"pb"}'),
    denied("users: another user's password", USERS, '{"user":"a","pass":"pb"}'),
    denied('users: unknown user', USERS, '{"user":"c","pass":"pa"}'),

    // ---- first op must be CONNECT ----
    {
      name: 'auth required: PING before CONNECT → Authorization Violation, close',
      ref: 'client-protocol §2.4',
      config: USERPASS,
      steps: [info(), send('PING\r\n'), err(AV), closed()],
    },
    {
      name: 'auth required: SUB before CONNECT → Authorization Violation, close',
      config: USERPASS,
      steps: [info(), send('SUB foo 1\r\n'), err(AV), closed()],
    },
    {
      name: 'auth required: PUB before CONNECT → Authorization Violation, close',
      config: USERPASS,
      steps: [info(), send('PUB foo 0\r\n\r\n'), err(AV), closed()],
    },

    // ---- no_auth_user ----
    ok('no_auth_user: CONNECT without credentials is that user', NO_AUTH_USER, '{}', 'auth §2.6b'),
    ok('no_auth_user: another user may still log in', NO_AUTH_USER, '{"user":"b","pass":"pb"}'),
    denied('no_auth_user: wrong credentials still fail', NO_AUTH_USER, '{"user":"b","pass":"pa"}'),
    {
      name: 'no_auth_user: any op may come before CONNECT',
      ref: 'client-protocol §2.4',
      config: NO_AUTH_USER,
      steps: [
        info(),
        send('SUB na.a 1\r\nPUB na.a 0\r\n\r\nPING\r\n'),
        expect('+OK\r\n+OK\r\nMSG na.a 1 0\r\n\r\nPONG\r\n'),
      ],
    },

    // ---- nkeys ----
    {
      name: 'nkey: a signature over the ASCII nonce (base64url, no padding) → +OK',
      ref: 'auth §4',
      config: NKEYS,
      async run(ctx) {
        const c = await nkeyConnect(ctx, USER_A.seed, USER_A.pub, b64url);
        await c.expect('+OK\r\nPONG\r\n');
      },
    },
    {
      name: 'nkey: standard base64 with padding is accepted too',
      ref: 'auth §4',
      config: NKEYS,
      async run(ctx) {
        const c = await nkeyConnect(ctx, USER_A.seed, USER_A.pub, (s) => Buffer.from(s).toString('base64'));
        await c.expect('+OK\r\nPONG\r\n');
      },
    },
    {
      name: 'nkey: a signature by another key → Authorization Violation, close',
      config: NKEYS,
      async run(ctx) {
        const c = await nkeyConnect(ctx, USER_B.seed, USER_A.pub, b64url);
        await c.expect(`-ERR '${AV}'\r\n`);
        await c.expectClosed();
      },
    },
    {
      name: 'nkey: a key not in the config → Authorization Violation, close',
      config: NKEYS,
      async run(ctx) {
        const c = await nkeyConnect(ctx, USER_B.seed, USER_B.pub, b64url);
        await c.expect(`-ERR '${AV}'\r\n`);
        await c.expectClosed();
      },
    },
    denied('nkey: no signature → Authorization Violation, close', NKEYS, JSON.stringify({ nkey: USER_A.pub })),
    {
      name: 'nkey: a signature over a different nonce → Authorization Violation',
      config: NKEYS,
      async run(ctx) {
        const c = await ctx.connect();
        await c.expectInfo();
        const sig = b64url(fromSeed(te.encode(USER_A.seed)).sign(te.encode('AAAAAAAAAAAAAAA')));
        c.send(`CONNECT ${JSON.stringify({ nkey: USER_A.pub, sig })}\r\n`);
        await c.expect(`-ERR '${AV}'\r\n`);
        await c.expectClosed();
      },
    },

    // ---- allowed_connection_types on TCP (STANDARD) ----
    ok(
      'allowed_connection_types [STANDARD] admits a TCP client',
      CT('["STANDARD"]'),
      '{"user":"a","pass":"pa"}',
      'auth §5',
    ),
    ok(
      'allowed_connection_types are case-insensitive ([standard])',
      CT('["standard"]'),
      '{"user":"a","pass":"pa"}',
      'auth §5',
    ),
    ok('allowed_connection_types [MQTT, STANDARD] admits TCP', CT('["MQTT", "STANDARD"]'), '{"user":"a","pass":"pa"}'),
    denied(
      'allowed_connection_types [WEBSOCKET] refuses a TCP client',
      CT('["WEBSOCKET"]'),
      '{"user":"a","pass":"pa"}',
      'auth §5',
    ),
    denied(
      'allowed_connection_types [LEAFNODE, MQTT] refuses a TCP client',
      CT('["LEAFNODE", "MQTT"]'),
      '{"user":"a","pass":"pa"}',
    ),
    {
      name: 'an unknown connection type is a startup error',
      ref: 'auth §5',
      async run(ctx) {
        let started = false;
        try {
          const t = await startTarget(ctx.kind, { config: CT('["FOO"]'), readyTimeoutMs: 5000 });
          started = true;
          await t.stop();
        } catch (e) {
          if (!(e as Error).message.includes('invalid connection types ["FOO"]')) throw e;
        }
        if (started) throw new WireError('server started with an unknown connection type');
      },
    },

    // ---- auth timeout ----
    {
      name: 'auth_timeout: no CONNECT in time → -ERR Authentication Timeout, close (timeout 0.5 s)',
      ref: 'client-protocol §2.3',
      config: 'authorization { user: alice, password: wonderland, timeout: 0.5 }\n',
      async run(ctx) {
        const c = await ctx.connect();
        await c.expectInfo();
        const t0 = Date.now();
        await c.expect("-ERR 'Authentication Timeout'\r\n", 3000);
        const dt = Date.now() - t0;
        await c.expectClosed();
        if (dt < 350 || dt > 1200) throw new WireError(`Authentication Timeout after ${dt} ms, want ~500`);
      },
    },
    {
      name: 'auth_timeout: a CONNECT in time cancels the timer',
      config: 'authorization { user: alice, password: wonderland, timeout: 0.3 }\n',
      steps: [
        info(),
        send('CONNECT {"verbose":false,"user":"alice","pass":"wonderland"}\r\n'),
        nothing(600),
        send('PING\r\n'),
        expect('PONG\r\n'),
      ],
    },
    {
      name: 'no auth configured → no auth timer (idle 2.5 s before CONNECT is fine)',
      timeoutMs: 10_000,
      steps: [info(), nothing(2500), send('CONNECT {"verbose":false}\r\nPING\r\n'), expect('PONG\r\n')],
    },

    // ---- permissions (auth §7): violations answer -ERR and keep the connection ----
    {
      name: 'publish deny → -ERR Permissions Violation for Publish to, message dropped, connection kept',
      ref: 'auth §7',
      config:
        'authorization { users: [ {user: a, password: pa, permissions: { publish: { deny: ["secret.>"] } } } ] }\n',
      steps: [
        info(),
        send('CONNECT {"verbose":false,"user":"a","pass":"pa"}\r\nSUB secret.x 1\r\nPUB secret.x 0\r\n\r\nPING\r\n'),
        err('Permissions Violation for Publish to "secret.x"'),
        expect('PONG\r\n'),
        nothing(30),
      ],
    },
    {
      name: 'publish allow list: anything else is denied; verbose sends no +OK for the denied PUB',
      config: 'authorization { users: [ {user: a, password: pa, permissions: { publish: ["ok.>"] } } ] }\n',
      steps: [
        info(),
        send('CONNECT {"user":"a","pass":"pa"}\r\nPUB ok.x 0\r\n\r\nPUB no.x 0\r\n\r\nPING\r\n'),
        expect(`+OK\r\n+OK\r\n-ERR 'Permissions Violation for Publish to "no.x"'\r\nPONG\r\n`),
      ],
    },
    {
      name: 'subscribe deny → -ERR Permissions Violation for Subscription to, connection kept',
      config:
        'authorization { users: [ {user: a, password: pa, permissions: { subscribe: { deny: ["hidden"] } } } ] }\n',
      steps: [
        info(),
        send('CONNECT {"verbose":false,"user":"a","pass":"pa"}\r\nSUB hidden 1\r\nPING\r\n'),
        err('Permissions Violation for Subscription to "hidden"'),
        expect('PONG\r\n'),
      ],
    },
    {
      name: 'subscribe allow foo.* admits SUB foo.> (the sub subject is matched as a literal), not SUB >',
      ref: 'auth §7',
      config: 'authorization { users: [ {user: a, password: pa, permissions: { subscribe: ["foo.*"] } } ] }\n',
      steps: [
        info(),
        send('CONNECT {"verbose":false,"user":"a","pass":"pa"}\r\nSUB foo.> 1\r\nSUB > 2\r\nPING\r\n'),
        err('Permissions Violation for Subscription to ">"'),
        expect('PONG\r\n'),
      ],
    },
    {
      name: 'queue-qualified allow: only that queue may subscribe',
      ref: 'auth §7',
      config: 'authorization { users: [ {user: a, password: pa, permissions: { subscribe: ["jobs.> v1"] } } ] }\n',
      steps: [
        info(),
        send(
          'CONNECT {"verbose":false,"user":"a","pass":"pa"}\r\nSUB jobs.x v1 1\r\nSUB jobs.x v2 2\r\nSUB jobs.x 3\r\nPING\r\n',
        ),
        err('Permissions Violation for Subscription to "jobs.x" using queue "v2"'),
        err('Permissions Violation for Subscription to "jobs.x"'),
        expect('PONG\r\n'),
      ],
    },
    {
      name: 'deny does not block a broader wildcard SUB; denied subjects are filtered at delivery',
      ref: 'auth §7',
      config:
        'authorization { users: [ {user: a, password: pa, permissions: { subscribe: { allow: ["foo.>"], deny: ["foo.bar"] } } } ] }\n',
      steps: [
        info(),
        send(
          'CONNECT {"verbose":false,"user":"a","pass":"pa"}\r\nSUB foo.* 1\r\nPUB foo.bar 1\r\nx\r\nPUB foo.baz 1\r\ny\r\nPING\r\n',
        ),
        expect('MSG foo.baz 1 1\r\ny\r\nPONG\r\n'),
      ],
    },
  ],
};
