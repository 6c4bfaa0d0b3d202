/**
 * Command-line flags, parsed the way nats-server parses them (Go's `flag` package + main.go):
 * `-x` and `--x` are the same flag; values as `-p 4222` or `-p=4222`; booleans as `-D` or
 * `-D=false`; parsing stops at the first word that is not a flag (`--` ends flags too); a
 * stray `version` or `help` acts like the flag, any other word is `unrecognized command`.
 *
 * Pure: no I/O. `parseFlags` reports problems instead of throwing; `applyFlagOverrides`
 * lays the flags over options loaded from a config file (flags win, as in nats-server).
 */
import {
  ConfigProblem,
  defaultTlsOptions,
  emptyAuthorization,
  type ServerOptions,
  validateOptions,
} from '@starling/conf';

export const FLAG_ERRORS = {
  FLAG_UNDEFINED: 'an unknown flag',
  FLAG_NEEDS_ARGUMENT: 'a value flag at the end of the command line',
  FLAG_INVALID_VALUE: 'a value that does not parse for its flag',
  FLAG_INVALID_BOOLEAN: 'a boolean flag given a value that is not a boolean',
  FLAG_BAD_SYNTAX: 'three dashes, or a flag name starting with =',
  FLAG_UNRECOGNIZED_COMMAND: 'a stray word other than version/help',
  FLAG_SIGNAL: 'a bad --signal value',
  FLAG_TLS: '--tls flags without certificate or key',
} as const;
export type FlagErrorCode = keyof typeof FLAG_ERRORS;

/** A flag problem; `String(e)` is the text nats-server prints. */
export class FlagError {
  readonly code: FlagErrorCode;
  readonly message: string;
  /** 2 for Go flag-package errors, 1 for nats-server's own checks. */
  readonly exitCode: number;
  /**
   * Go flag-package errors are followed by the usage text and printed without a program
   * prefix; nats-server's own errors print as `<prog>: <message>` without usage.
   */
  readonly showUsage: boolean;

  constructor(code: FlagErrorCode, message: string, exitCode: number, showUsage: boolean) {
    this.code = code;
    this.message = message;
    this.exitCode = exitCode;
    this.showUsage = showUsage;
  }

  toString(): string {
    return this.message;
  }
}

export const SIGNAL_COMMANDS = ['stop', 'quit', 'term', 'reopen', 'reload', 'ldm'] as const;
export type SignalCommand = (typeof SIGNAL_COMMANDS)[number];

/** `--tls…` flags: replace the TLS config (`disable` for `--tls=false`). */
export type TlsFlags =
  | { disable: true }
  | { disable: false; cert_file: string; key_file: string; ca_file: string | null; verify: boolean };

/** Options set on the command line; a field is present only when its flag was given. */
export interface FlagOptions {
  host?: string;
  port?: number;
  server_name?: string;
  client_advertise?: string;
  http_port?: number;
  https_port?: number;
  debug?: boolean;
  trace?: boolean;
  trace_verbose?: boolean;
  logtime?: boolean;
  logfile?: string;
  logfile_size_limit?: number;
  syslog?: boolean;
  remote_syslog?: string;
  pidfile?: string;
  ports_file_dir?: string;
  max_traced_msg_len?: number;
  /** `--user` / `--pass` / `--auth`: the single user or token of `authorization {}`. */
  user?: string;
  password?: string;
  token?: string;
  tls?: TlsFlags;
}

export interface FlagActions {
  /** `-t`: check the configuration and exit. */
  check: boolean;
  version: boolean;
  help: boolean;
  helpTls: boolean;
  /** `--signal <command>[=<pid or pid file>]`: send a signal to a running server and exit. */
  signal: { command: SignalCommand; pid: string | null } | null;
}

export interface ParsedFlags {
  options: FlagOptions;
  configFile: string | null;
  actions: FlagActions;
  /** Flags Starling recognizes but does not provide (clustering, JetStream, profiling). */
  unsupported: Array<{ flag: string; value: string | number | boolean }>;
  /** At most one: parsing stops at the first problem, as in Go. */
  errors: FlagError[];
  /** The exit code for `errors` (null when there are none). */
  exitCode: number | null;
  /** Words left after the flags. */
  args: string[];
}

