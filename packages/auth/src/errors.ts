/**
 * The auth package's error tables.
 *
 * Two kinds of outcome leave this package:
 *  - `AuthFailureCode`: why one CONNECT was refused. The client only ever sees
 *    `-ERR 'Authorization Violation'`; the code and the debug `reason` are for logs and tests.
 *  - `AuthProblemCode`: a configuration problem found when the engine is built (start-up or
 *    reload). Messages match nats-server's texts where nats-server has one.
 *
 * docs/auth.md lists every code (a test checks that the docs do not drift from this table).
 */

import type { SourcePos } from '@starling/conf';
import { StarlingError } from '@starling/errors';

/** Why authentication failed. Values are stable strings (they appear in logs and tests). */
export const AuthFailureCode = {
  /** A CONNECT field the engine reads (user, pass, auth_token, nkey, sig, jwt) is not a string. */
  BAD_CONNECT_FIELD: 'AUTH_BAD_CONNECT_FIELD',
  /** Operator mode and no user JWT in CONNECT (nor from a cookie). */
  JWT_REQUIRED: 'AUTH_JWT_REQUIRED',
  /** The user JWT does not decode or its signature does not verify. */
  JWT_INVALID: 'AUTH_JWT_INVALID',
  /** The user JWT decodes but fails validation (expired, not yet valid, bad claims). */
  JWT_NOT_VALID_NOW: 'AUTH_JWT_NOT_VALID_NOW',
  /** CONNECT `nkey` is not a configured nkey user. */
  UNKNOWN_NKEY: 'AUTH_UNKNOWN_NKEY',
  /** CONNECT `user` is not a configured user. */
  UNKNOWN_USER: 'AUTH_UNKNOWN_USER',
  /** The user's `allowed_connection_types` exclude this connection's kind. */
  CONNECTION_TYPE_NOT_ALLOWED: 'AUTH_CONNECTION_TYPE_NOT_ALLOWED',
  /** The user JWT lists only connection types this server does not know. */
  CONNECTION_TYPES_UNKNOWN: 'AUTH_CONNECTION_TYPES_UNKNOWN',
  /** `verify_and_map`: no certificate, or nothing in it names a configured user. */
  TLS_MAP_FAILED: 'AUTH_TLS_MAP_FAILED',
  /** The issuing account of a user JWT is not known to the resolver. */
  ACCOUNT_NOT_FOUND: 'AUTH_ACCOUNT_NOT_FOUND',
  /** The account JWT is not signed by a trusted operator key, or does not validate. */
  ACCOUNT_NOT_TRUSTED: 'AUTH_ACCOUNT_NOT_TRUSTED',
  /** The account JWT has expired. */
  ACCOUNT_EXPIRED: 'AUTH_ACCOUNT_EXPIRED',
  /** The user JWT issuer is neither the account nor one of its signing keys. */
  ISSUER_NOT_KNOWN: 'AUTH_ISSUER_NOT_KNOWN',
  /** A scoped signing key issued a user JWT that carries its own permissions or limits. */
  SCOPED_USER_INVALID: 'AUTH_SCOPED_USER_INVALID',
  /** Bearer user JWT, but the account has `disallow_bearer`. */
  BEARER_NOT_ALLOWED: 'AUTH_BEARER_NOT_ALLOWED',
  /** CONNECT has no `sig` where a nonce signature is required. */
  SIGNATURE_MISSING: 'AUTH_SIGNATURE_MISSING',
  /** CONNECT `sig` is neither base64url nor standard base64. */
  SIGNATURE_ENCODING: 'AUTH_SIGNATURE_ENCODING',
  /** The public key to verify with is not a valid user nkey. */
  NKEY_INVALID: 'AUTH_NKEY_INVALID',
  /** The signature does not verify over the nonce. */
  SIGNATURE_INVALID: 'AUTH_SIGNATURE_INVALID',
  /** The account revoked this user (or all users) at or after the JWT's `iat`. */
  USER_REVOKED: 'AUTH_USER_REVOKED',
  /** The client address is not inside the user JWT's `src` CIDRs. */
  SOURCE_NOT_ALLOWED: 'AUTH_SOURCE_NOT_ALLOWED',
  /** Now is outside every `times` range of the user JWT. */
  OUTSIDE_CONNECT_TIMES: 'AUTH_OUTSIDE_CONNECT_TIMES',
  /** Password (or bcrypt hash) mismatch. */
  BAD_PASSWORD: 'AUTH_BAD_PASSWORD',
  /** Token mismatch. */
  BAD_TOKEN: 'AUTH_BAD_TOKEN',
  /** Single-user mode and the CONNECT `user` is not that user. */
  BAD_USER: 'AUTH_BAD_USER',
  /** Auth is required and no method applied to what the client sent. */
  NO_CREDENTIALS: 'AUTH_NO_CREDENTIALS',
  /** CONNECT carried `account` or `new_account` (always refused, after successful auth). */
  ACCOUNT_IN_CONNECT: 'AUTH_ACCOUNT_IN_CONNECT',
  /** An unexpected exception inside the engine (a bug, or a context of the wrong shape); refused. */
  INTERNAL_ERROR: 'AUTH_INTERNAL_ERROR',
} as const;
export type AuthFailureCode = (typeof AuthFailureCode)[keyof typeof AuthFailureCode];

