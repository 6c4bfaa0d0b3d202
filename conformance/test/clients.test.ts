// Real clients against every target: nats.js v2 and v3 doing what applications do, plus the way
// client-library test suites launch the server binary (flags, ports file).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_LIBS, type ClientConn, type ClientLib, type ClientMsg, errText } from '../src/clients.js';
import {
  freePort,
  readPortsFile,
  startTarget,
  startTargets,
  type Target,
  type TargetKind,
  targetsFromEnv,
} from '../src/targets.js';
import { connectWire } from '../src/wire.js';

const TARGETS = targetsFromEnv();
const url = (t: Target): string => `nats://${t.host}:${t.port}`;

async function collect(sub: AsyncIterable<ClientMsg>, n: number, timeoutMs = 5000): Promise<ClientMsg[]> {
  const out: ClientMsg[] = [];
  const timer = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`only ${out.length}/${n} messages in ${timeoutMs} ms`)), timeoutMs).unref(),
  );
  const loop = (async () => {
    for await (const m of sub) {
      out.push(m);
      if (out.length === n) break;
    }
    return out;
  })();
  return Promise.race([loop, timer]);
}

async function waitStatus(nc: ClientConn, type: string, timeoutMs: number): Promise<void> {
  const it = nc.status()[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no "${type}" status within ${timeoutMs} ms`);
    const r = await Promise.race([it.next(), new Promise<null>((res) => setTimeout(() => res(null), left).unref())]);
    if (r === null) throw new Error(`no "${type}" status within ${timeoutMs} ms`);
    if (r.done === true) throw new Error('status iterator ended');
    if (r.value.type === type) return;
  }
}

describe.each(TARGETS)('%s', (kind: TargetKind) => {
  let plain: Target;
  let userPass: Target;
  let token: Target;
  const extra: Target[] = [];

  // Started on first use from beforeEach (not beforeAll): if a target cannot start, every test
  // reports the start error as its own failure instead of being listed as skipped.
  let ready: Promise<void> | null = null;
  beforeEach(async () => {
    ready ??= startTargets([
      [kind, { config: '# defaults\n' }],
      [kind, { config: 'authorization { user: alice, password: wonderland }\n' }],
      [kind, { config: 'authorization { token: "s3cr3t-t0ken" }\n' }],
    ]).then((ts) => {
      [plain, userPass, token] = ts as [Target, Target, Target];
    });
    await ready;
  });
  afterAll(async () => {
    await Promise.all([plain, userPass, token, ...extra].map((t) => t?.stop()));
  });

  describe.each(CLIENT_LIBS.map((l) => [l.name, l] as const))('%s', (_name: string, lib: ClientLib) => {
    const open: ClientConn[] = [];
    const conn = async (opts: Partial<Parameters<ClientLib['connect']>[0]> = {}, t?: Target): Promise<ClientConn> => {
      const nc = await lib.connect({ servers: url(t ?? plain), reconnect: false, ...opts });
      open.push(nc);
      return nc;
    };
    afterAll(async () => {
      await Promise.all(open.filter((nc) => !nc.isClosed()).map((nc) => nc.close()));
    });

    it('connects and sees the server INFO (headers on, 1 MiB max_payload)', async () => {
      const nc = await conn();
      expect(nc.info?.headers).toBe(true);
      expect(nc.info?.max_payload).toBe(1048576);
      await nc.flush();
    });

    it('publish / subscribe / flush, in order', async () => {
      const nc = await conn();
      const sub = nc.subscribe('cl.ps');
      for (let i = 0; i < 20; i++) nc.publish('cl.ps', `m${i}`);
      await nc.flush();
      const got = await collect(sub, 20);
      expect(got.map((m) => m.string())).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    });

    it('messages cross connections, wildcards match', async () => {
      const a = await conn();
      const b = await conn();
      const sub = a.subscribe('cl.wild.*.end');
      await a.flush();
      b.publish('cl.wild.x.end', 'x');
      b.publish('cl.wild.y.z.end', 'no');
      b.publish('cl.wild.y.end', 'y');
      await b.flush();
      const got = await collect(sub, 2);
      expect(got.map((m) => `${m.subject}=${m.string()}`)).toEqual(['cl.wild.x.end=x', 'cl.wild.y.end=y']);
    });

    it('request / reply', async () => {
      const responder = await conn();
      const requester = await conn();
      const sub = responder.subscribe('cl.svc');
      (async () => {
        for await (const m of sub) m.respond(`re:${m.string()}`);
      })().catch(() => {});
      await responder.flush();
      const r = await requester.request('cl.svc', 'hello', { timeout: 2000 });
      expect(r.string()).toBe('re:hello');
      const r2 = await requester.request('cl.svc', 'old-style', { timeout: 2000, noMux: true });
      expect(r2.string()).toBe('re:old-style');
    });

    it('request to a subject nobody serves fails fast with no-responders (503)', async () => {
      const nc = await conn();
      const t0 = Date.now();
      const err = await nc.request('cl.nobody.home', 'x', { timeout: 5000 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, 'request should fail').not.toBeNull();
      expect(lib.isNoResponders(err), errText(err)).toBe(true);
      expect(Date.now() - t0).toBeLessThan(2000);
    });

    it('queue group: every message to exactly one member, both members used', async () => {
      const a = await conn();
      const b = await conn();
      const pub = await conn();
      const counts = [0, 0];
      const subs = [a.subscribe('cl.q', { queue: 'workers' }), b.subscribe('cl.q', { queue: 'workers' })];
      const loops = subs.map(async (s, i) => {
        for await (const _m of s) counts[i]!++;
      });
      await Promise.all([a.flush(), b.flush()]);
      for (let i = 0; i < 200; i++) pub.publish('cl.q', String(i));
      await pub.flush();
      await Promise.all([a.flush(), b.flush()]);
      const deadline = Date.now() + 3000;
      while (counts[0]! + counts[1]! < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      for (const s of subs) s.unsubscribe();
      await Promise.all(loops);
      expect(counts[0]! + counts[1]!).toBe(200);
      expect(counts[0]).toBeGreaterThan(40);
      expect(counts[1]).toBeGreaterThan(40);
    });

    it('headers: multi-valued headers round-trip, and a responder answers with headers', async () => {
      const nc = await conn();
      const sub = nc.subscribe('cl.hdr');
      nc.publish('cl.hdr', 'body', {
        headers: lib.headers([
          ['X-One', '1'],
          ['X-Many', 'a'],
          ['X-Many', 'b'],
        ]),
      });
      const [m] = await collect(sub, 1);
      expect(m!.string()).toBe('body');
      expect(m!.headers?.get('X-One')).toBe('1');
      expect(m!.headers?.values('X-Many')).toEqual(['a', 'b']);

      const svc = nc.subscribe('cl.hdr.svc');
      (async () => {
        for await (const q of svc)
          q.respond('ok', { headers: lib.headers([['X-Reply', q.headers?.get('X-Req') ?? '']]) });
      })().catch(() => {});
      const r = await nc.request('cl.hdr.svc', '', { timeout: 2000, headers: lib.headers([['X-Req', 'r1']]) });
      expect(r.headers?.get('X-Reply')).toBe('r1');
    });

    it('auto-unsubscribe after max messages', async () => {
      const nc = await conn();
      const sub = nc.subscribe('cl.max', { max: 3 });
      for (let i = 0; i < 6; i++) nc.publish('cl.max', String(i));
      await nc.flush();
      const got: string[] = [];
      for await (const m of sub) got.push(m.string());
      expect(got).toEqual(['0', '1', '2']);
    });

    it('drain: pending messages are processed, then the connection closes', async () => {
      const nc = await conn();
      const pub = await conn();
      const sub = nc.subscribe('cl.drain');
      const got: string[] = [];
      const loop = (async () => {
        for await (const m of sub) got.push(m.string());
      })();
      await nc.flush();
      for (let i = 0; i < 50; i++) pub.publish('cl.drain', String(i));
      await pub.flush();
      await nc.flush();
      await nc.drain();
      await loop;
      expect(got.length).toBe(50);
      expect(nc.isClosed()).toBe(true);
      expect(await nc.closed()).toBeUndefined();
    });

    it('user/password: right credentials connect, a wrong password is an authorization error', async () => {
      const nc = await conn({ user: 'alice', pass: 'wonderland' }, userPass);
      await nc.flush();
      const err = await conn({ user: 'alice', pass: 'nope' }, userPass).then(
        () => null,
        (e: unknown) => e,
      );
      expect(lib.isAuthError(err), errText(err)).toBe(true);
    });

    it('token: the right token connects, a wrong one is an authorization error', async () => {
      const nc = await conn({ token: 's3cr3t-t0ken' }, token);
      await nc.flush();
      const err = await conn({ token: 'bad' }, token).then(
        () => null,
        (e: unknown) => e,
      );
      expect(lib.isAuthError(err), errText(err)).toBe(true);
    });

    it('reconnects after the server restarts on the same port; subscriptions are replayed', async () => {
      let t = await startTarget(kind, { config: '# restart\n' });
      extra.push(t);
      const nc = await conn({ reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 100 }, t);
      const sub = nc.subscribe('cl.rc');
      await nc.flush();
      const reconnected = waitStatus(nc, 'reconnect', 15_000);
      await t.stop();
      t = await startTarget(kind, { config: '# restart\n', port: t.port });
      extra.push(t);
      await reconnected;
      nc.publish('cl.rc', 'after');
      await nc.flush();
      const [m] = await collect(sub, 1);
      expect(m!.string()).toBe('after');
    }, 30_000);
  });

  describe('launched like client-library test suites do', () => {
    it('single-dash long flags: -a 127.0.0.1 -p <port> -user a -pass b', async () => {
      const port = await freePort();
      const t = await startTarget(kind, {
        listenArgs: false,
        port,
        args: ['-a', '127.0.0.1', '-p', String(port), '-user', 'a', '-pass', 'b'],
      });
      extra.push(t);
      expect(t.port).toBe(port);
      const c = await connectWire(t);
      const { info } = await c.expectInfo();
      expect(info.auth_required).toBe(true);
      c.send('CONNECT {"user":"a","pass":"b"}\r\nPING\r\n');
      await c.expect('+OK\r\nPONG\r\n');
      c.close();
      const bad = await connectWire(t);
      await bad.expectInfo();
      bad.send('CONNECT {"user":"a","pass":"x"}\r\n');
      await bad.expect("-ERR 'Authorization Violation'\r\n");
      await bad.expectClosed();
    });

    it('--auth <token>', async () => {
      const t = await startTarget(kind, { args: ['--auth', 'tok3n'] });
      extra.push(t);
      const c = await connectWire(t);
      await c.expectInfo();
      c.send('CONNECT {"verbose":false,"auth_token":"tok3n"}\r\nPING\r\n');
      await c.expect('PONG\r\n');
      c.close();
    });

    it('-p -1 --ports_file_dir <dir>: the ports file names the chosen port and goes away on shutdown', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'conformance-ports-'));
      try {
        const t = await startTarget(kind, {
          listenArgs: false,
          port: -1,
          portsFileDir: dir,
          args: ['-a', '127.0.0.1', '-p', '-1', '--ports_file_dir', dir],
        });
        extra.push(t);
        const pf = readPortsFile(dir, t.pid);
        expect(pf).not.toBeNull();
        if (kind === 'nats-server') expect(pf!.name).toBe(`nats-server_${t.pid}.ports`);
        expect(pf!.ports).toEqual({ nats: [`nats://127.0.0.1:${t.port}`] });
        const c = await connectWire(t);
        await c.expectInfo();
        c.send('PING\r\n');
        await c.expect('PONG\r\n');
        c.close();
        await t.stop();
        expect(readdirSync(dir)).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('nats.js launcher style: config with port -1, host, ports_file_dir and http 127.0.0.1:-1', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'conformance-ports-'));
      try {
        const t = await startTarget(kind, {
          listenArgs: false,
          port: -1,
          portsFileDir: dir,
          config: `ports_file_dir: "${dir}"\nhost: 127.0.0.1\nport: -1\nhttp: "127.0.0.1:-1"\n`,
        });
        extra.push(t);
        const pf = readPortsFile(dir, t.pid)!;
        expect(pf.ports.nats).toEqual([`nats://127.0.0.1:${t.port}`]);
        expect(pf.ports.monitoring).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/)]);
        const nc = await CLIENT_LIBS[1]!.connect({ servers: url(t), reconnect: false });
        await nc.flush();
        await nc.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('flags override the config file (-p wins over port:)', async () => {
      const other = await freePort();
      const t = await startTarget(kind, { config: `port: ${other}\nhost: 127.0.0.1\n` });
      extra.push(t);
      expect(t.port).not.toBe(other);
      const c = await connectWire(t);
      const { info } = await c.expectInfo();
      expect(info.port).toBe(t.port);
      c.close();
    });
  });
});
