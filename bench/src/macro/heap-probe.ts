/**
 * Preloaded into a Node server under test (`node --import=<this file>`) by the memory scenario
 * only: appends `process.memoryUsage()` as one JSON line every 250 ms to $STARLING_BENCH_HEAP_FILE.
 * One unref'd timer; it never keeps the server alive and never touches its code.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.STARLING_BENCH_HEAP_FILE;
if (file) {
  const sample = (): void => {
    const m = process.memoryUsage();
    const line = {
      t: Number(process.hrtime.bigint() / 1000n),
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
    };
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // the benchmark's temp dir is gone: nothing to report to
    }
  };
  sample();
  setInterval(sample, 250).unref();
}
