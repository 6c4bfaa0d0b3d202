// Hostile and broken input: random bytes, mutated streams, truncated ops, oversize lines and
// sizes, connection floods, clients that never read. Each gets nats-server's answer, and a
// well-behaved control client on the same server keeps working throughout.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTarget, startTargets, type Target, type TargetKind, targetsFromEnv } from '../src/targets.js';
import { connectWire, type WireClient, WireError } from '../src/wire.js';

const TARGETS = targetsFromEnv();
const UNKNOWN = "-ERR 'Unknown Protocol Operation'\r\n";
const MAX_CL = "-ERR 'maximum control line exceeded'\r\n";

/** -ERR texts a core server may send (client-protocol §11). */
const CATALOGUE = new Set([
  'Unknown Protocol Operation',
  'Authorization Violation',
  'Maximum Payload Violation',
  'maximum control line exceeded',
  'invalid client protocol',
  'no responders requires headers support',
  'Invalid Subject',
  'Invalid Publish Subject',
  'maximum subscriptions exceeded',
]);
const NON_CLOSING =
  /^(Invalid Subject|Invalid Publish Subject|maximum subscriptions exceeded|Permissions Violation .*)$/;

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(rnd: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rnd() * 256);
  return b;
}

/** A valid multi-op stream; `p` (always 4 chars) keeps concurrent runs on separate subjects. */
const validStream = (p: string): string =>
  `CONNECT {"verbose":true,"headers":true}\r\nSUB ${p}.foo 1\r\nSUB ${p}.bar q 2\r\nPUB ${p}.foo r 5\r\nhe\r\nl\r\n` +
  `HPUB ${p}.bar 12 14\r\nNATS/1.0\r\n\r\nhi\r\nUNSUB 1\nPUB ${p}.foo 1\r\nx\r\nPING\r\n`;

/** Everything the server sends until it closes, or until it has been quiet for `quietMs`. */
async function transcript(c: WireClient, quietMs: number): Promise<{ bytes: string; closed: boolean }> {
  let last = -1;
  while (!c.closed && c.pending().length !== last) {
    last = c.pending().length;
    await new Promise((r) => setTimeout(r, quietMs));
  }
  return { bytes: c.drain(), closed: c.closed };
}

/** Checks a server transcript frame by frame: only valid ops, only catalogue -ERRs, close after a closing -ERR. */
function checkTranscript(t: { bytes: string; closed: boolean }): void {
  let rest = t.bytes;
  let closingErr = false;
  while (rest.length > 0) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) throw new WireError(`partial line at the end: ${JSON.stringify(rest)}`);
    const line = rest.slice(0, eol);
    if (closingErr) throw new WireError(`bytes after a closing -ERR: ${JSON.stringify(rest)}`);
    let len = eol + 2;
    const m = /^(H?)MSG \S+ \S+ (?:\S+ )?(?:(\d+) )?(\d+)$/.exec(line);
    if (m !== null) len += Number(m[3]) + 2;
    else if (line.startsWith('-ERR ')) {
      const text = line.slice(6, -1);
      if (!CATALOGUE.has(text) && !text.startsWith('Permissions Violation'))
        throw new WireError(`-ERR not in catalogue: ${line}`);
      if (!NON_CLOSING.test(text)) closingErr = true;
    } else if (!['+OK', 'PING', 'PONG'].includes(line) && !line.startsWith('INFO ')) {
      throw new WireError(`not a server op: ${JSON.stringify(line)}`);
    }
    rest = rest.slice(len);
  }
  if (closingErr && !t.closed) throw new WireError('a closing -ERR was sent but the connection stayed open');
}

async function rawClient(t: Target): Promise<WireClient> {
  const c = await connectWire(t);
  await c.expectInfo();
  return c;
}

