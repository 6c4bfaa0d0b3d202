/**
 * Logging in nats-server's format: `[pid] 2006/01/02 15:04:05.000000 [INF] message`.
 * Levels INF, WRN, ERR, FTL always; DBG with `debug` (-D); TRC with `trace` (-V).
 * Writes are synchronous (logs are rare, and a crash must not lose the last line).
 */
import { appendFileSync, writeSync } from 'node:fs';

export interface LoggerOptions {
  debug: boolean;
  trace: boolean;
  logtime: boolean;
  logtime_utc: boolean;
  logfile: string | null;
}

/** What the server and connections log through; tests may pass a capturing one. */
export interface Logger {
  readonly debugEnabled: boolean;
  readonly traceEnabled: boolean;
  notice(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  fatal(msg: string): void;
  debug(msg: string): void;
  trace(msg: string): void;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

export function formatTime(d: Date, utc: boolean): string {
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const mo = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
  const da = utc ? d.getUTCDate() : d.getDate();
  const h = utc ? d.getUTCHours() : d.getHours();
  const mi = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  const us = d.getMilliseconds() * 1000;
  return `${y}/${pad(mo, 2)}/${pad(da, 2)} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(us, 6)}`;
}

export class NatsLogger implements Logger {
  debugEnabled: boolean;
  traceEnabled: boolean;
  private logtime: boolean;
  private utc: boolean;
  private file: string | null;
  private readonly prefix = `[${process.pid}] `;

  constructor(opts: LoggerOptions) {
    this.debugEnabled = opts.debug;
    this.traceEnabled = opts.trace;
    this.logtime = opts.logtime;
    this.utc = opts.logtime_utc;
    this.file = opts.logfile;
  }

  /** Applies reloadable logging options (SIGHUP). */
  configure(opts: LoggerOptions): void {
    this.debugEnabled = opts.debug;
    this.traceEnabled = opts.trace;
    this.logtime = opts.logtime;
    this.utc = opts.logtime_utc;
    this.file = opts.logfile;
  }

  notice(msg: string): void {
    this.write('[INF] ', msg);
  }
  warn(msg: string): void {
    this.write('[WRN] ', msg);
  }
  error(msg: string): void {
    this.write('[ERR] ', msg);
  }
  fatal(msg: string): void {
    this.write('[FTL] ', msg);
  }
  debug(msg: string): void {
    if (this.debugEnabled) this.write('[DBG] ', msg);
  }
  trace(msg: string): void {
    if (this.traceEnabled) this.write('[TRC] ', msg);
  }

  private write(level: string, msg: string): void {
    const time = this.logtime ? `${formatTime(new Date(), this.utc)} ` : '';
    const line = `${this.prefix}${time}${level}${msg}\n`;
    try {
      if (this.file !== null) appendFileSync(this.file, line);
      else writeSync(2, line);
    } catch {
      // A broken log sink must never take the server down.
    }
  }
}

/** A logger that drops everything: the default for embedded servers unless asked. */
export class NullLogger implements Logger {
  readonly debugEnabled = false;
  readonly traceEnabled = false;
  notice(): void {}
  warn(): void {}
  error(): void {}
  fatal(): void {}
  debug(): void {}
  trace(): void {}
}