/** A configuration problem found while building the engine. */
export const AuthProblemCode = {
  // --- single user / token / users (opts.go parseAuthorization, parseUsers)
  USER_AND_TOKEN: 'AUTH_CONF_USER_AND_TOKEN',
  SINGLE_USER_AND_USERS: 'AUTH_CONF_SINGLE_USER_AND_USERS',
  TOKEN_AND_USERS: 'AUTH_CONF_TOKEN_AND_USERS',
  SINGLE_USER_AND_ACCOUNTS: 'AUTH_CONF_SINGLE_USER_AND_ACCOUNTS',
  TOKEN_AND_ACCOUNTS: 'AUTH_CONF_TOKEN_AND_ACCOUNTS',
  DUPLICATE_USER: 'AUTH_CONF_DUPLICATE_USER',
  DUPLICATE_NKEY: 'AUTH_CONF_DUPLICATE_NKEY',
  USER_REQUIRED: 'AUTH_CONF_USER_REQUIRED',
  BAD_USER_NKEY: 'AUTH_CONF_BAD_USER_NKEY',
  NKEY_WITH_PASSWORD: 'AUTH_CONF_NKEY_WITH_PASSWORD',
  UNKNOWN_CONNECTION_TYPE: 'AUTH_CONF_UNKNOWN_CONNECTION_TYPE',
  BAD_PERMISSION_SUBJECT: 'AUTH_CONF_BAD_PERMISSION_SUBJECT',
  PLAINTEXT_PASSWORDS: 'AUTH_CONF_PLAINTEXT_PASSWORDS',
  // --- no_auth_user (auth.go validateNoAuthUser)
  NO_AUTH_USER_WITHOUT_USERS: 'AUTH_CONF_NO_AUTH_USER_WITHOUT_USERS',
  NO_AUTH_USER_UNKNOWN: 'AUTH_CONF_NO_AUTH_USER_UNKNOWN',
  NO_AUTH_USER_WITH_OPERATOR: 'AUTH_CONF_NO_AUTH_USER_WITH_OPERATOR',
  // --- websocket listener (websocket.go validateWebsocketOptions)
  WS_USERNAME_WITH_USERS: 'AUTH_CONF_WS_USERNAME_WITH_USERS',
  WS_TOKEN_WITH_USERS: 'AUTH_CONF_WS_TOKEN_WITH_USERS',
  WS_JWT_COOKIE_WITHOUT_OPERATOR: 'AUTH_CONF_WS_JWT_COOKIE_WITHOUT_OPERATOR',
  // --- accounts (opts.go parseAccounts, accounts.go)
  RESERVED_ACCOUNT: 'AUTH_CONF_RESERVED_ACCOUNT',
  DUPLICATE_ACCOUNT: 'AUTH_CONF_DUPLICATE_ACCOUNT',
  BAD_ACCOUNT_NKEY: 'AUTH_CONF_BAD_ACCOUNT_NKEY',
  UNKNOWN_USER_ACCOUNT: 'AUTH_CONF_UNKNOWN_USER_ACCOUNT',
  EXPORT_ACCOUNT_NOT_DEFINED: 'AUTH_CONF_EXPORT_ACCOUNT_NOT_DEFINED',
  BAD_EXPORT: 'AUTH_CONF_BAD_EXPORT',
  IMPORT_ACCOUNT_NOT_DEFINED: 'AUTH_CONF_IMPORT_ACCOUNT_NOT_DEFINED',
  BAD_IMPORT: 'AUTH_CONF_BAD_IMPORT',
  SYSTEM_ACCOUNT_NOT_FOUND: 'AUTH_CONF_SYSTEM_ACCOUNT_NOT_FOUND',
  // --- operator mode (jwt.go validateTrustedOperators, opts.go)
  OPERATOR_JWT: 'AUTH_CONF_OPERATOR_JWT',
  OPERATOR_NEEDS_RESOLVER: 'AUTH_CONF_OPERATOR_NEEDS_RESOLVER',
  OPERATOR_WITH_ACCOUNTS: 'AUTH_CONF_OPERATOR_WITH_ACCOUNTS',
  OPERATOR_WITH_USERS: 'AUTH_CONF_OPERATOR_WITH_USERS',
  OPERATOR_AND_TRUSTED_KEYS: 'AUTH_CONF_OPERATOR_AND_TRUSTED_KEYS',
  SYSTEM_ACCOUNT_MISMATCH: 'AUTH_CONF_SYSTEM_ACCOUNT_MISMATCH',
  OPERATOR_VERSION: 'AUTH_CONF_OPERATOR_VERSION',
  BAD_TRUSTED_KEY: 'AUTH_CONF_BAD_TRUSTED_KEY',
  RESOLVER_UNSUPPORTED: 'AUTH_CONF_RESOLVER_UNSUPPORTED',
  PRELOAD_INVALID: 'AUTH_CONF_PRELOAD_INVALID',
  PRELOAD_WARNING: 'AUTH_CONF_PRELOAD_WARNING',
  ACCOUNT_JWT_IMPORT: 'AUTH_CONF_ACCOUNT_JWT_IMPORT',
  /** Options of an unexpected shape made the engine builder fail (a bug or a hand-made object). */
  INVALID_OPTIONS: 'AUTH_CONF_INVALID_OPTIONS',
} as const;
export type AuthProblemCode = (typeof AuthProblemCode)[keyof typeof AuthProblemCode];

