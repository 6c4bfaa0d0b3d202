/**
 * The options loader: a parsed config tree (or a plain object, through the same code) to
 * typed `ServerOptions`, collecting every error and warning (opts.go `ProcessConfigFile`,
 * `processConfigFileLine`, `setBaselineOptions`, plus the startup checks of validate.ts).
 */
import {
  DEFAULT_AUTH_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_LAME_DUCK_DURATION_MS,
  DEFAULT_LAME_DUCK_GRACE_PERIOD_MS,
  DEFAULT_MAX_CLOSED_CLIENTS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONTROL_LINE,
  DEFAULT_MAX_PAYLOAD,
  DEFAULT_MAX_PENDING,
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_PING_MAX,
  DEFAULT_PORT,
  DEFAULT_TLS_TIMEOUT_MS,
  DEFAULT_WRITE_DEADLINE_MS,
  defaultOptions,
  MAX_SUB_TOKENS_LIMIT,
  MIN_LAME_DUCK_DURATION_MS,
} from './defaults.js';
import { formatMs } from './duration.js';
import type { ConfigProblem } from './errors.js';
import { parseListen } from './listen.js';
import { type LoadedAccounts, type LoadedAuthorization, loadAccounts, loadAuthorization } from './load-auth.js';
import { LoadContext } from './load-context.js';
import { loadOperators, loadPreload, loadResolver, loadTrustedKeys, type OperatorInfo } from './load-operator.js';
import { loadTls } from './load-tls.js';
import { loadWebsocket } from './load-websocket.js';
import { objectToTree } from './object-tree.js';
import type { ServerOptions } from './options-types.js';
import { defaultReadFile, type ParseOptions, parseConfig, parseConfigFile } from './parser.js';
import type { ConfEntry, ConfMap } from './tree.js';
import { loadTopLevelMappings, loadUnsupportedTopLevel } from './unsupported.js';
import { validateOptions } from './validate.js';

export interface LoadOptionsConfig {
  /**
   * Reads files the config names (operator JWT files, TLS cert/key/CA to check they exist).
   * Default: node:fs. `null` skips those reads (operator values must then be inline JWTs).
   */
  readFile?: ((path: string) => string) | null;
}

export interface LoadResult {
  /** Always filled (defaults where a value was bad); use it only when `errors` is empty. */
  options: ServerOptions;
  /** nats-server config warnings (fatal for `-t`, printed otherwise). */
  warnings: ConfigProblem[];
  errors: ConfigProblem[];
}

const INT31_MAX = 2 ** 31 - 1;

