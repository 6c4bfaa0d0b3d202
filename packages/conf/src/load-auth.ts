/**
 * authorization {}, users, permissions and accounts {} (opts.go `parseAuthorization`,
 * `parseUsers`, `parseUserPermissions`, `parseAccounts` and the import/export checks of
 * accounts.go). Messages are nats-server's.
 */
import { DEFAULT_ALLOW_RESPONSES_EXPIRES_MS, DEFAULT_ALLOW_RESPONSES_MAX, emptyAuthorization } from './defaults.js';
import { nsToMs, parseGoDuration } from './duration.js';
import { goFloatV, goQuoteList, type LoadContext } from './load-context.js';
import { isValidPublicNkey } from './nkeys.js';
import type {
  AccountLimits,
  AccountOptions,
  AuthorizationOptions,
  ConnectionTypeName,
  ExportOptions,
  ImportOptions,
  Permissions,
  ResponsePermission,
  SourcePos,
  SubjectPermission,
  UserOptions,
} from './options-types.js';
import { isSubsetMatch, isValidLiteralSubject, isValidSubject } from './subjects.js';
import type { ConfEntry, ConfMap, ConfNode } from './tree.js';
import { goTypeName, goValueString, toPlain } from './tree.js';

export const CONNECTION_TYPES: readonly ConnectionTypeName[] = [
  'STANDARD',
  'WEBSOCKET',
  'LEAFNODE',
  'LEAFNODE_WS',
  'MQTT',
  'MQTT_WS',
  'IN_PROCESS',
];

export const GLOBAL_ACCOUNT = '$G';

/** An authorization block plus what the cross-checks need to know about it. */
export interface LoadedAuthorization {
  auth: AuthorizationOptions;
  /** `users: [...]` was present (even empty). */
  usersPresent: boolean;
}

function entryOf(node: ConfNode, key: string): ConfEntry {
  return { key, pos: node.pos, node, usedAsVariable: false };
}

/** A timeout in seconds (int/float) or a duration string, returned in ms. */
export function loadAuthTimeout(ctx: LoadContext, e: ConfEntry): number | null {
  const n = e.node;
  let ms: number;
  let shown: string;
  if (n.kind === 'integer') {
    ms = n.value * 1000;
    shown = String(n.value);
  } else if (n.kind === 'float') {
    ms = n.value * 1000;
    shown = goFloatV(n.value);
  } else if (n.kind === 'string') {
    const d = parseGoDuration(n.value);
    if (!d.ok) {
      ctx.error('CONF_AUTH', `error parsing authorization config, 'timeout' ${d.error}`, e.pos);
      return null;
    }
    ms = nsToMs(d.ns);
    shown = n.value;
  } else {
    ctx.error('CONF_AUTH', "error parsing authorization config, 'timeout' wrong type", e.pos);
    return null;
  }
  if (ms > 60_000) {
    ctx.warning(
      'CONF_WARN_TIMEOUT',
      `invalid use of field "${e.key}": timeout of ${shown} (${(ms / 1000).toFixed(6)} seconds) is high, consider keeping it under 60 seconds. possibly caused by unquoted duration; use '1m' instead of 1m, for example`,
      e.pos,
    );
  }
  return ms;
}

/** `authorization { … }` at the top level. */
export function loadAuthorization(ctx: LoadContext, entry: ConfEntry): LoadedAuthorization | null {
  const m = ctx.map(entry);
  if (m === null) return null;
  const auth = emptyAuthorization();
  auth.pos = entry.pos;
  let usersPresent = false;
  for (const e of m.value.values()) {
    switch (e.key.toLowerCase()) {
      case 'users':
        usersPresent = true;
        auth.users = loadUsers(ctx, e, null);
        break;
      case 'default_permission':
      case 'default_permissions':
      case 'permissions':
        auth.default_permissions = loadPermissions(ctx, e);
        break;
      case 'auth_callout':
      case 'auth_hook':
        checkKeys(ctx, e, AUTH_CALLOUT_KEYS);
        ctx.addUnsupported('authorization.auth_callout', e);
        break;
      case 'proxy_required':
        ctx.addUnsupported('authorization.proxy_required', e);
        break;
      default:
        if (!loadSimpleAuthKey(ctx, auth, e)) ctx.unknown(e);
    }
  }
  applyDefaultPermissions(auth.users, auth.default_permissions);
  return { auth, usersPresent };
}

const AUTH_CALLOUT_KEYS = new Set([
  'issuer',
  'account',
  'acc',
  'auth_users',
  'users',
  'xkey',
  'key',
  'allowed_accounts',
]);

