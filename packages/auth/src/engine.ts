/**
 * The auth engine: options -> (validated) users, nkeys, accounts, trust; CONNECT -> principal.
 *
 * Pure: no sockets, no timers, no clock. Time comes in through the context (`now`, ms) and
 * randomness through `newNonce(bytes)`. One engine serves every connection kind; it is rebuilt
 * from new options on reload (the server then re-authenticates live connections).
 *
 * The order of checks follows nats-server 2.9.10 auth.go `processClientOrLeafAuthentication`
 * (auth.md §2): auth required? -> operator mode needs a user JWT -> nkey users (incl. an nkey
 * `no_auth_user`) -> users (TLS map, `no_auth_user`, CONNECT user) -> JWT checks / nonce
 * signature / password -> single user or token -> fail.
 */
import type { Permissions, ServerOptions, UserOptions } from '@starling/conf';
import {
  AccountModel,
  accountFromJwt,
  addConfigAccounts,
  DEFAULT_SYSTEM_ACCOUNT,
  GLOBAL_ACCOUNT,
  permissionsFromJwt,
  ResolvedAccount,
  resolveJwtImports,
} from './accounts.js';
import { decodeSignature, encodeBase64RawUrl } from './base64.js';
import { sourceAllowed } from './cidr.js';
import { ConnKind, type ConnTypeMask, connTypeAllowed, isConnKind, parseConnTypes } from './conn-kind.js';
import { AuthConfigError, AuthFailureCode, type AuthProblem, AuthProblemCode } from './errors.js';
import { goQuote } from './go-quote.js';
import {
  type AccountClaims,
  decodeAccountJwt,
  decodeOperatorJwt,
  decodeUserJwt,
  isRevoked,
  type OperatorClaims,
  parseDecoratedJwt,
  type UserClaims,
  type UserPermissionLimits,
  validateAccount,
  validateOperator,
  validateUser,
} from './jwt.js';
import {
  isValidPublicOperatorKey,
  isValidPublicSigningKey,
  isValidPublicUserKey,
  utf8Bytes,
  verifyNkeySignature,
} from './nkey.js';
import {
  bcryptCompareAsync,
  comparePasswords,
  isBcrypt,
  PasswordCheck,
  quickCompare,
  rememberBcrypt,
} from './password.js';
import { type CompiledPermissions, compilePermissions } from './permissions.js';
import {
  type AuthFailure,
  AuthMethod,
  type AuthResult,
  type ConnectionLimits,
  Principal,
  type UserJwtInfo,
} from './principal.js';
import { processUserPermissionsTemplate } from './scoped-template.js';
import { isValidConfigSubject } from './subjects.js';
import { checkTimes, processTimeZone } from './times.js';
import { dnEqual, dnRdnsMatch, parseDn, tlsMapCandidates } from './tls-map.js';
import { parsePeerCertificate } from './x509.js';

const DEFAULT_AUTH_TIMEOUT_MS = 2000;
const USER_JWT_CACHE_MAX = 1024;
/** The error nats-server logs for every authentication failure (server/errors.go). */
const ERR_AUTHENTICATION = 'authentication error';

/** The CONNECT fields the engine reads. Extra fields are ignored; wrong types are a typed failure. */
export interface ConnectFields {
  user?: unknown;
  pass?: unknown;
  auth_token?: unknown;
  nkey?: unknown;
  sig?: unknown;
  jwt?: unknown;
  /** Any truthy value (or a non-empty string) is refused after authentication, as nats-server does. */
  account?: unknown;
  new_account?: unknown;
}

/** Values captured from WebSocket upgrade cookies (`jwt_cookie`, `user_cookie`, …). */
export interface CookieValues {
  jwt: string | null;
  user: string | null;
  pass: string | null;
  token: string | null;
}

/** The client's TLS certificate: the DER bytes of the first peer certificate. */
export interface TlsPeer {
  certificate: Uint8Array | null;
}

/** One listener's auth settings (precomputed by the engine; see `listenerFor`). */
export interface ListenerAuth {
  readonly name: 'client' | 'websocket' | 'mqtt' | 'leafnode';
  /** The listener has its own user/token/no_auth_user (websocket.go `authOverride`). */
  readonly authOverride: boolean;
  readonly user: string | null;
  readonly password: string | null;
  readonly token: string | null;
  readonly noAuthUser: string | null;
  /** `tls { verify_and_map: true }` on this listener. */
  readonly tlsMap: boolean;
  readonly authTimeoutMs: number;
}

export interface AuthContext {
  /** A `ConnKind`. */
  kind: number;
  connect: ConnectFields;
  /** The nonce sent in INFO, or null when none was sent. */
  nonce: string | null;
  tlsPeer: TlsPeer | null;
  /** Peer IP (for JWT `src`), as Node reports it (IPv4-mapped IPv6 accepted). */
  remoteAddress: string;
  /** Listener settings; null = `engine.listenerFor(kind)`. */
  listener?: ListenerAuth | null;
  /** WebSocket cookie values, applied to empty CONNECT fields. */
  cookies?: CookieValues | null;
  /** Milliseconds since the epoch. */
  now: number;
}

export interface AuthEngineExtras {
  /** Zone meaning `Local` for JWT `times` (default: the process zone). */
  localTimeZone?: string;
  /**
   * Build time (ms), for start-up checks of import activation tokens. Default: the clock, read
   * once here; authentication itself only uses `AuthContext.now`.
   */
  now?: number;
}

export interface AuthEngineBuild {
  /** null when `errors` is not empty. */
  engine: AuthEngine | null;
  errors: AuthProblem[];
  warnings: AuthProblem[];
}

interface UserEntry {
  name: string;
  password: string;
  account: ResolvedAccount;
  perms: CompiledPermissions | null;
  connTypes: ConnTypeMask;
}
interface NkeyEntry {
  nkey: string;
  account: ResolvedAccount;
  perms: CompiledPermissions | null;
  connTypes: ConnTypeMask;
}

interface Conn {
  user: string;
  pass: string;
  token: string;
  nkey: string;
  sig: string;
  jwt: string;
  account: boolean;
}

/** A bcrypt comparison postponed by `authenticateAsync`. */
interface Pending {
  hash: string;
  password: string;
  ok: () => AuthResult;
  fail: () => AuthResult;
}

function str(v: unknown): string | null {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : null;
}

/** Safety net: authentication never throws into the connection. */
function internalFailure(e: unknown): AuthResult {
  return {
    ok: false,
    failure: { code: AuthFailureCode.INTERNAL_ERROR, reason: `internal error: ${String(e)}`, log: ERR_AUTHENTICATION },
  };
}

function minLimit(value: number, limit: number): number {
  if (value !== -1) return limit !== -1 && limit < value ? limit : value;
  return limit !== -1 ? limit : value;
}