/** Typed options from a parsed config tree. */
export function loadOptions(tree: ConfMap, config: LoadOptionsConfig = {}): LoadResult {
  const ctx = new LoadContext({ readFile: config.readFile === undefined ? defaultReadFile : config.readFile });
  const o = defaultOptions();
  o.config_file = tree.pos !== null && tree.pos.file !== '' ? tree.pos.file : null;

  let host: string | null = null;
  let httpHost: string | null = null;
  let auth: LoadedAuthorization | null = null;
  let authEntry: ConfEntry | null = null;
  let accounts: LoadedAccounts | null = null;
  let operators: OperatorInfo[] = [];
  let resolverSet = false;
  const seen = (name: string, e: ConfEntry) => ctx.topPos.set(name, e.pos);

  for (const e of tree.value.values()) {
    const key = e.key.toLowerCase();
    switch (key) {
      case 'listen': {
        const hp = parseListen(ctx, e);
        if (hp !== null) {
          if (hp.host !== null) host = hp.host;
          o.port = hp.port;
        }
        seen('port', e);
        break;
      }
      case 'port':
        o.port = ctx.int(e) ?? o.port;
        seen('port', e);
        break;
      case 'host':
      case 'net':
        host = ctx.str(e) ?? host;
        break;
      case 'client_advertise':
        o.client_advertise = ctx.str(e);
        break;
      case 'server_name':
        o.server_name = ctx.str(e);
        seen('server_name', e);
        break;
      case 'debug':
        o.debug = ctx.bool(e) ?? o.debug;
        break;
      case 'trace':
        o.trace = ctx.bool(e) ?? o.trace;
        break;
      case 'trace_verbose': {
        const v = ctx.bool(e);
        if (v !== null) {
          o.trace_verbose = v;
          o.trace = v;
        }
        break;
      }
      case 'logtime':
        o.logtime = ctx.bool(e) ?? o.logtime;
        break;
      case 'logtime_utc':
        o.logtime_utc = ctx.bool(e) ?? o.logtime_utc;
        break;
      case 'mappings':
      case 'maps':
        loadTopLevelMappings(ctx, e);
        break;
      case 'disable_sublist_cache':
      case 'no_sublist_cache':
        o.disable_sublist_cache = ctx.bool(e) ?? o.disable_sublist_cache;
        break;
      case 'accounts':
        accounts = loadAccounts(ctx, e);
        o.accounts = accounts.accounts;
        seen('accounts', e);
        break;
      case 'authorization':
        auth = loadAuthorization(ctx, e);
        authEntry = e;
        if (auth !== null) o.authorization = auth.auth;
        seen('authorization', e);
        break;
      case 'http':
      case 'https': {
        const hp = parseListen(ctx, e);
        if (hp !== null) {
          httpHost = hp.host ?? '';
          if (key === 'http') o.http_port = hp.port;
          else {
            o.https_port = hp.port;
            seen('https_port', e);
          }
        }
        break;
      }
      case 'http_port':
      case 'monitor_port':
        o.http_port = ctx.int(e) ?? o.http_port;
        break;
      case 'https_port':
        o.https_port = ctx.int(e) ?? o.https_port;
        seen('https_port', e);
        break;
      case 'http_base_path':
        o.http_base_path = ctx.str(e) ?? o.http_base_path;
        break;
      case 'logfile':
      case 'log_file':
        o.logfile = ctx.str(e);
        break;
      case 'logfile_size_limit':
      case 'log_size_limit':
        o.logfile_size_limit = ctx.int(e) ?? o.logfile_size_limit;
        break;
      case 'syslog':
        o.syslog = ctx.bool(e) ?? o.syslog;
        break;
      case 'remote_syslog':
        o.remote_syslog = ctx.str(e);
        break;
      case 'pidfile':
      case 'pid_file':
        o.pidfile = ctx.str(e);
        break;
      case 'ports_file_dir':
        o.ports_file_dir = ctx.str(e);
        break;
      case 'max_control_line':
      case 'max_payload': {
        const v = ctx.int(e);
        if (v !== null && v > INT31_MAX) ctx.error('CONF_LIMITS', `${e.key} value is too big`, e.pos);
        else if (v !== null) o[key] = v;
        seen(key, e);
        break;
      }
      case 'max_pending':
        o.max_pending = ctx.int(e) ?? o.max_pending;
        seen('max_pending', e);
        break;
      case 'max_connections':
      case 'max_conn':
        o.max_connections = ctx.int(e) ?? o.max_connections;
        break;
      case 'max_traced_msg_len':
        o.max_traced_msg_len = ctx.int(e) ?? o.max_traced_msg_len;
        break;
      case 'max_subscriptions':
      case 'max_subs':
        o.max_subscriptions = ctx.int(e) ?? o.max_subscriptions;
        break;
      case 'max_sub_tokens':
      case 'max_subscription_tokens': {
        const v = ctx.int(e);
        if (v === null) break;
        if (v > MAX_SUB_TOKENS_LIMIT) ctx.error('CONF_LIMITS', `${e.key} value is too big`, e.pos);
        else if (v <= 0) ctx.error('CONF_LIMITS', `${e.key} value can not be negative`, e.pos);
        else o.max_sub_tokens = v;
        break;
      }
      case 'ping_interval':
        o.ping_interval = ctx.duration(e, 'ping_interval') ?? o.ping_interval;
        break;
      case 'ping_max':
        o.ping_max = ctx.int(e) ?? o.ping_max;
        break;
      case 'write_deadline':
        o.write_deadline = ctx.duration(e, 'write_deadline') ?? o.write_deadline;
        break;
      case 'lame_duck_duration': {
        seen('lame_duck_duration', e);
        const v = ctx.durationString(e, 'lame_duck_duration');
        if (v === null) break;
        if (v < MIN_LAME_DUCK_DURATION_MS) {
          ctx.error('CONF_LAME_DUCK', `invalid lame_duck_duration of ${formatMs(v)}, minimum is 30 seconds`, e.pos);
          break;
        }
        o.lame_duck_duration = v;
        break;
      }
      case 'lame_duck_grace_period': {
        seen('lame_duck_grace_period', e);
        const v = ctx.durationString(e, 'lame_duck_grace_period');
        if (v === null) break;
        if (v < 0) {
          ctx.error('CONF_LAME_DUCK', 'invalid lame_duck_grace_period, needs to be positive', e.pos);
          break;
        }
        o.lame_duck_grace_period = v;
        break;
      }
      case 'tls':
        o.tls = loadTls(ctx, e, 'tls');
        break;
      case 'allow_non_tls':
        o.allow_non_tls = ctx.bool(e) ?? o.allow_non_tls;
        break;
      case 'operator':
      case 'operators':
      case 'roots':
      case 'root':
      case 'root_operators':
      case 'root_operator':
        operators = loadOperators(ctx, e);
        o.operator = operators.map((op) => op.jwt);
        seen('operator', e);
        break;
      case 'resolver':
      case 'account_resolver':
      case 'accounts_resolver':
        o.resolver = loadResolver(ctx, e);
        resolverSet = true;
        break;
      case 'resolver_preload':
        o.resolver_preload = loadPreload(ctx, e);
        break;
      case 'no_auth_user':
        o.no_auth_user = ctx.str(e);
        seen('no_auth_user', e);
        break;
      case 'system_account':
      case 'system':
        if (e.node.kind === 'string') o.system_account = e.node.value;
        else ctx.error('CONF_TYPE', 'system account name must be a string', e.pos);
        seen('system_account', e);
        break;
      case 'no_system_account':
      case 'no_system':
      case 'no_sys_acc':
        o.no_system_account = ctx.bool(e) ?? o.no_system_account;
        break;
      case 'no_header_support':
        o.no_header_support = ctx.bool(e) ?? o.no_header_support;
        break;
      case 'trusted':
      case 'trusted_keys':
        o.trusted_keys = loadTrustedKeys(ctx, e);
        break;
      case 'websocket':
      case 'ws':
        o.websocket = loadWebsocket(ctx, e);
        seen('websocket', e);
        break;
      case 'max_closed_clients':
        o.max_closed_clients = ctx.int(e) ?? o.max_closed_clients;
        break;
      default:
        if (!loadUnsupportedTopLevel(ctx, e, key)) ctx.unknown(e);
    }
  }

  if (authEntry !== null && auth !== null) checkAuthConflicts(ctx, authEntry, auth, accounts);
  checkDuplicateUsers(ctx, o);

  // A single operator supplies the system account and, lacking a resolver, its account server.
  if (operators.length === 1) {
    const op = operators[0]!;
    if (!resolverSet && op.accountServerUrl !== null) {
      o.resolver = { type: 'URL', url: `${op.accountServerUrl}/accounts`, dir: null };
    }
    if (o.system_account === null) o.system_account = op.systemAccount;
  }

  applyBaseline(o, host, httpHost);
  o.unsupported = ctx.unsupported;

  // Cross-field checks. Those about users only run when users parsed cleanly, so one bad
  // user entry does not also produce "no_auth_user … not present".
  const authBroken = ctx.errors.some((p) =>
    ['CONF_USER', 'CONF_AUTH', 'CONF_ACCOUNTS', 'CONF_OPERATOR', 'CONF_PERMISSIONS'].includes(p.code),
  );
  ctx.errors.push(...validateOptions(o, ctx.topPos, { skipAuth: authBroken }));
  return { options: o, warnings: ctx.warnings, errors: ctx.errors };
}