function checkKeys(ctx: LoadContext, e: ConfEntry, keys: ReadonlySet<string>): void {
  if (e.node.kind !== 'map') return;
  for (const c of e.node.value.values()) if (!keys.has(c.key.toLowerCase())) ctx.unknown(c);
}

/** A listener's simple auth override (websocket/mqtt `authorization {}`): no users. */
export function loadSimpleAuth(ctx: LoadContext, entry: ConfEntry): AuthorizationOptions | null {
  const m = ctx.map(entry);
  if (m === null) return null;
  const auth = emptyAuthorization();
  auth.pos = entry.pos;
  for (const e of m.value.values()) if (!loadSimpleAuthKey(ctx, auth, e)) ctx.unknown(e);
  return auth;
}

/** The keys both auth blocks take (user, password, token, timeout); false for any other key. */
function loadSimpleAuthKey(ctx: LoadContext, auth: AuthorizationOptions, e: ConfEntry): boolean {
  switch (e.key.toLowerCase()) {
    case 'user':
    case 'username':
      auth.user = ctx.str(e);
      return true;
    case 'pass':
    case 'password':
      auth.password = ctx.str(e);
      return true;
    case 'token':
      auth.token = ctx.str(e);
      return true;
    case 'timeout':
      auth.timeout = loadAuthTimeout(ctx, e);
      return true;
  }
  return false;
}

function applyDefaultPermissions(users: UserOptions[], defaults: Permissions | null): void {
  if (defaults === null) return;
  for (const u of users) if (u.permissions === null) u.permissions = defaults;
}

/** `users: [ {user, password, nkey, permissions, allowed_connection_types}, … ]`. */
export function loadUsers(ctx: LoadContext, entry: ConfEntry, account: string | null): UserOptions[] {
  const n = entry.node;
  if (n.kind !== 'array') {
    ctx.error('CONF_USER', `Expected users field to be an array, got ${goValueString(n)}`, entry.pos);
    return [];
  }
  const users: UserOptions[] = [];
  for (const el of n.value) {
    const pos = el.pos ?? entry.pos;
    if (el.kind !== 'map') {
      ctx.error('CONF_USER', `Expected user entry to be a map/struct, got ${goValueString(el)}`, pos);
      continue;
    }
    let user: string | null = null;
    let password: string | null = null;
    let nkey: string | null = null;
    let permissions: Permissions | null = null;
    let types: ConnectionTypeName[] = [];
    for (const e of el.value.values()) {
      switch (e.key.toLowerCase()) {
        case 'nkey':
          nkey = ctx.str(e);
          break;
        case 'user':
        case 'username':
          user = ctx.str(e);
          break;
        case 'pass':
        case 'password':
          password = ctx.str(e);
          break;
        case 'permission':
        case 'permissions':
        case 'authorization':
          permissions = loadPermissions(ctx, e);
          break;
        case 'allowed_connection_types':
        case 'connection_types':
        case 'clients':
          types = loadConnectionTypes(ctx, e);
          break;
        case 'proxy_required':
          ctx.addUnsupported('authorization.users.proxy_required', e);
          break;
        default:
          ctx.unknown(e);
      }
    }
    if ((nkey === null || nkey === '') && (user === null || user === '')) {
      ctx.error('CONF_USER', 'User entry requires a user', pos);
      continue;
    }
    if (nkey !== null && nkey !== '') {
      if (!isValidPublicNkey(nkey, 'user')) {
        ctx.error('CONF_USER', 'Not a valid public nkey for a user', pos);
        continue;
      }
      if ((user !== null && user !== '') || (password !== null && password !== '')) {
        ctx.error('CONF_USER', 'Nkey users do not take usernames or passwords', pos);
        continue;
      }
      user = null;
      password = null;
    } else nkey = null;
    users.push({ user, password, nkey, permissions, allowed_connection_types: types, account, pos });
  }
  return users;
}

/** `allowed_connection_types`: a string or a list, upper-cased; unknown names are an error. */
export function loadConnectionTypes(ctx: LoadContext, e: ConfEntry): ConnectionTypeName[] {
  const list = ctx.strList(e, 'allowed connection types');
  if (list === null) return [];
  const out: ConnectionTypeName[] = [];
  const unknown: string[] = [];
  for (const raw of list) {
    const t = raw.toUpperCase();
    if ((CONNECTION_TYPES as readonly string[]).includes(t)) {
      if (!out.includes(t as ConnectionTypeName)) out.push(t as ConnectionTypeName);
    } else unknown.push(t);
  }
  if (unknown.length > 0) ctx.error('CONF_USER', `invalid connection types ${goQuoteList(unknown)}`, e.pos);
  return out;
}

