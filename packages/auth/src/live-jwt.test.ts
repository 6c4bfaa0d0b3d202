// Differential test: the same user JWTs against a real nats-server 2.9.10 on loopback and against
// the engine; both must accept or refuse each one. Skipped (with this reason) only when the
// nats-server binary is not installed.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccount, createUser } from 'nkeys.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthEngine } from './engine.js';
import { encodeJwt, makeAccount, makeOperator, pubOf, signNonce, type Usr } from './jwt.test-util.js';
import { baseOptions } from './options.test-util.js';

const NATS = '/usr/sbin/nats-server';

function session(port: number): Promise<{ info: string; run: (text: string, ms: number) => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const s = netConnect(port, '127.0.0.1');
    let buf = '';
    let first: ((v: string) => void) | null = null;
    s.on('data', (d) => {
      buf += d.toString('latin1');
      if (first && buf.includes('\r\n')) {
        const f = first;
        first = null;
        const line = buf.slice(0, buf.indexOf('\r\n'));
        buf = buf.slice(buf.indexOf('\r\n') + 2);
        f(line);
      }
    });
    s.on('close', () => {
      buf += '<CLOSED>';
    });
    s.on('error', reject);
    new Promise<string>((r) => {
      first = r;
    }).then((info) =>
      resolve({
        info,
        run: async (text, ms) => {
          s.write(text);
          await new Promise((r) => setTimeout(r, ms));
          const out = buf;
          s.destroy();
          return out;
        },
      }),
    );
  });
}

