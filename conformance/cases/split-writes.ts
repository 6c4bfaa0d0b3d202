// A multi-op stream split at every byte boundary (and byte by byte, and at seeded random points)
// must give exactly the output of the unsplit stream (client-protocol §1: partial args and
// payloads survive across reads).
import type { CaseContext, CaseGroup } from '../src/case.js';
import { WireError } from '../src/wire.js';

/** The stream, with a fixed-width per-connection prefix so runs never see each other's subs. */
function stream(p: string): string {
  return (
    'CONNECT {"verbose":true,"headers":true}\r\n' +
    `SUB ${p}.foo 1\r\n` +
    `SUB ${p}.bar q 2\r\n` +
    `PUB ${p}.foo r 5\r\nhe\r\nl\r\n` +
    `HPUB ${p}.bar 12 14\r\nNATS/1.0\r\n\r\nhi\r\n` +
    'UNSUB 1\n' +
    `PUB ${p}.foo 1\r\nx\r\n` +
    `sub ${p}.baz 3\r\n` +
    `pub ${p}.baz 0\r\n\r\n` +
    'PING\r\n'
  );
}

function expected(p: string): string {
  const ok = '+OK\r\n';
  return (
    `${ok}${ok}${ok}` +
    `${ok}MSG ${p}.foo 1 r 5\r\nhe\r\nl\r\n` +
    `${ok}HMSG ${p}.bar 2 12 14\r\nNATS/1.0\r\n\r\nhi\r\n` +
    `${ok}${ok}${ok}` +
    `${ok}MSG ${p}.baz 3 0\r\n\r\n` +
    'PONG\r\n'
  );
}

let runCounter = 0;
const prefix = (): string => `sw${(runCounter++ % 100000).toString().padStart(5, '0')}`;

async function runOnce(ctx: CaseContext, points: readonly number[], delayMs: number): Promise<void> {
  const p = prefix();
  const c = await ctx.connect();
  await c.expectInfo();
  await c.sendSplit(stream(p), points, delayMs);
  try {
    await c.expect(expected(p));
    await c.expectNothing(5);
  } catch (e) {
    throw new WireError(`split at [${points.join(',')}]: ${(e as Error).message}`);
  } finally {
    c.close();
  }
}

/** mulberry32: a small seeded PRNG so random splits are reproducible. */
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

const LEN = stream(prefix()).length;

export const splitWritesGroup: CaseGroup = {
  name: 'split-writes',
  cases: [
    {
      name: 'the unsplit stream gives the reference output',
      async run(ctx) {
        await runOnce(ctx, [], 0);
      },
    },
    {
      name: `split in two at every byte boundary (${LEN - 1} connections) → identical output`,
      timeoutMs: 60_000,
      async run(ctx) {
        // Four connections in flight at a time keep this quick; each uses its own subjects.
        const points = Array.from({ length: LEN - 1 }, (_, i) => i + 1);
        const workers = Array.from({ length: 4 }, async (_, w) => {
          for (let i = w; i < points.length; i += 4) await runOnce(ctx, [points[i]!], 3);
        });
        await Promise.all(workers);
      },
    },
    {
      name: 'one byte per write → identical output',
      timeoutMs: 30_000,
      async run(ctx) {
        await runOnce(
          ctx,
          Array.from({ length: LEN - 1 }, (_, i) => i + 1),
          1,
        );
      },
    },
    {
      name: '50 seeded random multi-splits (1–8 cuts) → identical output',
      timeoutMs: 30_000,
      async run(ctx) {
        const rnd = prng(0x5eed);
        for (let n = 0; n < 50; n++) {
          const cuts = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => 1 + Math.floor(rnd() * (LEN - 1)));
          await runOnce(ctx, [...new Set(cuts)], 1);
        }
      },
    },
  ],
};