/** `permissions { publish, subscribe, allow_responses }`. */
export function loadPermissions(ctx: LoadContext, entry: ConfEntry): Permissions | null {
  const n = entry.node;
  if (n.kind !== 'map') {
    ctx.error('CONF_PERMISSIONS', `Expected permissions to be a map/struct, got ${goValueString(n)}`, entry.pos);
    return null;
  }
  const p: Permissions = { publish: null, subscribe: null, allow_responses: null };
  for (const e of n.value.values()) {
    switch (e.key.toLowerCase()) {
      case 'pub':
      case 'publish':
      case 'import':
        p.publish = loadSubjectPermission(ctx, e);
        break;
      case 'sub':
      case 'subscribe':
      case 'export':
        p.subscribe = loadSubjectPermission(ctx, e);
        break;
      case 'publish_allow_responses':
      case 'allow_responses':
        p.allow_responses = loadAllowResponses(ctx, e);
        break;
      default:
        if (!e.usedAsVariable) ctx.error('CONF_PERMISSIONS', `Unknown field "${e.key}" parsing permissions`, e.pos);
    }
  }
  // allow_responses turns the publish allow list into "deny all" unless one was given.
  if (p.allow_responses !== null) {
    if (p.publish === null) p.publish = { allow: [], deny: null };
    else if (p.publish.allow === null) p.publish.allow = [];
  }
  return p;
}

function loadSubjectPermission(ctx: LoadContext, e: ConfEntry): SubjectPermission | null {
  const n = e.node;
  if (n.kind === 'map') {
    if (n.value.size === 0) return null;
    const sp: SubjectPermission = { allow: null, deny: null };
    for (const c of n.value.values()) {
      switch (c.key.toLowerCase()) {
        case 'allow':
          sp.allow = loadPermSubjects(ctx, c);
          break;
        case 'deny':
          sp.deny = loadPermSubjects(ctx, c);
          break;
        default:
          if (!c.usedAsVariable)
            ctx.error(
              'CONF_PERMISSIONS',
              `Unknown field name "${c.key}" parsing subject permissions, only 'allow' or 'deny' are permitted`,
              c.pos,
            );
      }
    }
    return sp;
  }
  return { allow: loadPermSubjects(ctx, e), deny: null };
}

/** A subject or a list of subjects (subscribe entries may be `"subject queue"`); `[]` = none. */
function loadPermSubjects(ctx: LoadContext, e: ConfEntry): string[] | null {
  const n = e.node;
  let subjects: string[];
  if (n.kind === 'string') subjects = [n.value];
  else if (n.kind === 'array') {
    subjects = [];
    for (const el of n.value) {
      if (el.kind !== 'string') {
        ctx.error('CONF_PERMISSIONS', 'Subject in permissions array cannot be cast to string', el.pos ?? e.pos);
        return null;
      }
      subjects.push(el.value);
    }
  } else {
    ctx.error(
      'CONF_PERMISSIONS',
      `Expected subject permissions to be a subject, or array of subjects, got ${goTypeName(n)}`,
      e.pos,
    );
    return null;
  }
  for (const s of subjects) {
    if (isValidSubject(s)) continue;
    const parts = s.split(/[\t\n\v\f\r ]+/).filter((x) => x !== '');
    if (parts.length !== 2) {
      ctx.error('CONF_PERMISSIONS', `subject ${JSON.stringify(s)} is not a valid subject`, e.pos);
      return null;
    }
    if (!isValidSubject(parts[0]!)) {
      ctx.error('CONF_PERMISSIONS', `subject ${JSON.stringify(parts[0])} is not a valid subject`, e.pos);
      return null;
    }
  }
  return subjects.length === 0 ? null : subjects;
}

function loadAllowResponses(ctx: LoadContext, e: ConfEntry): ResponsePermission | null {
  const n = e.node;
  if (n.kind === 'bool') {
    return n.value ? { max: DEFAULT_ALLOW_RESPONSES_MAX, expires: DEFAULT_ALLOW_RESPONSES_EXPIRES_MS } : null;
  }
  if (n.kind !== 'map') {
    ctx.error('CONF_PERMISSIONS', 'error parsing response permissions, expected a boolean or a map', e.pos);
    return null;
  }
  const rp: ResponsePermission = { max: DEFAULT_ALLOW_RESPONSES_MAX, expires: DEFAULT_ALLOW_RESPONSES_EXPIRES_MS };
  for (const c of n.value.values()) {
    switch (c.key.toLowerCase()) {
      case 'max':
      case 'max_msgs':
      case 'max_messages':
      case 'max_responses': {
        const v = ctx.int(c);
        // 0 means the default; negative means unlimited.
        if (v !== null && v !== 0) rp.max = v;
        break;
      }
      case 'expires':
      case 'expiration':
      case 'ttl': {
        if (c.node.kind !== 'string') {
          ctx.error('CONF_PERMISSIONS', 'error parsing expires, not a duration string', c.pos);
          return null;
        }
        const d = parseGoDuration(c.node.value);
        if (!d.ok) {
          ctx.error('CONF_PERMISSIONS', `error parsing expires: ${d.error}`, c.pos);
          return null;
        }
        if (d.ns !== 0n) rp.expires = nsToMs(d.ns);
        break;
      }
      default:
        if (!c.usedAsVariable) ctx.error('CONF_PERMISSIONS', `Unknown field "${c.key}" parsing permissions`, c.pos);
    }
  }
  return rp;
}

