import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { constants, inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Server } from '../../server.js';
import { closeOf, encodeFrame, RawWs, TEST_KEY, upgradeRequest } from './raw-client.test-util.js';

const fixture = (name: string) => resolve(import.meta.dirname, '../../../test-fixtures/tls', name);
const servers: Server[] = [];
const sockets: { close(): void }[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const s of servers.splice(0)) await s.shutdown();
});

async function start(ws: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Promise<Server> {
  const s = new Server({
    host: '127.0.0.1',
    port: -1,
    ...top,
    websocket: { host: '127.0.0.1', port: -1, no_tls: true, ...ws },
  });
  servers.push(s);
  await s.start();
  return s;
}

async function open(s: Server, extra: Record<string, string> = {}, path = '/'): Promise<RawWs> {
  const c = await RawWs.open(s.ws!.port, upgradeRequest(extra, path));
  sockets.push(c);
  return c;
}

async function client(
  s: Server,
  connect = 'CONNECT {"verbose":false}\r\n',
  extra: Record<string, string> = {},
): Promise<RawWs> {
  const c = await open(s, extra);
  const a = await c.readAnswer();
  expect(a.status).toBe(101);
  await c.readUntil('INFO ');
  c.send(`${connect}PING\r\n`);
  await c.readUntil('PONG\r\n');
  return c;
}

function tcp(s: Server): Promise<{ sock: Socket; read: (text: string) => Promise<string> }> {
  return new Promise((resolve) => {
    const sock = connect({ port: s.port, host: '127.0.0.1' }, () => {
      let acc = '';
      const waiters: (() => void)[] = [];
      sock.on('data', (d) => {
        acc += d.toString('latin1');
        for (const w of waiters.splice(0)) w();
      });
      sockets.push({ close: () => sock.destroy() });
      const read = async (text: string): Promise<string> => {
        const deadline = Date.now() + 2000;
        while (!acc.includes(text)) {
          if (Date.now() > deadline) throw new Error(`tcp: no ${JSON.stringify(text)} in ${JSON.stringify(acc)}`);
          await new Promise<void>((r) => {
            waiters.push(r);
            setTimeout(r, 50);
          });
        }
        return acc;
      };
      resolve({ sock, read });
    });
  });
}

describe('websocket listener: upgrade and framing', () => {
  it('answers 101 with the RFC 6455 accept key and sends INFO in one binary frame', async () => {
    const s = await start({}, {});
    const c = await open(s);
    const a = await c.readAnswer();
    expect(a.status).toBe(101);
    const accept = createHash('sha1').update(`${TEST_KEY}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    expect(a.headers.get('sec-websocket-accept')).toBe(accept);
    expect(a.headers.get('upgrade')).toBe('websocket');
    expect(a.headers.get('connection')).toBe('Upgrade');
    expect(a.headers.has('uwebsockets')).toBe(false);
    expect(a.headers.has('sec-websocket-protocol')).toBe(false);
    const f = await c.readFrame();
    expect(f.opcode).toBe(2);
    expect(f.fin).toBe(true);
    expect(f.rsv).toBe(0);
    const info = JSON.parse(f.payload.toString().slice(5, -3)) as Record<string, unknown>;
    expect(info.port).toBe(s.ws!.port);
    expect(info.host).toBe('127.0.0.1');
    expect(info.client_ip).toBe('127.0.0.1');
    expect(s.ws!.stats.upgrades).toBe(1);
  });

  it('adds the configured headers to the 101', async () => {
    const s = await start({ headers: { 'Strict-Transport-Security': 'max-age=31536000', 'X-Extra': 'yes' } });
    const a = await (await open(s)).readAnswer();
    expect(a.status).toBe(101);
    expect(a.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(a.headers.get('x-extra')).toBe('yes');
  });

  it('reassembles ops split across frames and handles many ops per frame (text frames too)', async () => {
    const s = await start();
    const c = await open(s);
    await c.readAnswer();
    await c.readUntil('INFO');
    c.send('CONNECT {"verbose":false}\r\nSU');
    c.sendFrame('B foo 1\r\nPUB foo 5\r\nhel', { opcode: 1 });
    c.send('lo\r\nPING\r\n');
    const got = await c.readUntil('PONG\r\n');
    expect(got).toBe('MSG foo 1 5\r\nhello\r\nPONG\r\n');
    // Fragmented message: first binary frame without FIN, then a continuation.
    c.sendFrame('PUB foo 2\r\n', { fin: false });
    c.sendFrame('ok\r\nPING\r\n', { opcode: 0 });
    expect(await c.readUntil('PONG\r\n')).toBe('MSG foo 1 2\r\nok\r\nPONG\r\n');
  });

  it('flushes once per event-loop turn, not once per inbound message', async () => {
    const s = await start();
    const sub = await client(s);
    sub.send('SUB one 1\r\nPING\r\n');
    await sub.readUntil('PONG');
    const pub = await client(s);
    // 200 messages, one op per frame, all in one TCP write.
    pub.socket.write(
      Buffer.concat(
        Array.from({ length: 200 }, (_, i) =>
          encodeFrame(Buffer.from(`PUB one 3\r\n${String(i).padStart(3, '0')}\r\n`)),
        ),
      ),
    );
    let text = '';
    let frames = 0;
    while ((text.match(/MSG one/g) ?? []).length < 200) {
      text += (await sub.readFrame()).payload.toString();
      frames++;
    }
    expect(text.endsWith('MSG one 1 3\r\n199\r\n')).toBe(true);
    expect(frames).toBeLessThan(20);
  });

  it('answers a Ping frame with a Pong carrying the same payload', async () => {
    const s = await start();
    const c = await client(s);
    c.sendFrame('abc', { opcode: 9 });
    const f = await c.readFrame();
    expect(f.opcode).toBe(10);
    expect(f.payload.toString()).toBe('abc');
  });

  it('exchanges messages with a TCP client both ways', async () => {
    const s = await start();
    const w = await client(s);
    const t = await tcp(s);
    await t.read('INFO');
    t.sock.write('CONNECT {"verbose":false}\r\nSUB from.ws 1\r\nPING\r\n');
    await t.read('PONG');
    w.send('SUB from.tcp 7\r\nPING\r\n');
    await w.readUntil('PONG');
    w.send('PUB from.ws 2\r\nhi\r\n');
    await t.read('MSG from.ws 1 2\r\nhi\r\n');
    t.sock.write('PUB from.tcp 3\r\nyes\r\n');
    expect(await w.readUntil('yes')).toBe('MSG from.tcp 7 3\r\nyes\r\n');
  });

  it('negotiates permessage-deflate as nats-server answers it and compresses batches over 64 bytes', async () => {
    const s = await start({ compression: true });
    const c = await open(s, { 'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits' });
    const a = await c.readAnswer();
    expect(a.headers.get('sec-websocket-extensions')).toMatch(
      /^permessage-deflate; (client_no_context_takeover; server_no_context_takeover|server_no_context_takeover; client_no_context_takeover)$/,
    );
    const f = await c.readFrame();
    expect(f.rsv).toBe(4); // RSV1: compressed
    const text = inflateRawSync(Buffer.concat([f.payload, Buffer.from([0, 0, 0xff, 0xff])]), {
      finishFlush: constants.Z_SYNC_FLUSH,
    }).toString();
    expect(text.startsWith('INFO {')).toBe(true);
    c.send('CONNECT {"verbose":false}\r\nPING\r\n');
    const pong = await c.readFrame();
    expect(pong.rsv).toBe(0); // 6 bytes: sent as is
    expect(pong.payload.toString()).toBe('PONG\r\n');
  });

  it('does not negotiate compression unless configured', async () => {
    const s = await start();
    const a = await (await open(s, { 'Sec-WebSocket-Extensions': 'permessage-deflate' })).readAnswer();
    expect(a.status).toBe(101);
    expect(a.headers.has('sec-websocket-extensions')).toBe(false);
  });

  it('closes a leafnode-path upgrade after the 101 (no leafnode endpoint yet)', async () => {
    const s = await start();
    const c = await open(s, {}, '/leafnode');
    expect((await c.readAnswer()).status).toBe(101);
    await c.waitClosed();
    expect(s.clients.size).toBe(0);
  });
});

describe('websocket listener: refusals and limits', () => {
  it('counts refused handshakes per status and answers nats-server’s error response', async () => {
    const s = await start();
    const post = await RawWs.open(s.ws!.port, upgradeRequest({}, '/', 'POST'));
    sockets.push(post);
    const a = await post.readAnswer();
    expect(a.status).toBe(405);
    expect(a.body).toBe('Method Not Allowed\n');
    expect(a.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(a.headers.get('sec-websocket-version')).toBe('13');
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    const bad = await open(s, { 'Sec-WebSocket-Version': '8' });
    expect((await bad.readAnswer()).status).toBe(400);
    const mqtt = await open(s, {}, '/mqtt');
    expect((await mqtt.readAnswer()).status).toBe(404);
    const shortKey = await open(s, { 'Sec-WebSocket-Key': 'abc' });
    expect((await shortKey.readAnswer()).status).toBe(400);
    expect(Object.fromEntries(s.ws!.stats.rejected)).toEqual({ 400: 2, 404: 1, 405: 1 });
    expect(s.ws!.stats.rejectedTotal).toBe(4);
    expect(s.ws!.stats.upgrades).toBe(0);
  });

  it('enforces allowed_origins with 403 and lets origin-less clients through', async () => {
    const s = await start({ allowed_origins: ['http://good.example.com'] });
    expect((await (await open(s, { Origin: 'http://evil.example.com' })).readAnswer()).status).toBe(403);
    expect((await (await open(s, { Origin: 'http://good.example.com:80' })).readAnswer()).status).toBe(101);
    expect((await (await open(s)).readAnswer()).status).toBe(101);
    expect(Object.fromEntries(s.ws!.stats.rejected)).toEqual({ 403: 1 });
  });

  it('sends -ERR then Close 1008 "Authentication Failure" on an auth violation', async () => {
    const s = await start({}, { authorization: { user: 'u', password: 'p' } });
    const c = await open(s);
    await c.readAnswer();
    await c.readUntil('INFO');
    c.send('CONNECT {"verbose":false,"user":"u","pass":"wrong"}\r\n');
    expect(await c.readUntil('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
    const close = await c.readFrame();
    expect(close.opcode).toBe(8);
    expect(closeOf(close)).toEqual({ code: 1008, reason: 'Authentication Failure' });
    await c.waitClosed();
  });

  it('closes on a frame over the message limit; other connections are unaffected', async () => {
    const s = await start({}, { max_payload: 1024 });
    const victim = await client(s);
    const other = await client(s);
    // Header only: announces 2 MB, far over max_payload + max_control_line + slack.
    victim.socket.write(Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0x20, 0, 0, 1, 2, 3, 4]));
    await victim.waitClosed();
    expect(s.ws!.stats.frameErrors).toBe(1);
    other.send('PING\r\n');
    await other.readUntil('PONG');
    const closed = s.closedConnections().at(-1);
    expect(closed?.reason).toBe('Maximum Message Payload Exceeded');
  });

  it('a PUB over max_payload inside an accepted frame gets nats-server’s -ERR and Close 1009', async () => {
    const s = await start({}, { max_payload: 1024 });
    const c = await client(s);
    c.send(`PUB foo 2000\r\n${'x'.repeat(2000)}\r\n`);
    expect(await c.readUntil('\r\n')).toBe("-ERR 'Maximum Payload Violation'\r\n");
    expect(closeOf(await c.readFrame())).toEqual({ code: 1009, reason: 'Maximum Message Payload Exceeded' });
  });

  it('closes a websocket subscriber that does not read as a slow consumer', async () => {
    const s = await start({}, { max_pending: 256 * 1024, max_payload: 64 * 1024 });
    const sub = await client(s);
    sub.send('SUB big 1\r\nPING\r\n');
    await sub.readUntil('PONG');
    sub.socket.pause();
    const t = await tcp(s);
    await t.read('INFO');
    t.sock.write('CONNECT {"verbose":false}\r\n');
    const msg = `PUB big 1024\r\n${'x'.repeat(1024)}\r\n`.repeat(64);
    const deadline = Date.now() + 10_000;
    while (s.clients.size === 2 && Date.now() < deadline) {
      await new Promise<void>((r) => t.sock.write(msg, () => r()));
    }
    expect(s.clients.size).toBe(1);
    expect(s.closedConnections().at(-1)?.reason).toBe('Slow Consumer (Pending Bytes)');
    expect(s.stats().slowConsumers).toBe(1);
  });

  it('refuses past max_connections with INFO, -ERR and Close 1008', async () => {
    const s = await start({}, { max_connections: 1 });
    await client(s);
    const c = await open(s);
    expect((await c.readAnswer()).status).toBe(101);
    const text = await c.readUntil("-ERR 'maximum connections exceeded'\r\n");
    expect(text.startsWith('INFO ')).toBe(true);
    expect((await c.readFrame()).opcode).toBe(8);
  });
});

describe('websocket listener: auth', () => {
  const users = {
    authorization: {
      users: [
        { user: 'alice', password: 'a-pass', permissions: { publish: 'alice.>' } },
        { user: 'webonly', password: 'w', allowed_connection_types: ['WEBSOCKET'] },
        { user: 'tcponly', password: 't', allowed_connection_types: ['STANDARD'] },
      ],
    },
  };

  it('allowed_connection_types: WEBSOCKET users pass here, STANDARD users do not', async () => {
    const s = await start({}, users);
    await client(s, 'CONNECT {"verbose":false,"user":"webonly","pass":"w"}\r\n');
    const c = await open(s);
    await c.readAnswer();
    await c.readUntil('INFO');
    c.send('CONNECT {"verbose":false,"user":"tcponly","pass":"t"}\r\n');
    expect(await c.readUntil('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
  });

  it('websocket no_auth_user overrides the global one', async () => {
    const s = await start({ no_auth_user: 'alice' }, { ...users, no_auth_user: 'webonly' });
    const c = await client(s, 'CONNECT {"verbose":false}\r\n');
    c.send('PUB bob.x 0\r\n\r\nPING\r\n');
    expect(await c.readUntil('PONG')).toBe(`-ERR 'Permissions Violation for Publish to "bob.x"'\r\nPONG\r\n`);
  });

  it('cookies fill empty CONNECT fields (user_cookie / pass_cookie / token_cookie)', async () => {
    const s = await start({ user_cookie: 'nu', pass_cookie: 'np' }, users);
    const c = await client(s, 'CONNECT {"verbose":false}\r\n', { Cookie: 'nu=alice; np=a-pass' });
    c.send('PUB bob.x 0\r\n\r\nPING\r\n');
    expect(await c.readUntil('PONG')).toContain('Permissions Violation');
    const t = await start({ token_cookie: 'tok' }, { authorization: { token: 's3cret' } });
    await client(t, 'CONNECT {"verbose":false}\r\n', { Cookie: 'tok=s3cret' });
  });

  it('the authorization override block applies to websocket clients only', async () => {
    const s = await start({ authorization: { token: 'ws-token' } });
    const c = await open(s);
    await c.readAnswer();
    const info = (await c.readUntil('\r\n')).slice(5, -3);
    expect(JSON.parse(info).auth_required).toBe(true);
    c.send('CONNECT {"verbose":false}\r\n');
    expect(await c.readUntil('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
    await client(s, 'CONNECT {"verbose":false,"auth_token":"ws-token"}\r\n');
    const t = await tcp(s);
    const tcpInfo = await t.read('\r\n');
    expect(tcpInfo).not.toContain('auth_required');
  });
});

describe('websocket listener: handshake auth (Starling extension)', () => {
  const config = {
    authorization: {
      users: [
        { user: 'alice', password: 'a-pass', permissions: { publish: 'alice.>' } },
        { user: 'bob', password: 'b-pass' },
        { user: 'tcponly', password: 't', allowed_connection_types: ['STANDARD'] },
      ],
    },
  };
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  it('refuses missing and bad credentials with 401 before any 101', async () => {
    const s = await start({ handshake_auth: true }, config);
    const none = await (await open(s)).readAnswer();
    expect(none.status).toBe(401);
    expect(none.body).toBe('Unauthorized\n');
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="nats"');
    expect((await (await open(s, { Authorization: basic('alice', 'nope') })).readAnswer()).status).toBe(401);
    expect((await (await open(s, { Authorization: 'Basic %%%' })).readAnswer()).status).toBe(401);
    expect((await (await open(s, { Authorization: 'Negotiate abc' })).readAnswer()).status).toBe(401);
    expect(s.ws!.stats.rejected.get(401)).toBe(4);
    expect(s.clients.size).toBe(0);
  });

  it('refuses a user whose connection types exclude WEBSOCKET with 403', async () => {
    const s = await start({ handshake_auth: true }, config);
    expect((await (await open(s, { Authorization: basic('tcponly', 't') })).readAnswer()).status).toBe(403);
  });

  it('upgrades good credentials; the CONNECT may omit or repeat them', async () => {
    const s = await start({ handshake_auth: true }, config);
    const c = await client(s, 'CONNECT {"verbose":false}\r\n', { Authorization: basic('alice', 'a-pass') });
    c.send('PUB bob.x 0\r\n\r\nPING\r\n');
    expect(await c.readUntil('PONG')).toContain('Permissions Violation'); // bound to alice
    await client(s, 'CONNECT {"verbose":false,"user":"alice","pass":"a-pass"}\r\n', {
      Authorization: basic('alice', 'a-pass'),
    });
  });

  it('refuses a CONNECT that switches to another identity, and a first op other than CONNECT', async () => {
    const s = await start({ handshake_auth: true }, config);
    const c = await open(s, { Authorization: basic('alice', 'a-pass') });
    expect((await c.readAnswer()).status).toBe(101);
    await c.readUntil('INFO');
    c.send('CONNECT {"verbose":false,"user":"bob",');
    c.send('"pass":"b-pass"}\r\nPING\r\n');
    expect(await c.readUntil('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
    expect(closeOf(await c.readFrame()).code).toBe(1008);
    const p = await open(s, { Authorization: basic('alice', 'a-pass') });
    await p.readAnswer();
    await p.readUntil('INFO');
    p.send('PING\r\n');
    expect(await p.readUntil('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
  });

  it('takes a token from the API-key header and a bearer token', async () => {
    const s = await start({ handshake_auth: true, api_key_header: 'apikey' }, { authorization: { token: 's3cret' } });
    expect((await (await open(s, { apikey: 'wrong' })).readAnswer()).status).toBe(401);
    await client(s, 'CONNECT {"verbose":false}\r\n', { apikey: 's3cret' });
    await client(s, 'CONNECT {"verbose":false}\r\n', { Authorization: 'Bearer s3cret' });
  });

  it('checks cookies at the handshake too', async () => {
    const s = await start({ handshake_auth: true, user_cookie: 'u', pass_cookie: 'p' }, config);
    expect((await (await open(s, { Cookie: 'u=alice; p=bad' })).readAnswer()).status).toBe(401);
    await client(s, 'CONNECT {"verbose":false}\r\n', { Cookie: 'u=alice; p=a-pass' });
  });
});

describe('websocket listener: trusted proxies (Starling extension)', () => {
  it('takes the client IP from X-Forwarded-For only from a trusted peer', async () => {
    const s = await start({ trusted_proxies: ['127.0.0.1/32'] });
    const c = await open(s, { 'X-Forwarded-For': '198.51.100.1, 203.0.113.7' });
    await c.readAnswer();
    const info = JSON.parse((await c.readUntil('\r\n')).slice(5, -3)) as { client_ip: string };
    expect(info.client_ip).toBe('203.0.113.7');
    expect([...s.clients.values()][0]?.host).toBe('203.0.113.7');

    const u = await start({ trusted_proxies: ['10.0.0.0/8'] });
    const d = await open(u, { 'X-Forwarded-For': '203.0.113.7', 'X-Real-IP': '203.0.113.8' });
    await d.readAnswer();
    expect(JSON.parse((await d.readUntil('\r\n')).slice(5, -3)).client_ip).toBe('127.0.0.1');
  });

  it('refuses to start with an invalid entry', async () => {
    const s = new Server({ port: -1, websocket: { port: -1, no_tls: true, trusted_proxies: ['nope'] } });
    servers.push(s);
    await expect(s.start()).rejects.toThrow(/invalid trusted_proxies entry "nope"/);
  });
});

describe('websocket listener: start-up', () => {
  it('serves wss:// with the tls block; INFO says tls_required', async () => {
    const s = new Server({
      host: '127.0.0.1',
      port: -1,
      websocket: {
        host: '127.0.0.1',
        port: -1,
        tls: { cert_file: fixture('server.pem'), key_file: fixture('server-key.pem') },
      },
    });
    servers.push(s);
    await s.start();
    expect(s.ws!.url).toBe(`wss://127.0.0.1:${s.ws!.port}`);
    const c = await RawWs.open(s.ws!.port, upgradeRequest(), true);
    sockets.push(c);
    expect((await c.readAnswer()).status).toBe(101);
    const info = JSON.parse((await c.readUntil('\r\n')).slice(5, -3)) as Record<string, unknown>;
    expect(info.tls_required).toBe(true);
    c.send('CONNECT {"verbose":false}\r\nPING\r\n');
    await c.readUntil('PONG');
    // The client port has no TLS: its INFO is unchanged.
    const t = await tcp(s);
    expect(await t.read('\r\n')).not.toContain('tls_required');
  });

  it('refuses TLS settings uWebSockets.js cannot honour', async () => {
    const s = new Server({
      port: -1,
      websocket: {
        port: -1,
        tls: { cert_file: fixture('server.pem'), key_file: fixture('server-key.pem'), verify: true },
      },
    });
    servers.push(s);
    await expect(s.start()).rejects.toThrow(/websocket.tls: verify not supported/);
  });

  it('fails clearly when the port is taken', async () => {
    const a = await start();
    const b = new Server({ port: -1, websocket: { host: '127.0.0.1', port: a.ws!.port, no_tls: true } });
    servers.push(b);
    await expect(b.start()).rejects.toThrow(/Unable to listen for websocket connections: listen tcp 127.0.0.1:\d+/);
  });
});
