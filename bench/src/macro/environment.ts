/**
 * Facts about the machine and the two servers, gathered once per run for the report header,
 * and the process-spawning rules that keep the comparison fair: the server under test on core 0,
 * every load-generator process (and this orchestrator) on core 1, both with a raised fd limit.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export const NATS_SERVER_PATH = '/usr/sbin/nats-server';
export const SERVER_CORE = 0;
export const GENERATOR_CORE = 1;
/** File descriptors the children ask for (10k idle connections + slack). */
export const NOFILE = 65536;

export interface Machine {
  node: string;
  cpuModel: string;
  cores: number;
  /** True when the server and the generator run on separate pinned cores. */
  pinning: boolean;
  pinningNote: string;
  commit: string;
  dirty: boolean;
  kernel: string;
}

export function commandOutput(cmd: string, args: string[], timeoutMs = 5000): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0 || r.error) return null;
  return `${r.stdout}${r.stderr}`.trim();
}

function nproc(): number {
  const out = commandOutput('nproc', []);
  const n = out === null ? Number.NaN : Number.parseInt(out, 10);
  return Number.isFinite(n) ? n : cpus().length;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: fall through
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** Makes sure `taskset` exists, installing Debian's util-linux if needed. Returns a note when it did. */
function ensureTaskset(log: (line: string) => void): boolean {
  if (commandOutput('taskset', ['-V']) !== null) return true;
  log('taskset not found: installing util-linux with apt-get (needed for core pinning)');
  spawnSync('apt-get', ['install', '-y', 'util-linux'], { stdio: 'inherit' });
  return commandOutput('taskset', ['-V']) !== null;
}

export function detectMachine(wantPinning: boolean, log: (line: string) => void): Machine {
  const cores = nproc();
  let pinning = false;
  let pinningNote: string;
  if (!wantPinning) {
    pinningNote = 'pinning off (--no-pin)';
  } else if (cores < 2) {
    pinningNote = `pinning off: nproc = ${cores}, server and load generator share the core`;
  } else if (!ensureTaskset(log)) {
    pinningNote = 'pinning off: taskset unavailable and util-linux could not be installed';
  } else {
    pinning = true;
    pinningNote = `server pinned to core ${SERVER_CORE}, load generator + orchestrator pinned to core ${GENERATOR_CORE} (taskset; nproc = ${cores})`;
  }
  const commit = commandOutput('git', ['rev-parse', '--short', 'HEAD']) ?? 'unknown';
  const status = commandOutput('git', ['status', '--porcelain', '--untracked-files=no']);
  return {
    node: process.version,
    cpuModel: cpuModel(),
    cores,
    pinning,
    pinningNote,
    commit,
    dirty: status !== null && status.length > 0,
    kernel: commandOutput('uname', ['-r']) ?? 'unknown',
  };
}

/** Pins this orchestrator (all its threads) to the generator core so core 0 is the server's alone. */
export function pinSelf(machine: Machine): void {
  if (!machine.pinning) return;
  commandOutput('taskset', ['-a', '-p', '-c', String(GENERATOR_CORE), String(process.pid)]);
}

/** nats-server must exist; installs Debian's package when it is missing and says so. */
export function ensureNatsServer(log: (line: string) => void): string {
  if (existsSync(NATS_SERVER_PATH)) return NATS_SERVER_PATH;
  log(`${NATS_SERVER_PATH} not found: installing it with apt-get install -y nats-server`);
  spawnSync('apt-get', ['install', '-y', 'nats-server'], { stdio: 'inherit' });
  if (!existsSync(NATS_SERVER_PATH)) {
    throw new Error(`nats-server is not installed and apt-get install -y nats-server failed`);
  }
  return NATS_SERVER_PATH;
}

/**
 * The argv that runs `argv` with a raised fd limit, pinned to `core` when pinning is on. The
 * shell execs, so the spawned pid is the program's own pid (used for /proc sampling).
 */
export function pinnedArgv(machine: Machine, core: number, argv: readonly string[]): string[] {
  const pin = machine.pinning ? ['taskset', '-c', String(core)] : [];
  return [
    'sh',
    '-c',
    `ulimit -n ${NOFILE} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"`,
    'sh',
    ...pin,
    ...argv,
  ];
}

/** `--version` output of a server command, first line, or a fallback. */
export function serverVersion(argv: readonly string[], fallback: string): string {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) return fallback;
  const out = commandOutput(cmd, [...rest, '--version']);
  const line = out?.split('\n')[0]?.trim();
  return line && line.length > 0 ? line : fallback;
}

export function execQuiet(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/** Busy ticks (user + nice + system + steal) per CPU, from /proc/stat; empty if unavailable. */
export function coreBusyTicks(): number[] {
  try {
    const out: number[] = [];
    for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
      const m = /^cpu(\d+)\s+(.*)$/.exec(line);
      if (!m) continue;
      const f = m[2]!.split(/\s+/).map(Number);
      // user nice system idle iowait irq softirq steal ... — irq/softirq are left out: on loopback
      // they are mostly the benchmark's own packets, not someone else's work.
      out[Number(m[1])] = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[7] ?? 0);
    }
    return out;
  } catch {
    return [];
  }
}

/**
 * Watches both cores over a window: how much went to anything but the server (server core) or
 * the load generator (generator core). Other processes on the machine (someone's test run) make
 * a round noisy; the runner repeats it and the report says so.
 */
export class CoreWatch {
  private readonly busy0: number;
  private readonly genBusy0: number;
  private readonly t0: bigint;
  private readonly serverCpu0: number;
  constructor(private readonly serverCpuSeconds: () => number) {
    const ticks = coreBusyTicks();
    this.busy0 = ticks[SERVER_CORE] ?? Number.NaN;
    this.genBusy0 = ticks[GENERATOR_CORE] ?? Number.NaN;
    this.t0 = process.hrtime.bigint();
    this.serverCpu0 = serverCpuSeconds();
  }
  /**
   * server: the server's CPU share; foreign: other processes' share of the server core;
   * generatorCore: how busy the generator core was (all processes), to subtract the
   * generator's own share from.
   */
  stop(): { server: number; foreign: number; generatorCore: number } {
    const seconds = Number(process.hrtime.bigint() - this.t0) / 1e9;
    const server = (this.serverCpuSeconds() - this.serverCpu0) / seconds;
    const ticks = coreBusyTicks();
    const core = ((ticks[SERVER_CORE] ?? Number.NaN) - this.busy0) / 100 / seconds;
    const generatorCore = ((ticks[GENERATOR_CORE] ?? Number.NaN) - this.genBusy0) / 100 / seconds;
    return { server, foreign: Math.max(0, core - server), generatorCore };
  }
}
