// Starling-only websocket cases: behaviour where Starling follows nats-server main rather than
// 2.9.10 (websocket.md §11), the options 2.9.10 does not have (user/pass/token cookies, headers),
// Starling's extensions (handshake_auth, api_key_header, trusted_proxies) and the places where the
// uWebSockets.js listener deliberately or unavoidably differs, pinned so a change is noticed.
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeInfo, RawWsClient, upgradeRequest, WsTargets } from '../cases/websocket-harness.js';
import { type OperatorFixture, operatorFixture } from '../cases/websocket-operator.js';
import { sleep, targetsFromEnv } from '../src/targets.js';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
const track = <T extends { close(): void }>(c: T): T => {
  open.push(c);
  return c;
};

const TLS_DIR = resolve(import.meta.dirname, '../../packages/server/test-fixtures/tls');
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

// These cases describe Starling only; with CONFORMANCE_TARGETS=nats-server there is nothing to run.
describe.runIf(targetsFromEnv().includes('starling'))('starling', () => {
  const targets = new WsTargets();
  afterAll(() => targets.stopAll());
  const get = (ws: string, top = '') => targets.get('starling', ws, top);
  const answer = async (port: number, req: string) => (await track(await RawWsClient.request(port, req))).readAnswer();

  let fx: OperatorFixture;
  beforeAll(async () => {
    fx = await operatorFixture();
  });

  describe('nats-server main behaviour (differs from 2.9.10)', () => {
    it('/mqtt (suffix) is a 404 while no MQTT endpoint exists', async () => {
      const t = await get('no_tls: true');
      for (const path of ['/mqtt', '/x/mqtt']) {
        const a = await answer(t.wsPort, upgradeRequest({}, { path }));
        expect(a.status).toBe(404);
        expect(a.body).toBe('Not Found\n');
      }
      // `/mqtt/more` does not end with /mqtt: a NATS client.
      expect((await answer(t.wsPort, upgradeRequest({}, { path: '/mqtt/more' }))).status).toBe(101);
    });

    it('a Sec-WebSocket-Key that is not 16 bytes of base64 is a 400', async () => {
      const t = await get('no_tls: true');
      expect((await answer(t.wsPort, upgradeRequest({ 'Sec-WebSocket-Key': 'abc' }))).status).toBe(400);
    });

    it('same_origin compares the scheme too', async () => {
      const t = await get('no_tls: true\n  same_origin: true');
      const host = `127.0.0.1:${t.wsPort}`;
      expect((await answer(t.wsPort, upgradeRequest({ Host: host, Origin: `https://${host}` }))).status).toBe(403);
    });

    it("INFO carries the websocket listener's host and port", async () => {
      const t = await get('no_tls: true');
      const { ws, info } = await RawWsClient.open(t.wsPort);
      track(ws);
      expect(info.port).toBe(t.wsPort);
      expect(info.host).toBe('127.0.0.1');
    });

    it('an empty Close is answered with an empty Close', async () => {
      const t = await get('no_tls: true');
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      ws.sendFrame(Buffer.alloc(0), { opcode: 8 });
      const f = await ws.readFrame();
      expect(f.opcode).toBe(8);
      expect(f.payload.length).toBe(0);
      await ws.waitClosed();
    });

    it('RSV2/RSV3 set: the connection is closed', async () => {
      const t = await get('no_tls: true');
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      ws.sendFrame('PING\r\n', { rsv: 2 });
      await ws.waitClosed();
    });
  });

  describe('uWebSockets.js differences (pinned)', () => {
    it('101 and error answers carry a Date header but no implementation marker', async () => {
      const t = await get('no_tls: true');
      const ok = await answer(t.wsPort, upgradeRequest());
      expect(ok.headers.has('uwebsockets')).toBe(false);
      const bad = await answer(t.wsPort, upgradeRequest({}, { method: 'POST' }));
      expect(bad.headers.has('uwebsockets')).toBe(false);
      expect(bad.headers.get('connection')).toBe('close');
    });

    it('an unmasked frame is read as masked garbage: closed as a protocol error at the next bytes', async () => {
      const t = await get('no_tls: true');
      const ctl = (await RawWsClient.open(t.wsPort)).ws;
      track(ctl);
      await ctl.connectNats();
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      await ws.connectNats();
      ws.sendFrame('PING\r\n', { mask: false });
      ws.sendFrame('PING\r\nPING\r\n', { mask: false });
      const deadline = Date.now() + 3000;
      while (!ws.closed && Date.now() < deadline) await ws.readFrame(500).catch(() => undefined);
      expect(ws.closed).toBe(true);
      await ctl.connectNats();
    });

    it('a text frame that is not UTF-8 closes the connection (uWS checks text frames)', async () => {
      const t = await get('no_tls: true');
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      await ws.connectNats();
      ws.sendFrame(Buffer.from('PUB a 1\r\n\xff\r\n', 'latin1'), { opcode: 1 });
      await ws.waitClosed();
    });
  });

  describe('options nats-server 2.9.10 does not have', () => {
    const users = `authorization {
  users = [
    { user: alice, password: "a-pass", permissions: { publish: "alice.>" } }
    { user: bob, password: "b-pass" }
    { user: tcponly, password: t, allowed_connection_types: ["STANDARD"] }
  ]
}`;

    it('user_cookie and pass_cookie fill an empty CONNECT', async () => {
      const t = await get('no_tls: true\n  user_cookie: nu\n  pass_cookie: np', users);
      const { ws } = await RawWsClient.open(t.wsPort, { Cookie: 'nu=alice; np=a-pass' });
      track(ws);
      await ws.connectNats();
      ws.send('PUB bob.x 0\r\n\r\nPING\r\n');
      expect(await ws.readText('PONG\r\n')).toBe(`-ERR 'Permissions Violation for Publish to "bob.x"'\r\nPONG\r\n`);
      const bad = await RawWsClient.open(t.wsPort, { Cookie: 'nu=alice; np=wrong' });
      track(bad.ws);
      bad.ws.send('CONNECT {"verbose":false}\r\n');
      expect(await bad.ws.readText('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
    });

    it('token_cookie fills an empty auth_token; CONNECT fields win over cookies', async () => {
      const t = await get('no_tls: true\n  token_cookie: nt', 'authorization { token: "s3cret" }');
      const { ws } = await RawWsClient.open(t.wsPort, { Cookie: 'nt=s3cret' });
      track(ws);
      await ws.connectNats();
      const c2 = await RawWsClient.open(t.wsPort, { Cookie: 'nt=s3cret' });
      track(c2.ws);
      c2.ws.send('CONNECT {"verbose":false,"auth_token":"wrong"}\r\n');
      expect(await c2.ws.readText('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
    });

    it('headers {} are added to the 101', async () => {
      const t = await get(
        'no_tls: true\n  headers { "Strict-Transport-Security": "max-age=63072000", X-Served-By: starling }',
      );
      const a = await answer(t.wsPort, upgradeRequest());
      expect(a.status).toBe(101);
      expect(a.headers.get('strict-transport-security')).toBe('max-age=63072000');
      expect(a.headers.get('x-served-by')).toBe('starling');
    });

    it('wss:// with a tls block: TLS first, then the upgrade; INFO says tls_required', async () => {
      const t = await get(`tls { cert_file: "${TLS_DIR}/server.pem", key_file: "${TLS_DIR}/server-key.pem" }`);
      expect(t.scheme).toBe('wss');
      const { ws, info } = await RawWsClient.open(t.wsPort, {}, { tls: true });
      track(ws);
      expect(info.tls_required).toBe(true);
      await ws.connectNats();
    });

    it('websocket.tls settings uWebSockets.js cannot honour stop the start with a clear error', async () => {
      const p = targets.get(
        'starling',
        `tls { cert_file: "${TLS_DIR}/server.pem", key_file: "${TLS_DIR}/server-key.pem", verify: true }`,
      );
      await expect(p).rejects.toThrow(/websocket.tls: verify not supported by the uWebSockets.js listener/);
    });
  });

  describe('handshake_auth (Starling extension)', () => {
    const users = `authorization {
  users = [
    { user: alice, password: "a-pass", permissions: { publish: "alice.>" } }
    { user: bob, password: "b-pass" }
    { user: tcponly, password: "t-pass", allowed_connection_types: ["STANDARD"] }
  ]
}`;
    const hs =
      'no_tls: true\n  handshake_auth: true\n  user_cookie: nu\n  pass_cookie: np\n  allowed_origins: ["http://app.example.com"]';

    it.each([
      ['no credentials', 401, {}],
      ['a wrong password (Basic)', 401, { Authorization: basic('alice', 'nope') }],
      ['an unknown user (cookie)', 401, { Cookie: 'nu=mallory; np=x' }],
      ['a malformed Basic header', 401, { Authorization: 'Basic ***' }],
      ['an unsupported scheme', 401, { Authorization: 'Digest username="alice"' }],
      ['a user not allowed on websockets', 403, { Authorization: basic('tcponly', 't-pass') }],
      [
        'a disallowed origin, even with good credentials',
        403,
        { Authorization: basic('alice', 'a-pass'), Origin: 'http://evil.example.com' },
      ],
    ] as [string, number, Record<string, string>][])(
      'refuses %s with %i before any 101',
      async (_n, status, headers) => {
        const t = await get(hs, users);
        const a = await answer(t.wsPort, upgradeRequest(headers));
        expect(a.status).toBe(status);
        expect(a.headers.has('sec-websocket-accept')).toBe(false);
      },
    );

    it('logs each refusal with its reason and never a secret', async () => {
      const t = await get(hs, users);
      await answer(t.wsPort, upgradeRequest({ Authorization: basic('alice', 'Wr0ngS3cret!') }));
      await sleep(100);
      const logs = t.target.logs();
      expect(logs).toMatch(
        /websocket handshake error: authentication failed \(credentials from basic:user, basic:pass\)/,
      );
      expect(logs).not.toContain('Wr0ngS3cret!');
      expect(logs).not.toContain(Buffer.from('alice:Wr0ngS3cret!').toString('base64'));
    });

    it('upgrades good Basic credentials or cookies; the CONNECT may omit them', async () => {
      const t = await get(hs, users);
      for (const h of [{ Authorization: basic('alice', 'a-pass') }, { Cookie: 'nu=alice; np=a-pass' }] as Record<
        string,
        string
      >[]) {
        const { ws } = await RawWsClient.open(t.wsPort, { ...h, Origin: 'http://app.example.com' });
        track(ws);
        await ws.connectNats('{"verbose":false}');
        ws.send('PUB bob.x 0\r\n\r\nPING\r\n');
        expect(await ws.readText('PONG\r\n')).toContain('Permissions Violation for Publish to "bob.x"');
      }
    });

    it('a CONNECT that names another identity is refused', async () => {
      const t = await get(hs, users);
      const { ws } = await RawWsClient.open(t.wsPort, { Authorization: basic('alice', 'a-pass') });
      track(ws);
      ws.send('CONNECT {"verbose":false,"user":"bob","pass":"b-pass"}\r\nPING\r\n');
      expect(await ws.readText('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
      expect(closeInfo(await ws.readFrame()).code).toBe(1008);
    });

    it('a bearer token and the api_key_header map to auth_token', async () => {
      const t = await get(
        'no_tls: true\n  handshake_auth: true\n  api_key_header: "apikey"',
        'authorization { token: "k-123" }',
      );
      expect((await answer(t.wsPort, upgradeRequest({ apikey: 'k-999' }))).status).toBe(401);
      expect((await answer(t.wsPort, upgradeRequest({ Authorization: 'Bearer k-999' }))).status).toBe(401);
      for (const h of [{ apikey: 'k-123' }, { Authorization: 'Bearer k-123' }] as Record<string, string>[]) {
        const { ws } = await RawWsClient.open(t.wsPort, h);
        track(ws);
        await ws.connectNats();
      }
    });

    it('a bearer JWT maps to the CONNECT jwt (operator mode)', async () => {
      const t = await get('no_tls: true\n  handshake_auth: true', fx.config);
      expect((await answer(t.wsPort, upgradeRequest({ Authorization: 'Bearer a.b.c' }))).status).toBe(401);
      // A JWT that needs a nonce signature cannot be checked before the 101.
      expect((await answer(t.wsPort, upgradeRequest({ Authorization: `Bearer ${fx.signedUser}` }))).status).toBe(401);
      const { ws } = await RawWsClient.open(t.wsPort, { Authorization: `Bearer ${fx.bearerUser}` });
      track(ws);
      await ws.connectNats();
      ws.send('PUB no.x 0\r\n\r\nPING\r\n');
      expect(await ws.readText('PONG\r\n')).toContain('Permissions Violation for Publish to "no.x"');
    });
  });

  describe('trusted_proxies (Starling extension)', () => {
    it('the client IP comes from X-Forwarded-For / Forwarded / X-Real-IP only from a trusted peer', async () => {
      const t = await get('no_tls: true\n  trusted_proxies: ["127.0.0.0/8"]');
      const cases: [Record<string, string>, string][] = [
        [{ 'X-Forwarded-For': '203.0.113.7' }, '203.0.113.7'],
        [{ 'X-Forwarded-For': '6.6.6.6, 203.0.113.7, 127.0.0.2' }, '203.0.113.7'],
        [{ Forwarded: 'for="[2001:db8::7]:443";proto=https' }, '2001:db8::7'],
        [{ 'X-Real-IP': '198.51.100.4' }, '198.51.100.4'],
        [{}, '127.0.0.1'],
      ];
      for (const [h, ip] of cases) {
        const { ws, info } = await RawWsClient.open(t.wsPort, h);
        track(ws);
        expect(info.client_ip).toBe(ip);
      }
    });

    it('headers from an untrusted peer are ignored (no spoofing)', async () => {
      const t = await get('no_tls: true\n  trusted_proxies: ["10.0.0.0/8"]');
      const { ws, info } = await RawWsClient.open(t.wsPort, {
        'X-Forwarded-For': '203.0.113.7',
        'X-Real-IP': '203.0.113.8',
      });
      track(ws);
      expect(info.client_ip).toBe('127.0.0.1');
    });

    it('the forwarded IP is what JWT src limits check', async () => {
      const trusted = await get('no_tls: true\n  jwt_cookie: j\n  trusted_proxies: ["127.0.0.1"]', fx.config);
      const inRange = await RawWsClient.open(trusted.wsPort, {
        Cookie: `j=${fx.srcLimitedUser}`,
        'X-Forwarded-For': '203.0.113.50',
      });
      track(inRange.ws);
      await inRange.ws.connectNats();
      const outOfRange = await RawWsClient.open(trusted.wsPort, {
        Cookie: `j=${fx.srcLimitedUser}`,
        'X-Forwarded-For': '198.51.100.1',
      });
      track(outOfRange.ws);
      outOfRange.ws.send('CONNECT {"verbose":false}\r\n');
      expect(await outOfRange.ws.readText('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
      const untrusted = await get('no_tls: true\n  jwt_cookie: j\n  trusted_proxies: ["10.0.0.0/8"]', fx.config);
      const spoof = await RawWsClient.open(untrusted.wsPort, {
        Cookie: `j=${fx.srcLimitedUser}`,
        'X-Forwarded-For': '203.0.113.50',
      });
      track(spoof.ws);
      spoof.ws.send('CONNECT {"verbose":false}\r\n');
      expect(await spoof.ws.readText('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
    });

    it('an invalid entry stops the start', async () => {
      await expect(targets.get('starling', 'no_tls: true\n  trusted_proxies: ["10.0.0.0/99"]')).rejects.toThrow(
        /invalid trusted_proxies entry "10.0.0.0\/99"/,
      );
    });
  });
});
