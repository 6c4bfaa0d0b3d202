/**
 * Parser fuzzer: random bytes and mutated valid streams through @starling/protocol's Parser in all
 * four modes, each input parsed whole and again in random chunks (each chunk a fresh copy that is
 * scribbled over after the call, so a stale view would show). Asserts, per input:
 *   - no throw;
 *   - no hang: both parses finish within --budget-ms;
 *   - bounded memory: scratch ≤ maxControlLine + 2 (the largest limit that parser has had),
 *     a pending split payload ≤ maxPayload, checked after every chunk;
 *   - split invariance: the chunked parse reports the same ops and errors as the whole parse
 *     (digest of op codes, tokens, sizes, payload bytes, error codes and offsets);
 *   - after an error, reset() gives a parser that parses a known stream correctly.
 * Seeded; prints the seed and one summary line. Exit code 1 on the first failure, with a
 * reproduction line.
 *
 *   npx tsc -b bench && node bench/dist/fuzz/run.js [--seed=N] [--iterations=N] [--budget-ms=N] [--only=N]
 */
import {
  Op,
  type OpArgs,
  ParseError,
  type ParseErrorCode,
  Parser,
  type ParserHandler,
  ParserMode,
  type ParserModeValue,
} from '@starling/protocol';
import { Rng, StreamGen } from './streams.js';

function argValue(name: string): string | undefined {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a?.slice(name.length + 3);
}

const seed = Number(argValue('seed') ?? (Date.now() ^ (process.pid << 16)) >>> 0) >>> 0;
const iterations = Number(argValue('iterations') ?? 1_000_000);
const budgetMs = Number(argValue('budget-ms') ?? 250);
/** --only=N: generate inputs 0..N (same random sequence) but parse and check only input N. */
const only = argValue('only') === undefined ? -1 : Number(argValue('only'));
const MODES: ParserModeValue[] = [ParserMode.CLIENT, ParserMode.SERVER, ParserMode.LEAF, ParserMode.ROUTE];
const MODE_NAMES = ['CLIENT', 'SERVER', 'LEAF', 'ROUTE'];

/** Folds every observable detail of every op/error into a 32-bit FNV-1a style digest. */
class DigestHandler implements ParserHandler {
  h = 0x811c9dc5;
  ops = 0;
  errors = 0;
  lastError: ParseErrorCode | 0 = 0;
  base = 0;

  private mix(v: number): void {
    this.h = Math.imul(this.h ^ (v | 0), 0x01000193);
  }

  private mixRange(buf: Buffer, s: number, e: number): void {
    this.mix(s < 0 ? -1 : e - s);
    for (let k = s; k < e; k++) this.mix(buf[k]!);
  }

  onOp(a: OpArgs): boolean {
    this.ops++;
    this.mix(a.op);
    this.mix(a.argc);
    const buf = a.buf;
    for (let k = 0; k < a.argc; k++) this.mixRange(buf, a.starts[k]!, a.ends[k]!);
    this.mixRange(buf, a.subjectStart, a.subjectEnd);
    this.mixRange(buf, a.replyStart, a.replyEnd);
    this.mixRange(buf, a.queueStart, a.queueEnd);
    this.mixRange(buf, a.sidStart, a.sidEnd);
    this.mixRange(buf, a.accountStart, a.accountEnd);
    this.mixRange(buf, a.originStart, a.originEnd);
    this.mixRange(buf, a.restStart, a.restEnd);
    this.mix(a.queuesFirstArg);
    this.mix(a.queueCount);
    this.mix(a.size);
    this.mix(a.hdrSize);
    this.mix(a.maxMsgs);
    this.mix(a.weight);
    const pb = a.payloadBuf;
    if (pb === null) this.mix(-7);
    else {
      const pl = a.payload!;
      if (pl.length !== a.size) throw new Error(`payload length ${pl.length} != size ${a.size}`);
      this.mixRange(pb, a.payloadStart, a.payloadEnd);
    }
    return true;
  }