/** setBaselineOptions: zero values become defaults. */
function applyBaseline(o: ServerOptions, host: string | null, httpHost: string | null): void {
  o.host = host === null || host === '' ? DEFAULT_HOST : host;
  o.http_host = httpHost === null || httpHost === '' ? o.host : httpHost;
  if (o.port === 0) o.port = DEFAULT_PORT;
  if (o.max_connections === 0) o.max_connections = DEFAULT_MAX_CONNECTIONS;
  if (o.ping_interval === 0) o.ping_interval = DEFAULT_PING_INTERVAL_MS;
  if (o.ping_max === 0) o.ping_max = DEFAULT_PING_MAX;
  if (o.max_control_line === 0) o.max_control_line = DEFAULT_MAX_CONTROL_LINE;
  if (o.max_payload === 0) o.max_payload = DEFAULT_MAX_PAYLOAD;
  if (o.max_pending === 0) o.max_pending = DEFAULT_MAX_PENDING;
  if (o.write_deadline === 0) o.write_deadline = DEFAULT_WRITE_DEADLINE_MS;
  if (o.max_closed_clients === 0) o.max_closed_clients = DEFAULT_MAX_CLOSED_CLIENTS;
  if (o.lame_duck_duration === 0) o.lame_duck_duration = DEFAULT_LAME_DUCK_DURATION_MS;
  if (o.lame_duck_grace_period === 0) o.lame_duck_grace_period = DEFAULT_LAME_DUCK_GRACE_PERIOD_MS;
  if (o.tls !== null && o.tls.timeout === 0) o.tls.timeout = DEFAULT_TLS_TIMEOUT_MS;
  if (o.websocket?.tls && o.websocket.tls.timeout === 0) o.websocket.tls.timeout = DEFAULT_TLS_TIMEOUT_MS;
}

