/**
 * The CLI flow, as a function so tests can drive it: flags -> config file -> flags again
 * (flags win) -> Server, plus the process duties nats-server has: pid file, ports file,
 * signals (INT/TERM stop, HUP reload, USR2 lame duck), `-t` config check, `--signal`.
 */
import { unlinkSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { basename, join } from 'node:path';
import { type ConfigProblem, loadConfigFile, normalizeOptions, type ServerOptions } from '@starling/conf';
import { NATS_COMPAT_VERSION, NatsLogger, Server } from '@starling/server';
import { applyFlagOverrides, parseFlags, usageText } from './flags.js';
import { reloadServer } from './reload.js';
import { sendSignal } from './signal.js';

export const STARLING_VERSION = '0.1.0';

/** The name the process was invoked as (`nats-server` when linked under that name). */
export function programName(): string {
  const a = process.argv[1] ? basename(process.argv[1]).replace(/\.js$/, '') : 'starling';
  const argv0 = basename(process.argv0 || 'starling');
  // `node starling.js` → argv0 is node; a symlink or shim named nats-server shows up in argv[1].
  if (argv0 === 'node' || argv0 === 'nodejs') return a === 'starling' || a === '' ? 'starling' : a;
  return argv0;
}

function printProblems(prog: string, problems: readonly ConfigProblem[]): void {
  for (const p of problems) process.stderr.write(`${prog}: ${String(p)}\n`);
}

/**
 * Runs the CLI. Resolves with an exit code when the process should exit now, or null when the
 * server is running (the process then lives until a signal stops it).
 */
export async function run(argv: string[]): Promise<number | null> {
  const prog = programName();
  const flags = parseFlags(argv);
  if (flags.errors.length > 0) {
    for (const e of flags.errors) {
      // Go flag-package errors print bare with the usage; nats-server's own checks print `prog: msg`.
      if (e.showUsage) process.stderr.write(`${e.message}\n${usageText(prog)}`);
      else process.stderr.write(`${prog}: ${e.message}\n`);
    }
    return flags.exitCode ?? 2;
  }
  const actions = flags.actions;
  if (actions.help || actions.helpTls) {
    process.stdout.write(usageText(prog));
    return 0;
  }
  if (actions.version) {
    process.stdout.write(`${prog}: v${NATS_COMPAT_VERSION} (starling ${STARLING_VERSION})\n`);
    return 0;
  }
  if (actions.signal !== null) {
    return sendSignal(prog, actions.signal.command, actions.signal.pid);
  }

  let options: ServerOptions;
  let warnings: readonly ConfigProblem[] = [];
  if (flags.configFile !== null) {
    const res = loadConfigFile(flags.configFile);
    if (res.errors.length > 0 || (actions.check && res.warnings.length > 0)) {
      printProblems(prog, [...res.warnings, ...res.errors]);
      return 1;
    }
    options = res.options;
    warnings = res.warnings;
  } else {
    if (actions.check) {
      process.stderr.write(`${prog}: must specify [-c, --config] option to check configuration file syntax\n`);
      return 1;
    }
    const res = normalizeOptions({});
    options = res.options;
  }
  const merged = applyFlagOverrides(options, flags);
  if (merged.errors.length > 0) {
    printProblems(prog, merged.errors);
    return 1;
  }
  options = merged.options;
  if (actions.check) {
    process.stdout.write(`${prog}: configuration file ${flags.configFile} is valid\n`);
    return 0;
  }

  const logger = new NatsLogger(options);
  for (const w of warnings) logger.warn(String(w));
  for (const u of flags.unsupported) logger.warn(`Flag -${u.flag} is accepted but Starling does not provide it yet`);
  let server: Server;
  try {
    server = new Server(options, { logger });
  } catch (err) {
    process.stderr.write(`${prog}: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    await server.start();
  } catch (err) {
    logger.fatal(`Error listening on port: ${options.host}:${options.port}, "${(err as Error).message}"`);
    return 1;
  }

  const files = writeProcessFiles(prog, server, options);
  installSignals(server, logger, flags, files);
  return null;
}

interface ProcessFiles {
  pidFile: string | null;
  portsFile: string | null;
}

function writeProcessFiles(prog: string, server: Server, o: ServerOptions): ProcessFiles {
  const files: ProcessFiles = { pidFile: null, portsFile: null };
  if (o.pidfile) {
    writeFileSync(o.pidfile, String(process.pid));
    files.pidFile = o.pidfile;
  }
  if (o.ports_file_dir) {
    const ports: Record<string, string[]> = { nats: urlsFor('nats', o.host, server.port) };
    if (server.ws !== null) ports.websocket = [server.ws.url];
    if (server.monitor !== null) {
      const scheme = o.https_port !== 0 ? 'https' : 'http';
      ports.monitoring = urlsFor(scheme, o.http_host || o.host, server.monitor.port);
    }
    const portsFile = join(o.ports_file_dir, `${prog}_${process.pid}.ports`);
    writeFileSync(portsFile, JSON.stringify(ports));
    files.portsFile = portsFile;
  }
  return files;
}

/** nats-server expands a wildcard listen address into one URL per local IPv4 address. */
function urlsFor(scheme: string, host: string, port: number): string[] {
  if (host !== '0.0.0.0' && host !== '' && host !== '::') return [`${scheme}://${hostPort(host, port)}`];
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const addr of list ?? []) {
      if (addr.family === 'IPv4') out.push(`${scheme}://${addr.address}:${port}`);
    }
  }
  if (out.length === 0) out.push(`${scheme}://127.0.0.1:${port}`);
  return out;
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function installSignals(
  server: Server,
  logger: NatsLogger,
  flags: ReturnType<typeof parseFlags>,
  files: ProcessFiles,
): void {
  let stopping = false;
  const cleanup = (): void => {
    for (const f of [files.pidFile, files.portsFile]) {
      if (f === null) continue;
      try {
        unlinkSync(f);
      } catch {
        // already gone
      }
    }
  };
  const stop = (name: string): void => {
    logger.debug(`Trapped "${name}" signal`);
    if (name === 'terminated' && server.inLameDuckMode) return;
    if (stopping) return;
    stopping = true;
    server.shutdown().then(
      () => {
        cleanup();
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('interrupt'));
  process.on('SIGTERM', () => stop('terminated'));
  process.on('SIGHUP', () => {
    logger.debug('Trapped "hangup" signal');
    reloadServer(server, logger, flags);
  });
  process.on('SIGUSR1', () => {
    logger.debug('Trapped "user defined signal 1" signal');
    // Log lines are appended per write, so a rotated file is picked up without reopening.
  });
  process.on('SIGUSR2', () => {
    logger.debug('Trapped "user defined signal 2" signal');
    server.lameDuck().then(
      () => {
        cleanup();
        process.exit(0);
      },
      () => process.exit(1),
    );
  });
}
