/**
 * Cross-field checks nats-server makes at startup (server.go `validateOptions`, jwt.go
 * `validateTrustedOperators`, auth.go `validateNoAuthUser`, websocket.go
 * `validateWebsocketOptions`). The loader runs them so `starling -t` catches them too; call
 * `validateOptions` again after changing options (e.g. after command-line overrides).
 */
import { formatMs } from './duration.js';
import { ConfigProblem } from './errors.js';
import { decodeJwt } from './jwt.js';
import { checkOperatorVersion, type OperatorInfo } from './load-operator.js';
import type { ServerOptions, SourcePos, UserOptions } from './options-types.js';

export type PositionLookup = ReadonlyMap<string, SourcePos | null>;

/** Every configured user (authorization block and accounts). */
export function allUsers(o: ServerOptions): UserOptions[] {
  const out: UserOptions[] = [...(o.authorization?.users ?? [])];
  for (const a of o.accounts) out.push(...a.users);
  return out;
}

function operatorInfos(o: ServerOptions): OperatorInfo[] {
  const out: OperatorInfo[] = [];
  for (const jwt of o.operator) {
    const d = decodeJwt(jwt, ['operator']);
    if (typeof d === 'string') continue; // reported when loaded
    const nats = (typeof d.claims.nats === 'object' && d.claims.nats !== null ? d.claims.nats : {}) as Record<
      string,
      unknown
    >;
    const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    out.push({
      jwt,
      subject: d.subject,
      systemAccount: str(nats.system_account),
      accountServerUrl: str(nats.account_server_url),
      assertServerVersion: str(nats.assert_server_version),
      pos: null,
    });
  }
  return out;
}