/** The auth timeout a listener really uses: configured, else 2 s, or TLS timeout + 1 s with TLS. */
export function effectiveAuthTimeout(o: ServerOptions): number {
  if (o.authorization?.timeout != null && o.authorization.timeout !== 0) return o.authorization.timeout;
  return o.tls !== null ? o.tls.timeout + 1000 : DEFAULT_AUTH_TIMEOUT_MS;
}

function checkAuthConflicts(
  ctx: LoadContext,
  e: ConfEntry,
  loaded: LoadedAuthorization,
  accounts: LoadedAccounts | null,
): void {
  const a = loaded.auth;
  const hasUser = (a.user !== null && a.user !== '') || (a.password !== null && a.password !== '');
  const hasToken = a.token !== null && a.token !== '';
  if (hasUser && hasToken) {
    ctx.error('CONF_AUTH', 'Cannot have a user/pass and token', e.pos);
    return;
  }
  if (loaded.usersPresent) {
    if (a.user !== null && a.user !== '') {
      ctx.error('CONF_AUTH', 'Can not have a single user/pass and a users array', e.pos);
      return;
    }
    if (hasToken) {
      ctx.error('CONF_AUTH', 'Can not have a token and a users array', e.pos);
      return;
    }
  }
  for (const acc of accounts?.accounts ?? []) {
    if (acc.users.length === 0) continue;
    const pos = accounts?.usersPos.get(acc) ?? acc.pos;
    if (a.user !== null && a.user !== '') ctx.error('CONF_AUTH', 'Can not have a single user/pass and accounts', pos);
    else if (hasToken) ctx.error('CONF_AUTH', 'Can not have a token and accounts', pos);
  }
}

/** Users and nkeys must be unique across authorization {} and every account. */
function checkDuplicateUsers(ctx: LoadContext, o: ServerOptions): void {
  const seen = new Set<string>();
  const check = (name: string, what: 'user' | 'nkey', pos: ConfEntry['pos']) => {
    if (seen.has(name)) ctx.error('CONF_AUTH', `Duplicate ${what} ${JSON.stringify(name)} detected`, pos);
    seen.add(name);
  };
  const lists = [o.authorization?.users ?? [], ...o.accounts.map((a) => a.users)];
  for (const users of lists) {
    for (const u of users) {
      if (u.nkey !== null) check(u.nkey, 'nkey', u.pos);
      else if (u.user !== null) check(u.user, 'user', u.pos);
    }
  }
}

/**
 * Typed options from a plain object with nats.conf key names and meanings (embedding).
 * Sizes may be numbers or strings like `'1MB'`; durations strings like `'2m'` (a bare number
 * means seconds, with the same warning as in a config file). Problems have no position.
 */
export function normalizeOptions(input: Record<string, unknown>, config: LoadOptionsConfig = {}): LoadResult {
  const { tree, errors } = objectToTree(input);
  const res = loadOptions(tree, config);
  return { options: res.options, warnings: res.warnings, errors: [...errors, ...res.errors] };
}

export type LoadFileConfig = ParseOptions & LoadOptionsConfig;

/** Reads, parses and loads a config file. */
export function loadConfigFile(path: string, config: LoadFileConfig = {}): LoadResult {
  const parsed = parseConfigFile(path, config);
  return finish(parsed.tree, parsed.errors, path, config);
}

/** Parses and loads config text (`file` names it in messages and anchors includes). */
export function loadConfigText(text: string, file: string | null = null, config: LoadFileConfig = {}): LoadResult {
  const parsed = parseConfig(text, file, config);
  return finish(parsed.tree, parsed.errors, file, config);
}

function finish(
  tree: ConfMap | null,
  errors: ConfigProblem[],
  file: string | null,
  config: LoadFileConfig,
): LoadResult {
  if (tree === null) {
    const options = defaultOptions();
    options.config_file = file;
    return { options, warnings: [], errors };
  }
  return loadOptions(tree, { readFile: config.readFile === undefined ? undefined : config.readFile });
}

/** `ms` as Go prints a duration (`2m0s`), for messages. */
export { formatMs };
