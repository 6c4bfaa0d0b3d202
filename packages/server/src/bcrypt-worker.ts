/**
 * bcrypt off the event loop: one worker thread (started on first use) checks passwords against
 * bcrypt hashes, so an uncached check (~100–200 ms of CPU) never stalls other connections.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain CommonJS run with `eval`, so it works from compiled dist/ and from sources under vitest.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', (m) => {
  let ok = false;
  try {
    // Go's bcrypt treats the minor letter as a label; bcryptjs knows $2a$/$2b$/$2y$.
    const hash = m.hash.charAt(2) === 'x' ? '$2a$' + m.hash.slice(4) : m.hash;
    ok = bcrypt.compareSync(m.password, hash);
  } catch {
    ok = false;
  }
  parentPort.postMessage({ id: m.id, ok });
});
`;

export class BcryptWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, (ok: boolean) => void>();

  /** Resolves true when `password` matches `hash`; false on mismatch or any failure. */
  compare(hash: string, password: string): Promise<boolean> {
    const w = this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      w.postMessage({ id, hash, password });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    for (const resolve of this.waiting.values()) resolve(false);
    this.waiting.clear();
    if (w !== null) await w.terminate();
  }

  private start(): Worker {
    if (this.worker !== null) return this.worker;
    const bcryptPath = createRequire(import.meta.url).resolve('bcryptjs');
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptPath } });
    w.unref();
    w.on('message', (m: { id: number; ok: boolean }) => {
      const resolve = this.waiting.get(m.id);
      if (resolve === undefined) return;
      this.waiting.delete(m.id);
      resolve(m.ok === true);
    });
    w.on('error', () => {
      // A crashed worker fails its pending checks (refused, never accepted) and is restarted on demand.
      for (const resolve of this.waiting.values()) resolve(false);
      this.waiting.clear();
      this.worker = null;
    });
    this.worker = w;
    return w;
  }
}