/**
 * Where a problem is normally reported. `parse` problems are ones nats-server reports while
 * reading the config file (opts.go); a config loader that already reports them may skip
 * these when it built the options from a file. `validate` problems are found only when the
 * whole option set is known (server.go validateOptions, jwt.go, accounts.go).
 */
export type AuthProblemStage = 'parse' | 'validate';

export interface AuthProblem {
  code: AuthProblemCode;
  message: string;
  pos: SourcePos | null;
  stage: AuthProblemStage;
}

/** `file:line:col: message` when the position is known, else the message (nats-server style). */
export function formatAuthProblem(p: AuthProblem): string {
  return p.pos ? `${p.pos.file}:${p.pos.line}:${p.pos.col}: ${p.message}` : p.message;
}

/** Thrown by `AuthEngine.createOrThrow` with every problem found. */
export class AuthConfigError extends StarlingError {
  readonly problems: AuthProblem[];
  constructor(problems: AuthProblem[]) {
    super(problems[0]?.code ?? 'AUTH_CONF', problems.map(formatAuthProblem).join('\n'));
    this.name = 'AuthConfigError';
    this.problems = problems;
  }
}

/** The only text a client ever sees for an auth failure (client.go `authViolation`). */
export const ERR_AUTHORIZATION_VIOLATION = 'Authorization Violation';
/** `-ERR` texts for later expiry/revocation of an authenticated connection (client.go). */
export const ERR_USER_AUTH_EXPIRED = 'User Authentication Expired';
export const ERR_ACCOUNT_AUTH_EXPIRED = 'Account Authentication Expired';
export const ERR_USER_AUTH_REVOKED = 'User Authentication Revoked';
/** Closed-connection reasons (monitor.go) for the above. */
export const CLOSED_AUTH_FAILURE = 'Authentication Failure';
export const CLOSED_AUTH_EXPIRED = 'Authentication Expired';
export const CLOSED_CREDENTIALS_REVOKED = 'Credentials Revoked';