  onParseError(code: ParseErrorCode, offset: number): void {
    this.errors++;
    this.lastError = code;
    this.mix(1000 + code);
    // where a control-line overflow is noticed depends on where reads end
    this.mix(code === ParseError.MAX_CONTROL_LINE ? -1 : this.base + offset);
  }

  start(): void {
    this.h = 0x811c9dc5;
    this.ops = 0;
    this.errors = 0;
    this.lastError = 0;
    this.base = 0;
  }
}

interface Slot {
  parser: Parser;
  handler: DigestHandler;
  maxLimitSeen: number;
}

function slot(mode: ParserModeValue): Slot {
  const handler = new DigestHandler();
  return { parser: new Parser(mode, handler), handler, maxLimitSeen: 4096 };
}

const wholeSlots = MODES.map(slot);
const splitSlots = MODES.map(slot);
const rng = new Rng(seed);
const gen = new StreamGen(rng);

const errorCounts = new Map<number, number>();
let totalBytes = 0;
let totalOps = 0;
let maxIterMs = 0;
let slowestIter = -1;
let maxScratch = 0;
let maxPending = 0;
let resetChecks = 0;
let maxHeap = 0;

function fail(iter: number, why: string, mode: ParserModeValue, input: Buffer, splits: number[], opts: string): never {
  console.log(`fuzz FAILURE seed=${seed} iteration=${iter} mode=${MODE_NAMES[mode]} opts=${opts}: ${why}`);
  console.log(`  input(base64)=${input.toString('base64')}`);
  console.log(`  splits=${JSON.stringify(splits)}`);
  console.log(`  reproduce: node bench/dist/fuzz/run.js --seed=${seed} --iterations=${iter + 1}`);
  process.exit(1);
}

function configure(s: Slot, maxControlLine: number, maxPayload: number): void {
  s.parser.reset();
  s.parser.maxControlLine = maxControlLine;
  s.parser.maxPayload = maxPayload;
  if (maxControlLine > s.maxLimitSeen) s.maxLimitSeen = maxControlLine;
  s.handler.start();
}

/** After an error: reset() must give a working parser again. */
const RESET_PROBE: Record<number, [Buffer, number[]]> = {
  [ParserMode.CLIENT]: [Buffer.from('PUB a 2\r\nhi\r\nPING\r\n'), [Op.PUB, Op.PING]],
  [ParserMode.SERVER]: [Buffer.from('MSG a 1 2\r\nhi\r\nPONG\r\n'), [Op.MSG, Op.PONG]],
  [ParserMode.LEAF]: [Buffer.from('LMSG a 2\r\nhi\r\nLS+ a\r\n'), [Op.LMSG, Op.LS_PLUS]],
  [ParserMode.ROUTE]: [Buffer.from('RMSG $G a 2\r\nhi\r\nRS+ $G a\r\n'), [Op.RMSG, Op.RS_PLUS]],
};

function checkReset(s: Slot, mode: ParserModeValue): boolean {
  const seen: number[] = [];
  const p = new Parser(mode, {
    onOp: (a) => {
      seen.push(a.op);
      return true;
    },
    onParseError: () => {
      seen.push(-1);
    },
  });
  // reuse the dead parser's state machine through reset(): feed the probe to the same instance
  s.parser.reset();
  s.parser.maxControlLine = 4096;
  s.parser.maxPayload = 1048576;
  const before = s.handler.ops;
  const [probe, expected] = RESET_PROBE[mode]!;
  s.parser.parse(probe);
  p.parse(probe);
  resetChecks++;
  return s.handler.ops - before === expected.length && s.handler.errors === 1 && seen.join() === expected.join();
}

