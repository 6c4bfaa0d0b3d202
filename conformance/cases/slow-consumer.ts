// Slow consumers are closed silently once pending bytes pass max_pending; nobody else is
// affected (client-protocol §12). Lame duck mode (client-protocol §16).
import type { CaseGroup } from '../src/case.js';
import { connectWire, type WireClient, WireError } from '../src/wire.js';

// write_deadline keeps the close quick: a writer blocked on the full socket only notices the
// close when its write times out (10 s by default).
const SLOW = 'max_pending: 1048576\nmax_payload: 65536\nwrite_deadline: "1s"\n';
const PAYLOAD = 'p'.repeat(32768);
const BATCH = 8; // 256 KiB: a reading client never has more than this pending
const N = 1200; // 37.5 MiB in total: far more than loopback socket buffers can hold

/** Reads `n` MSGs of the test payload, answering (and skipping) server PINGs. */
async function readMsgs(c: WireClient, subject: string, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let got = 0; got < n; ) {
    const f = await c.nextFrame(Math.max(1, deadline - Date.now()));
    if (f.op === 'PING') {
      c.send('PONG\r\n');
      continue;
    }
    if (f.op !== 'MSG' || f.subject !== subject || f.payload.length !== PAYLOAD.length) {
      throw new WireError(`unexpected frame ${f.raw.slice(0, 80)}`);
    }
    got++;
  }
}

/** PING round trip that tolerates (and answers) server PINGs queued before the PONG. */
async function sync(c: WireClient): Promise<void> {
  c.send('PING\r\n');
  for (;;) {
    const f = await c.nextFrame(10_000);
    if (f.op === 'PONG') return;
    if (f.op !== 'PING') throw new WireError(`unexpected frame ${f.raw.slice(0, 80)}`);
    c.send('PONG\r\n');
  }
}

export const slowConsumerGroup: CaseGroup = {
  name: 'slow-consumer',
  cases: [
    {
      name: 'a subscriber that never reads is closed without -ERR; publisher and a reading subscriber are unaffected',
      ref: 'client-protocol §12',
      config: SLOW,
      isolated: true,
      timeoutMs: 30_000,
      async run(ctx) {
        const slow = await ctx.client();
        slow.send('SUB sc.data 1\r\n');
        await slow.ping();
        const good = await ctx.client();
        good.send('SUB sc.data 1\r\n');
        await good.ping();
        slow.pauseReading();
        const pub = await ctx.client();

        // Publish in batches; the reading subscriber keeps up batch by batch.
        const line = `PUB sc.data ${PAYLOAD.length}\r\n${PAYLOAD}\r\n`;
        for (let i = 0; i < N; i += BATCH) {
          pub.send(line.repeat(BATCH));
          await readMsgs(good, 'sc.data', BATCH, 10_000);
        }
        await sync(pub);
        await sync(good);

        // The slow client: whatever reached its socket before the close, then EOF — never an -ERR.
        slow.socket.resume();
        const t0 = Date.now();
        while (!slow.closed) {
          if (Date.now() - t0 > 10_000) throw new WireError('slow consumer was not closed');
          await new Promise((r) => setTimeout(r, 20));
        }
        const got = slow.drain();
        if (got.includes('-ERR')) throw new WireError('slow consumer was sent an -ERR');
        const msgs = got.split('MSG sc.data 1 32768\r\n').length - 1;
        if (msgs >= N) throw new WireError(`slow consumer received all ${msgs} messages; it was never cut off`);

        // The server keeps serving: a new client works.
        const fresh = await connectWire(ctx.target);
        try {
          await fresh.expectInfo();
          fresh.send('CONNECT {"verbose":false}\r\nPING\r\n');
          await fresh.expect('PONG\r\n');
        } finally {
          fresh.close();
        }
        if (!/Slow Consumer Detected/.test(ctx.target.logs())) {
          throw new WireError('no "Slow Consumer Detected" line in the server log');
        }
      },
    },
  ],
};

export const lameDuckGroup: CaseGroup = {
  name: 'lame-duck',
  cases: [
    {
      name: 'SIGUSR2: only proto-1 clients that got a PONG receive INFO "ldm":true; all are closed one by one after the grace period, then exit',
      ref: 'client-protocol §16',
      config: 'lame_duck_duration: "30s"\nlame_duck_grace_period: "1s"\n',
      isolated: true,
      timeoutMs: 15_000,
      async run(ctx) {
        const p1 = await ctx.client({ verbose: false, protocol: 1 });
        const p0 = await ctx.client({ verbose: false, protocol: 0 });
        // proto 1 but no PING yet, so no PONG yet: async INFO is not sent to it.
        const noPong = await ctx.connect();
        await noPong.expectInfo();
        noPong.send('CONNECT {"verbose":false,"protocol":1}\r\n');
        await new Promise((r) => setTimeout(r, 100));
        ctx.target.signal('SIGUSR2');
        const t0 = Date.now();
        const f = await p1.expectInfo(3000);
        if (f.info.ldm !== true) throw new WireError(`INFO without ldm: ${f.raw}`);
        const keys = Object.keys(f.info);
        if (keys[keys.length - 1] !== 'ldm') throw new WireError(`ldm is not the last INFO key: ${f.raw}`);
        await p0.expectNothing(300);
        await noPong.expectNothing(1);
        // Clients are closed one by one, the first after the grace period, then at most 1 s apart
        // (duration − grace spread over the clients); the order among them is not specified.
        // Until then they may still get the server's routine first PING.
        const closedAt = async (c: WireClient): Promise<number> => {
          const deadline = Date.now() + 4000;
          while (!c.closed) {
            if (Date.now() > deadline) throw new WireError('not closed within 4 s of lame duck mode');
            await new Promise((r) => setTimeout(r, 10));
          }
          const at = Date.now() - t0;
          const rest = c.drain().replace(/PING\r\n/g, '');
          if (rest !== '') throw new WireError(`unexpected bytes before the lame-duck close: ${JSON.stringify(rest)}`);
          return at;
        };
        const times = (await Promise.all([p1, p0, noPong].map(closedAt))).sort((a, b) => a - b);
        if (times[0]! < 700 || times[0]! > 1700)
          throw new WireError(`first lame-duck close after ${times[0]} ms, want ~1000`);
        for (let i = 1; i < times.length; i++) {
          if (times[i]! - times[i - 1]! > 1500)
            throw new WireError(`lame-duck closes too far apart: ${times.join(', ')} ms`);
        }
        const exit = await Promise.race([ctx.target.exited, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
        if (exit === null) throw new WireError('server did not exit after lame duck mode');
      },
    },
    {
      name: 'lame duck mode stops accepting new connections',
      config: 'lame_duck_duration: "30s"\nlame_duck_grace_period: "2s"\n',
      isolated: true,
      timeoutMs: 15_000,
      async run(ctx) {
        const c = await ctx.client({ verbose: false, protocol: 1 });
        ctx.target.signal('SIGUSR2');
        await c.expectInfo(3000);
        let late: WireClient | null = null;
        try {
          late = await connectWire(ctx.target, 1000);
        } catch {
          return; // refused: the listener is closed
        }
        // A listener being torn down may still complete a handshake: then it must not serve.
        try {
          await late.expectClosed(1000);
        } finally {
          late.close();
        }
      },
    },
  ],
};
