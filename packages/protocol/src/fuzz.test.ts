/**
 * A fast fuzz subset (the long run is bench/src/fuzz/run.ts): random bytes and mutated valid
 * streams through the parser in every mode with random chunking. Checks: no throw, no hang (a
 * time budget per input), bounded memory, split-invariance, and correct parsing after reset().
 */
import { describe, expect, it } from 'vitest';
import { Op, ParseError, ParserMode, type ParserModeValue } from './op-args.js';
import {
  mutate,
  normalize,
  parseWhole,
  Recorder,
  Rng,
  randomSplits,
  splitAt,
  validStream,
} from './parser.test-util.js';

const MODES: ParserModeValue[] = [ParserMode.CLIENT, ParserMode.SERVER, ParserMode.LEAF, ParserMode.ROUTE];
const SEED = 0x5eed;

function randomBytes(rng: Rng, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let k = 0; k < n; k++) b[k] = rng.int(256);
  return b;
}

describe('fuzz (fast subset)', () => {
  it(`random and mutated inputs, every mode, random chunking (seed ${SEED})`, () => {
    const rng = new Rng(SEED);
    let inputs = 0;
    let errors = 0;
    let opsSeen = 0;
    for (let iter = 0; iter < 4000; iter++) {
      const mode = MODES[iter % 4]!;
      const small = rng.int(3) === 0;
      const opts = small ? { maxControlLine: 16 + rng.int(64), maxPayload: rng.int(300) } : {};
      const data =
        rng.int(4) === 0
          ? randomBytes(rng, rng.int(200))
          : Buffer.from(mutate(rng, validStream(rng, mode, 1 + rng.int(10))), 'latin1');
      const whole = parseWhole(mode, data, opts);
      const r = new Recorder(mode, opts);
      const t0 = performance.now();
      for (const c of splitAt(data, randomSplits(rng, data.length, 12))) {
        r.feed(c);
        const p = r.parser;
        expect(p.scratchCapacity).toBeLessThanOrEqual(Math.max(p.maxControlLine + 2, 0));
        expect(p.pendingPayloadCapacity).toBeLessThanOrEqual(p.maxPayload);
      }
      expect(performance.now() - t0).toBeLessThan(250);
      expect(normalize(r.events)).toEqual(normalize(whole));
      // after reset the same parser parses a valid stream correctly
      r.parser.reset();
      r.parser.maxPayload = 1048576;
      r.parser.maxControlLine = 4096;
      r.events = [];
      r.base = 0;
      r.feed(Buffer.from(mode === ParserMode.SERVER ? 'MSG a 1 2\r\nhi\r\nPING\r\n' : 'PING\r\nINFO {}\r\n'));
      expect(r.events.map((e) => ('err' in e ? -e.err : e.op))).toEqual(
        mode === ParserMode.SERVER ? [Op.MSG, Op.PING] : [Op.PING, Op.INFO],
      );
      inputs++;
      errors += whole.filter((e) => 'err' in e).length;
      opsSeen += whole.length;
    }
    expect(inputs).toBe(4000);
    // the generator must actually exercise both paths
    expect(errors).toBeGreaterThan(1000);
    expect(opsSeen - errors).toBeGreaterThan(5000);
  });

  it('all error codes are reachable from the generators', () => {
    const rng = new Rng(SEED + 1);
    const seen = new Set<number>();
    for (let iter = 0; iter < 3000 && seen.size < 4; iter++) {
      const mode = MODES[iter % 4]!;
      const data = mutate(rng, validStream(rng, mode, 1 + rng.int(6)));
      for (const e of parseWhole(mode, data, { maxControlLine: 24, maxPayload: 50 })) if ('err' in e) seen.add(e.err);
    }
    expect([...seen].sort()).toEqual(Object.values(ParseError).sort());
  });

  it('a huge declared size or an endless line never allocates more than the limits', () => {
    const r = new Recorder(ParserMode.CLIENT, { maxPayload: 1000, maxControlLine: 100 });
    r.feed(Buffer.from('PUB foo 999999999\r\n'));
    expect(r.events).toEqual([{ err: ParseError.MAX_PAYLOAD, at: 18 }]);
    const r2 = new Recorder(ParserMode.ROUTE, { maxControlLine: 100 });
    r2.feed(Buffer.from('RS+ '));
    for (let k = 0; k < 50; k++) r2.feed(Buffer.alloc(10, 0x41));
    expect(r2.events).toEqual([{ err: ParseError.MAX_CONTROL_LINE, at: 4 + 110 }]);
    expect(r2.parser.scratchCapacity).toBeLessThanOrEqual(102);
  });
});
