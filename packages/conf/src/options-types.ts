/**
 * Typed server options: the contract between the config loader, the auth engine, the server
 * and the CLI. Field names are nats-server's canonical config keys (aliases are folded into
 * these by the loader). Values are normalized: sizes in bytes, durations in MILLISECONDS,
 * absent optional values are `null` (never `undefined`), lists are arrays (possibly empty).
 */

/** Where a value came from in a config file, for error messages after loading. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export type ConnectionTypeName =
  | 'STANDARD'
  | 'WEBSOCKET'
  | 'LEAFNODE'
  | 'LEAFNODE_WS'
  | 'MQTT'
  | 'MQTT_WS'
  | 'IN_PROCESS';

/** `publish` / `subscribe` permission: no allow list (`null`) means everything is allowed. */
export interface SubjectPermission {
  /** Patterns; subscribe entries may be "subject queue". `null` = no allow list. */
  allow: string[] | null;
  deny: string[] | null;
}

export interface ResponsePermission {
  /** Responses allowed per request; default 1, negative = unlimited. */
  max: number;
  /** Milliseconds a response stays allowed; default 120000, negative = unlimited. */
  expires: number;
}

export interface Permissions {
  publish: SubjectPermission | null;
  subscribe: SubjectPermission | null;
  allow_responses: ResponsePermission | null;
}

export interface UserOptions {
  /** Set for user/password users; `null` for nkey users. */
  user: string | null;
  /** Plaintext or bcrypt (`$2a$…`) password; `null` when absent. */
  password: string | null;
  /** Public user nkey (`U…`) for nkey users, else `null`. */
  nkey: string | null;
  permissions: Permissions | null;
  /** Empty = all connection types allowed. Upper-case canonical names. */
  allowed_connection_types: ConnectionTypeName[];
  /** Account name this user belongs to (set by the loader for users inside `accounts {}`), `null` = `$G`. */
  account: string | null;
  pos: SourcePos | null;
}

export interface AuthorizationOptions {
  user: string | null;
  password: string | null;
  token: string | null;
  /** Milliseconds; `null` = default (2 s, or TLS timeout + 1 s when TLS is configured). */
  timeout: number | null;
  users: UserOptions[];
  default_permissions: Permissions | null;
  pos: SourcePos | null;
}

export interface StreamExport {
  kind: 'stream';
  subject: string;
  /** Accounts allowed to import; `null` = public. */
  accounts: string[] | null;
}
export interface ServiceExport {
  kind: 'service';
  subject: string;
  accounts: string[] | null;
  response_type: 'single' | 'stream' | 'chunked';
  /** Milliseconds, `null` = default. */
  threshold: number | null;
}
export type ExportOptions = StreamExport | ServiceExport;

export interface StreamImport {
  kind: 'stream';
  account: string;
  subject: string;
  /** Exclusive with `to`. */
  prefix: string | null;
  to: string | null;
}
export interface ServiceImport {
  kind: 'service';
  account: string;
  subject: string;
  /** Local subject that maps to the exported one; `null` = same as `subject`. */
  to: string | null;
}
export type ImportOptions = StreamImport | ServiceImport;

export interface AccountLimits {
  max_connections: number | null;
  max_subscriptions: number | null;
  max_payload: number | null;
  max_leafnodes: number | null;
}

export interface AccountOptions {
  name: string;
  users: UserOptions[];
  /** Account-level nkey (public A… key), `null` when absent. */
  nkey: string | null;
  exports: ExportOptions[];
  imports: ImportOptions[];
  default_permissions: Permissions | null;
  /** Subject mappings `src -> dest` (weighted destinations kept as the raw list). */
  mappings: Record<string, unknown>;
  limits: AccountLimits | null;
  pos: SourcePos | null;
}

export interface TlsOptions {
  cert_file: string | null;
  key_file: string | null;
  ca_file: string | null;
  verify: boolean;
  verify_and_map: boolean;
  insecure: boolean;
  /** Milliseconds; default 2000. */
  timeout: number;
  /** `false`, `true`, or a fallback delay in milliseconds. */
  handshake_first: boolean | number;
  min_version: string | null;
  cipher_suites: string[];
  curve_preferences: string[];
  pinned_certs: string[];
  connection_rate_limit: number;
}

export interface ResolverOptions {
  /** Only MEMORY is provided for now; others are accepted and reported as unsupported. */
  type: 'MEMORY' | 'URL' | 'FULL' | 'CACHE';
  url: string | null;
  dir: string | null;
}

export interface WebsocketOptions {
  host: string;
  port: number;
  advertise: string | null;
  no_tls: boolean;
  tls: TlsOptions | null;
  same_origin: boolean;
  allowed_origins: string[];
  compression: boolean;
  /** Milliseconds; default 0 = no limit (nats-server's default; its docs show "2s" only as an example). */
  handshake_timeout: number;
  jwt_cookie: string | null;
  user_cookie: string | null;
  pass_cookie: string | null;
  token_cookie: string | null;
  no_auth_user: string | null;
  authorization: AuthorizationOptions | null;
  headers: Record<string, string>;
  /** Milliseconds, `null` = server ping_interval. */
  ping_interval: number | null;
  /** Starling extensions (see docs/websocket.md once built). Unknown in nats-server. */
  handshake_auth: boolean;
  api_key_header: string | null;
  trusted_proxies: string[];
  pos: SourcePos | null;
}

/**
 * A block for a feature Starling parses and validates but does not provide yet
 * (leafnodes, mqtt, cluster, gateway, jetstream…). The server warns once, naming it.
 */
export interface UnsupportedBlock {
  key: string;
  value: unknown;
  pos: SourcePos | null;
}

export interface ServerOptions {
  // --- listener
  host: string;
  port: number;
  client_advertise: string | null;
  server_name: string | null;
  // --- limits
  max_payload: number;
  max_pending: number;
  max_control_line: number;
  max_connections: number;
  max_subscriptions: number;
  max_sub_tokens: number;
  // --- keepalive and timing (ms)
  ping_interval: number;
  ping_max: number;
  write_deadline: number;
  lame_duck_duration: number;
  lame_duck_grace_period: number;
  // --- protocol features
  no_header_support: boolean;
  disable_sublist_cache: boolean;
  max_closed_clients: number;
  // --- TLS on the client port
  tls: TlsOptions | null;
  allow_non_tls: boolean;
  // --- auth
  authorization: AuthorizationOptions | null;
  accounts: AccountOptions[];
  no_auth_user: string | null;
  system_account: string | null;
  no_system_account: boolean;
  /** Operator JWTs (file contents already read and undecorated). */
  operator: string[];
  trusted_keys: string[];
  resolver: ResolverOptions | null;
  /** account public key -> account JWT */
  resolver_preload: Record<string, string>;
  // --- monitoring
  http_host: string;
  http_port: number;
  https_port: number;
  http_base_path: string;
  // --- logging and process files
  debug: boolean;
  trace: boolean;
  trace_verbose: boolean;
  logtime: boolean;
  logtime_utc: boolean;
  logfile: string | null;
  logfile_size_limit: number;
  syslog: boolean;
  remote_syslog: string | null;
  pidfile: string | null;
  ports_file_dir: string | null;
  max_traced_msg_len: number;
  // --- other listeners
  websocket: WebsocketOptions | null;
  /** Blocks parsed and validated but not provided yet; the server warns naming each. */
  unsupported: UnsupportedBlock[];
  /** The config file these options were read from, `null` when built from an object. */
  config_file: string | null;
}