// --- accounts ------------------------------------------------------------------------

interface ImportRecord {
  account: AccountOptions;
  imp: ImportOptions;
  pos: SourcePos | null;
}
interface ExportRecord {
  account: AccountOptions;
  exp: ExportOptions;
  pos: SourcePos | null;
}

export interface LoadedAccounts {
  accounts: AccountOptions[];
  /** Position of each account's `users` key, for the cross-checks with authorization {}. */
  usersPos: Map<AccountOptions, SourcePos | null>;
}

function newAccount(name: string, pos: SourcePos | null): AccountOptions {
  return {
    name,
    users: [],
    nkey: null,
    exports: [],
    imports: [],
    default_permissions: null,
    mappings: {},
    limits: null,
    pos,
  };
}

const ACCOUNT_JETSTREAM_KEYS = new Set([
  'enabled',
  'enable',
  'disabled',
  'disable',
  'max_memory',
  'max_mem',
  'mem',
  'memory',
  'max_store',
  'max_file',
  'max_disk',
  'store',
  'disk',
  'max_streams',
  'streams',
  'max_consumers',
  'consumers',
  'max_bytes_required',
  'max_stream_bytes',
  'max_bytes',
  'mem_max_stream_bytes',
  'memory_max_stream_bytes',
  'disk_max_stream_bytes',
  'store_max_stream_bytes',
  'max_ack_pending',
  'cluster_traffic',
]);

/** `accounts { A: {…}, B: {…} }` or `accounts: [A, B]`. */
export function loadAccounts(ctx: LoadContext, entry: ConfEntry): LoadedAccounts {
  const out: LoadedAccounts = { accounts: [], usersPos: new Map() };
  const n = entry.node;
  if (n.kind === 'array') {
    const seen = new Set<string>();
    for (const el of n.value) {
      const pos = el.pos ?? entry.pos;
      if (el.kind !== 'string') {
        ctx.error('CONF_TYPE', `invalid account name: expected a string, got ${goTypeName(el)}`, pos);
        continue;
      }
      if (el.value === GLOBAL_ACCOUNT) {
        ctx.error('CONF_ACCOUNTS', `"${el.value}" is a Reserved Account`, pos);
        continue;
      }
      if (seen.has(el.value)) {
        ctx.error('CONF_ACCOUNTS', `Duplicate Account Entry: ${el.value}`, pos);
        continue;
      }
      seen.add(el.value);
      out.accounts.push(newAccount(el.value, pos));
    }
    return out;
  }
  if (n.kind !== 'map') {
    ctx.error('CONF_TYPE', `Expected accounts to be a map or an array of names, got ${goTypeName(n)}`, entry.pos);
    return out;
  }
  const exports: ExportRecord[] = [];
  const imports: ImportRecord[] = [];
  for (const ae of n.value.values()) {
    if (ae.usedAsVariable) continue; // a variable defined inside the accounts block
    if (ae.node.kind !== 'map') {
      ctx.error('CONF_ACCOUNTS', 'Expected map entries for accounts', ae.pos);
      continue;
    }
    if (ae.key === GLOBAL_ACCOUNT) {
      ctx.error('CONF_ACCOUNTS', `"${ae.key}" is a Reserved Account`, ae.pos);
      continue;
    }
    const acc = newAccount(ae.key, ae.pos);
    out.accounts.push(acc);
    for (const e of ae.node.value.values()) {
      switch (e.key.toLowerCase()) {
        case 'nkey': {
          const v = e.node.kind === 'string' ? e.node.value : null;
          if (v === null || !isValidPublicNkey(v, 'account')) {
            const shown = v ?? goValueString(e.node);
            ctx.error('CONF_ACCOUNTS', `Not a valid public nkey for an account: ${JSON.stringify(shown)}`, e.pos);
          } else acc.nkey = v;
          break;
        }
        case 'imports':
          for (const r of loadImports(ctx, e)) {
            acc.imports.push(r.imp);
            imports.push({ account: acc, imp: r.imp, pos: r.pos });
          }
          break;
        case 'exports':
          for (const r of loadExports(ctx, e, acc.name)) {
            acc.exports.push(r.exp);
            exports.push({ account: acc, exp: r.exp, pos: r.pos });
          }
          break;
        case 'jetstream':
          if (e.node.kind === 'map') {
            for (const c of e.node.value.values()) if (!ACCOUNT_JETSTREAM_KEYS.has(c.key.toLowerCase())) ctx.unknown(c);
          }
          ctx.addUnsupported(`accounts.${acc.name}.jetstream`, e);
          break;
        case 'users':
          acc.users = loadUsers(ctx, e, acc.name);
          out.usersPos.set(acc, e.pos);
          break;
        case 'default_permissions':
          acc.default_permissions = loadPermissions(ctx, e);
          break;
        case 'mappings':
        case 'maps':
          acc.mappings = loadMappings(ctx, e);
          break;
        case 'limits':
          acc.limits = loadAccountLimits(ctx, e);
          break;
        case 'msg_trace':
        case 'trace_dest':
          ctx.addUnsupported(`accounts.${acc.name}.msg_trace`, e);
          break;
        default:
          ctx.unknown(e);
      }
    }
    applyDefaultPermissions(acc.users, acc.default_permissions);
  }
  checkImportsExports(ctx, out.accounts, exports, imports);
  return out;
}

