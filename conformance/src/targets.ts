// Starts a server under test — the reference nats-server or Starling's CLI — as a child process
// on a loopback port, with a nats.conf written to a fresh temp dir. Both get the same argv shape
// (nats-server's flags), so every case runs unchanged against either.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { natsServerBin } from './nats-server-bin.js';

export const TARGET_KINDS = ['nats-server', 'starling'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const LOOPBACK = '127.0.0.1';
const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const STARLING_CLI = resolve(REPO_ROOT, 'packages/cli/dist/starling.js');

export interface StartOptions {
  /** nats.conf text; when absent no `-c` flag is passed. */
  config?: string;
  /** Extra argv after the generated ones. */
  args?: string[];
  /**
   * Fixed port (e.g. to restart on the same port); default: a free loopback port. `-1` lets the
   * server choose: then `portsFileDir` is required and the port is read from the ports file.
   */
  port?: number;
  /** Where the server writes `<exe>_<pid>.ports` (passed by the caller via flag or config). */
  portsFileDir?: string;
  /** Prepend `-a 127.0.0.1 -p <port>` (default true). Turn off when `args` sets them itself. */
  listenArgs?: boolean;
  /** How long to wait for the port to accept, ms (default 10 s). */
  readyTimeoutMs?: number;
}

export interface Target {
  readonly kind: TargetKind;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** Temp dir holding nats.conf; also the child's cwd. */
  readonly dir: string;
  /** SIGTERM, then SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void>;
  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string;
  /** Sends a signal (e.g. SIGUSR2 for lame duck). */
  signal(sig: NodeJS.Signals): void;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// Servers must not outlive the test worker: kill them on exit, and on a terminating signal
// (then re-raise it so the worker still dies the way it was asked to).
const live = new Set<ChildProcess>();
const killAll = (): void => {
  for (const child of live) child.kill('SIGKILL');
};
process.on('exit', killAll);
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(sig, () => {
    killAll();
    process.kill(process.pid, sig);
  });
}

export function targetsFromEnv(env: string | undefined = process.env.CONFORMANCE_TARGETS): TargetKind[] {
  const raw = env === undefined || env.trim() === '' ? 'nats-server,starling' : env;
  const out: TargetKind[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim();
    if (name === '') continue;
    if (!(TARGET_KINDS as readonly string[]).includes(name)) {
      throw new Error(`CONFORMANCE_TARGETS: unknown target "${name}" (known: ${TARGET_KINDS.join(', ')})`);
    }
    if (!out.includes(name as TargetKind)) out.push(name as TargetKind);
  }
  if (out.length === 0) throw new Error('CONFORMANCE_TARGETS names no target');
  return out;
}

/** A port that was free on 127.0.0.1 a moment ago (bind :0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, LOOPBACK, () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('could not read the bound port'));
        return;
      }
      const { port } = addr;
      srv.close(() => resolvePort(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface PortsFile {
  /** File name, e.g. `nats-server_1234.ports`. */
  name: string;
  ports: { nats?: string[]; monitoring?: string[]; [k: string]: unknown };
}

/** The `*_<pid>.ports` file a server wrote into `dir`, or null when there is none (yet). */
export function readPortsFile(dir: string, pid: number): PortsFile | null {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(`_${pid}.ports`));
  } catch {
    return null;
  }
  const name = names[0];
  if (name === undefined) return null;
  try {
    return { name, ports: JSON.parse(readFileSync(join(dir, name), 'utf8')) as PortsFile['ports'] };
  } catch {
    return null; // still being written
  }
}

function commandFor(kind: TargetKind): { file: string; prefix: string[] } {
  if (kind === 'nats-server') return { file: natsServerBin(), prefix: [] };
  if (!existsSync(STARLING_CLI)) {
    throw new Error(`starling: CLI not built at ${STARLING_CLI} (build it: npx tsc -b packages/cli)`);
  }
  return { file: process.execPath, prefix: [STARLING_CLI] };
}

