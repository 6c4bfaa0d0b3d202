/**
 * Tiny micro-benchmark harness: warm up, then time whole batches with process.hrtime.bigint.
 * Prints one machine-readable line per case:
 *   bench <suite> <case> ops/s=<n> [MB/s=<n>] iterations=<n> ms=<n>
 * and a header naming Node, CPU and commit.
 */
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';

export interface BenchResult {
  suite: string;
  name: string;
  opsPerSec: number;
  mbPerSec: number | null;
  iterations: number;
  ms: number;
}

export function header(): string {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // not a git checkout
  }
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  return `# node=${process.version} cpu="${cpu}" cores=${cpus().length} commit=${commit}`;
}

/**
 * Runs `fn(n)` which must perform `n` operations (over `bytesPerOp` bytes each, if given),
 * growing n until a batch takes at least `minMs`, and reports the best of `rounds` batches.
 */
export function bench(
  suite: string,
  name: string,
  fn: (n: number) => void,
  opts: { bytesPerOp?: number; minMs?: number; rounds?: number } = {},
): BenchResult {
  const minMs = opts.minMs ?? 300;
  const rounds = opts.rounds ?? 5;
  let n = 1000;
  // calibrate (also warms up the JIT)
  for (;;) {
    const t0 = process.hrtime.bigint();
    fn(n);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms >= minMs / 4) break;
    n *= 4;
  }
  let bestMs = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    fn(n);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms < bestMs) bestMs = ms;
  }
  const opsPerSec = (n / bestMs) * 1000;
  const mbPerSec = opts.bytesPerOp ? (opsPerSec * opts.bytesPerOp) / 1e6 : null;
  const result: BenchResult = { suite, name, opsPerSec, mbPerSec, iterations: n, ms: bestMs };
  const mb = mbPerSec === null ? '' : ` MB/s=${mbPerSec.toFixed(1)}`;
  console.log(`bench ${suite} ${name} ops/s=${Math.round(opsPerSec)}${mb} iterations=${n} ms=${bestMs.toFixed(1)}`);
  return result;
}
