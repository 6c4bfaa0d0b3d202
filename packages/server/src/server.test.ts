import { afterEach, describe, expect, it } from 'vitest';
import { ClosedReason } from './closed-reason.js';
import { RawClient } from './raw-client.test-util.js';
import { Server } from './server.js';

const servers: Server[] = [];
async function startServer(opts: Record<string, unknown> = {}): Promise<Server> {
  const s = new Server({ host: '127.0.0.1', port: -1, ...opts });
  await s.start();
  servers.push(s);
  return s;
}

afterEach(async () => {
  for (const s of servers.splice(0)) await s.shutdown();
});

describe('Server over TCP', () => {
  it('sends INFO with a space before CRLF and routes PUB to SUB', async () => {
    const s = await startServer();
    const c = await RawClient.open(s.port);
    const m = await c.waitFor(/^INFO (\{.*\}) \r\n/);
    const info = JSON.parse(m[1]!);
    expect(info.port).toBe(s.port);
    expect(info.headers).toBe(true);
    expect(info.max_payload).toBe(1048576);
    c.send('CONNECT {"verbose":false}\r\nSUB foo 1\r\nPUB foo 5\r\nhello\r\nPING\r\n');
    await c.waitFor(/MSG foo 1 5\r\nhello\r\nPONG\r\n$/);
  });

  it('refuses past max_connections with INFO then -ERR', async () => {
    const s = await startServer({ max_connections: 1 });
    const a = await RawClient.open(s.port);
    await a.waitFor(/^INFO /);
    const b = await RawClient.open(s.port);
    await b.waitFor(/^INFO .* \r\n-ERR 'maximum connections exceeded'\r\n$/s);
    await b.waitClosed();
    expect(a.closed).toBe(false);
  });

  it('closes a slow consumer past max_pending without disturbing others', async () => {
    const s = await startServer({ max_pending: 100_000, max_payload: 65536 });
    const slow = await RawClient.open(s.port);
    slow.sock.pause(); // never reads
    slow.send('CONNECT {"verbose":false}\r\nSUB big 1\r\nPING\r\n');
    const other = await RawClient.open(s.port);
    other.send('CONNECT {"verbose":false}\r\nSUB small 2\r\n');
    const pub = await RawClient.open(s.port);
    pub.send('CONNECT {"verbose":false}\r\nPING\r\n');
    await pub.waitFor(/PONG/);
    const payload = 'x'.repeat(60_000);
    const closed = new Promise<string>((resolve) => {
      s.on('client:disconnect', (_c, reason) => resolve(reason));
    });
    for (let i = 0; i < 200; i++) pub.send(`PUB big ${payload.length}\r\n${payload}\r\n`);
    expect(await closed).toBe(ClosedReason.SLOW_CONSUMER_PENDING);
    expect(s.slowConsumers).toBe(1);
    pub.send('PUB small 2\r\nok\r\n');
    await other.waitFor(/MSG small 2 2\r\nok\r\n/, 5000);
  });

  it('reload refuses a non-reloadable change and applies a reloadable one', async () => {
    const s = await startServer();
    expect(s.reload({ host: '127.0.0.1', port: -1, max_pending: 100_000_000 })).toMatch(
      /^config reload not supported for MaxPending: old=67108864, new=100000000$/,
    );
    expect(s.reload({ host: '127.0.0.1', port: -1, max_payload: 512 })).toBeNull();
    const c = await RawClient.open(s.port);
    const m = await c.waitFor(/^INFO (\{.*\}) \r\n/);
    expect(JSON.parse(m[1]!).max_payload).toBe(512);
  });

  it('lame duck mode sends INFO ldm to proto-1 clients then closes them', async () => {
    const s = await startServer({ lame_duck_duration: '30s', lame_duck_grace_period: '200ms' });
    const c = await RawClient.open(s.port);
    c.send('CONNECT {"verbose":false,"protocol":1}\r\nPING\r\n');
    await c.waitFor(/PONG\r\n/);
    // The server's first PING arrives later; a PONG from us is what enables async INFO.
    c.send('PONG\r\n');
    await new Promise((r) => setTimeout(r, 50));
    const done = s.lameDuck();
    await c.waitFor(/INFO \{.*"ldm":true.*\} \r\n/);
    await c.waitClosed(3000);
    await done;
  });
});

describe('in-process connections', () => {
  it('speak the protocol over a Duplex stream with no socket', async () => {
    const s = await startServer();
    const stream = s.connectInProcess();
    let got = '';
    stream.setEncoding('latin1');
    stream.on('data', (d: string) => {
      got += d;
    });
    stream.write('CONNECT {"verbose":false}\r\nSUB x 9\r\nPUB x 2\r\nhi\r\nPING\r\n');
    const end = Date.now() + 2000;
    while (!got.includes('PONG') && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    expect(got).toMatch(/^INFO \{.*"client_ip":"in-process".*\} \r\nMSG x 9 2\r\nhi\r\nPONG\r\n$/s);
    stream.destroy();
  });
});