function loadAccountLimits(ctx: LoadContext, e: ConfEntry): AccountLimits | null {
  const n = e.node;
  if (n.kind !== 'map') {
    ctx.error('CONF_ACCOUNTS', `Expected account limits to be a map/struct, got ${goValueString(n)}`, e.pos);
    return null;
  }
  const lim: AccountLimits = { max_connections: null, max_subscriptions: null, max_payload: null, max_leafnodes: null };
  for (const c of n.value.values()) {
    switch (c.key.toLowerCase()) {
      case 'max_connections':
      case 'max_conn':
        lim.max_connections = ctx.int(c);
        break;
      case 'max_subscriptions':
      case 'max_subs':
        lim.max_subscriptions = ctx.int(c);
        break;
      case 'max_payload':
      case 'max_pay':
        lim.max_payload = ctx.int(c);
        break;
      case 'max_leafnodes':
      case 'max_leafs':
        lim.max_leafnodes = ctx.int(c);
        break;
      default:
        if (!c.usedAsVariable) ctx.error('CONF_ACCOUNTS', `Unknown field "${c.key}" parsing account limits`, c.pos);
    }
  }
  return lim;
}

/** Subject mappings (`src: dest`, or weighted `{dest, weight, cluster}` entries), kept raw. */
export function loadMappings(ctx: LoadContext, e: ConfEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = e.node;
  if (n.kind !== 'map') {
    ctx.typeError(e, 'a map of subject mappings');
    return out;
  }
  for (const c of n.value.values()) {
    if (!isValidSubject(c.key)) {
      ctx.error('CONF_ACCOUNTS', `Subject ${JSON.stringify(c.key)} is not a valid subject`, c.pos);
      continue;
    }
    const v = c.node;
    if (v.kind === 'string') {
      out[c.key] = v.value;
      continue;
    }
    const dests = v.kind === 'array' ? v.value : [v];
    let ok = true;
    for (const d of dests) ok = checkMapDest(ctx, d, c) && ok;
    if (ok) out[c.key] = toPlain(v);
  }
  return out;
}

function checkMapDest(ctx: LoadContext, d: ConfNode, owner: ConfEntry): boolean {
  const pos = d.pos ?? owner.pos;
  if (d.kind !== 'map') {
    ctx.error('CONF_ACCOUNTS', 'Expected an entry for the mapping destination', pos);
    return false;
  }
  let sawWeight = false;
  let subject = '';
  for (const c of d.value.values()) {
    switch (c.key.toLowerCase()) {
      case 'dest':
      case 'destination':
        subject = c.node.kind === 'string' ? c.node.value : '';
        break;
      case 'weight': {
        let w: number;
        if (c.node.kind === 'string') {
          const ws = c.node.value.replace(/%$/, '');
          if (!/^[+-]?\d+$/.test(ws)) {
            ctx.error('CONF_ACCOUNTS', `Invalid weight ${JSON.stringify(ws)} for mapping destination`, c.pos);
            return false;
          }
          w = Number(ws);
        } else if (c.node.kind === 'integer') w = c.node.value;
        else {
          ctx.error('CONF_ACCOUNTS', `Unknown entry type for weight of ${goValueString(c.node)}`, c.pos);
          return false;
        }
        if (w > 100 || w < 0) {
          ctx.error('CONF_ACCOUNTS', `Invalid weight ${w} for mapping destination`, c.pos);
          return false;
        }
        sawWeight = true;
        break;
      }
      case 'cluster':
        break;
      default:
        ctx.error('CONF_ACCOUNTS', `Unknown field ${JSON.stringify(c.key)} for mapping destination`, c.pos);
        return false;
    }
  }
  if (!sawWeight) {
    ctx.error('CONF_ACCOUNTS', `Missing weight for mapping destination ${JSON.stringify(subject)}`, pos);
    return false;
  }
  return true;
}

