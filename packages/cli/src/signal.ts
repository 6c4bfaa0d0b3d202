/**
 * `--signal <cmd>[=<pid|pidfile>]`: send a signal to a running server, as nats-server does.
 * stop=SIGKILL, quit=SIGINT, term=SIGTERM, reopen=SIGUSR1, reload=SIGHUP, ldm=SIGUSR2.
 */
import { readdirSync, readFileSync } from 'node:fs';

const SIGNALS: Record<string, NodeJS.Signals> = {
  stop: 'SIGKILL',
  quit: 'SIGINT',
  term: 'SIGTERM',
  reopen: 'SIGUSR1',
  reload: 'SIGHUP',
  ldm: 'SIGUSR2',
};

/** Resolves the pid argument: a number, a pid file, or nothing (find the one running server). */
function resolvePids(prog: string, pidArg: string | null): number[] | string {
  if (pidArg !== null && pidArg !== '') {
    if (/^\d+$/.test(pidArg)) return [Number(pidArg)];
    try {
      const text = readFileSync(pidArg, 'utf8').trim();
      if (/^\d+$/.test(text)) return [Number(text)];
      return `invalid pid file contents in ${pidArg}`;
    } catch (err) {
      return `could not read pid file ${pidArg}: ${(err as Error).message}`;
    }
  }
  // No pid: look for exactly one running process with our program name.
  const found: number[] = [];
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const parts = cmd.split('\0');
    if (parts.some((p) => p.endsWith(`/${prog}`) || p === prog || p.endsWith('/starling.js'))) {
      if (
        !parts.includes('--signal') &&
        !parts.includes('-sl') &&
        !parts.some((p) => p.startsWith('--signal=') || p.startsWith('-signal'))
      ) {
        found.push(Number(entry));
      }
    }
  }
  if (found.length === 0) return `no ${prog} processes running`;
  if (found.length > 1) return `multiple ${prog} processes running:\n${found.join('\n')}`;
  return found;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function sendSignal(prog: string, command: string, pidArg: string | null): number {
  const sig = SIGNALS[command];
  if (sig === undefined) {
    process.stderr.write(`${prog}: unknown signal "${command}"\n`);
    return 1;
  }
  const pids = resolvePids(prog, pidArg);
  if (typeof pids === 'string') {
    process.stderr.write(`${prog}: ${pids}\n`);
    return 1;
  }
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch (err) {
      process.stderr.write(`${prog}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  return 0;
}