describe.skipIf(!existsSync(NATS))('user JWTs: engine vs nats-server 2.9.10', () => {
  const trust = makeOperator();
  const sk = createAccount();
  const accKp = createAccount();
  const revoked = createUser();
  const now = Math.floor(Date.now() / 1000);
  const scope = {
    kind: 'user_scope',
    key: pubOf(sk),
    role: 'r',
    template: { pub: { allow: ['app.{{name()}}.>'] }, sub: { allow: ['_INBOX.>'] }, subs: -1, payload: -1, data: -1 },
  };
  const acct = makeAccount(
    trust.operator,
    { signing_keys: [scope], revocations: { [pubOf(revoked)]: now + 100 } },
    {},
    accKp,
  );
  const bare = { pub: undefined, sub: undefined, subs: undefined, data: undefined, payload: undefined };
  const mk = (
    nats: Record<string, unknown>,
    claims: Record<string, unknown> = {},
    signer = accKp,
    kp = createUser(),
  ): Usr => {
    const jwt = encodeJwt(
      {
        sub: pubOf(kp),
        name: 'u',
        ...claims,
        nats: { type: 'user', version: 2, pub: {}, sub: {}, subs: -1, data: -1, payload: -1, ...nats },
      },
      signer,
    );
    return { kp, pub: pubOf(kp), jwt };
  };
  const cases: Record<string, { u: Usr; sign: boolean }> = {
    plain: { u: mk({}), sign: true },
    unsigned: { u: mk({}), sign: false },
    unknownTypesOnly: { u: mk({ allowed_connection_types: ['FOO'] }), sign: true },
    wsOnlyPlusUnknown: { u: mk({ allowed_connection_types: ['WEBSOCKET', 'FOO'] }), sign: true },
    standardLower: { u: mk({ allowed_connection_types: ['standard'] }), sign: true },
    revokedUser: { u: mk({}, {}, accKp, revoked), sign: true },
    srcOther: { u: mk({ src: ['10.0.0.0/8'] }), sign: true },
    srcLocal: { u: mk({ src: '10.0.0.0/8,127.0.0.1/32' }), sign: true },
    timesOutside: { u: mk({ times: [{ start: '00:00:00', end: '00:00:01' }], times_location: 'UTC' }), sign: true },
    timesInside: { u: mk({ times: [{ start: '00:00:00', end: '23:59:59' }], times_location: 'UTC' }), sign: true },
    badZone: { u: mk({ times_location: 'Mars/Base' }), sign: true },
    expired: { u: mk({}, { exp: now - 5 }), sign: true },
    notYet: { u: mk({}, { nbf: now + 500 }), sign: true },
    signingKeyWithoutIssuerAccount: { u: mk(bare, {}, sk), sign: true },
    scoped: { u: mk({ ...bare, issuer_account: acct.pub }, { name: 'bob' }, sk), sign: true },
    scopedWithOwnPermissions: { u: mk({ issuer_account: acct.pub }, { name: 'bob' }, sk), sign: true },
    badIssuerAccount: { u: mk({ issuer_account: 'AXXX' }), sign: true },
    bearerWithoutSig: { u: mk({ bearer_token: true }), sign: false },
    unknownAccount: { u: mk({}, {}, createAccount()), sign: true },
  };

  let proc: ChildProcess | null = null;
  let port = 0;
  // A start-up failure is asserted in each test (a throwing beforeAll would only skip them).
  let startError: string | null = 'not started';
  const opts = {
    operator: [trust.operatorJwt],
    resolver: { type: 'MEMORY' as const, url: null, dir: null },
    resolver_preload: { [acct.pub]: acct.jwt },
  };

  beforeAll(async () => {
    startError = 'starting';
    port = 30000 + Math.floor(Math.random() * 20000);
    const dir = mkdtempSync(join(tmpdir(), 'starling-auth-'));
    const conf = join(dir, 'op.conf');
    writeFileSync(
      conf,
      `listen: 127.0.0.1:${port}\noperator: ${trust.operatorJwt}\nresolver: MEMORY\nresolver_preload: { ${acct.pub}: ${acct.jwt} }\n`,
    );
    proc = spawn(NATS, ['-c', conf], { stdio: 'ignore' });
    for (let i = 0; i < 200; i++) {
      const up = await new Promise<boolean>((r) => {
        const s = netConnect(port, '127.0.0.1', () => {
          s.destroy();
          r(true);
        });
        s.on('error', () => r(false));
      });
      if (up) {
        startError = null;
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    startError = 'nats-server did not start within 20 s';
  });
  afterAll(() => {
    proc?.kill();
  });

  it('accept/refuse agree for every case', async () => {
    expect(startError).toBeNull();
    const engine = AuthEngine.create(baseOptions(opts)).engine!;
    const rows: string[] = [];
    for (const [name, c] of Object.entries(cases)) {
      const s = await session(port);
      const nonce = JSON.parse(s.info.slice(5)).nonce as string;
      const conn = {
        verbose: false,
        pedantic: false,
        protocol: 1,
        jwt: c.u.jwt,
        ...(c.sign ? { sig: signNonce(c.u.kp, nonce) } : {}),
      };
      const out = await s.run(`CONNECT ${JSON.stringify(conn)}\r\nPING\r\n`, 250);
      const live = out.includes('PONG');
      const r = engine.authenticate({
        kind: 0,
        connect: conn,
        nonce,
        tlsPeer: null,
        remoteAddress: '127.0.0.1',
        now: Date.now(),
      });
      rows.push(`${name}: live ${live} starling ${r.ok}`);
      expect(r.ok, `${name} (${r.ok ? '' : r.failure.reason}) live said ${JSON.stringify(out.slice(0, 60))}`).toBe(
        live,
      );
    }
    expect(rows).toHaveLength(Object.keys(cases).length);
  }, 30_000);

  it('scoped template permissions agree', async () => {
    expect(startError).toBeNull();
    const u = cases.scoped!.u;
    const s = await session(port);
    const nonce = JSON.parse(s.info.slice(5)).nonce as string;
    const conn = { verbose: false, pedantic: false, jwt: u.jwt, sig: signNonce(u.kp, nonce) };
    const out = await s.run(
      `CONNECT ${JSON.stringify(conn)}\r\nPUB app.bob.x 0\r\n\r\nPUB app.x 0\r\n\r\nPING\r\n`,
      250,
    );
    expect(out).toBe(`-ERR 'Permissions Violation for Publish to "app.x"'\r\nPONG\r\n`);
    const r = AuthEngine.create(baseOptions(opts)).engine!.authenticate({
      kind: 0,
      connect: conn,
      nonce,
      tlsPeer: null,
      remoteAddress: '127.0.0.1',
      now: Date.now(),
    });
    expect(r.ok && r.principal.permissions!.canPublish('app.bob.x')).toBe(true);
    expect(r.ok && r.principal.permissions!.canPublish('app.x')).toBe(false);
  });
});