function loadExports(
  ctx: LoadContext,
  e: ConfEntry,
  accountName: string,
): Array<{ exp: ExportOptions; pos: SourcePos | null }> {
  const n = e.node;
  if (n.kind !== 'array') {
    ctx.error('CONF_ACCOUNTS', `Exports should be an array, got ${goTypeName(n)}`, e.pos);
    return [];
  }
  const out: Array<{ exp: ExportOptions; pos: SourcePos | null }> = [];
  for (const el of n.value) {
    const pos = el.pos ?? e.pos;
    if (el.kind !== 'map') {
      ctx.error('CONF_ACCOUNTS', `Export Items should be a map with type entry, got ${goTypeName(el)}`, pos);
      continue;
    }
    let kind: 'stream' | 'service' | null = null;
    let subject = '';
    let accounts: string[] | null = null;
    let responseType: 'single' | 'stream' | 'chunked' = 'single';
    let threshold: number | null = null;
    let responseEntry: ConfEntry | null = null;
    let latencyEntry: ConfEntry | null = null;
    let bad = false;
    for (const c of el.value.values()) {
      const key = c.key.toLowerCase();
      switch (key) {
        case 'stream':
        case 'service': {
          if (kind !== null && kind !== key) {
            const v = c.node.kind === 'string' ? c.node.value : goValueString(c.node);
            ctx.error(
              'CONF_ACCOUNTS',
              key === 'stream'
                ? `Detected stream ${JSON.stringify(v)} but already saw a service`
                : `Detected service ${JSON.stringify(v)} but already saw a stream`,
              c.pos,
            );
            bad = true;
            continue;
          }
          if (c.node.kind !== 'string') {
            ctx.error(
              'CONF_ACCOUNTS',
              `Expected ${key === 'stream' ? 'stream' : 'service'} name to be string, got ${goTypeName(c.node)}`,
              c.pos,
            );
            bad = true;
            continue;
          }
          kind = key;
          subject = c.node.value;
          break;
        }
        case 'response':
        case 'response_type': {
          if (responseEntry !== null) {
            ctx.error('CONF_ACCOUNTS', 'Duplicate response type definition', c.pos);
            bad = true;
            continue;
          }
          responseEntry = c;
          if (c.node.kind !== 'string') {
            ctx.error('CONF_ACCOUNTS', `Expected response type to be string, got ${goTypeName(c.node)}`, c.pos);
            bad = true;
            continue;
          }
          const v = c.node.value.toLowerCase();
          if (v === 'single' || v === 'singleton') responseType = 'single';
          else if (v === 'stream') responseType = 'stream';
          else if (v === 'chunk' || v === 'chunked') responseType = 'chunked';
          else {
            ctx.error('CONF_ACCOUNTS', `Unknown response type: ${JSON.stringify(c.node.value)}`, c.pos);
            bad = true;
          }
          break;
        }
        case 'threshold':
        case 'response_threshold':
        case 'response_max_time':
        case 'response_time': {
          if (threshold !== null) {
            ctx.error('CONF_ACCOUNTS', 'Duplicate response threshold detected', c.pos);
            bad = true;
            continue;
          }
          if (c.node.kind !== 'string') {
            ctx.error(
              'CONF_ACCOUNTS',
              `Expected response threshold to be a parseable time duration, got ${goTypeName(c.node)}`,
              c.pos,
            );
            bad = true;
            continue;
          }
          const d = parseGoDuration(c.node.value);
          if (!d.ok) {
            ctx.error(
              'CONF_ACCOUNTS',
              `Expected response threshold to be a parseable time duration, got ${JSON.stringify(c.node.value)}`,
              c.pos,
            );
            bad = true;
            continue;
          }
          threshold = nsToMs(d.ns);
          break;
        }
        case 'accounts': {
          if (c.node.kind !== 'array') {
            ctx.typeError(c, 'an array of account names');
            bad = true;
            continue;
          }
          const names: string[] = [];
          for (const a of c.node.value) {
            if (a.kind === 'string') names.push(a.value);
            else {
              ctx.error('CONF_TYPE', `invalid account name: expected a string, got ${goTypeName(a)}`, a.pos ?? c.pos);
              bad = true;
            }
          }
          // An empty list means public, as with no list at all.
          accounts = names.length === 0 ? null : names;
          break;
        }
        case 'latency':
          latencyEntry = c;
          if (c.node.kind === 'map') {
            for (const l of c.node.value.values()) {
              if (!['sampling', 'subject'].includes(l.key.toLowerCase())) ctx.unknown(l);
            }
          } else if (c.node.kind !== 'string') {
            ctx.error(
              'CONF_ACCOUNTS',
              `Expected latency entry to be a map/struct or string, got ${goTypeName(c.node)}`,
              c.pos,
            );
            bad = true;
          }
          break;
        case 'account_token_position': {
          const v = ctx.int(c);
          if (v !== null && v > 0) ctx.addUnsupported(`accounts.${accountName}.exports.account_token_position`, c);
          break;
        }
        case 'allow_trace':
          ctx.addUnsupported(`accounts.${accountName}.exports.allow_trace`, c);
          break;
        default:
          ctx.unknown(c);
      }
    }
    if (bad) continue;
    if (kind === null) {
      ctx.error('CONF_ACCOUNTS', 'Export entry requires a "stream" or a "service"', pos);
      continue;
    }
    if (kind === 'stream') {
      if (responseEntry !== null) {
        ctx.error('CONF_ACCOUNTS', 'Detected response directive on non-service', responseEntry.pos);
        continue;
      }
      if (latencyEntry !== null) {
        ctx.error('CONF_ACCOUNTS', 'Detected latency directive on non-service', latencyEntry.pos);
        continue;
      }
      out.push({ exp: { kind: 'stream', subject, accounts }, pos });
    } else {
      if (latencyEntry !== null) ctx.addUnsupported(`accounts.${accountName}.exports.latency`, latencyEntry);
      out.push({ exp: { kind: 'service', subject, accounts, response_type: responseType, threshold }, pos });
    }
  }
  return out;
}