describe.each(TARGETS)('%s', (kind: TargetKind) => {
  let target: Target;
  let control: WireClient;
  const cleanup: WireClient[] = [];
  const extra: Target[] = [];

  // Started on first use from beforeEach (not beforeAll): if the target cannot start, every test
  // reports the start error as its own failure instead of being listed as skipped.
  let ready: Promise<void> | null = null;
  beforeEach(async () => {
    ready ??= (async () => {
      target = await startTarget(kind, { config: 'max_payload: 65536\nmax_pending: 1048576\nwrite_deadline: "1s"\n' });
      control = await rawClient(target);
      control.send('CONNECT {"verbose":false}\r\nSUB bi.control 1\r\nPING\r\n');
      await control.expect('PONG\r\n');
    })();
    await ready;
  });
  afterEach(async () => {
    if (control === undefined) return; // setup failed; the test already reports why
    for (const c of cleanup.splice(0)) c.close();
    // The well-behaved client still gets its own messages and PONGs (answering server PINGs).
    control.send('PUB bi.control 2\r\nok\r\nPING\r\n');
    const want = ['MSG bi.control 1 2\r\nok\r\n', 'PONG\r\n'];
    while (want.length > 0) {
      const f = await control.nextFrame();
      if (f.op === 'PING') {
        control.send('PONG\r\n');
        continue;
      }
      if (f.raw !== want.shift()) throw new WireError(`control client got ${JSON.stringify(f.raw)}`);
    }
  });
  afterAll(async () => {
    control?.close();
    await Promise.all([target, ...extra].map((t) => t?.stop()));
  });

  const open = async (): Promise<WireClient> => {
    const c = await rawClient(target);
    cleanup.push(c);
    return c;
  };

  it('every possible first byte (0–255) followed by CRLF → Unknown Protocol Operation, close', async () => {
    const run = async (b: number) => {
      const c = await open();
      c.send(Buffer.from([b, 13, 10]));
      try {
        await c.expect(UNKNOWN);
        await c.expectClosed();
      } catch (e) {
        throw new WireError(`byte ${b}: ${(e as Error).message}`);
      }
    };
    for (let b = 0; b < 256; b += 32) await Promise.all(Array.from({ length: 32 }, (_, i) => run(b + i)));
  });

  it('an empty line, and a blank before the op → Unknown Protocol Operation, close', async () => {
    for (const input of ['\r\n', '\n', ' PING\r\n', '\tPING\r\n', 'PING\r\n\r\n']) {
      const c = await open();
      c.send(input);
      if (input.startsWith('PING')) await c.expect('PONG\r\n');
      await c.expect(UNKNOWN);
      await c.expectClosed();
    }
  });

  it('40 seeded random byte strings (1–4096 bytes) → Unknown Protocol Operation, close', async () => {
    const rnd = prng(0xbad1);
    for (let i = 0; i < 40; i++) {
      const bytes = randomBytes(rnd, 1 + Math.floor(rnd() * 4096));
      const c = await open();
      c.send(bytes);
      try {
        await c.expect(UNKNOWN);
        await c.expectClosed();
      } catch (e) {
        throw new WireError(`input ${i} (${bytes.subarray(0, 16).toString('hex')}…): ${(e as Error).message}`);
      }
    }
  });

  it('random bytes after a valid CONNECT and SUB → Unknown Protocol Operation, close', async () => {
    const rnd = prng(0xbad2);
    for (let i = 0; i < 20; i++) {
      const c = await open();
      c.send('CONNECT {"verbose":false}\r\nSUB bi.x 1\r\nPING\r\n');
      await c.expect('PONG\r\n');
      // A leading 0x00 guarantees the garbage cannot start a valid op.
      c.send(Buffer.concat([Buffer.from([0]), randomBytes(rnd, 1 + Math.floor(rnd() * 512))]));
      await c.expect(UNKNOWN);
      await c.expectClosed();
    }
  });

  it('200 single-byte mutations of a valid stream: only valid server ops, catalogue -ERRs, closes where due', async () => {
    const rnd = prng(0xbad3);
    const inputs = Array.from({ length: 200 }, (_, i) => {
      const buf = Buffer.from(validStream(`m${String(i).padStart(3, '0')}`), 'latin1');
      const at = Math.floor(rnd() * buf.length);
      buf[at] = Math.floor(rnd() * 256);
      return { at, buf };
    });
    // 20 connections in flight at a time, each on its own subjects. Only the frame grammar is
    // checked here; exact agreement is the cross-target test below.
    for (let i = 0; i < inputs.length; i += 20) {
      await Promise.all(
        inputs.slice(i, i + 20).map(async ({ at, buf }, j) => {
          const c = await open();
          c.send(buf);
          const t = await transcript(c, 40);
          try {
            checkTranscript(t);
          } catch (e) {
            throw new WireError(`mutation ${i + j} (byte ${at}): ${(e as Error).message}\n${JSON.stringify(t.bytes)}`);
          }
        }),
      );
    }
  }, 60_000);

  it('truncated ops followed by a disconnect leave the server healthy', async () => {
    const pieces = [
      'PUB bi.t 10\r\nabc',
      'SUB bi.t',
      'CONNECT {"verb',
      'HPUB bi.t 12 14\r\nNATS/1.',
      'UNSUB ',
      'PIN',
      'CONNECT {"verbose":false}\r\nPUB bi.t 5\r\nhel',
      'PUB bi.t 5\r\nhello\r',
    ];
    for (const p of pieces) {
      const c = await open();
      c.send(p);
      await new Promise((r) => setTimeout(r, 10));
      c.close();
    }
  });

  it('a truncated payload waits for the rest, then is delivered', async () => {
    const c = await open();
    c.send('CONNECT {"verbose":false}\r\nSUB bi.w 1\r\nPUB bi.w 10\r\nabc');
    await c.expectNothing(200);
    c.send('defghij\r\nPING\r\n');
    await c.expect('MSG bi.w 1 10\r\nabcdefghij\r\nPONG\r\n');
  });

  it('a truncated control line waits for its LF', async () => {
    const c = await open();
    c.send('CONNECT {"verbose":false}\r\nSUB bi.v');
    await c.expectNothing(200);
    c.send(' 1\r\nPUB bi.v 0\r\n\r\nPING\r\n');
    await c.expect('MSG bi.v 1 0\r\n\r\nPONG\r\n');
  });

  it('oversize control line: 64 KiB without LF in one write → maximum control line exceeded, close', async () => {
    const c = await open();
    c.send(`SUB ${'a'.repeat(65536)}`);
    await c.expect(MAX_CL);
    await c.expectClosed();
  });

  it('oversize control line streamed in 16 KiB chunks (until the server answers) → maximum control line exceeded, close', async () => {
    for (const op of ['SUB ', 'PUB ', 'CONNECT ', 'UNSUB ']) {
      const c = await open();
      c.send(op);
      // Stop writing once the server has answered, so no write races the close.
      for (let sent = 0; sent < 1 << 20 && c.pending() === '' && !c.closed; sent += 16384) {
        c.send('b'.repeat(16384));
        await new Promise((r) => setTimeout(r, 2));
      }
      await c.expect(MAX_CL);
      await c.expectClosed();
    }
  });

  it('oversize and malformed PUB sizes: over max_payload → -ERR; 10+ digit or non-decimal tokens → silent close', async () => {
    const cases: Array<[string, string | null]> = [
      ['PUB bi.s 65537\r\n', "-ERR 'Maximum Payload Violation'\r\n"],
      ['PUB bi.s 999999999\r\n', "-ERR 'Maximum Payload Violation'\r\n"],
      ['PUB bi.s 2147483648\r\n', null],
      ['PUB bi.s 99999999999999999999\r\n', null],
      ['PUB bi.s 0000000005\r\nhello\r\n', null],
      ['PUB bi.s 1e3\r\n', null],
      ['PUB bi.s +5\r\n', null],
      ['PUB bi.s 0x10\r\n', null],
      ['CONNECT {"verbose":false,"headers":true}\r\nHPUB bi.s 99999999999999999999 5\r\n', null],
      ['CONNECT {"verbose":false,"headers":true}\r\nHPUB bi.s 12 65537\r\n', "-ERR 'Maximum Payload Violation'\r\n"],
    ];
    for (const [input, answer] of cases) {
      const c = await open();
      c.send(input);
      try {
        if (answer !== null) await c.expect(answer);
        await c.expectClosed();
      } catch (e) {
        throw new WireError(`${JSON.stringify(input)}: ${(e as Error).message}`);
      }
    }
  });

  it('a 9-character size token with leading zeros is accepted and echoed verbatim', async () => {
    const c = await open();
    c.send('CONNECT {"verbose":false}\r\nSUB bi.z 1\r\nPUB bi.z 000000005\r\nhello\r\nPING\r\n');
    await c.expect('MSG bi.z 1 000000005\r\nhello\r\nPONG\r\n');
  });

  it('UNSUB with a 10+ digit max removes the subscription at once', async () => {
    const c = await open();
    c.send('CONNECT {"verbose":false}\r\nSUB bi.u 1\r\nUNSUB 1 0000000002\r\nPUB bi.u 0\r\n\r\nPING\r\n');
    await c.expect('PONG\r\n');
    await c.expectNothing(30);
  });

  it('a flood of 500 concurrent connections: every one gets INFO and PONG, then the server is still fine', async () => {
    const clients = await Promise.all(
      Array.from({ length: 500 }, async () => {
        const c = await connectWire(target, 10_000);
        cleanup.push(c);
        await c.expectInfo(10_000);
        c.send('CONNECT {"verbose":false}\r\nPING\r\n');
        return c;
      }),
    );
    await Promise.all(clients.map((c) => c.expect('PONG\r\n', 10_000)));
    for (const c of clients) c.close();
  }, 30_000);

  it('300 connections opened and dropped at once (no CONNECT, some mid-op) leave the server healthy', async () => {
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const c = await connectWire(target, 10_000);
        if (i % 3 === 1) c.send('PUB bi.drop 100\r\npartial');
        if (i % 3 === 2) c.send('CONNECT {"verbose":false}\r\nSUB bi.drop 1\r\n');
        c.close();
      }),
    );
  }, 30_000);

  it('max_connections under a flood: exactly the limit is served, the rest get INFO + -ERR + close', async () => {
    const t = await startTarget(kind, { config: 'max_connections: 100\n' });
    extra.push(t);
    const results = await Promise.all(
      Array.from({ length: 150 }, async () => {
        const c = await connectWire(t, 10_000);
        cleanup.push(c);
        await c.expectInfo(10_000);
        c.send('CONNECT {"verbose":false}\r\nPING\r\n');
        const line = await c.expectLine(10_000);
        if (line === 'PONG\r\n') return 'served';
        if (line !== "-ERR 'maximum connections exceeded'\r\n")
          throw new WireError(`unexpected ${JSON.stringify(line)}`);
        await c.expectClosed();
        return 'refused';
      }),
    );
    expect(results.filter((r) => r === 'served').length).toBe(100);
    expect(results.filter((r) => r === 'refused').length).toBe(50);
  }, 30_000);

  it('a client that floods PINGs and never reads is closed as a slow consumer, without -ERR', async () => {
    const c = await open();
    c.send('CONNECT {"verbose":false}\r\n');
    c.pauseReading();
    const chunk = 'PING\r\n'.repeat(10_000);
    const t0 = Date.now();
    // Each PING queues 6 bytes of PONG; 1 MiB max_pending is passed after ~175k PINGs.
    while (!c.closed && Date.now() - t0 < 15_000) {
      if (c.socket.writableLength < 1 << 20) c.send(chunk);
      await new Promise((r) => setTimeout(r, 5));
    }
    c.socket.resume();
    const deadline = Date.now() + 10_000;
    while (!c.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!c.closed) throw new WireError('the PING flooder was never closed');
    const got = c.drain();
    if (got.includes('-ERR')) throw new WireError('slow consumer got an -ERR');
    if (got.replace(/PONG\r\n/g, '').replace(/P(O(N(G\r?)?)?)?$/, '') !== '')
      throw new WireError('got bytes other than PONG');
  }, 40_000);
});

