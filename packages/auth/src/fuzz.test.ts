// Seeded fuzzing: CONNECT field combinations against an oracle, malformed JWTs, certificate bytes.
// Bad input must give a typed result, never a throw.
import { createUser } from 'nkeys.js';
import { describe, expect, it } from 'vitest';
import { ConnKind } from './conn-kind.js';
import { AuthEngine } from './engine.js';
import { AuthFailureCode } from './errors.js';
import { decodeJwt, decodeUserJwt } from './jwt.js';
import { b64url, encodeJwt, makeAccount, makeOperator, makeUser, pubOf, signNonce } from './jwt.test-util.js';
import { auth, baseOptions, NOW, nkeyUser, user } from './options.test-util.js';
import { CERTS } from './tls-fixtures.test-util.js';
import { parsePeerCertificate } from './x509.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

const CODES = new Set<string>(Object.values(AuthFailureCode));
const NONCE = 'AAECAwQFBgcICQo';

describe('CONNECT fuzz against an oracle (users + nkeys)', () => {
  const nk = createUser();
  const stranger = createUser();
  const e = AuthEngine.create(
    baseOptions({ authorization: auth({ users: [user('alice', 'pw'), user('bob', 'b0b'), nkeyUser(pubOf(nk))] }) }),
  ).engine!;
  const goodSig = signNonce(nk, NONCE);
  const badSig = signNonce(stranger, NONCE);
  const values = {
    user: [undefined, null, '', 'alice', 'bob', 'mallory', 5, {}],
    pass: [undefined, null, '', 'pw', 'b0b', 'nope', true],
    auth_token: [undefined, null, '', 'tok', []],
    nkey: [undefined, null, '', pubOf(nk), pubOf(stranger), 'garbage', 1],
    sig: [undefined, null, '', goodSig, badSig, '%%%', 9],
    jwt: [undefined, null, '', 'x.y.z', 7],
    account: [undefined, null, '', 'A', true],
  } as const;
  const str = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : null);

  it('5000 random CONNECTs agree with the oracle and never throw', () => {
    const r = rng(12345);
    for (let i = 0; i < 5000; i++) {
      const c: Record<string, unknown> = {};
      for (const [k, vs] of Object.entries(values)) c[k] = pick(r, vs as readonly unknown[]);
      const kind = pick(r, [ConnKind.STANDARD, ConnKind.WEBSOCKET, ConnKind.MQTT, ConnKind.IN_PROCESS, 99]);
      const res = e.authenticate({
        kind,
        connect: c,
        nonce: NONCE,
        tlsPeer: null,
        remoteAddress: '127.0.0.1',
        now: NOW,
      });
      // Oracle (auth.md §2 for this config).
      const f = ['user', 'pass', 'auth_token', 'nkey', 'sig', 'jwt'].map((k) => str(c[k]));
      let want: boolean;
      if (f.some((x) => x === null)) want = false;
      else {
        const [u, p, , n, s] = f as string[];
        if (n !== '') want = n === pubOf(nk) && s === goodSig;
        else if (u === 'alice') want = p === 'pw';
        else if (u === 'bob') want = p === 'b0b';
        else want = false;
        const acct = c.account;
        if (want && ((typeof acct === 'string' && acct !== '') || acct === true)) want = false;
      }
      expect(res.ok, JSON.stringify(c)).toBe(want);
      if (!res.ok) expect(CODES.has(res.failure.code)).toBe(true);
    }
  });
});

