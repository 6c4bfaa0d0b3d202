/**
 * Node equivalents of the Go runtime figures /varz reports:
 * - `mem`: resident set size in bytes (`process.memoryUsage.rss()`), as nats-server's RSS.
 * - `cpu`: percent of one core used by this process over the last ≥1 s window (user + system
 *   time from `process.cpuUsage()`), as nats-server's `pse` sampler; can exceed 100 with
 *   worker threads, like a multi-threaded Go process.
 * - `cores`: `os.availableParallelism()` (Go `runtime.NumCPU()`).
 * - `gomaxprocs`: 1 — JavaScript runs on one event-loop thread (Go: threads running Go code).
 */
import { availableParallelism } from 'node:os';

const WINDOW_MS = 1000;

export class ProcessStats {
  private lastWall: number;
  private lastCpuUs: number;
  private pct: number;
  readonly cores: number;

  constructor() {
    this.cores = availableParallelism();
    const u = process.cpuUsage();
    this.lastCpuUs = u.user + u.system;
    this.lastWall = performance.now();
    // Until a window has passed, report the average since the process started.
    const up = process.uptime() * 1e6;
    this.pct = up > 0 ? round1((this.lastCpuUs / up) * 100) : 0;
  }

  /** CPU percent, recomputed at most once per window so frequent polling stays cheap. */
  cpu(): number {
    const now = performance.now();
    const elapsed = now - this.lastWall;
    if (elapsed >= WINDOW_MS) {
      const u = process.cpuUsage();
      const total = u.user + u.system;
      this.pct = round1(((total - this.lastCpuUs) / 1000 / elapsed) * 100);
      this.lastCpuUs = total;
      this.lastWall = now;
    }
    return this.pct;
  }

  mem(): number {
    return process.memoryUsage.rss();
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