type Kind = 'bool' | 'int' | 'string';
interface FlagDef {
  kind: Kind;
  /** Where the value goes: an option, or a named action / combination. */
  target: string;
  supported: boolean;
}

function defs(): Map<string, FlagDef> {
  const m = new Map<string, FlagDef>();
  const add = (names: string, kind: Kind, target: string, supported = true) => {
    for (const n of names.split(',')) m.set(n, { kind, target, supported });
  };
  add('h,help', 'bool', 'help');
  add('port,p', 'int', 'port');
  add('n,name,server_name', 'string', 'server_name');
  add('addr,a,net', 'string', 'host');
  add('client_advertise', 'string', 'client_advertise');
  add('D,debug', 'bool', 'debug');
  add('V,trace', 'bool', 'trace');
  add('VV', 'bool', 'VV');
  add('DV', 'bool', 'DV');
  add('DVV', 'bool', 'DVV');
  add('T,logtime', 'bool', 'logtime');
  add('user', 'string', 'user');
  add('pass', 'string', 'password');
  add('auth', 'string', 'token');
  add('m,http_port', 'int', 'http_port');
  add('ms,https_port', 'int', 'https_port');
  add('c,config', 'string', 'config');
  add('t', 'bool', 'check');
  add('sl,signal', 'string', 'signal');
  add('P,pid', 'string', 'pidfile');
  add('ports_file_dir', 'string', 'ports_file_dir');
  add('l,log', 'string', 'logfile');
  add('log_size_limit', 'int', 'logfile_size_limit');
  add('s,syslog', 'bool', 'syslog');
  add('r,remote_syslog', 'string', 'remote_syslog');
  add('version,v', 'bool', 'version');
  add('help_tls', 'bool', 'helpTls');
  add('tls', 'bool', 'tls');
  add('tlsverify', 'bool', 'tlsverify');
  add('tlscert', 'string', 'tlscert');
  add('tlskey', 'string', 'tlskey');
  add('tlscacert', 'string', 'tlscacert');
  add('max_traced_msg_len', 'int', 'max_traced_msg_len');
  // Recognized, not provided yet.
  add('profile', 'int', 'profile', false);
  add('routes', 'string', 'routes', false);
  add('cluster,cluster_listen', 'string', 'cluster', false);
  add('cluster_advertise', 'string', 'cluster_advertise', false);
  add('no_advertise', 'bool', 'no_advertise', false);
  add('connect_retries', 'int', 'connect_retries', false);
  add('cluster_name', 'string', 'cluster_name', false);
  add('js,jetstream', 'bool', 'jetstream', false);
  add('sd,store_dir', 'string', 'store_dir', false);
  return m;
}
const FLAGS = defs();

/** Go's strconv.ParseBool. */
function parseBool(s: string): boolean | null {
  switch (s) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
  }
  return null;
}

const GO_INT = /^[+-]?(0[xX](_?[0-9a-fA-F])+|0[bB](_?[01])+|0[oO](_?[0-7])+|0(_?[0-7])*|[1-9](_?[0-9])*)$/;