const t0 = performance.now();
console.log(`# fuzz seed=${seed} iterations=${iterations} budget_ms=${budgetMs}`);
for (let iter = 0; iter < iterations; iter++) {
  const mode = MODES[iter & 3]!;
  const small = rng.int(3) === 0;
  const maxControlLine = small ? 8 + rng.int(120) : 4096;
  const maxPayload = small ? rng.int(3000) : 1048576;
  const kind = rng.int(20);
  const input =
    kind < 5
      ? gen.randomBytes(rng.int(400))
      : Buffer.from(
          kind < 8 ? gen.valid(mode, 1 + rng.int(10)) : gen.mutate(gen.valid(mode, 1 + rng.int(8))),
          'latin1',
        );
  const nSplits = rng.int(12);
  const splits: number[] = [];
  for (let k = 0; k < nSplits; k++) splits.push(rng.int(input.length + 1));
  splits.sort((a, b) => a - b);
  const opts = `{maxControlLine:${maxControlLine},maxPayload:${maxPayload}}`;
  if (only >= 0 && iter !== only) continue;

  const w = wholeSlots[mode]!;
  const s = splitSlots[mode]!;
  configure(w, maxControlLine, maxPayload);
  configure(s, maxControlLine, maxPayload);
  const it0 = performance.now();
  try {
    w.parser.parse(input);
    let prev = 0;
    for (let k = 0; k <= splits.length; k++) {
      const end = k < splits.length ? splits[k]! : input.length;
      const chunk = Buffer.from(input.subarray(prev, end));
      s.parser.parse(chunk);
      chunk.fill(0x7e);
      s.handler.base += chunk.length;
      prev = end;
      const sc = s.parser.scratchCapacity;
      const pend = s.parser.pendingPayloadCapacity;
      if (sc > maxScratch) maxScratch = sc;
      if (pend > maxPending) maxPending = pend;
      if (sc > s.maxLimitSeen + 2) fail(iter, `scratch ${sc} > limit ${s.maxLimitSeen} + 2`, mode, input, splits, opts);
      if (pend > maxPayload) fail(iter, `pending payload ${pend} > maxPayload`, mode, input, splits, opts);
    }
  } catch (e) {
    fail(iter, `threw ${(e as Error).stack ?? e}`, mode, input, splits, opts);
  }
  const ms = performance.now() - it0;
  if (ms > maxIterMs) {
    maxIterMs = ms;
    slowestIter = iter;
  }
  if (ms > budgetMs) fail(iter, `took ${ms.toFixed(1)} ms > budget`, mode, input, splits, opts);
  if (w.handler.h !== s.handler.h || w.handler.ops !== s.handler.ops || w.handler.errors !== s.handler.errors) {
    fail(
      iter,
      `split parse differs: whole ops=${w.handler.ops} errs=${w.handler.errors}, split ops=${s.handler.ops} errs=${s.handler.errors}`,
      mode,
      input,
      splits,
      opts,
    );
  }
  if (w.handler.errors > 1) fail(iter, 'more than one error reported', mode, input, splits, opts);
  totalBytes += input.length;
  totalOps += w.handler.ops;
  if (w.handler.errors > 0) {
    const c = w.handler.lastError;
    errorCounts.set(c, (errorCounts.get(c) ?? 0) + 1);
    if (!checkReset(w, mode)) fail(iter, 'parser not usable after reset()', mode, input, splits, opts);
  }
  if ((iter & 0xffff) === 0) {
    const heap = process.memoryUsage().heapUsed;
    if (heap > maxHeap) maxHeap = heap;
  }
}
const totalMs = performance.now() - t0;
const names: Record<number, string> = {
  [ParseError.UNKNOWN_OP]: 'UNKNOWN_OP',
  [ParseError.MAX_CONTROL_LINE]: 'MAX_CONTROL_LINE',
  [ParseError.MAX_PAYLOAD]: 'MAX_PAYLOAD',
  [ParseError.BAD_ARGS]: 'BAD_ARGS',
};
const errs = Object.values(ParseError)
  .map((c) => `${names[c]}:${errorCounts.get(c) ?? 0}`)
  .join(',');
console.log(
  `fuzz seed=${seed} iterations=${iterations} failures=0 bytes=${totalBytes} ops=${totalOps} errors=${errs} ` +
    `reset_checks=${resetChecks} max_iter_ms=${maxIterMs.toFixed(2)} slowest_iter=${slowestIter} max_scratch=${maxScratch} max_pending=${maxPending} ` +
    `max_heap_mb=${(maxHeap / 1048576).toFixed(1)} ms=${Math.round(totalMs)}`,
);