/** Resolves true once a TCP connect to host:port succeeds (the probe is closed before resolving). */
function probe(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.once('close', () => done(true));
      s.destroy();
    });
    s.once('error', () => done(false));
  });
}

export async function startTarget(kind: TargetKind, opts: StartOptions = {}): Promise<Target> {
  const attempts = opts.port === undefined ? 3 : 1;
  let lastError: Error | null = null;
  for (let i = 0; i < attempts; i++) {
    try {
      return await startOnce(kind, opts, opts.port ?? (await freePort()));
    } catch (err) {
      lastError = err as Error;
      // Another process grabbed the port between freePort() and bind: try a new one.
      if (!/address already in use|EADDRINUSE/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error(`${kind}: could not start`);
}

/**
 * Starts several targets at once. If any fails, the ones that did start are stopped before the
 * first error is thrown, so nothing is left running.
 */
export async function startTargets(specs: ReadonlyArray<readonly [TargetKind, StartOptions]>): Promise<Target[]> {
  const results = await Promise.allSettled(specs.map(([kind, opts]) => startTarget(kind, opts)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed === undefined) return results.map((r) => (r as PromiseFulfilledResult<Target>).value);
  await Promise.all(results.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
  throw failed.reason;
}

async function startOnce(kind: TargetKind, opts: StartOptions, port: number): Promise<Target> {
  if (port === -1 && opts.portsFileDir === undefined) throw new Error('startTarget: port -1 needs portsFileDir');
  const { file, prefix } = commandFor(kind);
  const dir = mkdtempSync(join(tmpdir(), `conformance-${kind}-`));
  const argv = [...prefix];
  if (opts.config !== undefined) {
    const confPath = join(dir, 'nats.conf');
    writeFileSync(confPath, opts.config);
    argv.push('-c', confPath);
  }
  if (opts.listenArgs !== false) argv.push('-a', LOOPBACK, '-p', String(port));
  argv.push(...(opts.args ?? []));

  const child = spawn(file, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const chunks: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (d: string) => chunks.push(d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => chunks.push(d));
  const logs = () => chunks.join('');

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      live.delete(child);
      res(exitInfo);
    });
  });
  let spawnError: Error | null = null;
  child.once('error', (err) => {
    spawnError = err;
  });

  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const stop = async (): Promise<void> => {
    if (exitInfo === null && spawnError === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    cleanup();
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 10_000);
  for (;;) {
    if (spawnError !== null || exitInfo !== null) {
      await Promise.race([exited, sleep(200)]);
      // Let the last stderr bytes arrive before reporting.
      await sleep(20);
      cleanup();
      const how = spawnError !== null ? `failed to spawn: ${(spawnError as Error).message}` : describeExit(exitInfo);
      throw new Error(`${kind}: ${file} ${argv.join(' ')} ${how}\n--- output ---\n${logs()}`);
    }
    if (port === -1) {
      const pf = readPortsFile(opts.portsFileDir!, child.pid ?? -1);
      const url = pf?.ports.nats?.[0];
      const m = url === undefined ? null : /:(\d+)$/.exec(url);
      if (m !== null) port = Number(m[1]);
    }
    if (port !== -1 && (await probe(LOOPBACK, port))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `${kind}: not accepting on ${LOOPBACK}:${port} after ${opts.readyTimeoutMs ?? 10_000} ms\n--- output ---\n${logs()}`,
      );
    }
    await sleep(25);
  }
  // The readiness probe was a real client connection; give the server a moment to reap it so it
  // does not count against max_connections in the first case.
  await sleep(30);

  return {
    kind,
    host: LOOPBACK,
    port,
    pid: child.pid ?? -1,
    dir,
    stop,
    logs,
    signal: (sig) => {
      child.kill(sig);
    },
    exited,
  };
}

function describeExit(info: { code: number | null; signal: NodeJS.Signals | null } | null): string {
  if (info === null) return 'exited';
  return info.signal !== null ? `was killed by ${info.signal}` : `exited with code ${info.code}`;
}