export class AuthEngine {
  readonly options: ServerOptions;
  readonly accounts: AccountModel;
  readonly operatorMode: boolean;
  /** Trusted operator keys (operator identities and their signing keys, or `trusted_keys`). */
  readonly trustedKeys: ReadonlySet<string>;
  readonly operators: readonly OperatorClaims[];
  private readonly strictSigners: Set<string>;
  /** Preloaded account JWTs that did not decode or validate: key -> reason. */
  private readonly rejectedAccounts: Map<string, string>;
  private readonly users: Map<string, UserEntry>;
  private readonly nkeys: Map<string, NkeyEntry>;
  private readonly singleUser: string | null;
  private readonly singlePassword: string | null;
  private readonly singleToken: string | null;
  /** nats-server's hidden $G user when only a system account is configured (server.go). */
  private readonly sysOnlyNoAuthUser: string | null;
  private readonly noAuthUser: string | null;
  private readonly listeners: Record<ListenerAuth['name'], ListenerAuth>;
  private readonly baseAuthRequired: boolean;
  private readonly serverMaxPayload: number;
  private readonly serverMaxSubs: number;
  private readonly localTimeZone: string;
  private readonly buildNow: number | null;
  /**
   * Decoded, signature-verified user JWTs by token text (clients reconnect with the same JWT).
   * Only decoding and the issuer signature are cached; every other check runs each time.
   */
  private readonly userJwtCache = new Map<string, UserClaims>();