/** Returns every cross-field problem of `o`. `positions` maps top-level keys to positions. */
export function validateOptions(
  o: ServerOptions,
  positions: PositionLookup = new Map(),
  options: { skipAuth?: boolean } = {},
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const at = (key: string) => positions.get(key) ?? null;
  const err = (code: ConfigProblem['code'], msg: string, key: string) =>
    out.push(new ConfigProblem(code, msg, at(key)));

  if (o.lame_duck_duration > 0 && o.lame_duck_grace_period >= o.lame_duck_duration) {
    err(
      'CONF_LAME_DUCK',
      `lame duck grace period (${formatMs(o.lame_duck_grace_period)}) should be strictly lower than lame duck duration (${formatMs(o.lame_duck_duration)})`,
      positions.has('lame_duck_grace_period') ? 'lame_duck_grace_period' : 'lame_duck_duration',
    );
  }
  if (o.max_payload > o.max_pending) {
    err(
      'CONF_LIMITS',
      `max_payload (${o.max_payload}) cannot be higher than max_pending (${o.max_pending})`,
      positions.has('max_payload') ? 'max_payload' : 'max_pending',
    );
  }
  if (o.server_name?.includes(' ')) err('CONF_SERVER_NAME', 'server name cannot contain spaces', 'server_name');
  // server.go StartMonitoring (fatal at start-up in nats-server).
  if (o.http_port !== 0 && o.https_port !== 0) {
    err(
      'CONF_INVALID',
      `Can't start monitoring: can't specify both HTTP (${o.http_port}) and HTTPs (${o.https_port}) ports`,
      'https_port',
    );
  } else if (o.https_port !== 0 && (o.tls === null || o.tls.cert_file === null)) {
    err('CONF_INVALID', "Can't start monitoring: TLS cert and key required for HTTPS", 'https_port');
  }
  if (options.skipAuth === true) return out;

  const users = allUsers(o);
  const operators = operatorInfos(o);
  if (o.operator.length > 0) {
    const opErr = (msg: string) => err('CONF_OPERATOR', msg, 'operator');
    if (o.resolver === null) opErr('operators require an account resolver to be configured');
    if (o.accounts.length > 0) opErr('operators do not allow Accounts to be configured directly');
    if (users.length > 0) opErr('operators do not allow users to be configured directly');
    if (o.trusted_keys.length > 0) opErr("conflicting options for 'TrustedKeys' and 'TrustedOperators'");
    if (o.system_account !== null) {
      const nonEmpty = operators.some((op) => op.systemAccount !== null);
      const found = operators.some((op) => op.systemAccount === o.system_account);
      if (nonEmpty && !found) opErr('system_account in config and operator JWT must be identical');
    } else if (operators[0]?.systemAccount === null && (o.resolver?.type === 'FULL' || o.resolver?.type === 'CACHE')) {
      opErr(
        'using nats based account resolver - the system account needs to be specified in configuration or the operator jwt',
      );
    }
    for (const op of operators) {
      const v = checkOperatorVersion(op);
      if (v !== null) opErr(v);
    }
  }

  // server.go: the system account must resolve — a configured account without operators
  // (even "$SYS" must then be configured); with the MEMORY resolver, a preloaded account JWT.
  if (o.system_account !== null && o.system_account !== '') {
    const sys = o.system_account;
    const missing =
      o.operator.length > 0 || o.trusted_keys.length > 0
        ? o.resolver?.type === 'MEMORY' && !(sys in o.resolver_preload)
        : !o.accounts.some((a) => a.name === sys);
    if (missing) err('CONF_ACCOUNTS', 'error resolving system account: account missing', 'system_account');
  }

  const checkNoAuthUser = (name: string, key: string) => {
    if (o.operator.length > 0) {
      err('CONF_NO_AUTH_USER', 'no_auth_user not compatible with Trusted Operator', key);
      return;
    }
    if (users.length === 0) {
      err('CONF_NO_AUTH_USER', `no_auth_user: "${name}" present, but users are not defined`, key);
      return;
    }
    if (!users.some((u) => u.user === name || u.nkey === name)) {
      err(
        'CONF_NO_AUTH_USER',
        `no_auth_user: "${name}" not present as user in authorization block or account configuration`,
        key,
      );
    }
  };
  if (o.no_auth_user !== null && o.no_auth_user !== '') checkNoAuthUser(o.no_auth_user, 'no_auth_user');

  const ws = o.websocket;
  if (ws !== null && ws.port !== 0) {
    const wsErr = (msg: string) => err('CONF_WEBSOCKET', msg, 'websocket');
    if (ws.tls === null && !ws.no_tls) wsErr('websocket requires TLS configuration');
    for (const origin of ws.allowed_origins) {
      let u: URL;
      try {
        u = new URL(origin);
      } catch {
        wsErr(`unable to parse allowed origin: parse ${JSON.stringify(origin)}: invalid URI for request`);
        continue;
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') {
        wsErr(
          `unable to parse allowed origin ${JSON.stringify(origin)}: allowed origins must be absolute URLs with http or https scheme`,
        );
      } else if (u.host === '') wsErr(`unable to parse allowed origin ${JSON.stringify(origin)}: host is required`);
    }
    if (ws.no_auth_user !== null && ws.no_auth_user !== '') checkNoAuthUser(ws.no_auth_user, 'websocket');
    if (users.length > 0 && ws.authorization !== null) {
      if (ws.authorization.user !== null && ws.authorization.user !== '') {
        wsErr('websocket authentication username not compatible with presence of users/nkeys');
      }
      if (ws.authorization.token !== null && ws.authorization.token !== '') {
        wsErr('websocket authentication token not compatible with presence of users/nkeys');
      }
    }
    if (ws.jwt_cookie !== null && ws.jwt_cookie !== '' && o.operator.length === 0 && o.trusted_keys.length === 0) {
      wsErr(
        `trusted operators or trusted keys configuration is required for JWT authentication via cookie ${JSON.stringify(ws.jwt_cookie)}`,
      );
    }
    for (const key of Object.keys(ws.headers)) {
      const k = key.toLowerCase();
      if (['host', 'content-length', 'connection', 'upgrade', 'nats-no-masking'].includes(k)) {
        wsErr(`websocket: invalid header ${JSON.stringify(key)} not allowed`);
      } else if (k.startsWith('sec-websocket-')) {
        wsErr(`websocket: invalid header ${JSON.stringify(key)}, "Sec-WebSocket-" prefix not allowed`);
      }
    }
  }
  return out;
}
