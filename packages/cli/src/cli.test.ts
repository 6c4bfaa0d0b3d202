// The built CLI as a process (the root test command builds before vitest runs): config check,
// pid file, --signal reload/quit through the pid file, and exit codes.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = resolve(import.meta.dirname, '../dist/starling.js');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function run(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function waitFor(pred: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((res, rej) => {
    const tick = () => {
      if (pred()) return res();
      if (Date.now() > end) return rej(new Error('timeout'));
      setTimeout(tick, 20);
    };
    tick();
  });
}

describe('starling CLI process', () => {
  it('is built', () => {
    expect(existsSync(CLI)).toBe(true);
  });

  it('-t validates a config file, and reports errors with file:line:col and exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'starling-cli-'));
    const good = join(dir, 'good.conf');
    const bad = join(dir, 'bad.conf');
    writeFileSync(good, 'port: 4222\nmax_payload: 1MB\n');
    writeFileSync(bad, 'port: 4222\nnope: 1\n');
    const ok = run(['-c', good, '-t']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`configuration file ${good} is valid`);
    const ko = run(['-c', bad, '-t']);
    expect(ko.code).toBe(1);
    expect(ko.err).toContain(`${bad}:2:1: unknown field "nope"`);
  });

  it('writes its pid file, reloads on --signal reload=<pidfile>, stops on --signal quit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'starling-cli-'));
    const conf = join(dir, 'nats.conf');
    const pidFile = join(dir, 'starling.pid');
    writeFileSync(conf, `listen: 127.0.0.1:-1\npidfile: "${pidFile}"\ndebug: false\n`);
    const child = spawn(process.execPath, [CLI, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let log = '';
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
    });
    await waitFor(() => log.includes('Server is ready') && existsSync(pidFile), 10_000);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(child.pid));
    writeFileSync(conf, `listen: 127.0.0.1:-1\npidfile: "${pidFile}"\ndebug: true\n`);
    expect(run(['--signal', `reload=${pidFile}`]).code).toBe(0);
    await waitFor(() => log.includes('Reloaded server configuration'), 5000);
    expect(log).toContain('Reloaded: debug = true');
    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    expect(run(['-sl', `quit=${pidFile}`]).code).toBe(0);
    expect(await exited).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('an unknown signal is an error', () => {
    const r = run(['--signal', 'bogus']);
    expect(r.code).not.toBe(0);
  });
});