describe('JWT fuzz', () => {
  const trust = makeOperator();
  const acct = makeAccount(trust.operator);
  const u = makeUser(acct.kp, { pub: { allow: ['a'] } });
  const engine = AuthEngine.create(
    baseOptions({
      operator: [trust.operatorJwt],
      resolver: { type: 'MEMORY', url: null, dir: null },
      resolver_preload: { [acct.pub]: acct.jwt },
    }),
  ).engine!;
  const original = decodeUserJwt(u.jwt);
  expect(original.ok).toBe(true);

  it('mutated tokens never throw and only verify when the decoded content is unchanged', () => {
    const r = rng(777);
    const sig = signNonce(u.kp, NONCE);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}"';
    for (let i = 0; i < 3000; i++) {
      let t = u.jwt;
      const n = 1 + Math.floor(r() * 3);
      for (let k = 0; k < n; k++) {
        const pos = Math.floor(r() * t.length);
        const op = r();
        if (op < 0.4) t = t.slice(0, pos) + pick(r, alphabet.split('')) + t.slice(pos + 1);
        else if (op < 0.6) t = t.slice(0, pos) + t.slice(pos + 1);
        else if (op < 0.8) t = t.slice(0, pos) + pick(r, alphabet.split('')) + t.slice(pos);
        else t = t.slice(0, pos);
      }
      const d = decodeJwt(t);
      if (d.ok) expect(d.claims).toEqual(original.ok ? original.claims : null);
      const res = engine.authenticate({
        kind: 0,
        connect: { jwt: t, sig },
        nonce: NONCE,
        tlsPeer: null,
        remoteAddress: '127.0.0.1',
        now: NOW,
      });
      if (!res.ok) expect(CODES.has(res.failure.code)).toBe(true);
    }
  });

  it('validly signed claims of random shapes and types never throw', () => {
    const r = rng(4242);
    const junk = () => pick(r, [1, -1, 0, 1.5, 'x', '', true, null, [], ['a', 2], {}, { allow: 5 }, 2 ** 60, '*', '>']);
    const keys = ['exp', 'nbf', 'iat', 'sub', 'iss', 'name', 'aud', 'jti', 'type'];
    const natsKeys = [
      'type',
      'version',
      'pub',
      'sub',
      'resp',
      'src',
      'times',
      'times_location',
      'subs',
      'data',
      'payload',
      'bearer_token',
      'allowed_connection_types',
      'issuer_account',
      'tags',
    ];
    // Deriving a public key with nkeys.js costs ~6 ms, so a small pool of users is reused.
    const pool = Array.from({ length: 8 }, () => createUser());
    for (let i = 0; i < 2000; i++) {
      const kp = pick(r, pool);
      const claims: Record<string, unknown> = { sub: pubOf(kp) };
      const nats: Record<string, unknown> = { type: 'user', version: 2 };
      for (let k = 0; k < 3; k++) claims[pick(r, keys)] = junk();
      for (let k = 0; k < 4; k++) nats[pick(r, natsKeys)] = junk();
      claims.nats = r() < 0.9 ? nats : junk();
      let t: string;
      try {
        t = encodeJwt(claims, acct.kp);
      } catch {
        continue; // the encoder itself refused (e.g. BigInt-like values); not what we test
      }
      const res = engine.authenticate({
        kind: pick(r, [0, 1, 2, 3, 4, 5, 6]),
        connect: { jwt: t, sig: signNonce(kp, NONCE) },
        nonce: NONCE,
        tlsPeer: null,
        remoteAddress: pick(r, ['127.0.0.1', '::1', '', 'not-an-ip']),
        now: NOW,
      });
      if (!res.ok) expect(CODES.has(res.failure.code)).toBe(true);
    }
  });

  it('huge and odd inputs', () => {
    for (const t of [
      '',
      '..',
      '...',
      'a'.repeat(5_000_000),
      `${b64url('{}')}.${b64url('{}')}.`,
      '\u0000.\u0000.\u0000',
    ]) {
      expect(decodeJwt(t).ok).toBe(false);
    }
    expect(decodeJwt(null).ok).toBe(false);
    expect(decodeJwt({}).ok).toBe(false);
  });
});

describe('contexts of the wrong shape', () => {
  it('give a typed failure, not a throw', () => {
    const e = AuthEngine.create(baseOptions({ authorization: auth({ users: [user('a', 'b')] }) })).engine!;
    const weird = [
      { kind: 0, connect: {}, nonce: null, tlsPeer: null, remoteAddress: '', now: NOW, listener: 5 },
      {
        kind: 0,
        connect: {
          get user() {
            throw new Error('boom');
          },
        },
        nonce: null,
        tlsPeer: null,
        remoteAddress: '',
        now: NOW,
      },
      null,
    ];
    for (const c of weird) {
      const r = e.authenticate(c as never);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(CODES.has(r.failure.code)).toBe(true);
    }
  });
});

describe('certificate fuzz', () => {
  it('random byte flips never throw', () => {
    const r = rng(99);
    const base = new Uint8Array(Buffer.from(CERTS.c1!, 'base64'));
    for (let i = 0; i < 3000; i++) {
      const b = base.slice();
      for (let k = 0; k < 4; k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      parsePeerCertificate(b);
      const junk = new Uint8Array(Math.floor(r() * 64)).map(() => Math.floor(r() * 256));
      parsePeerCertificate(junk);
    }
  });
});