/** Go's strconv.ParseInt(s, 0, 64): the number, or Go's error reason. */
function parseInt64(s: string): number | 'parse error' | 'value out of range' {
  if (!GO_INT.test(s)) return 'parse error';
  let t = s.replace(/_/g, '');
  let neg = false;
  if (t[0] === '+' || t[0] === '-') {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  let v: bigint;
  if (/^0[xX]/.test(t)) v = BigInt(`0x${t.slice(2)}`);
  else if (/^0[bB]/.test(t)) v = BigInt(`0b${t.slice(2)}`);
  else if (/^0[oO]/.test(t)) v = BigInt(`0o${t.slice(2)}`);
  else if (t.length > 1 && t[0] === '0') v = BigInt(`0o${t.slice(1)}`);
  else v = BigInt(t);
  if (neg) v = -v;
  if (v > 2n ** 63n - 1n || v < -(2n ** 63n)) return 'value out of range';
  return Number(v);
}

/** Go's `%q` for a string (strconv.Quote). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function emptyParsed(): ParsedFlags {
  return {
    options: {},
    configFile: null,
    actions: { check: false, version: false, help: false, helpTls: false, signal: null },
    unsupported: [],
    errors: [],
    exitCode: null,
    args: [],
  };
}

/** Parses `argv` (without the node and script paths). Never throws. */
export function parseFlags(argv: readonly string[]): ParsedFlags {
  const out = emptyParsed();
  const fail = (code: FlagErrorCode, message: string, exitCode: number, showUsage: boolean): ParsedFlags => {
    out.errors.push(new FlagError(code, message, exitCode, showUsage));
    out.exitCode = exitCode;
    return out;
  };
  // Values as Go's flag variables hold them after parsing, and which flags were set.
  const values = new Map<string, string | number | boolean>();
  const set = new Set<string>();

  let i = 0;
  while (i < argv.length) {
    const s = argv[i]!;
    if (s.length < 2 || s[0] !== '-') break;
    let dashes = 1;
    if (s[1] === '-') {
      dashes = 2;
      if (s.length === 2) {
        i++; // "--" ends the flags
        break;
      }
    }
    let name = s.slice(dashes);
    if (name.length === 0 || name[0] === '-' || name[0] === '=') {
      return fail('FLAG_BAD_SYNTAX', `bad flag syntax: ${s}`, 2, true);
    }
    i++;
    let value: string | null = null;
    const eq = name.indexOf('=', 1);
    if (eq > 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const def = FLAGS.get(name);
    if (def === undefined) return fail('FLAG_UNDEFINED', `flag provided but not defined: -${name}`, 2, true);
    if (def.kind === 'bool') {
      let b = true;
      if (value !== null) {
        const pb = parseBool(value);
        if (pb === null) {
          return fail(
            'FLAG_INVALID_BOOLEAN',
            `invalid boolean value ${goQuote(value)} for -${name}: parse error`,
            2,
            true,
          );
        }
        b = pb;
      }
      values.set(def.target, b);
    } else {
      if (value === null && i < argv.length) value = argv[i++]!;
      if (value === null) return fail('FLAG_NEEDS_ARGUMENT', `flag needs an argument: -${name}`, 2, true);
      if (def.kind === 'int') {
        const n = parseInt64(value);
        if (typeof n === 'string') {
          return fail('FLAG_INVALID_VALUE', `invalid value ${goQuote(value)} for flag -${name}: ${n}`, 2, true);
        }
        values.set(def.target, n);
      } else values.set(def.target, value);
    }
    set.add(def.target);
    if (!def.supported) {
      const prior = out.unsupported.findIndex((u) => u.flag === def.target);
      if (prior >= 0) out.unsupported.splice(prior, 1);
      out.unsupported.push({ flag: def.target, value: values.get(def.target)! });
    }
  }
  out.args = argv.slice(i);

  const a = out.actions;
  a.help = values.get('help') === true;
  a.version = values.get('version') === true;
  a.helpTls = values.get('helpTls') === true;
  a.check = values.get('check') === true;
  const cfg = values.get('config');
  out.configFile = typeof cfg === 'string' && cfg !== '' ? cfg : null;
  if (a.version || a.help || a.helpTls) return out;

  // A stray `version` / `help` acts like the flag; any other word is an error.
  const first = out.args[0];
  if (first !== undefined) {
    const w = first.toLowerCase();
    if (w === 'version') a.version = true;
    else if (w === 'help') a.help = true;
    else return fail('FLAG_UNRECOGNIZED_COMMAND', `unrecognized command: ${goQuote(first)}`, 1, false);
    return out;
  }

  // Plain options, in the order Go assigned them (last one wins per option).
  const o = out.options;
  const str = (k: string) => values.get(k) as string;
  const num = (k: string) => values.get(k) as number;
  const bool = (k: string) => values.get(k) as boolean;
  if (set.has('host')) o.host = str('host');
  if (set.has('port')) o.port = num('port');
  if (set.has('server_name')) o.server_name = str('server_name');
  if (set.has('client_advertise')) o.client_advertise = str('client_advertise');
  if (set.has('http_port')) o.http_port = num('http_port');
  if (set.has('https_port')) o.https_port = num('https_port');
  if (set.has('debug')) o.debug = bool('debug');
  if (set.has('trace')) o.trace = bool('trace');
  if (set.has('logtime')) o.logtime = bool('logtime');
  if (set.has('logfile')) o.logfile = str('logfile');
  if (set.has('logfile_size_limit')) o.logfile_size_limit = num('logfile_size_limit');
  if (set.has('syslog')) o.syslog = bool('syslog');
  if (set.has('remote_syslog')) o.remote_syslog = str('remote_syslog');
  if (set.has('pidfile')) o.pidfile = str('pidfile');
  if (set.has('ports_file_dir')) o.ports_file_dir = str('ports_file_dir');
  if (set.has('max_traced_msg_len')) o.max_traced_msg_len = num('max_traced_msg_len');
  if (set.has('user')) o.user = str('user');
  if (set.has('password')) o.password = str('password');
  if (set.has('token')) o.token = str('token');
  // The combined level flags are applied after the single ones (Go visits them afterwards,
  // in name order: DV, DVV, VV), so `-D -DV=false` turns debug off.
  if (set.has('DV')) {
    o.debug = bool('DV');
    o.trace = bool('DV');
  }
  if (set.has('DVV')) {
    o.debug = bool('DVV');
    o.trace = bool('DVV');
    o.trace_verbose = bool('DVV');
  }
  if (set.has('VV')) {
    o.trace = bool('VV');
    o.trace_verbose = bool('VV');
  }

  // --tls=false wins over every other --tls* flag; otherwise any --tls* flag replaces TLS.
  const tlsFlags = ['tls', 'tlsverify', 'tlscert', 'tlskey', 'tlscacert'].filter((k) => set.has(k));
  if (set.has('tls') && bool('tls') === false) o.tls = { disable: true };
  else if (tlsFlags.length > 0) {
    const cert = set.has('tlscert') ? str('tlscert') : '';
    const key = set.has('tlskey') ? str('tlskey') : '';
    if (cert === '') return fail('FLAG_TLS', 'TLS Server certificate must be present and valid', 1, false);
    if (key === '') return fail('FLAG_TLS', 'TLS Server private key must be present and valid', 1, false);
    const ca = set.has('tlscacert') ? str('tlscacert') : '';
    o.tls = {
      disable: false,
      cert_file: cert,
      key_file: key,
      ca_file: ca === '' ? null : ca,
      verify: set.has('tlsverify') && bool('tlsverify'),
    };
  }

  if (set.has('signal')) {
    const parts = str('signal').split('=');
    if (parts.length > 2) {
      return fail('FLAG_SIGNAL', `invalid signal parameters: [${parts.slice(2).join(' ')}]`, 1, false);
    }
    const command = parts[0]!;
    if (!(SIGNAL_COMMANDS as readonly string[]).includes(command)) {
      return fail('FLAG_SIGNAL', `unknown signal ${goQuote(command)}`, 1, false);
    }
    a.signal = { command: command as SignalCommand, pid: parts.length === 2 ? parts[1]! : null };
  }
  return out;
}

/**
 * Lays the command-line flags over options loaded from a config file (flags win) and re-runs
 * the cross-field checks. Returns new options; the input is not modified.
 */
export function applyFlagOverrides(
  base: ServerOptions,
  flags: ParsedFlags,
): { options: ServerOptions; errors: ConfigProblem[] } {
  const o = structuredClone(base);
  const f = flags.options;
  const errors: ConfigProblem[] = [];
  if (f.host !== undefined) {
    // The monitoring host follows the client host unless the config set it apart.
    if (o.http_host === o.host) o.http_host = f.host;
    o.host = f.host;
  }
  if (f.port !== undefined) o.port = f.port === 0 ? 4222 : f.port;
  if (f.server_name !== undefined) o.server_name = f.server_name;
  if (f.client_advertise !== undefined) o.client_advertise = f.client_advertise;
  if (f.http_port !== undefined) o.http_port = f.http_port;
  if (f.https_port !== undefined) o.https_port = f.https_port;
  if (f.debug !== undefined) o.debug = f.debug;
  if (f.trace !== undefined) o.trace = f.trace;
  if (f.trace_verbose !== undefined) o.trace_verbose = f.trace_verbose;
  if (f.logtime !== undefined) o.logtime = f.logtime;
  if (f.logfile !== undefined) o.logfile = f.logfile === '' ? null : f.logfile;
  if (f.logfile_size_limit !== undefined) o.logfile_size_limit = f.logfile_size_limit;
  if (f.syslog !== undefined) o.syslog = f.syslog;
  if (f.remote_syslog !== undefined) o.remote_syslog = f.remote_syslog === '' ? null : f.remote_syslog;
  if (f.pidfile !== undefined) o.pidfile = f.pidfile === '' ? null : f.pidfile;
  if (f.ports_file_dir !== undefined) o.ports_file_dir = f.ports_file_dir === '' ? null : f.ports_file_dir;
  if (f.max_traced_msg_len !== undefined) o.max_traced_msg_len = f.max_traced_msg_len;
  if (f.user !== undefined || f.password !== undefined || f.token !== undefined) {
    const auth = o.authorization ?? emptyAuthorization();
    if (f.user !== undefined) auth.user = f.user === '' ? null : f.user;
    if (f.password !== undefined) auth.password = f.password === '' ? null : f.password;
    if (f.token !== undefined) auth.token = f.token === '' ? null : f.token;
    o.authorization = auth;
  }
  if (f.tls !== undefined) {
    if (f.tls.disable) o.tls = null;
    else {
      const tls = defaultTlsOptions();
      tls.cert_file = f.tls.cert_file;
      tls.key_file = f.tls.key_file;
      tls.ca_file = f.tls.ca_file;
      tls.verify = f.tls.verify;
      o.tls = tls;
    }
  }
  const routes = flags.unsupported.find((u) => u.flag === 'routes');
  const clusterFlag = flags.unsupported.some((u) => u.flag === 'cluster' && u.value !== '');
  const clusterConf = o.unsupported.some((u) => u.key === 'cluster');
  if (routes !== undefined && routes.value !== '' && !clusterFlag && !clusterConf) {
    errors.push(
      new ConfigProblem('CONF_INVALID', 'solicited routes require cluster capabilities, e.g. --cluster', null),
    );
  }
  errors.push(...validateOptions(o));
  return { options: o, errors };
}

/** nats-server-style usage, listing only the flags Starling provides. */
export function usageText(prog = 'starling'): string {
  return `
Usage: ${prog} [options]

Server Options:
    -a, --addr, --net <host>         Bind to host address (default: 0.0.0.0)
    -p, --port <port>                Use port for clients (default: 4222)
    -n, --name
        --server_name <server_name>  Server name (default: auto)
    -P, --pid <file>                 File to store PID
    -m, --http_port <port>           Use port for http monitoring
    -ms,--https_port <port>          Use port for https monitoring
    -c, --config <file>              Configuration file
    -t                               Test configuration and exit
    -sl,--signal <signal>[=<pid>]    Send signal to ${prog} process (ldm, stop, quit, term, reopen, reload)
                                     <pid> can be either a PID (e.g. 1) or the path to a PID file (e.g. /var/run/${prog}.pid)
        --client_advertise <string>  Client URL to advertise to other servers
        --ports_file_dir <dir>       Creates a ports file in the specified directory (<executable_name>_<pid>.ports).

Logging Options:
    -l, --log <file>                 File to redirect log output
    -T, --logtime                    Timestamp log entries (default: true)
    -s, --syslog                     Log to syslog or windows event log
    -r, --remote_syslog <addr>       Syslog server addr (udp://localhost:514)
    -D, --debug                      Enable debugging output
    -V, --trace                      Trace the raw protocol
    -VV                              Verbose trace (traces system account as well)
    -DV                              Debug and trace
    -DVV                             Debug and verbose trace (traces system account as well)
        --log_size_limit <limit>     Logfile size limit (default: auto)
        --max_traced_msg_len <len>   Maximum printable length for traced messages (default: unlimited)

Authorization Options:
        --user <user>                User required for connections
        --pass <password>            Password required for connections
        --auth <token>               Authorization token required for connections

TLS Options:
        --tls                        Enable TLS, do not verify clients (default: false)
        --tlscert <file>             Server certificate file
        --tlskey <file>              Private key for server certificate
        --tlsverify                  Enable TLS, verify client certificates
        --tlscacert <file>           Client certificate CA for verification

Common Options:
    -h, --help                       Show this message
    -v, --version                    Show version
`;
}