function loadImports(ctx: LoadContext, e: ConfEntry): Array<{ imp: ImportOptions; pos: SourcePos | null }> {
  const n = e.node;
  if (n.kind !== 'array') {
    ctx.error('CONF_ACCOUNTS', `Imports should be an array, got ${goTypeName(n)}`, e.pos);
    return [];
  }
  const out: Array<{ imp: ImportOptions; pos: SourcePos | null }> = [];
  const serviceTo = new Map<string, { account: string; subject: string }>();
  for (const el of n.value) {
    const pos = el.pos ?? e.pos;
    if (el.kind !== 'map') {
      ctx.error('CONF_ACCOUNTS', `Import Items should be a map with type entry, got ${goTypeName(el)}`, pos);
      continue;
    }
    let kind: 'stream' | 'service' | null = null;
    let account = '';
    let subject = '';
    let prefix: string | null = null;
    let to: string | null = null;
    let toEntry: ConfEntry | null = null;
    let bad = false;
    for (const c of el.value.values()) {
      const key = c.key.toLowerCase();
      switch (key) {
        case 'stream':
        case 'service': {
          if (kind !== null && kind !== key) {
            ctx.error(
              'CONF_ACCOUNTS',
              key === 'stream'
                ? 'Detected stream but already saw a service'
                : 'Detected service but already saw a stream',
              c.pos,
            );
            bad = true;
            continue;
          }
          if (c.node.kind !== 'map') {
            ctx.error(
              'CONF_ACCOUNTS',
              `${key === 'stream' ? 'Stream' : 'Service'} entry should be an account map, got ${goTypeName(c.node)}`,
              c.pos,
            );
            bad = true;
            continue;
          }
          const ref = loadAccountRef(ctx, c.node);
          if (ref.account === '' || ref.subject === '') {
            ctx.error('CONF_ACCOUNTS', 'Expect an account name and a subject', c.pos);
            bad = true;
            continue;
          }
          kind = key;
          account = ref.account;
          subject = ref.subject;
          break;
        }
        case 'prefix':
          prefix = ctx.str(c);
          break;
        case 'to':
          to = ctx.str(c);
          toEntry = c;
          break;
        case 'share':
          if (ctx.bool(c) === true) ctx.addUnsupported('accounts.imports.share', c);
          break;
        case 'allow_trace':
          ctx.addUnsupported('accounts.imports.allow_trace', c);
          break;
        default:
          ctx.unknown(c);
      }
    }
    if (bad) continue;
    if (kind === null) {
      ctx.error('CONF_ACCOUNTS', 'Import entry requires a "stream" or a "service"', pos);
      continue;
    }
    if (kind === 'stream') {
      if (prefix !== null && prefix !== '' && to !== null && to !== '') {
        ctx.error('CONF_ACCOUNTS', "Stream import can not have a 'prefix' and a 'to' property", toEntry?.pos ?? pos);
        continue;
      }
      out.push({
        imp: { kind: 'stream', account, subject, prefix: prefix || null, to: to || null },
        pos,
      });
    } else {
      const local = to || subject;
      const dup = serviceTo.get(local);
      if (dup !== undefined) {
        ctx.error(
          'CONF_ACCOUNTS',
          `Duplicate service import subject ${JSON.stringify(local)}, previously used in import for account ${JSON.stringify(dup.account)}, subject ${JSON.stringify(dup.subject)}`,
          pos,
        );
        continue;
      }
      serviceTo.set(local, { account, subject });
      out.push({ imp: { kind: 'service', account, subject, to: to || null }, pos });
    }
  }
  return out;
}

