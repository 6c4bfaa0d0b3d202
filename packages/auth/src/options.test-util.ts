/** Test helpers: complete `ServerOptions` with nats-server defaults, and small builders. */
import type {
  AccountOptions,
  AuthorizationOptions,
  Permissions,
  ServerOptions,
  UserOptions,
  WebsocketOptions,
} from '@starling/conf';
import { defaultOptions, emptyAuthorization } from '@starling/conf';
import type { AuthContext, ConnectFields } from './engine.js';

/** nats-server defaults (conf's `defaultOptions()`), with `over` on top. */
export function baseOptions(over: Partial<ServerOptions> = {}): ServerOptions {
  return { ...defaultOptions(), ...over };
}

export function auth(over: Partial<AuthorizationOptions> = {}): AuthorizationOptions {
  return { ...emptyAuthorization(), ...over };
}

export function user(name: string | null, password: string | null, over: Partial<UserOptions> = {}): UserOptions {
  return {
    user: name,
    password,
    nkey: null,
    permissions: null,
    allowed_connection_types: [],
    account: null,
    pos: null,
    ...over,
  };
}

export function nkeyUser(nkey: string, over: Partial<UserOptions> = {}): UserOptions {
  return user(null, null, { nkey, ...over });
}

export function account(name: string, over: Partial<AccountOptions> = {}): AccountOptions {
  return {
    name,
    users: [],
    nkey: null,
    exports: [],
    imports: [],
    default_permissions: null,
    mappings: {},
    limits: null,
    pos: null,
    ...over,
  };
}

export function perms(
  pub: { allow?: string[] | null; deny?: string[] | null } | null,
  sub: { allow?: string[] | null; deny?: string[] | null } | null = null,
  resp: { max: number; expires: number } | null = null,
): Permissions {
  return {
    publish: pub === null ? null : { allow: pub.allow ?? null, deny: pub.deny ?? null },
    subscribe: sub === null ? null : { allow: sub.allow ?? null, deny: sub.deny ?? null },
    allow_responses: resp,
  };
}

export function websocket(over: Partial<WebsocketOptions> = {}): WebsocketOptions {
  return {
    host: '0.0.0.0',
    port: 8080,
    advertise: null,
    no_tls: true,
    tls: null,
    same_origin: false,
    allowed_origins: [],
    compression: false,
    handshake_timeout: 2000,
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
    ...over,
  };
}

export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

export function ctx(connect: ConnectFields, over: Partial<AuthContext> = {}): AuthContext {
  return { kind: 0, connect, nonce: null, tlsPeer: null, remoteAddress: '127.0.0.1', now: NOW, ...over };
}
