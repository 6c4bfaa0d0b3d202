// Server PINGs, ping_max and Stale Connection timing (client-protocol §2.5, §9). These cases
// wait seconds by nature; they run concurrently in wire-timing.test.ts.
import { type CaseGroup, expect, info, nothing, send } from '../src/case.js';
import { type WireClient, WireError } from '../src/wire.js';

const FAST = 'ping_interval: "1s"\n';

function within(what: string, ms: number, lo: number, hi: number): void {
  if (ms < lo || ms > hi) throw new WireError(`${what} after ${ms} ms, want ${lo}–${hi} ms`);
}

/** Consumes `PING\r\n` and returns the ms since `t0`. */
async function nextPing(c: WireClient, t0: number, timeoutMs = 3000): Promise<number> {
  await c.expect('PING\r\n', timeoutMs);
  return Date.now() - t0;
}

export const keepaliveGroup: CaseGroup = {
  name: 'keepalive',
  cases: [
    {
      name: 'ping_interval 1s, silent client: PING at ~1.0–1.2 s, PING ~1 s later, then -ERR Stale Connection and close',
      ref: 'client-protocol §9',
      config: FAST,
      timeoutMs: 10_000,
      async run(ctx) {
        const c = await ctx.connect();
        await c.expectInfo();
        c.send('CONNECT {"verbose":false}\r\n');
        const t0 = Date.now();
        const p1 = await nextPing(c, t0);
        within('first PING', p1, 900, 1500);
        const p2 = await nextPing(c, t0);
        within('second PING (gap)', p2 - p1, 750, 1300);
        await c.expect("-ERR 'Stale Connection'\r\n", 3000);
        within('Stale Connection (gap)', Date.now() - t0 - p2, 750, 1300);
        await c.expectClosed(500);
      },
    },
    {
      name: 'ping_max 1: one unanswered PING, then Stale Connection one interval later',
      config: `${FAST}ping_max: 1\n`,
      timeoutMs: 10_000,
      async run(ctx) {
        const c = await ctx.connect();
        await c.expectInfo();
        c.send('CONNECT {"verbose":false}\r\n');
        const t0 = Date.now();
        const p1 = await nextPing(c, t0);
        within('first PING', p1, 900, 1500);
        await c.expect("-ERR 'Stale Connection'\r\n", 3000);
        within('Stale Connection (gap)', Date.now() - t0 - p1, 750, 1300);
        await c.expectClosed(500);
      },
    },
    {
      name: 'the ping timer runs from accept: no CONNECT still gets PINGs and Stale Connection',
      config: FAST,
      timeoutMs: 10_000,
      async run(ctx) {
        const c = await ctx.connect();
        await c.expectInfo();
        const t0 = Date.now();
        within('first PING', await nextPing(c, t0), 900, 1500);
        await nextPing(c, t0);
        await c.expect("-ERR 'Stale Connection'\r\n", 3000);
        within('Stale Connection', Date.now() - t0, 2700, 3700);
        await c.expectClosed(500);
      },
    },
    {
      name: 'answering each PING with PONG keeps the connection (4 s, ≥3 PINGs)',
      ref: 'client-protocol §9',
      config: FAST,
      timeoutMs: 10_000,
      async run(ctx) {
        const c = await ctx.connect();
        await c.expectInfo();
        c.send('CONNECT {"verbose":false}\r\n');
        const t0 = Date.now();
        let pings = 0;
        while (Date.now() - t0 < 4000) {
          await c.expect('PING\r\n', 2000);
          pings++;
          c.send('PONG\r\n');
        }
        if (pings < 3) throw new WireError(`only ${pings} PINGs in 4 s`);
        await c.ping();
      },
    },
    {
      name: 'client activity suppresses later PINGs (only the first, RTT PING is sent) and no Stale Connection',
      ref: 'client-protocol §9',
      config: FAST,
      timeoutMs: 10_000,
      async run(ctx) {
        const c = await ctx.connect();
        await c.expectInfo();
        c.send('CONNECT {"verbose":false}\r\n');
        const t0 = Date.now();
        let serverPings = 0;
        while (Date.now() - t0 < 3500) {
          await new Promise((r) => setTimeout(r, 250));
          c.send('PUB ka.busy 0\r\n\r\n');
          // Count (and never answer) server PINGs.
          const before = c.pending();
          serverPings += before.split('PING\r\n').length - 1;
          if (before.replace(/PING\r\n/g, '') !== '') throw new WireError(`unexpected bytes ${JSON.stringify(before)}`);
          c.drain();
        }
        if (serverPings !== 1) throw new WireError(`server sent ${serverPings} PINGs to a busy client, want 1`);
        await c.ping();
      },
    },
    {
      name: 'default ping_interval: the first PING arrives 2–2.4 s after CONNECT',
      ref: 'client-protocol §2.5',
      timeoutMs: 10_000,
      steps: [info(), send('CONNECT {"verbose":false}\r\n'), nothing(1900), expect('PING\r\n', 700)],
    },
  ],
};