  private constructor(
    options: ServerOptions,
    extras: AuthEngineExtras,
    errors: AuthProblem[],
    warnings: AuthProblem[],
  ) {
    this.options = options;
    this.buildNow = extras.now ?? null;
    this.localTimeZone = extras.localTimeZone ?? processTimeZone();
    this.accounts = new AccountModel();
    this.users = new Map();
    this.nkeys = new Map();
    this.rejectedAccounts = new Map();
    this.strictSigners = new Set();
    const trusted = new Set<string>();
    const operators: OperatorClaims[] = [];
    const auth = options.authorization;
    this.operatorMode = options.operator.length > 0 || options.trusted_keys.length > 0;
    this.serverMaxPayload = options.max_payload > 0 ? options.max_payload : -1;
    this.serverMaxSubs = options.max_subscriptions > 0 ? options.max_subscriptions : -1;

    const err = (
      code: AuthProblem['code'],
      message: string,
      pos: AuthProblem['pos'] = null,
      stage: AuthProblem['stage'] = 'validate',
    ) => errors.push({ code, message, pos, stage });
    const warn = (code: AuthProblem['code'], message: string, pos: AuthProblem['pos'] = null) =>
      warnings.push({ code, message, pos, stage: 'validate' });

    // ----- single user / token
    this.singleUser = auth?.user ?? null;
    this.singlePassword = auth?.password ?? null;
    this.singleToken = auth?.token ?? null;
    const authUsers = auth?.users ?? [];
    const acctUsers = options.accounts.flatMap((a) => a.users.map((u) => ({ u, a })));
    if (auth) {
      if ((auth.user ?? '') !== '' && (auth.token ?? '') !== '') {
        err(AuthProblemCode.USER_AND_TOKEN, 'Cannot have a user/pass and token', auth.pos, 'parse');
      }
      if (authUsers.length > 0 && (auth.user ?? '') !== '') {
        err(
          AuthProblemCode.SINGLE_USER_AND_USERS,
          'Can not have a single user/pass and a users array',
          auth.pos,
          'parse',
        );
      }
      if (authUsers.length > 0 && (auth.token ?? '') !== '') {
        err(AuthProblemCode.TOKEN_AND_USERS, 'Can not have a token and a users array', auth.pos, 'parse');
      }
      if (acctUsers.length > 0 && (auth.user ?? '') !== '') {
        err(
          AuthProblemCode.SINGLE_USER_AND_ACCOUNTS,
          'Can not have a single user/pass and accounts',
          auth.pos,
          'parse',
        );
      }
      if (acctUsers.length > 0 && (auth.token ?? '') !== '') {
        err(AuthProblemCode.TOKEN_AND_ACCOUNTS, 'Can not have a token and accounts', auth.pos, 'parse');
      }
    }

    // ----- operator mode
    if (this.operatorMode) {
      this.buildTrust(trusted, operators, err, warn);
    }
    this.trustedKeys = trusted;
    this.operators = operators;

    // ----- accounts
    if (!this.operatorMode) {
      addConfigAccounts(this.accounts, options.accounts, errors);
    }

    // ----- users and nkeys
    const seen = new Set<string>();
    const addUser = (u: UserOptions, acct: ResolvedAccount, dflt: Permissions | null) => {
      const pos = u.pos;
      const name = u.user ?? '';
      const nkey = u.nkey ?? '';
      if (name === '' && nkey === '') {
        err(AuthProblemCode.USER_REQUIRED, 'User entry requires a user', pos, 'parse');
        return;
      }
      const ct = parseConnTypes(u.allowed_connection_types);
      if (ct.unknown.length > 0) {
        err(AuthProblemCode.UNKNOWN_CONNECTION_TYPE, `unknown connection type ${goQuote(ct.unknown[0]!)}`, pos);
      }
      const perms = u.permissions ?? dflt;
      this.checkPermissionSubjects(u.permissions, err);
      const compiled = compilePermissions(perms);
      if (nkey !== '') {
        if (!isValidPublicUserKey(nkey)) {
          err(AuthProblemCode.BAD_USER_NKEY, 'Not a valid public nkey for a user', pos, 'parse');
          return;
        }
        if (name !== '' || (u.password ?? '') !== '') {
          err(AuthProblemCode.NKEY_WITH_PASSWORD, 'Nkey users do not take usernames or passwords', pos, 'parse');
          return;
        }
        if (seen.has(nkey)) {
          err(AuthProblemCode.DUPLICATE_NKEY, `Duplicate nkey ${goQuote(nkey)} detected`, pos, 'parse');
          return;
        }
        seen.add(nkey);
        this.nkeys.set(nkey, { nkey, account: acct, perms: compiled, connTypes: ct.mask });
        return;
      }
      if (seen.has(name)) {
        err(AuthProblemCode.DUPLICATE_USER, `Duplicate user ${goQuote(name)} detected`, pos, 'parse');
        return;
      }
      seen.add(name);
      this.users.set(name, { name, password: u.password ?? '', account: acct, perms: compiled, connTypes: ct.mask });
    };
    for (const u of authUsers) {
      let acct = this.accounts.global;
      if (u.account !== null && u.account !== GLOBAL_ACCOUNT) {
        const a = this.accounts.get(u.account);
        if (a === undefined) {
          err(
            AuthProblemCode.UNKNOWN_USER_ACCOUNT,
            `User ${goQuote(u.user ?? u.nkey ?? '')} refers to undefined account ${goQuote(u.account)}`,
            u.pos,
          );
          continue;
        }
        acct = a;
      }
      addUser(u, acct, auth?.default_permissions ?? null);
    }
    if (!this.operatorMode) {
      for (const { u, a } of acctUsers) {
        const acct = this.accounts.get(a.name);
        if (acct === undefined || a.name === GLOBAL_ACCOUNT) continue; // reported by addConfigAccounts
        addUser(u, acct, a.default_permissions);
      }
    } else if (authUsers.length > 0 || acctUsers.length > 0) {
      err(AuthProblemCode.OPERATOR_WITH_USERS, 'operators do not allow users to be configured directly');
    }
    this.checkPermissionSubjects(auth?.default_permissions ?? null, err);
    for (const a of options.accounts) this.checkPermissionSubjects(a.default_permissions, err);

    // ----- system account
    this.sysOnlyNoAuthUser = null;
    if (!this.operatorMode) {
      let sys = options.system_account;
      if (sys === null && this.accounts.get(DEFAULT_SYSTEM_ACCOUNT) !== undefined) sys = DEFAULT_SYSTEM_ACCOUNT;
      if (options.no_system_account && sys === null) {
        this.accounts.systemAccount = null;
      } else if (sys === null) {
        const a = this.accounts.get(DEFAULT_SYSTEM_ACCOUNT) ?? this.newAccount(DEFAULT_SYSTEM_ACCOUNT);
        a.system = true;
        this.accounts.systemAccount = DEFAULT_SYSTEM_ACCOUNT;
      } else {
        const a = this.accounts.get(sys);
        if (a === undefined) {
          err(AuthProblemCode.SYSTEM_ACCOUNT_NOT_FOUND, 'error resolving system account: account missing');
        } else {
          a.system = true;
          this.accounts.systemAccount = sys;
          // server.go: a system account that is the only configured account gets a hidden
          // no-auth user in $G, so clients without credentials still land in $G.
          if (options.accounts.length === 1 && options.no_auth_user === null && options.accounts[0]!.name === sys) {
            // nats-server picks a random `nats-xxxxxxxx`; any name not taken will do.
            let name = 'nats-sysonly';
            for (let i = 2; this.users.has(name) || this.nkeys.has(name); i++) name = `nats-sysonly${i}`;
            this.users.set(name, {
              name,
              password: name.slice(6),
              account: this.accounts.global,
              perms: null,
              connTypes: 0,
            });
            (this as unknown as { sysOnlyNoAuthUser: string | null }).sysOnlyNoAuthUser = name;
          }
        }
      }
    }

    // ----- no_auth_user
    this.noAuthUser = options.no_auth_user ?? this.sysOnlyNoAuthUser;
    this.checkNoAuthUser(options.no_auth_user, err);
    const ws = options.websocket;
    if (ws !== null) {
      this.checkNoAuthUser(ws.no_auth_user, err);
      if (this.users.size > 0 || this.nkeys.size > 0) {
        if ((ws.authorization?.user ?? '') !== '') {
          err(
            AuthProblemCode.WS_USERNAME_WITH_USERS,
            'websocket authentication username not compatible with presence of users/nkeys',
            ws.pos,
          );
        }
        if ((ws.authorization?.token ?? '') !== '') {
          err(
            AuthProblemCode.WS_TOKEN_WITH_USERS,
            'websocket authentication token not compatible with presence of users/nkeys',
            ws.pos,
          );
        }
      }
      if (ws.jwt_cookie !== null && ws.jwt_cookie !== '' && !this.operatorMode) {
        err(
          AuthProblemCode.WS_JWT_COOKIE_WITHOUT_OPERATOR,
          `trusted operators or trusted keys configuration is required for JWT authentication via cookie ${goQuote(ws.jwt_cookie)}`,
          ws.pos,
        );
      }
    }

    // ----- plaintext warning (auth.go checkAuthforWarnings)
    let plaintext = this.singlePassword !== null && this.singlePassword !== '' && !isBcrypt(this.singlePassword);
    for (const u of this.users.values()) {
      if (u.name === this.sysOnlyNoAuthUser) continue;
      if (u.password === '' && options.tls?.verify_and_map) continue;
      if (!isBcrypt(u.password)) plaintext = true;
    }
    if (plaintext) warn(AuthProblemCode.PLAINTEXT_PASSWORDS, 'Plaintext passwords detected, use nkeys or bcrypt');

    this.baseAuthRequired =
      this.operatorMode ||
      this.users.size > 0 ||
      this.nkeys.size > 0 ||
      (this.singleUser ?? '') !== '' ||
      (this.singleToken ?? '') !== '';

    // ----- listeners
    const globalTimeout =
      auth?.timeout ?? (options.tls !== null ? options.tls.timeout + 1000 : DEFAULT_AUTH_TIMEOUT_MS);
    const wsAuth = ws?.authorization ?? null;
    const wsOverride =
      ws !== null && ((wsAuth?.user ?? '') !== '' || (wsAuth?.token ?? '') !== '' || (ws.no_auth_user ?? '') !== '');
    this.listeners = {
      client: {
        name: 'client',
        authOverride: false,
        user: this.singleUser,
        password: this.singlePassword,
        token: this.singleToken,
        noAuthUser: this.noAuthUser,
        tlsMap: options.tls?.verify_and_map ?? false,
        authTimeoutMs: globalTimeout,
      },
      websocket: wsOverride
        ? {
            name: 'websocket',
            authOverride: true,
            user: wsAuth?.user ?? null,
            password: wsAuth?.password ?? null,
            token: wsAuth?.token ?? null,
            noAuthUser: ws?.no_auth_user ?? null,
            tlsMap: ws?.tls?.verify_and_map ?? false,
            authTimeoutMs: wsAuth?.timeout ?? globalTimeout,
          }
        : {
            name: 'websocket',
            authOverride: false,
            user: this.singleUser,
            password: this.singlePassword,
            token: this.singleToken,
            noAuthUser: this.noAuthUser,
            tlsMap: ws?.tls?.verify_and_map ?? false,
            authTimeoutMs: wsAuth?.timeout ?? globalTimeout,
          },
      mqtt: {
        name: 'mqtt',
        authOverride: false,
        user: this.singleUser,
        password: this.singlePassword,
        token: this.singleToken,
        noAuthUser: this.noAuthUser,
        tlsMap: false,
        authTimeoutMs: globalTimeout,
      },
      leafnode: {
        name: 'leafnode',
        authOverride: false,
        user: this.singleUser,
        password: this.singlePassword,
        token: this.singleToken,
        noAuthUser: this.noAuthUser,
        tlsMap: false,
        authTimeoutMs: globalTimeout,
      },
    };
  }

