// Websocket listener conformance: the same raw upgrade requests and frames against nats-server
// 2.9.10 and Starling (websocket.md). Only behaviour both must share is asserted here; where
// 2.9.10 and nats-server main differ (§11) Starling follows main and those cases live in
// websocket-starling.test.ts.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeInfo, RawWsClient, TcpNats, upgradeRequest, WS_ACCEPT, WsTargets } from '../cases/websocket-harness.js';
import { type TargetKind, targetsFromEnv } from '../src/targets.js';

const PLAIN = 'no_tls: true';
const open: { close(): void }[] = [];
const track = <T extends { close(): void }>(c: T): T => {
  open.push(c);
  return c;
};
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

/** Sends `request` and returns the HTTP answer. */
async function answer(port: number, request: string) {
  const c = track(await RawWsClient.request(port, request));
  return c.readAnswer();
}

describe.each(targetsFromEnv())('%s', (kind: TargetKind) => {
  const targets = new WsTargets();
  afterAll(() => targets.stopAll());
  const plain = () => targets.get(kind, PLAIN);

  describe('upgrade', () => {
    it('101 with the RFC 6455 accept key; INFO is the first message, one binary FIN frame, unmasked', async () => {
      const t = await plain();
      const c = track(await RawWsClient.request(t.wsPort, upgradeRequest()));
      const a = await c.readAnswer();
      expect(a.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
      expect(a.headers.get('upgrade')).toBe('websocket');
      expect(a.headers.get('connection')).toBe('Upgrade');
      expect(a.headers.get('sec-websocket-accept')).toBe(WS_ACCEPT);
      expect(a.headers.has('sec-websocket-extensions')).toBe(false);
      const f = await c.readFrame();
      expect({ fin: f.fin, rsv: f.rsv, opcode: f.opcode }).toEqual({ fin: true, rsv: 0, opcode: 2 });
      const text = f.payload.toString();
      expect(text).toMatch(/^INFO \{.*\} \r\n$/);
      const info = JSON.parse(text.slice(5, -3)) as Record<string, unknown>;
      expect(Object.keys(info)).toEqual([
        'server_id',
        'server_name',
        'version',
        'proto',
        ...(info.git_commit !== undefined ? ['git_commit'] : []),
        'go',
        'host',
        'port',
        'headers',
        'max_payload',
        'client_id',
        'client_ip',
      ]);
      expect(info.client_ip).toBe('127.0.0.1');
      expect(info.host).toBe('127.0.0.1');
    });

    it('matches Upgrade / Connection tokens in lists, case-insensitively', async () => {
      const t = await plain();
      const a = await answer(t.wsPort, upgradeRequest({ Upgrade: 'WebSocket', Connection: 'keep-alive, upgrade' }));
      expect(a.status).toBe(101);
    });

    it('ignores requested subprotocols for NATS clients (no Sec-WebSocket-Protocol in the 101)', async () => {
      const t = await plain();
      const a = await answer(t.wsPort, upgradeRequest({ 'Sec-WebSocket-Protocol': 'nats, foo' }));
      expect(a.status).toBe(101);
      expect(a.headers.has('sec-websocket-protocol')).toBe(false);
    });

    it('any other path is a NATS client', async () => {
      const t = await plain();
      const { ws } = await RawWsClient.open(t.wsPort, {}, { path: '/some/deep/path?x=1' });
      track(ws);
      await ws.connectNats();
    });

    it('a /leafnode upgrade without a leafnode listener gets the 101 and is then closed', async () => {
      const t = await plain();
      const c = track(await RawWsClient.request(t.wsPort, upgradeRequest({}, { path: '/leafnode' })));
      expect((await c.readAnswer()).status).toBe(101);
      await c.waitClosed();
    });

    const failures: [string, string, number, string][] = [
      ['method POST', upgradeRequest({}, { method: 'POST' }), 405, 'Method Not Allowed'],
      ['method PUT', upgradeRequest({}, { method: 'PUT' }), 405, 'Method Not Allowed'],
      ['no Upgrade header', upgradeRequest({ Upgrade: null }), 400, 'Bad Request'],
      ['Upgrade: h2c', upgradeRequest({ Upgrade: 'h2c' }), 400, 'Bad Request'],
      ['no Connection header', upgradeRequest({ Connection: null }), 400, 'Bad Request'],
      ['Connection: keep-alive', upgradeRequest({ Connection: 'keep-alive' }), 400, 'Bad Request'],
      ['no Sec-WebSocket-Key', upgradeRequest({ 'Sec-WebSocket-Key': null }), 400, 'Bad Request'],
      ['no Sec-WebSocket-Version', upgradeRequest({ 'Sec-WebSocket-Version': null }), 400, 'Bad Request'],
      ['Sec-WebSocket-Version: 8', upgradeRequest({ 'Sec-WebSocket-Version': '8' }), 400, 'Bad Request'],
      [
        'POST without Upgrade: the method is checked first',
        upgradeRequest({ Upgrade: null }, { method: 'POST' }),
        405,
        'Method Not Allowed',
      ],
    ];
    it.each(failures)('%s → %i with the status text as body', async (_name, request, status, text) => {
      const t = await plain();
      const a = await answer(t.wsPort, request);
      expect(a.status).toBe(status);
      expect(a.body).toBe(`${text}\n`);
      expect(a.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(a.headers.get('x-content-type-options')).toBe('nosniff');
      expect(a.headers.get('sec-websocket-version')).toBe('13');
      expect(a.headers.has('sec-websocket-accept')).toBe(false);
    });

    it('a refused upgrade never becomes a connection; the listener keeps serving', async () => {
      const t = await plain();
      for (let i = 0; i < 20; i++) expect((await answer(t.wsPort, upgradeRequest({ Upgrade: null }))).status).toBe(400);
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      await ws.connectNats();
    });
  });

  describe('origin', () => {
    const allowed = `${PLAIN}\n  allowed_origins: ["http://good.example.com", "https://secure.example.com:8443"]`;
    it.each([
      ['http://good.example.com', 101],
      ['http://good.example.com:80', 101],
      ['http://GOOD.example.com', 101],
      ['http://good.example.com:8080', 403],
      ['https://good.example.com', 403],
      ['https://secure.example.com:8443', 101],
      ['https://secure.example.com', 403],
      ['http://evil.example.com', 403],
      ['null', 403],
    ])('allowed_origins: Origin %s → %i', async (origin, status) => {
      const t = await targets.get(kind, allowed);
      const a = await answer(t.wsPort, upgradeRequest({ Origin: origin }));
      expect(a.status).toBe(status);
      if (status === 403) expect(a.body).toBe('Forbidden\n');
    });

    it('allowed_origins: no Origin header is accepted (non-browser clients)', async () => {
      const t = await targets.get(kind, allowed);
      expect((await answer(t.wsPort, upgradeRequest())).status).toBe(101);
    });

    it('allowed_origins: Sec-WebSocket-Origin is used when Origin is absent', async () => {
      const t = await targets.get(kind, allowed);
      expect(
        (await answer(t.wsPort, upgradeRequest({ 'Sec-WebSocket-Origin': 'http://evil.example.com' }))).status,
      ).toBe(403);
      expect(
        (await answer(t.wsPort, upgradeRequest({ 'Sec-WebSocket-Origin': 'http://good.example.com' }))).status,
      ).toBe(101);
    });

    it('same_origin: origin host and port must equal the Host header', async () => {
      const t = await targets.get(kind, `${PLAIN}\n  same_origin: true`);
      const host = `127.0.0.1:${t.wsPort}`;
      const req = (origin: string | null, h = host) => upgradeRequest({ Host: h, Origin: origin });
      expect((await answer(t.wsPort, req(`http://${host}`))).status).toBe(101);
      expect((await answer(t.wsPort, req(null))).status).toBe(101);
      expect((await answer(t.wsPort, req(`http://localhost:${t.wsPort}`))).status).toBe(403);
      expect((await answer(t.wsPort, req(`http://127.0.0.1:${t.wsPort + 1}`))).status).toBe(403);
      expect((await answer(t.wsPort, req('http://example.com', 'example.com'))).status).toBe(101);
      expect((await answer(t.wsPort, req('http://example.com:80', 'Example.com'))).status).toBe(101);
    });
  });

  describe('compression', () => {
    const offer = { 'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits' };
    it('negotiates permessage-deflate without context takeover; INFO arrives compressed', async () => {
      const t = await targets.get(kind, `${PLAIN}\n  compression: true`);
      const c = track(await RawWsClient.request(t.wsPort, upgradeRequest(offer)));
      const a = await c.readAnswer();
      expect(a.status).toBe(101);
      const ext = (a.headers.get('sec-websocket-extensions') ?? '').split(';').map((s) => s.trim());
      expect(ext[0]).toBe('permessage-deflate');
      expect(ext.slice(1).sort()).toEqual(['client_no_context_takeover', 'server_no_context_takeover']);
      const m = await c.readMessage();
      expect(m.compressed).toBe(true);
      expect(m.payload.toString()).toMatch(/^INFO \{/);
    });

    it('inflates compressed client messages; small replies go uncompressed', async () => {
      const t = await targets.get(kind, `${PLAIN}\n  compression: true`);
      const c = track(await RawWsClient.request(t.wsPort, upgradeRequest(offer)));
      await c.readAnswer();
      await c.readText('\r\n');
      c.sendCompressed('CONNECT {"verbose":false}\r\nSUB z 1\r\nPUB z 5\r\nhello\r\nPING\r\n');
      const m = await c.readMessage();
      expect(m.payload.toString()).toBe('MSG z 1 5\r\nhello\r\nPONG\r\n');
      expect(m.compressed).toBe(false); // 25 bytes: not worth compressing (≤ 64)
      const big = 'y'.repeat(500);
      c.sendCompressed(`PUB z 500\r\n${big}\r\n`);
      const m2 = await c.readMessage();
      expect(m2.compressed).toBe(true);
      expect(m2.payload.toString()).toBe(`MSG z 1 500\r\n${big}\r\n`);
    });

    it('is not negotiated when the client does not offer it', async () => {
      const t = await targets.get(kind, `${PLAIN}\n  compression: true`);
      const { ws, answer: a } = await RawWsClient.open(t.wsPort);
      track(ws);
      expect(a.headers.has('sec-websocket-extensions')).toBe(false);
      await ws.connectNats();
    });

    it('is not negotiated when not configured', async () => {
      const t = await plain();
      const c = track(await RawWsClient.request(t.wsPort, upgradeRequest(offer)));
      const a = await c.readAnswer();
      expect(a.status).toBe(101);
      expect(a.headers.has('sec-websocket-extensions')).toBe(false);
      const m = await c.readMessage();
      expect(m.compressed).toBe(false);
    });
  });

  describe('framing', () => {
    it('ops may span frames and a frame may hold many ops (text frames accepted)', async () => {
      const t = await plain();
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      ws.send('CONNECT {"verbose":false}\r\nSU');
      ws.sendFrame('B foo 1\r\nPUB foo 5\r\nhel', { opcode: 1 });
      ws.send('lo\r\nPING\r\n');
      expect(await ws.readText('PONG\r\n')).toBe('MSG foo 1 5\r\nhello\r\nPONG\r\n');
    });

    it('an op split at every byte boundary across frames gives the same result', async () => {
      const t = await plain();
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      await ws.connectNats();
      ws.send('SUB s 9\r\n');
      const op = 'PUB s r 3\r\nabc\r\n';
      for (let cut = 1; cut < op.length; cut++) {
        ws.send(op.slice(0, cut));
        ws.send(op.slice(cut));
      }
      ws.send('PING\r\n');
      const got = await ws.readText('PONG\r\n');
      expect(got).toBe(`${'MSG s 9 r 3\r\nabc\r\n'.repeat(op.length - 1)}PONG\r\n`);
    });

    it('a fragmented message (FIN clear, then continuation frames) is reassembled', async () => {
      const t = await plain();
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      ws.sendFrame('CONNECT {"verbose":false}\r\nSUB f 1\r\nPUB f 3\r\n', { fin: false });
      ws.sendFrame('ab', { opcode: 0, fin: false });
      ws.sendFrame('c\r\nPING\r\n', { opcode: 0 });
      expect(await ws.readText('PONG\r\n')).toBe('MSG f 1 3\r\nabc\r\nPONG\r\n');
    });

    it('answers a Ping with a Pong of the same payload', async () => {
      const t = await plain();
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      await ws.connectNats();
      ws.sendFrame('hello', { opcode: 9 });
      const f = await ws.readFrame();
      expect(f.opcode).toBe(10);
      expect(f.payload.toString()).toBe('hello');
    });

    it('echoes a client Close (status and body), then closes the connection', async () => {
      const t = await plain();
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      await ws.connectNats();
      const body = Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from('bye')]);
      ws.sendFrame(body, { opcode: 8 });
      const f = await ws.readFrame();
      expect(f.opcode).toBe(8);
      expect(closeInfo(f)).toEqual({ code: 1000, reason: 'bye' });
      await ws.waitClosed();
    });

    it('auth failure: -ERR in a data frame, then Close 1008 "Authentication Failure"', async () => {
      const t = await targets.get(kind, PLAIN, 'authorization { user: u, password: p }');
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      ws.send('CONNECT {"verbose":false,"user":"u","pass":"bad"}\r\n');
      expect(await ws.readText('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
      const f = await ws.readFrame();
      expect(f.opcode).toBe(8);
      expect(closeInfo(f)).toEqual({ code: 1008, reason: 'Authentication Failure' });
      await ws.waitClosed();
    });

    it('max payload violation: -ERR then Close 1009 "Maximum Message Payload Exceeded"', async () => {
      const t = await targets.get(kind, PLAIN, 'max_payload: 1024');
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      await ws.connectNats();
      ws.send(`PUB foo 2000\r\n${'x'.repeat(2000)}\r\n`);
      expect(await ws.readText('\r\n')).toBe("-ERR 'Maximum Payload Violation'\r\n");
      const f = await ws.readFrame();
      expect(closeInfo(f)).toEqual({ code: 1009, reason: 'Maximum Message Payload Exceeded' });
    });

    it('a protocol error: -ERR then Close 1002 "Protocol Violation"', async () => {
      const t = await plain();
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      await ws.connectNats();
      ws.send('NONSENSE\r\n');
      expect(await ws.readText('\r\n')).toBe("-ERR 'Unknown Protocol Operation'\r\n");
      expect(closeInfo(await ws.readFrame())).toEqual({ code: 1002, reason: 'Protocol Violation' });
    });
  });

  describe('websocket and TCP clients', () => {
    it('exchange messages both ways, including request/reply', async () => {
      const t = await plain();
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      await ws.connectNats();
      const tcp = track(await TcpNats.connect(t.target.port));
      await tcp.read('PONG\r\n');
      tcp.write('SUB to.tcp 1\r\nSUB service 2\r\nPING\r\n');
      await tcp.read('PONG\r\n');
      ws.send('SUB to.ws 5\r\nPUB to.tcp 5\r\nhello\r\nPING\r\n');
      await ws.readText('PONG\r\n');
      expect(await tcp.read('hello\r\n')).toBe('MSG to.tcp 1 5\r\nhello\r\n');
      tcp.write('PUB to.ws 3\r\nhey\r\n');
      expect(await ws.readText('hey\r\n')).toBe('MSG to.ws 5 3\r\nhey\r\n');
      // request from the websocket client, answered over TCP
      ws.send('SUB _INBOX.1 6\r\nPUB service _INBOX.1 4\r\nping\r\n');
      expect(await tcp.read('ping\r\n')).toBe('MSG service 2 _INBOX.1 4\r\nping\r\n');
      tcp.write('PUB _INBOX.1 4\r\npong\r\n');
      expect(await ws.readText('pong\r\n')).toBe('MSG _INBOX.1 6 4\r\npong\r\n');
    });
  });

  describe('auth', () => {
    const users = `authorization {
  users = [
    { user: web, password: w, allowed_connection_types: ["WEBSOCKET"] }
    { user: tcp, password: t, allowed_connection_types: ["STANDARD"] }
    { user: a, password: a, permissions: { publish: "a.>" } }
    { user: b, password: b, permissions: { publish: "b.>" } }
  ]
}`;

    it('allowed_connection_types: a ["WEBSOCKET"] user is accepted here and refused on TCP', async () => {
      const t = await targets.get(kind, PLAIN, users);
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      await ws.connectNats('{"verbose":false,"user":"web","pass":"w"}');
      const tcp = track(await TcpNats.connect(t.target.port, '{"verbose":false,"user":"web","pass":"w"}'));
      expect(await tcp.read('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
    });

    it('allowed_connection_types: a ["STANDARD"] user is refused here and accepted on TCP', async () => {
      const t = await targets.get(kind, PLAIN, users);
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      ws.send('CONNECT {"verbose":false,"user":"tcp","pass":"t"}\r\nPING\r\n');
      expect(await ws.readText('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
      const tcp = track(await TcpNats.connect(t.target.port, '{"verbose":false,"user":"tcp","pass":"t"}'));
      expect(await tcp.read('\r\n')).toBe('PONG\r\n');
    });

    it('websocket no_auth_user overrides the global no_auth_user for websocket clients', async () => {
      const t = await targets.get(kind, `${PLAIN}\n  no_auth_user: b`, `${users}\nno_auth_user: a`);
      const { ws, info } = await RawWsClient.open(t.wsPort);
      track(ws);
      expect(info.auth_required).toBe(true);
      await ws.connectNats('{"verbose":false}');
      ws.send('PUB a.x 0\r\n\r\nPUB b.x 0\r\n\r\nPING\r\n');
      expect(await ws.readText('PONG\r\n')).toBe(`-ERR 'Permissions Violation for Publish to "a.x"'\r\nPONG\r\n`);
      const tcp = track(await TcpNats.connect(t.target.port));
      await tcp.read('PONG\r\n');
      tcp.write('PUB b.x 0\r\n\r\nPING\r\n');
      expect(await tcp.read('PONG\r\n')).toBe(`-ERR 'Permissions Violation for Publish to "b.x"'\r\nPONG\r\n`);
    });

    it('authorization { token } in the websocket block applies to websocket clients only', async () => {
      const t = await targets.get(kind, `${PLAIN}\n  authorization { token: "ws-secret" }`);
      const { ws, info } = await RawWsClient.open(t.wsPort);
      track(ws);
      expect(info.auth_required).toBe(true);
      ws.send('CONNECT {"verbose":false}\r\nPING\r\n');
      expect(await ws.readText('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
      const ok = await RawWsClient.open(t.wsPort);
      track(ok.ws);
      await ok.ws.connectNats('{"verbose":false,"auth_token":"ws-secret"}');
      const tcp = track(await TcpNats.connect(t.target.port));
      expect(await tcp.read('\r\n')).toBe('PONG\r\n');
    });

    it('authorization { username password } in the websocket block', async () => {
      const t = await targets.get(kind, `${PLAIN}\n  authorization { username: wu, password: wp }`);
      const bad = await RawWsClient.open(t.wsPort);
      track(bad.ws);
      bad.ws.send('CONNECT {"verbose":false,"user":"wu","pass":"nope"}\r\n');
      expect(await bad.ws.readText('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
      const ok = await RawWsClient.open(t.wsPort);
      track(ok.ws);
      await ok.ws.connectNats('{"verbose":false,"user":"wu","pass":"wp"}');
    });

    it('authorization { timeout } in the websocket block sets the websocket auth timeout', async () => {
      const t = await targets.get(kind, `${PLAIN}\n  authorization { token: "x", timeout: 0.5 }`);
      const { ws } = await RawWsClient.open(t.wsPort);
      track(ws);
      const started = Date.now();
      expect(await ws.readText('\r\n', 3000)).toBe("-ERR 'Authentication Timeout'\r\n");
      const took = Date.now() - started;
      expect(took).toBeGreaterThan(300);
      expect(took).toBeLessThan(1500);
    });
  });
});