function loadAccountRef(ctx: LoadContext, m: ConfMap): { account: string; subject: string } {
  let account = '';
  let subject = '';
  for (const c of m.value.values()) {
    switch (c.key.toLowerCase()) {
      case 'account':
        account = ctx.str(c) ?? '';
        break;
      case 'subject':
        subject = ctx.str(c) ?? '';
        break;
      default:
        ctx.unknown(c);
    }
  }
  return { account, subject };
}

/** accounts.go: exporters must exist and must authorize each import (checked after parsing). */
function checkImportsExports(
  ctx: LoadContext,
  accounts: AccountOptions[],
  exports: ExportRecord[],
  imports: ImportRecord[],
): void {
  if (ctx.errors.length > 0) return; // like nats-server: only when everything else parsed
  const byName = new Map(accounts.map((a) => [a.name, a]));
  for (const r of exports) {
    for (const an of r.exp.accounts ?? []) {
      if (!byName.has(an)) {
        ctx.error('CONF_ACCOUNTS', `"${an}" account not defined for ${r.exp.kind} export`, r.pos);
      }
    }
  }
  const streamSeen = new Set<string>();
  for (const r of imports) {
    const imp = r.imp;
    const exporter = byName.get(imp.account);
    if (exporter === undefined) {
      ctx.error('CONF_ACCOUNTS', `"${imp.account}" account not defined for ${imp.kind} import`, r.pos);
      continue;
    }
    if (imp.kind === 'stream') {
      const fail = (why: string) =>
        ctx.error('CONF_ACCOUNTS', `Error adding stream import ${JSON.stringify(imp.subject)}: ${why}`, r.pos);
      if (!isValidSubject(imp.subject) || !exportAllows(exporter, 'stream', imp.subject, r.account.name)) {
        fail('stream import not authorized');
        continue;
      }
      if (imp.prefix !== null && !isValidLiteralSubject(imp.prefix.replace(/\.$/, ''))) {
        fail('stream import prefix can not contain wildcard tokens');
        continue;
      }
      const key = `${r.account.name}\u0000${imp.account}\u0000${imp.subject}`;
      if (streamSeen.has(key)) {
        fail('stream import already exists');
        continue;
      }
      streamSeen.add(key);
    } else {
      const fail = (why: string) =>
        ctx.error('CONF_ACCOUNTS', `Error adding service import ${JSON.stringify(imp.subject)}: ${why}`, r.pos);
      const local = imp.to ?? imp.subject;
      if (!isValidSubject(imp.subject) || !isValidSubject(local)) {
        fail('invalid subject');
        continue;
      }
      if (!exportAllows(exporter, 'service', imp.subject, r.account.name)) {
        fail('service import not authorized');
      }
    }
  }
}

/** Does `exporter` export `subject` (exactly, or within a wider export) to `importer`? */
function exportAllows(
  exporter: AccountOptions,
  kind: 'stream' | 'service',
  subject: string,
  importer: string,
): boolean {
  const list = exporter.exports.filter((x) => x.kind === kind);
  const exact = list.filter((x) => x.subject === subject);
  const candidates = exact.length > 0 ? exact : list.filter((x) => isSubsetMatch(subject, x.subject)).slice(0, 1);
  if (candidates.length === 0) return false;
  // Several exports of the same subject merge their account lists; any public one is public.
  return candidates.some((x) => x.accounts === null || x.accounts.includes(importer));
}

export { entryOf };