  /** Builds an engine, collecting every problem (nothing thrown). */
  static create(options: ServerOptions, extras: AuthEngineExtras = {}): AuthEngineBuild {
    const errors: AuthProblem[] = [];
    const warnings: AuthProblem[] = [];
    let engine: AuthEngine | null = null;
    try {
      engine = new AuthEngine(options, extras, errors, warnings);
    } catch (e) {
      errors.push({
        code: AuthProblemCode.OPERATOR_JWT,
        message: `invalid options: ${String(e)}`,
        pos: null,
        stage: 'validate',
      });
    }
    return { engine: errors.length === 0 ? engine : null, errors, warnings };
  }

  /** Like `create`, but throws an `AuthConfigError` listing every problem. */
  static createOrThrow(
    options: ServerOptions,
    extras: AuthEngineExtras = {},
  ): { engine: AuthEngine; warnings: AuthProblem[] } {
    const r = AuthEngine.create(options, extras);
    if (r.engine === null) throw new AuthConfigError(r.errors);
    return { engine: r.engine, warnings: r.warnings };
  }

  // ------------------------------------------------------------------------------------------
  // Start-up helpers

  private newAccount(name: string): ResolvedAccount {
    const a = new ResolvedAccount(name);
    this.accounts.accounts.set(name, a);
    return a;
  }

  /** opts.go `checkPermSubjectArray` (2.9.10): the first bad entry of each list, printed without a position. */
  private checkPermissionSubjects(
    perms: Permissions | null,
    err: (code: AuthProblem['code'], message: string, pos: AuthProblem['pos'], stage: AuthProblem['stage']) => void,
  ): void {
    if (perms === null) return;
    const check = (list: string[] | null | undefined) => {
      for (const s of list ?? []) {
        if (isValidConfigSubject(s)) continue;
        const elements = s.trim().split(/\s+/);
        let bad: string | null = null;
        if (elements.length !== 2) bad = s;
        else if (!isValidConfigSubject(elements[0]!)) bad = elements[0]!;
        if (bad !== null) {
          err(AuthProblemCode.BAD_PERMISSION_SUBJECT, `subject ${goQuote(bad)} is not a valid subject`, null, 'parse');
          return;
        }
      }
    };
    check(perms.publish?.allow);
    check(perms.publish?.deny);
    check(perms.subscribe?.allow);
    check(perms.subscribe?.deny);
  }

  private checkNoAuthUser(name: string | null, err: (code: AuthProblem['code'], message: string) => void): void {
    if (name === null || name === '') return;
    if (this.operatorMode) {
      err(AuthProblemCode.NO_AUTH_USER_WITH_OPERATOR, 'no_auth_user not compatible with Trusted Operator');
      return;
    }
    if (this.users.size === 0 && this.nkeys.size === 0) {
      err(AuthProblemCode.NO_AUTH_USER_WITHOUT_USERS, `no_auth_user: "${name}" present, but users are not defined`);
      return;
    }
    if (!this.users.has(name) && !this.nkeys.has(name)) {
      err(
        AuthProblemCode.NO_AUTH_USER_UNKNOWN,
        `no_auth_user: "${name}" not present as user in authorization block or account configuration`,
      );
    }
  }

