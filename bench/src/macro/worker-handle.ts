/**
 * The orchestrator's side of a load-generator process: spawn it pinned to the generator core,
 * hand it its role, and await typed replies. A worker that dies or reports an error rejects every
 * pending wait with what it said, so a broken run fails loudly instead of hanging.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GENERATOR_CORE, type Machine, pinnedArgv } from './environment.js';
import type { FromWorker, Role, ToWorker } from './worker-messages.js';

const WORKER_PATH = fileURLToPath(new URL('./load-worker.js', import.meta.url));

type Waiter = { type: FromWorker['type']; resolve: (m: FromWorker) => void; reject: (e: Error) => void };

export class WorkerHandle {
  readonly role: Role;
  readonly name: string;
  private readonly child: ChildProcess;
  private readonly inbox: FromWorker[];
  private waiters: Waiter[];
  private failure: Error | null;
  private stderr: string;

  constructor(machine: Machine, role: Role, name: string) {
    this.role = role;
    this.name = name;
    this.inbox = [];
    this.waiters = [];
    this.failure = null;
    this.stderr = '';
    const argv = pinnedArgv(machine, GENERATOR_CORE, [process.execPath, WORKER_PATH]);
    this.child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-2000);
    });
    this.child.on('message', (m: FromWorker) => this.onMessage(m));
    this.child.on('exit', (code, signal) => {
      if (code !== 0)
        this.fail(new Error(`${this.name} exited with ${signal ?? `code ${code}`} ${this.stderr.trim()}`));
    });
    this.child.on('error', (err) => this.fail(err));
    this.send({ type: 'init', role });
  }

  send(msg: ToWorker): void {
    if (this.child.connected) this.child.send(msg);
  }

  /** The next message of `type` (earlier ones of other types stay queued). */
  next<T extends FromWorker['type']>(type: T, timeoutMs: number): Promise<Extract<FromWorker, { type: T }>> {
    const queued = this.inbox.findIndex((m) => m.type === type);
    if (queued >= 0) return Promise.resolve(this.inbox.splice(queued, 1)[0] as Extract<FromWorker, { type: T }>);
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${this.name}: no '${type}' within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        type,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<FromWorker, { type: T }>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends `msg` and awaits the reply of `type`. */
  ask<T extends FromWorker['type']>(
    msg: ToWorker,
    type: T,
    timeoutMs: number,
  ): Promise<Extract<FromWorker, { type: T }>> {
    const reply = this.next(type, timeoutMs);
    this.send(msg);
    return reply;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'error') {
      this.fail(new Error(`${this.name}: ${m.message}`));
      return;
    }
    const i = this.waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      w!.resolve(m);
    } else {
      this.inbox.push(m);
    }
  }

  private fail(err: Error): void {
    if (this.failure === null) this.failure = err;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(err);
  }
}

/** Kills every worker; used in `finally` blocks. */
export function killAll(workers: readonly WorkerHandle[]): void {
  for (const w of workers) w.kill();
}
