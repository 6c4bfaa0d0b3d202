/**
 * What a successful authentication yields, and the typed failure otherwise.
 */
import type { ResolvedAccount } from './accounts.js';
import type { ConnTypeMask } from './conn-kind.js';
import type { AuthFailureCode } from './errors.js';
import type { ClientPermissions } from './permissions.js';

/** Per-connection limits after user, account and server limits are combined. -1 = unlimited. */
export interface ConnectionLimits {
  maxPayload: number;
  /** 0 means none: nats-server answers the first SUB (or, at connect, right away) with `maximum subscriptions exceeded`. */
  maxSubscriptions: number;
  /** JWT `data` limit (bytes); not enforced by nats-server 2.9 for clients, reported for monitoring. */
  maxData: number;
}

/** Claims of a user JWT worth keeping on the connection (monitoring, logs). */
export interface UserJwtInfo {
  /** User public key (`sub`). */
  subject: string;
  name: string;
  tags: readonly string[];
  /** Key that signed the user JWT (account key or one of its signing keys). */
  issuer: string;
  /** Set when signed by a signing key. */
  issuerAccount: string | null;
  issuedAt: number;
  bearer: boolean;
  /** The JWT as presented. */
  token: string;
}

/** How the client was authenticated. */
export const AuthMethod = {
  /** Auth not required on this listener. */
  NONE: 'none',
  TOKEN: 'token',
  /** Single user/password from `authorization {}` or a listener override. */
  SINGLE_USER: 'single_user',
  /** A `users` entry with a password (plaintext or bcrypt). */
  USER: 'user',
  /** A `users` entry chosen by `no_auth_user`. */
  NO_AUTH_USER: 'no_auth_user',
  /** A `users` entry chosen by TLS verify_and_map. */
  TLS_MAP: 'tls_map',
  NKEY: 'nkey',
  JWT: 'jwt',
  /** Leafnode without credentials bound to the leafnode account. */
  LEAF_ACCOUNT: 'leaf_account',
} as const;
export type AuthMethod = (typeof AuthMethod)[keyof typeof AuthMethod];

export class Principal {
  readonly method: AuthMethod;
  /** User name (CONNECT user, no_auth_user, or the TLS-mapped name), or null. */
  readonly user: string | null;
  /** nkey public key (nkey users) or the user JWT `sub`, or null. */
  readonly nkey: string | null;
  /** Account name: `$G`, a config account name, or (operator mode) the account public key. */
  readonly account: string;
  readonly accountInfo: ResolvedAccount;
  /** Per-connection permission checks; null = everything allowed. */
  readonly permissions: ClientPermissions | null;
  /** When the server must close with `User Authentication Expired` (ms epoch), or null. */
  readonly expiresAt: number | null;
  /** When the account JWT expires (`Account Authentication Expired`), ms epoch, or null. */
  readonly accountExpiresAt: number | null;
  readonly limits: ConnectionLimits;
  /** Allowed connection types (0 = all) of the user, for monitoring. */
  readonly allowedConnectionTypes: ConnTypeMask;
  readonly jwt: UserJwtInfo | null;
  /** nats-server `getAuthUser()` label for violation logs: `User "bob"`, `Nkey "U…"`, `JWT User "U…"`, `User "N/A"`. */
  readonly logLabel: string;

  constructor(init: {
    method: AuthMethod;
    user: string | null;
    nkey: string | null;
    account: ResolvedAccount;
    permissions: ClientPermissions | null;
    expiresAt: number | null;
    accountExpiresAt: number | null;
    limits: ConnectionLimits;
    allowedConnectionTypes: ConnTypeMask;
    jwt: UserJwtInfo | null;
    logLabel: string;
  }) {
    this.method = init.method;
    this.user = init.user;
    this.nkey = init.nkey;
    this.account = init.account.name;
    this.accountInfo = init.account;
    this.permissions = init.permissions;
    this.expiresAt = init.expiresAt;
    this.accountExpiresAt = init.accountExpiresAt;
    this.limits = init.limits;
    this.allowedConnectionTypes = init.allowedConnectionTypes;
    this.jwt = init.jwt;
    this.logLabel = init.logLabel;
  }
}

export interface AuthFailure {
  code: AuthFailureCode;
  /** nats-server's debug-level reason where it has one (`Signature not verified`), else ours. */
  reason: string;
  /** The error-level line nats-server logs for the failure (`authentication error - User "bob"`). */
  log: string;
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; failure: AuthFailure };