  /** Operator JWTs / trusted keys, resolver, preloaded accounts, system account (jwt.go). */
  private buildTrust(
    trusted: Set<string>,
    operators: OperatorClaims[],
    err: (code: AuthProblem['code'], message: string, pos?: AuthProblem['pos'], stage?: AuthProblem['stage']) => void,
    warn: (code: AuthProblem['code'], message: string) => void,
  ): void {
    const o = this.options;
    for (const raw of o.operator) {
      const r = decodeOperatorJwt(parseDecoratedJwt(raw));
      if (!r.ok) {
        err(AuthProblemCode.OPERATOR_JWT, `error parsing operator JWT: ${r.error}`, null, 'parse');
        continue;
      }
      const issues = validateOperator(r.claims);
      if (issues.length > 0) {
        err(AuthProblemCode.OPERATOR_JWT, `error parsing operator JWT: ${issues.join(', ')}`, null, 'parse');
        continue;
      }
      operators.push(r.claims);
    }
    for (const k of o.trusted_keys) {
      if (!isValidPublicOperatorKey(k)) {
        err(
          AuthProblemCode.BAD_TRUSTED_KEY,
          `trust key ${goQuote(k)} required to be a valid public operator nkey`,
          null,
          'parse',
        );
      }
    }
    if (o.operator.length > 0) {
      if (o.resolver === null)
        err(AuthProblemCode.OPERATOR_NEEDS_RESOLVER, 'operators require an account resolver to be configured');
      if (o.accounts.length > 0)
        err(AuthProblemCode.OPERATOR_WITH_ACCOUNTS, 'operators do not allow Accounts to be configured directly');
      if (o.trusted_keys.length > 0) {
        err(AuthProblemCode.OPERATOR_AND_TRUSTED_KEYS, "conflicting options for 'TrustedKeys' and 'TrustedOperators'");
      }
    }
    // System account: config wins, else the first operator's.
    let sys = o.system_account;
    if (sys !== null && sys !== '') {
      const named = operators.filter((op) => op.system_account !== '');
      if (named.length > 0 && !named.some((op) => op.system_account === sys)) {
        err(AuthProblemCode.SYSTEM_ACCOUNT_MISMATCH, 'system_account in config and operator JWT must be identical');
      }
    } else if (operators.length > 0 && operators[0]!.system_account !== '') {
      sys = operators[0]!.system_account;
    }
    for (const op of operators) {
      if (op.assert_server_version !== '') {
        const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(op.assert_server_version);
        if (!m) {
          err(
            AuthProblemCode.OPERATOR_VERSION,
            `operator ${op.sub} expects version ${op.assert_server_version} got error instead: invalid version`,
          );
        } else {
          const want = [Number(m[1]), Number(m[2]), Number(m[3])];
          const have = [2, 9, 10];
          const names = ['major', 'minor', 'update'];
          for (let i = 0; i < 3; i++) {
            if (want[i]! > have[i]!) {
              err(
                AuthProblemCode.OPERATOR_VERSION,
                `operator ${op.sub} expected ${names[i]} version ${want[i]} > server ${names[i]} version ${have[i]}`,
              );
              break;
            }
            if (want[i]! < have[i]!) break;
          }
        }
      }
      if (!op.strict_signing_key_usage) trusted.add(op.sub);
      else for (const k of op.signing_keys) this.strictSigners.add(k);
      for (const k of op.signing_keys) trusted.add(k);
    }
    for (const k of o.trusted_keys) trusted.add(k);

    // Resolver: only MEMORY is provided.
    const res = o.resolver;
    if (res !== null && res.type !== 'MEMORY') {
      err(
        AuthProblemCode.RESOLVER_UNSUPPORTED,
        `account resolver ${res.type} is not supported by Starling; use resolver: MEMORY with resolver_preload`,
      );
    }
    const nowSec = Math.floor((this.buildNow ?? Date.now()) / 1000);
    for (const [key, token] of Object.entries(o.resolver_preload)) {
      const r = decodeAccountJwt(token);
      if (!r.ok) {
        err(AuthProblemCode.PRELOAD_INVALID, `preload account error for ${goQuote(key)}: ${r.error}`);
        continue;
      }
      const c: AccountClaims = r.claims;
      if (c.sub !== key) {
        this.rejectedAccounts.set(key, 'account validation failed');
        warn(AuthProblemCode.PRELOAD_WARNING, `preload account ${key}: JWT subject ${c.sub} does not match`);
        continue;
      }
      if (!trusted.has(c.iss)) {
        this.rejectedAccounts.set(key, 'account validation failed');
        warn(AuthProblemCode.PRELOAD_WARNING, `preload account ${key}: not signed by a trusted operator`);
        continue;
      }
      // Time claims are checked at each authentication; other blocking issues reject now.
      const issues = validateAccount({ ...c, exp: 0, nbf: 0 }, nowSec);
      if (issues.length > 0) {
        this.rejectedAccounts.set(key, 'account validation failed');
        warn(AuthProblemCode.PRELOAD_WARNING, `preload account ${key}: ${issues.join('; ')}`);
        continue;
      }
      this.accounts.accounts.set(key, accountFromJwt(token, c, this.strictSigners.has(c.iss)));
    }
    // Import problems are warnings: nats-server logs them and keeps the account (incomplete).
    const importProblems: AuthProblem[] = [];
    resolveJwtImports(this.accounts, importProblems, nowSec);
    for (const p of importProblems) warn(p.code, p.message);
    if (sys !== null && sys !== '') {
      const a = this.accounts.get(sys);
      if (a === undefined) {
        err(AuthProblemCode.SYSTEM_ACCOUNT_NOT_FOUND, 'error resolving system account: account missing');
      } else {
        a.system = true;
        this.accounts.systemAccount = sys;
      }
    } else {
      const a = this.newAccount(DEFAULT_SYSTEM_ACCOUNT);
      a.system = true;
      this.accounts.systemAccount = DEFAULT_SYSTEM_ACCOUNT;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Per-listener questions

  /** The listener settings for a connection kind. */
  listenerFor(kind: number): ListenerAuth {
    switch (kind) {
      case ConnKind.WEBSOCKET:
        return this.listeners.websocket;
      case ConnKind.MQTT:
      case ConnKind.MQTT_WS:
        return this.listeners.mqtt;
      case ConnKind.LEAFNODE:
      case ConnKind.LEAFNODE_WS:
        return this.listeners.leafnode;
      default:
        return this.listeners.client;
    }
  }

  /**
   * Must the first op be a CONNECT, and are credentials checked? True when users, nkeys, a single
   * user, a token or operator mode are configured, or the listener has its own override.
   */
  authRequired(listener: ListenerAuth | null = null): boolean {
    const l = listener ?? this.listeners.client;
    return this.baseAuthRequired || ((l.name === 'websocket' || l.name === 'mqtt') && l.authOverride);
  }

  /**
   * INFO `auth_required`. On the client listener it is omitted when a `no_auth_user` is set
   * (server.go `createClient`); the WebSocket INFO keeps it (websocket.go).
   */
  infoAuthRequired(listener: ListenerAuth | null = null): boolean {
    const l = listener ?? this.listeners.client;
    if (!this.authRequired(l)) return false;
    if (l.name === 'client' && this.options.no_auth_user !== null && this.options.no_auth_user !== '') return false;
    return true;
  }

  /** Whether INFO carries a `nonce` (nkey users or operator mode; nkey.go `nonceRequired`). */
  nonceRequired(_listener: ListenerAuth | null = null): boolean {
    return this.nkeys.size > 0 || this.operatorMode;
  }

  /** The INFO nonce: base64url (no padding) of caller-supplied random bytes (11 bytes -> 15 chars). */
  newNonce(randomBytes: Uint8Array): string {
    return encodeBase64RawUrl(randomBytes);
  }

  /** Auth timeout for the listener in ms. */
  authTimeoutMs(listener: ListenerAuth | null = null): number {
    return (listener ?? this.listeners.client).authTimeoutMs;
  }

  /**
   * nats-server parser.go: with auth required and a global `no_auth_user` naming a *user*, a
   * first op other than CONNECT binds the connection to that user (no password check). Returns
   * that principal, or null when the first op must be refused (`Authorization Violation`).
   */
  preConnectPrincipal(): Principal | null {
    const name = this.options.no_auth_user ?? this.sysOnlyNoAuthUser;
    if (name === null || name === '') return null;
    const u = this.users.get(name);
    if (u === undefined) return null;
    return this.principal(AuthMethod.NO_AUTH_USER, u.name, null, u.account, u.perms, u.connTypes, null, null);
  }

  // ------------------------------------------------------------------------------------------
  // Authentication

  /** Authenticates a CONNECT synchronously (bcrypt, when needed, runs inline). */
  authenticate(ctx: AuthContext): AuthResult {
    try {
      const r = this.run(ctx);
      if ('hash' in r) return comparePasswords(r.hash, r.password) ? r.ok() : r.fail();
      return r;
    } catch (e) {
      return internalFailure(e);
    }
  }

  /** Same result as `authenticate`, with an uncached bcrypt check done through bcryptjs' async API. */
  async authenticateAsync(ctx: AuthContext): Promise<AuthResult> {
    try {
      const r = this.run(ctx);
      if ('hash' in r) return (await bcryptCompareAsync(r.hash, r.password)) ? r.ok() : r.fail();
      return r;
    } catch (e) {
      return internalFailure(e);
    }
  }

  /**
   * The answer now when it is cheap, or a promise when an uncached bcrypt check is needed (so a
   * server can hold the connection's input instead of blocking every other connection).
   */
  authenticateDeferred(
    ctx: AuthContext,
    compare?: (hash: string, password: string) => Promise<boolean>,
  ): AuthResult | Promise<AuthResult> {
    let r: AuthResult | Pending;
    try {
      r = this.run(ctx);
    } catch (e) {
      return internalFailure(e);
    }
    if (!('hash' in r)) return r;
    const pending = r;
    // `compare` lets a server run bcrypt on another thread; bcryptjs' own async API still
    // computes on this one.
    const check =
      compare === undefined
        ? bcryptCompareAsync(pending.hash, pending.password)
        : compare(pending.hash, pending.password).then((ok) => {
            if (ok) rememberBcrypt(pending.hash, pending.password);
            return ok;
          });
    return check.then(
      (ok) => (ok ? pending.ok() : pending.fail()),
      (e: unknown) => internalFailure(e),
    );
  }

  private run(ctx: AuthContext): AuthResult | Pending {
    let kind = ctx.kind;
    if (!isConnKind(kind)) kind = ConnKind.STANDARD;
    const isLeaf = kind === ConnKind.LEAFNODE || kind === ConnKind.LEAFNODE_WS;
    const l = ctx.listener ?? this.listenerFor(kind);
    const st = { nkey: '', user: '' }; // what nats-server's failure log would print
    const fail = (code: AuthFailure['code'], reason: string): AuthResult => ({
      ok: false,
      failure: { code, reason, log: this.failureLog(st.nkey, st.user) },
    });

    // ----- CONNECT fields
    const c = this.readConnect(ctx, l);
    if (c === null) return fail(AuthFailureCode.BAD_CONNECT_FIELD, 'CONNECT field of the wrong type');
    st.nkey = c.nkey;
    st.user = c.user;
    const accountCheck = (r: AuthResult | Pending): AuthResult | Pending => {
      if (!c.account) return r;
      const wrap = (x: AuthResult): AuthResult =>
        x.ok ? fail(AuthFailureCode.ACCOUNT_IN_CONNECT, 'account designation in CONNECT is not allowed') : x;
      if ('hash' in r) return { ...r, ok: () => wrap(r.ok()), fail: r.fail };
      return wrap(r);
    };

    // ----- auth required?
    if (!this.authRequired(l)) {
      if (isLeaf)
        return accountCheck(
          this.ok(AuthMethod.LEAF_ACCOUNT, null, null, this.accounts.global, null, 0, null, null, null),
        );
      return accountCheck(this.ok(AuthMethod.NONE, null, null, this.accounts.global, null, 0, null, null, null));
    }
    const username = l.user ?? '';
    const password = l.password ?? '';
    const token = l.token ?? '';
    let noAuthUser = l.noAuthUser ?? '';
    // A leafnode over WebSocket uses the websocket block's no_auth_user when it has one (auth.go).
    const wsNoAuth = this.options.websocket?.no_auth_user ?? '';
    if (kind === ConnKind.LEAFNODE_WS && !l.authOverride && wsNoAuth !== '') noAuthUser = wsNoAuth;

    // ----- operator mode: a user JWT is mandatory
    let juc: UserClaims | null = null;
    if (this.operatorMode) {
      if (c.jwt === '') return fail(AuthFailureCode.JWT_REQUIRED, 'Authentication requires a user JWT');
      let claims = this.userJwtCache.get(c.jwt);
      if (claims === undefined) {
        const d = decodeUserJwt(c.jwt);
        if (!d.ok) return fail(AuthFailureCode.JWT_INVALID, `User JWT not valid: ${d.error}`);
        claims = d.claims;
        if (this.userJwtCache.size >= USER_JWT_CACHE_MAX) {
          const first = this.userJwtCache.keys().next();
          if (!first.done) this.userJwtCache.delete(first.value);
        }
        this.userJwtCache.set(c.jwt, claims);
      }
      const issues = validateUser(claims, Math.floor(ctx.now / 1000));
      if (issues.length > 0) {
        return fail(AuthFailureCode.JWT_NOT_VALID_NOW, `User JWT no longer valid: ${issues.join('; ')}`);
      }
      juc = claims;
    }

    // ----- nkeys
    let nkey: NkeyEntry | null = null;
    let skipSig = false;
    if (this.nkeys.size > 0) {
      if (noAuthUser !== '' && c.user === '' && c.pass === '' && c.token === '' && c.nkey === '') {
        const nk = this.nkeys.get(noAuthUser);
        if (nk !== undefined) {
          c.nkey = noAuthUser;
          st.nkey = noAuthUser;
          skipSig = true;
        }
      }
      if (c.nkey !== '') {
        const nk = this.nkeys.get(c.nkey);
        if (nk === undefined) return fail(AuthFailureCode.UNKNOWN_NKEY, `Nkey ${goQuote(c.nkey)} not found`);
        if (!connTypeAllowed(nk.connTypes, kind)) {
          return fail(AuthFailureCode.CONNECTION_TYPE_NOT_ALLOWED, 'Connection type not allowed');
        }
        nkey = nk;
      }
    }

    // ----- users
    let user: UserEntry | null = null;
    let userMethod: AuthMethod = AuthMethod.USER;
    if (this.users.size > 0 && nkey === null) {
      if (l.tlsMap) {
        const mapped = this.tlsMap(ctx.tlsPeer, kind);
        if (typeof mapped === 'string') return fail(AuthFailureCode.TLS_MAP_FAILED, mapped);
        user = mapped;
        userMethod = AuthMethod.TLS_MAP;
        st.user = mapped.name;
      } else {
        if (noAuthUser !== '' && c.user === '' && c.pass === '' && c.token === '') {
          const u = this.users.get(noAuthUser);
          if (u !== undefined) {
            c.user = u.name;
            c.pass = u.password;
            st.user = u.name;
            userMethod = AuthMethod.NO_AUTH_USER;
          }
        }
        if (c.user !== '') {
          const u = this.users.get(c.user);
          if (u === undefined) return fail(AuthFailureCode.UNKNOWN_USER, `User ${goQuote(c.user)} not found`);
          if (!connTypeAllowed(u.connTypes, kind)) {
            return fail(AuthFailureCode.CONNECTION_TYPE_NOT_ALLOWED, 'Connection type not allowed');
          }
          user = u;
        }
      }
    }

    // ----- JWT user
    if (juc !== null) return accountCheck(this.jwtUser(juc, c, ctx, kind, fail));

    // ----- nkey user: signature over the nonce
    if (nkey !== null) {
      if (!skipSig) {
        const bad = this.checkSignature(c.sig, c.nkey, ctx.nonce, fail);
        if (bad !== null) return bad;
      }
      return accountCheck(
        this.ok(AuthMethod.NKEY, null, nkey.nkey, nkey.account, nkey.perms, nkey.connTypes, null, null, null),
      );
    }

    // ----- password user
    if (user !== null) {
      const u = user;
      const ok = () => this.ok(userMethod, u.name, null, u.account, u.perms, u.connTypes, null, null, null);
      const bad = () => fail(AuthFailureCode.BAD_PASSWORD, `Password for user ${goQuote(u.name)} does not match`);
      if (userMethod === AuthMethod.TLS_MAP) return accountCheck(ok());
      const q = quickCompare(u.password, c.pass);
      if (q === PasswordCheck.NEEDS_BCRYPT) return accountCheck({ hash: u.password, password: c.pass, ok, fail: bad });
      return accountCheck(q === PasswordCheck.MATCH ? ok() : bad());
    }

    // ----- single user / token
    if (!isLeaf) {
      if (token !== '') {
        const ok = () => this.ok(AuthMethod.TOKEN, null, null, this.accounts.global, null, 0, null, null, null);
        const bad = () => fail(AuthFailureCode.BAD_TOKEN, 'Token does not match');
        const q = quickCompare(token, c.token);
        if (q === PasswordCheck.NEEDS_BCRYPT) return accountCheck({ hash: token, password: c.token, ok, fail: bad });
        return accountCheck(q === PasswordCheck.MATCH ? ok() : bad());
      }
      if (username !== '') {
        if (username !== c.user)
          return fail(AuthFailureCode.BAD_USER, `User ${goQuote(c.user)} does not match the configured user`);
        const ok = () =>
          this.ok(AuthMethod.SINGLE_USER, username, null, this.accounts.global, null, 0, null, null, null);
        const bad = () => fail(AuthFailureCode.BAD_PASSWORD, `Password for user ${goQuote(username)} does not match`);
        const q = quickCompare(password, c.pass);
        if (q === PasswordCheck.NEEDS_BCRYPT) return accountCheck({ hash: password, password: c.pass, ok, fail: bad });
        return accountCheck(q === PasswordCheck.MATCH ? ok() : bad());
      }
    } else {
      // A leafnode with no matching credentials binds to the leafnode account ($G here).
      return accountCheck(
        this.ok(AuthMethod.LEAF_ACCOUNT, null, null, this.accounts.global, null, 0, null, null, null),
      );
    }
    return fail(AuthFailureCode.NO_CREDENTIALS, 'no credentials matched');
  }

  private readConnect(ctx: AuthContext, l: ListenerAuth): Conn | null {
    const k = ctx.connect as ConnectFields | null | undefined;
    if (k === null || k === undefined || typeof k !== 'object') return null;
    const user = str(k.user);
    const pass = str(k.pass);
    const token = str(k.auth_token);
    const nkey = str(k.nkey);
    const sig = str(k.sig);
    const jwt = str(k.jwt);
    if (user === null || pass === null || token === null || nkey === null || sig === null || jwt === null) return null;
    const c: Conn = {
      user,
      pass,
      token,
      nkey,
      sig,
      jwt,
      account: (typeof k.account === 'string' ? k.account !== '' : k.account === true) || k.new_account === true,
    };
    // WebSocket cookies fill empty fields (websocket.md §10); the leaf kinds do not carry them.
    const cookies = ctx.cookies;
    if (cookies && l.name !== 'leafnode') {
      if (c.jwt === '' && cookies.jwt) c.jwt = cookies.jwt;
      if (c.user === '' && cookies.user) c.user = cookies.user;
      if (c.pass === '' && cookies.pass) c.pass = cookies.pass;
      if (c.token === '' && cookies.token) c.token = cookies.token;
    }
    // Outside operator mode a JWT is discarded (client.go processConnect).
    if (!this.operatorMode) c.jwt = '';
    return c;
  }

  /** nats-server `authViolation` log line. */
  private failureLog(nkey: string, user: string): string {
    if (this.operatorMode) return ERR_AUTHENTICATION;
    if (this.nkeys.size > 0) return `${ERR_AUTHENTICATION} - Nkey ${goQuote(nkey)}`;
    if (this.users.size > 0) return `${ERR_AUTHENTICATION} - User ${goQuote(user)}`;
    return ERR_AUTHENTICATION;
  }

  private checkSignature(
    sigText: string,
    key: string,
    nonce: string | null,
    fail: (code: AuthFailure['code'], reason: string) => AuthResult,
  ): AuthResult | null {
    if (sigText === '') return fail(AuthFailureCode.SIGNATURE_MISSING, 'Signature missing');
    const sig = decodeSignature(sigText);
    if (sig === null) return fail(AuthFailureCode.SIGNATURE_ENCODING, 'Signature not valid base64');
    if (!isValidPublicSigningKey(key))
      return fail(AuthFailureCode.NKEY_INVALID, 'User nkey not valid: nkeys: invalid public key');
    if (!verifyNkeySignature(key, utf8Bytes(nonce ?? ''), sig))
      return fail(AuthFailureCode.SIGNATURE_INVALID, 'Signature not verified');
    return null;
  }

  private tlsMap(peer: TlsPeer | null, kind: number): UserEntry | string {
    if (peer === null) return 'User required in cert, no TLS connection state';
    if (peer.certificate === null) return 'User required in cert, no peer certificates found';
    const cert = parsePeerCertificate(peer.certificate);
    if (cert === null) return 'User required in cert, certificate could not be parsed';
    const candidates = tlsMapCandidates(cert);
    if (typeof candidates === 'string') return candidates;
    let last = '';
    for (const cand of candidates) {
      if (cand.kind === 'name') {
        last = cand.name;
        if (cand.name === '') continue;
        const u = this.users.get(cand.name);
        if (u !== undefined && connTypeAllowed(u.connTypes, kind)) return u;
        continue;
      }
      const reordered: Array<[UserEntry, ReturnType<typeof parseDn>]> = [];
      for (const u of this.users.values()) {
        if (!connTypeAllowed(u.connTypes, kind)) continue;
        const dn = parseDn(u.name);
        if (dn === null) continue;
        if (dnEqual(dn, cand.dn)) return u;
        reordered.push([u, dn]);
      }
      for (const [u, dn] of reordered) if (dn !== null && dnRdnsMatch(dn, cand.dn)) return u;
    }
    return `User in cert [${goQuote(last).slice(1, -1)}], not found`;
  }

  private jwtUser(
    juc: UserClaims,
    c: Conn,
    ctx: AuthContext,
    kind: number,
    fail: (code: AuthFailure['code'], reason: string) => AuthResult,
  ): AuthResult {
    let n = juc.nats;
    const ct = parseConnTypes(n.allowed_connection_types);
    if (ct.unknown.length > 0 && ct.mask === 0) {
      return fail(
        AuthFailureCode.CONNECTION_TYPES_UNKNOWN,
        `invalid connection types [${ct.unknown.map(goQuote).join(' ')}]`,
      );
    }
    if (!connTypeAllowed(ct.mask, kind))
      return fail(AuthFailureCode.CONNECTION_TYPE_NOT_ALLOWED, 'Connection type not allowed');
    const issuer = n.issuer_account !== '' ? n.issuer_account : juc.iss;
    const nowSec = Math.floor(ctx.now / 1000);
    const acc = this.accounts.get(issuer);
    if (acc === undefined || acc.jwt === null) {
      const why = this.rejectedAccounts.get(issuer) ?? 'account missing';
      return fail(
        why === 'account missing' ? AuthFailureCode.ACCOUNT_NOT_FOUND : AuthFailureCode.ACCOUNT_NOT_TRUSTED,
        `Account JWT lookup error: ${why}`,
      );
    }
    const aj = acc.jwt;
    if (aj.notBefore > nowSec) {
      return fail(AuthFailureCode.ACCOUNT_NOT_TRUSTED, 'Account JWT lookup error: account validation failed');
    }
    if (!this.trustedKeys.has(aj.issuer))
      return fail(AuthFailureCode.ACCOUNT_NOT_TRUSTED, 'Account JWT not signed by trusted operator');
    if (!aj.signingKeys.has(juc.iss)) return fail(AuthFailureCode.ISSUER_NOT_KNOWN, 'User JWT issuer is not known');
    const scope = aj.signingKeys.get(juc.iss) ?? null;
    let scopedLimits: UserPermissionLimits | null = null;
    if (scope !== null) {
      if (!juc.emptyPermissions) {
        return fail(
          AuthFailureCode.SCOPED_USER_INVALID,
          'User JWT is not valid: scoped users require no permissions or limits set',
        );
      }
      const t = processUserPermissionsTemplate(scope.template, juc, acc.nameTag ?? '', aj.tags);
      if (t instanceof Error)
        return fail(AuthFailureCode.SCOPED_USER_INVALID, 'User JWT generated invalid permissions');
      scopedLimits = t;
      n = { ...n, ...t };
    }
    if (aj.expires > 0 && aj.expires <= nowSec) return fail(AuthFailureCode.ACCOUNT_EXPIRED, 'Account JWT has expired');
    if (n.bearer_token && acc.limits.disallowBearer) {
      return fail(AuthFailureCode.BEARER_NOT_ALLOWED, 'Account does not allow bearer token');
    }
    if (!n.bearer_token) {
      const bad = this.checkSignature(c.sig, juc.sub, ctx.nonce, fail);
      if (bad !== null) return bad;
    }
    if (isRevoked(aj.revocations, juc.sub, juc.iat))
      return fail(AuthFailureCode.USER_REVOKED, 'User authentication revoked');
    if (!sourceAllowed(n.src, ctx.remoteAddress)) {
      return fail(AuthFailureCode.SOURCE_NOT_ALLOWED, `Bad src Ip ${ctx.remoteAddress}`);
    }
    const times = checkTimes(n.times, n.times_location, ctx.now, this.localTimeZone);
    if (!times.allowed) return fail(AuthFailureCode.OUTSIDE_CONNECT_TIMES, 'Outside connect times');

    // Permissions: the JWT's, else the account default (auth.go buildInternalNkeyUser).
    const perms = permissionsFromJwt(n) ?? acc.defaultPermissions;
    // Expiry: JWT exp (whole seconds from now, as nats-server's timer) or the end of the times range.
    let expiresAt: number | null = null;
    if (juc.exp > 0) {
      const d = juc.exp > nowSec ? (juc.exp - nowSec) * 1000 : 0;
      expiresAt = ctx.now + (times.validForMs !== 0 && times.validForMs < d ? times.validForMs : d);
    } else if (times.validForMs !== 0) {
      expiresAt = ctx.now + times.validForMs;
    }
    const info: UserJwtInfo = {
      subject: juc.sub,
      name: juc.name,
      tags: n.tags,
      issuer: juc.iss,
      issuerAccount: n.issuer_account === '' ? null : n.issuer_account,
      issuedAt: juc.iat,
      bearer: n.bearer_token,
      token: c.jwt,
    };
    const userLimits = scopedLimits ?? n;
    return this.ok(
      AuthMethod.JWT,
      null,
      juc.sub,
      acc,
      compilePermissions(perms),
      ct.mask,
      expiresAt,
      info,
      { payload: userLimits.payload, subs: userLimits.subs, data: userLimits.data },
      true,
    );
  }

  /** nats-server `applyAccountLimits`. `user` = JWT user limits, null for config users. */
  private limits(acc: ResolvedAccount, user: { payload: number; subs: number; data: number } | null): ConnectionLimits {
    let mpay = user ? user.payload : -1;
    let msubs = user ? user.subs : -1;
    mpay = minLimit(mpay, acc.limits.maxPayload);
    msubs = minLimit(msubs, acc.limits.maxSubscriptions);
    mpay = minLimit(mpay, this.serverMaxPayload);
    msubs = minLimit(msubs, this.serverMaxSubs);
    const maxData = user ? minLimit(user.data, acc.limits.maxData) : acc.limits.maxData;
    return { maxPayload: mpay, maxSubscriptions: msubs, maxData };
  }

  private principal(
    method: AuthMethod,
    user: string | null,
    nkey: string | null,
    acc: ResolvedAccount,
    perms: CompiledPermissions | null,
    connTypes: ConnTypeMask,
    expiresAt: number | null,
    jwt: UserJwtInfo | null,
    userLimits: { payload: number; subs: number; data: number } | null = null,
    isJwt = false,
  ): Principal {
    const label =
      nkey !== null && !isJwt
        ? `Nkey ${goQuote(nkey)}`
        : user !== null
          ? `User ${goQuote(user)}`
          : isJwt
            ? `JWT User ${goQuote(nkey ?? '')}`
            : 'User "N/A"';
    const accExp = acc.jwt !== null && acc.jwt.expires > 0 ? acc.jwt.expires * 1000 : null;
    return new Principal({
      method,
      user,
      nkey,
      account: acc,
      permissions: perms === null ? null : perms.forConnection(),
      expiresAt,
      accountExpiresAt: accExp,
      limits: this.limits(acc, userLimits),
      allowedConnectionTypes: connTypes,
      jwt,
      logLabel: label,
    });
  }

  private ok(
    method: AuthMethod,
    user: string | null,
    nkey: string | null,
    acc: ResolvedAccount,
    perms: CompiledPermissions | null,
    connTypes: ConnTypeMask,
    expiresAt: number | null,
    jwt: UserJwtInfo | null,
    userLimits: { payload: number; subs: number; data: number } | null,
    isJwt = false,
  ): AuthResult {
    return {
      ok: true,
      principal: this.principal(method, user, nkey, acc, perms, connTypes, expiresAt, jwt, userLimits, isJwt),
    };
  }

  // ------------------------------------------------------------------------------------------
  // Introspection (monitoring, tests)

  /** Configured user names (config mode). */
  userNames(): string[] {
    return [...this.users.keys()].filter((n) => n !== this.sysOnlyNoAuthUser);
  }
  /** Configured nkey users (config mode). */
  nkeyUsers(): string[] {
    return [...this.nkeys.keys()];
  }
  /** Name of the hidden no-auth user nats-server adds when only a system account is configured, or null. */
  get systemOnlyNoAuthUser(): string | null {
    return this.sysOnlyNoAuthUser;
  }
}
