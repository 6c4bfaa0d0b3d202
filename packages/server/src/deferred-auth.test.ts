// An uncached bcrypt check must not stall the server: the CONNECT's client waits (its input
// is held and replayed in order), everyone else is served meanwhile.
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from './raw-client.test-util.js';
import { Server } from './server.js';

// bcrypt (cost 11) of "s3cret": ~200 ms per check on this machine.
const HASH = '$2b$11$uGi2UCBUGk1UCyvpHLRVH.UwWjbe/rvUY7jCj2PQyIiPNr4jlWNFy';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.shutdown();
});

describe('deferred (bcrypt) authentication', () => {
  it('holds the pipelined ops behind CONNECT, replays them in order, and keeps serving others', async () => {
    const s = new Server({
      host: '127.0.0.1',
      port: -1,
      authorization: {
        users: [
          { user: 'slow', password: HASH },
          { user: 'fast', password: 'fast' },
        ],
      },
    });
    await s.start();
    servers.push(s);
    const fast = await RawClient.open(s.port);
    fast.send('CONNECT {"verbose":false,"user":"fast","pass":"fast"}\r\nPING\r\n');
    await fast.waitFor(/PONG\r\n/);

    const slow = await RawClient.open(s.port);
    await slow.waitFor(/^INFO /);
    slow.buf = '';
    // Server and test share this process: a blocked event loop shows up as a long gap
    // between ticks of this timer.
    let last = performance.now();
    let maxGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 2);
    slow.send('CONNECT {"verbose":true,"user":"slow","pass":"s3cret"}\r\nSUB q 1\r\nPUB q 2\r\nhi\r\nPING\r\n');
    // While bcrypt runs, the other client is answered.
    await new Promise((r) => setTimeout(r, 20));
    fast.buf = '';
    fast.send('PING\r\n');
    await fast.waitFor(/PONG\r\n/);
    await slow.waitFor(/PONG\r\n/, 5000);
    clearInterval(ticker);
    expect(slow.buf).toBe('+OK\r\n+OK\r\n+OK\r\nMSG q 1 2\r\nhi\r\nPONG\r\n');
    // A synchronous bcrypt check (cost 11) blocks ~150-200 ms here.
    expect(maxGap).toBeLessThan(80);
  });

  it('a wrong password is refused after the check, and nothing held is processed', async () => {
    const s = new Server({ host: '127.0.0.1', port: -1, authorization: { users: [{ user: 'slow', password: HASH }] } });
    await s.start();
    servers.push(s);
    const c = await RawClient.open(s.port);
    await c.waitFor(/^INFO /);
    c.buf = '';
    c.send('CONNECT {"verbose":false,"user":"slow","pass":"nope"}\r\nSUB q 1\r\nPING\r\n');
    await c.waitClosed(5000);
    expect(c.buf).toBe("-ERR 'Authorization Violation'\r\n");
  });
});