// When both servers are under test, the same mutated input must produce the same transcript.
if (TARGETS.length >= 2) {
  describe('nats-server and starling agree', () => {
    let a: Target;
    let b: Target;
    let ready: Promise<void> | null = null;
    beforeEach(async () => {
      ready ??= startTargets([
        [TARGETS[0]!, { config: '# x\n' }],
        [TARGETS[1]!, { config: '# x\n' }],
      ]).then((ts) => {
        [a, b] = ts as [Target, Target];
      });
      await ready;
    });
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
    });
    it('300 seeded single- and multi-byte mutations of a valid stream give identical transcripts', async () => {
      const rnd = prng(0xa9ee);
      const strip = (s: string) => s.replace(/^INFO [^\r\n]*\r\n/, '');
      const inputs = Array.from({ length: 300 }, (_, i) => {
        const buf = Buffer.from(validStream(`x${String(i).padStart(3, '0')}`), 'latin1');
        const edits = 1 + Math.floor(rnd() * 3);
        for (let e = 0; e < edits; e++) buf[Math.floor(rnd() * buf.length)] = Math.floor(rnd() * 256);
        return buf;
      });
      const run = async (t: Target, buf: Buffer) => {
        const c = await connectWire(t);
        c.send(buf);
        const r = await transcript(c, 40);
        c.close();
        return `${strip(r.bytes)}${r.closed ? '<closed>' : '<open>'}`;
      };
      // 15 inputs in flight at a time, each on its own subjects.
      for (let i = 0; i < inputs.length; i += 15) {
        await Promise.all(
          inputs.slice(i, i + 15).map(async (buf) => {
            const [ra, rb] = await Promise.all([run(a, buf), run(b, buf)]);
            if (ra !== rb) {
              throw new WireError(
                `input ${JSON.stringify(buf.toString('latin1'))}\n${TARGETS[0]}: ${ra}\n${TARGETS[1]}: ${rb}`,
              );
            }
          }),
        );
      }
    }, 120_000);
  });
}
