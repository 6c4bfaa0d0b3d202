/**
 * nats-server 2.9.10 defaults (const.go, opts.go `setBaselineOptions`), in Starling units:
 * sizes in bytes, durations in milliseconds.
 */
import type {
  AuthorizationOptions,
  Permissions,
  ServerOptions,
  TlsOptions,
  UserOptions,
  WebsocketOptions,
} from './options-types.js';

export const DEFAULT_HOST = '0.0.0.0';
export const DEFAULT_PORT = 4222;
/** `port: -1` asks for a random port. */
export const RANDOM_PORT = -1;
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
export const DEFAULT_MAX_PENDING = 64 * 1024 * 1024;
export const DEFAULT_MAX_CONTROL_LINE = 4096;
export const DEFAULT_MAX_CONNECTIONS = 64 * 1024;
export const DEFAULT_PING_INTERVAL_MS = 2 * 60_000;
export const DEFAULT_PING_MAX = 2;
export const DEFAULT_WRITE_DEADLINE_MS = 10_000;
export const DEFAULT_LAME_DUCK_DURATION_MS = 2 * 60_000;
export const DEFAULT_LAME_DUCK_GRACE_PERIOD_MS = 10_000;
export const MIN_LAME_DUCK_DURATION_MS = 30_000;
export const DEFAULT_MAX_CLOSED_CLIENTS = 10_000;
export const DEFAULT_TLS_TIMEOUT_MS = 2_000;
export const DEFAULT_AUTH_TIMEOUT_MS = 2_000;
/** `handshake_first: auto` waits this long for a TLS ClientHello before falling back. */
export const DEFAULT_TLS_HANDSHAKE_FIRST_FALLBACK_MS = 50;
export const DEFAULT_ALLOW_RESPONSES_MAX = 1;
export const DEFAULT_ALLOW_RESPONSES_EXPIRES_MS = 2 * 60_000;
/** `max_sub_tokens` 0 means no limit (1..255 when set). */
export const MAX_SUB_TOKENS_LIMIT = 255;

/** Every option at nats-server's default. A fresh object each call. */
export function defaultOptions(): ServerOptions {
  return {
    host: DEFAULT_HOST,
    port: DEFAULT_PORT,
    client_advertise: null,
    server_name: null,
    max_payload: DEFAULT_MAX_PAYLOAD,
    max_pending: DEFAULT_MAX_PENDING,
    max_control_line: DEFAULT_MAX_CONTROL_LINE,
    max_connections: DEFAULT_MAX_CONNECTIONS,
    max_subscriptions: 0,
    max_sub_tokens: 0,
    ping_interval: DEFAULT_PING_INTERVAL_MS,
    ping_max: DEFAULT_PING_MAX,
    write_deadline: DEFAULT_WRITE_DEADLINE_MS,
    lame_duck_duration: DEFAULT_LAME_DUCK_DURATION_MS,
    lame_duck_grace_period: DEFAULT_LAME_DUCK_GRACE_PERIOD_MS,
    no_header_support: false,
    disable_sublist_cache: false,
    max_closed_clients: DEFAULT_MAX_CLOSED_CLIENTS,
    tls: null,
    allow_non_tls: false,
    authorization: null,
    accounts: [],
    no_auth_user: null,
    system_account: null,
    no_system_account: false,
    operator: [],
    trusted_keys: [],
    resolver: null,
    resolver_preload: {},
    http_host: DEFAULT_HOST,
    http_port: 0,
    https_port: 0,
    http_base_path: '',
    debug: false,
    trace: false,
    trace_verbose: false,
    logtime: true,
    logtime_utc: false,
    logfile: null,
    logfile_size_limit: 0,
    syslog: false,
    remote_syslog: null,
    pidfile: null,
    ports_file_dir: null,
    max_traced_msg_len: 0,
    websocket: null,
    unsupported: [],
    config_file: null,
  };
}

export function defaultTlsOptions(): TlsOptions {
  return {
    cert_file: null,
    key_file: null,
    ca_file: null,
    verify: false,
    verify_and_map: false,
    insecure: false,
    timeout: DEFAULT_TLS_TIMEOUT_MS,
    handshake_first: false,
    min_version: null,
    cipher_suites: [],
    curve_preferences: [],
    pinned_certs: [],
    connection_rate_limit: 0,
  };
}

export function emptyAuthorization(): AuthorizationOptions {
  return { user: null, password: null, token: null, timeout: null, users: [], default_permissions: null, pos: null };
}

export function emptyUser(): UserOptions {
  return {
    user: null,
    password: null,
    nkey: null,
    permissions: null,
    allowed_connection_types: [],
    account: null,
    pos: null,
  };
}

export function emptyPermissions(): Permissions {
  return { publish: null, subscribe: null, allow_responses: null };
}

export function defaultWebsocketOptions(): WebsocketOptions {
  return {
    host: DEFAULT_HOST,
    port: 0,
    advertise: null,
    no_tls: false,
    tls: null,
    same_origin: false,
    allowed_origins: [],
    compression: false,
    handshake_timeout: 0,
    jwt_cookie: null,
    user_cookie: null,
    pass_cookie: null,
    token_cookie: null,
    no_auth_user: null,
    authorization: null,
    headers: {},
    ping_interval: null,
    handshake_auth: false,
    api_key_header: null,
    trusted_proxies: [],
    pos: null,
  };
}
