// Finds the reference nats-server binary. Order: env NATS_SERVER_BIN, `nats-server` on PATH,
// the Debian location /usr/sbin (not on a normal user's PATH). When none is found and we run as
// root (CI), try `apt-get install -y nats-server` once; otherwise fail with a clear message.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/bin'];

let cached: string | null = null;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function search(): string | null {
  const fromEnv = process.env.NATS_SERVER_BIN;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isExecutable(fromEnv)) throw new Error(`NATS_SERVER_BIN=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const dir of [...dirs, ...EXTRA_DIRS]) {
    const p = join(dir, 'nats-server');
    if (isExecutable(p)) return p;
  }
  return null;
}

function tryAptInstall(): string {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) return 'not running as root, so apt-get was not attempted';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', 'nats-server'], { env, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { env, encoding: 'utf8', timeout: 300_000 });
    r = spawnSync('apt-get', ['install', '-y', 'nats-server'], { env, encoding: 'utf8', timeout: 300_000 });
  }
  if (r.error !== undefined) return `apt-get failed to run: ${r.error.message}`;
  if (r.status !== 0) return `apt-get install -y nats-server exited ${r.status}: ${r.stderr.trim().slice(-500)}`;
  return 'apt-get install succeeded but no nats-server binary was found afterwards';
}

/** Absolute path of the nats-server binary; throws a descriptive Error when there is none. */
export function natsServerBin(): string {
  if (cached !== null) return cached;
  let found = search();
  if (found === null) {
    const why = tryAptInstall();
    found = search();
    if (found === null) {
      throw new Error(
        `nats-server not found (set NATS_SERVER_BIN, put nats-server on PATH, or apt-get install nats-server): ${why}`,
      );
    }
  }
  cached = found;
  return found;
}

/** `nats-server --version` output, e.g. `nats-server: v2.9.10`. */
export function natsServerVersion(): string {
  const r = spawnSync(natsServerBin(), ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return `${r.stdout}${r.stderr}`.trim();
}
