import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from './raw-client.test-util.js';
import { Server } from './server.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.shutdown();
});

async function start(config: Record<string, unknown>): Promise<Server> {
  const s = new Server({ host: '127.0.0.1', port: -1, ...config });
  await s.start();
  servers.push(s);
  return s;
}

async function login(s: Server, user: string, extra = ''): Promise<RawClient> {
  const c = await RawClient.open(s.port);
  c.send(`CONNECT {"verbose":false,"user":"${user}","pass":"${user}"${extra}}\r\nPING\r\n`);
  await c.waitFor(/PONG\r\n/);
  c.buf = '';
  return c;
}

const ACCOUNTS = {
  accounts: {
    A: {
      users: [{ user: 'a', password: 'a' }],
      exports: [{ stream: 'events.>' }, { service: 'svc.echo' }, { stream: 'private.>', accounts: ['C'] }],
    },
    B: {
      users: [{ user: 'b', password: 'b' }],
      imports: [
        { stream: { account: 'A', subject: 'events.>' }, prefix: 'fromA' },
        { service: { account: 'A', subject: 'svc.echo' }, to: 'echo' },
      ],
    },
    C: { users: [{ user: 'c', password: 'c' }] },
  },
};

describe('accounts', () => {
  it('isolate subjects between accounts', async () => {
    const s = await start(ACCOUNTS);
    const a = await login(s, 'a');
    const c = await login(s, 'c');
    c.send('SUB iso 1\r\nPING\r\n');
    await c.waitFor(/PONG/);
    c.buf = '';
    a.send('PUB iso 2\r\nhi\r\nPING\r\n');
    await a.waitFor(/PONG/);
    c.send('PING\r\n');
    await c.waitFor(/PONG/);
    expect(c.buf).toBe('PONG\r\n');
  });

  it('stream import delivers the exporter messages under the prefix', async () => {
    const s = await start(ACCOUNTS);
    const a = await login(s, 'a');
    const b = await login(s, 'b');
    b.send('SUB fromA.events.> 7\r\nPING\r\n');
    await b.waitFor(/PONG/);
    b.buf = '';
    a.send('PUB events.x r.1 3\r\nabc\r\n');
    await b.waitFor(/MSG fromA\.events\.x 7 r\.1 3\r\nabc\r\n/);
  });

  it('service import forwards requests and routes the response back', async () => {
    const s = await start(ACCOUNTS);
    const a = await login(s, 'a');
    const b = await login(s, 'b');
    a.send('SUB svc.echo 1\r\nPING\r\n');
    await a.waitFor(/PONG/);
    b.send('SUB my.inbox 9\r\nPUB echo my.inbox 4\r\nping\r\n');
    const m = await a.waitFor(/MSG svc\.echo 1 (_R_\.[^ ]+) 4\r\nping\r\n/);
    a.send(`PUB ${m[1]} 4\r\npong\r\n`);
    await b.waitFor(/MSG my\.inbox 9 4\r\npong\r\n/);
    // single response: a second answer on the same reply goes nowhere
    b.buf = '';
    a.send(`PUB ${m[1]} 5\r\nagain\r\nPING\r\n`);
    await a.waitFor(/PONG/);
    b.send('PING\r\n');
    await b.waitFor(/PONG/);
    expect(b.buf).toBe('PONG\r\n');
  });

  it('a service request with no responder gets no 503 (the import counts as a receiver, as in 2.9.10)', async () => {
    const s = await start(ACCOUNTS);
    const b = await login(s, 'b', ',"headers":true,"no_responders":true');
    b.send('SUB my.inbox 9\r\nPUB echo my.inbox 4\r\nping\r\nPING\r\n');
    await b.waitFor(/PONG\r\n/);
    await new Promise((r) => setTimeout(r, 100));
    expect(b.buf).toBe('PONG\r\n');
    // a subject nobody listens on still gets the 503
    b.buf = '';
    b.send('PUB not.imported my.inbox 1\r\nx\r\n');
    await b.waitFor(/HMSG my\.inbox 9 16 16\r\nNATS\/1\.0 503\r\n\r\n\r\n/);
  });

  it('account max_connections refuses the connection past the limit', async () => {
    const s = await start({
      accounts: { L: { users: [{ user: 'l', password: 'l' }], limits: { max_connections: 1 } } },
    });
    await login(s, 'l');
    const c = await RawClient.open(s.port);
    c.send('CONNECT {"verbose":false,"user":"l","pass":"l"}\r\nPING\r\n');
    await c.waitFor(/-ERR 'maximum account active connections exceeded'\r\n/);
    await c.waitClosed();
  });
});

describe('reload with auth changes', () => {
  it('re-checks live connections: a removed user is closed, others keep working with new permissions', async () => {
    const base = {
      authorization: {
        users: [
          { user: 'keep', password: 'keep' },
          { user: 'gone', password: 'gone' },
        ],
      },
    };
    const s = await start(base);
    const keep = await login(s, 'keep');
    const gone = await login(s, 'gone');
    const err = s.reload({
      host: '127.0.0.1',
      port: -1,
      authorization: {
        users: [{ user: 'keep', password: 'keep', permissions: { publish: { deny: ['secret'] } } }],
      },
    });
    expect(err).toBeNull();
    await gone.waitFor(/-ERR 'Authorization Violation'\r\n/);
    await gone.waitClosed();
    keep.send('PUB secret 1\r\nx\r\nPING\r\n');
    await keep.waitFor(/-ERR 'Permissions Violation for Publish to "secret"'\r\nPONG\r\n/);
  });
});
