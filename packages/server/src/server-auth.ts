/**
 * The server's side of authentication: builds the shared auth engine from the options, asks it
 * who a connection is, and turns the principal into what the Connection applies (account,
 * permissions, limits, expiry). Every listener goes through here, so one engine serves them all.
 */
import { randomBytes } from 'node:crypto';
import {
  type AuthContext,
  AuthEngine,
  type AuthResult,
  type ClientPermissions,
  type ListenerAuth,
  type Principal,
} from '@starling/auth';
import type { ServerOptions } from '@starling/conf';
import { StarlingError } from '@starling/errors';
import type { Account } from './account.js';
import { BcryptWorker } from './bcrypt-worker.js';
import type { Connection } from './connection.js';
import type { Server } from './server.js';

/** What authentication decided, as the Connection applies it. */
export interface AuthOutcome {
  ok: boolean;
  /** Error-level log line on failure (never sent to the client, never contains secrets). */
  log: string;
  /** Debug-level reason on failure. */
  reason: string;
  /** The auth engine's failure code (`AUTH_UNKNOWN_USER`…), '' on success: a bounded label set for /metrics. */
  code: string;
  account: Account | null;
  user: string | null;
  /** Label nats-server uses in violation logs: `User "bob"`, `Nkey "U…"`. */
  label: string;
  /** Effective limits: -1 = unlimited. */
  maxPayload: number;
  maxSubscriptions: number;
  /** ms epoch when the credentials expire (JWT), or 0. */
  expiresAt: number;
  /** The account's connection limit (-1 = unlimited). */
  accountMaxConnections: number;
  permissions: ClientPermissions | null;
  principal: Principal | null;
}

/**
 * Credentials a listener collected outside the CONNECT line (websocket `jwt_cookie`,
 * `user_cookie`, `pass_cookie`, `token_cookie`, or Starling's upgrade-header credentials).
 * Each applies only when the CONNECT left that field empty.
 */
export interface ListenerCredentials {
  jwt: string | null;
  user: string | null;
  pass: string | null;
  token: string | null;
}

export class AuthSetupError extends StarlingError {
  constructor(message: string, cause?: unknown) {
    super('ERR_AUTH_SETUP', message, { cause });
  }
}

const REFUSED: Omit<AuthOutcome, 'log' | 'reason' | 'code'> = {
  ok: false,
  account: null,
  user: null,
  label: '',
  maxPayload: 0,
  maxSubscriptions: 0,
  expiresAt: 0,
  accountMaxConnections: -1,
  permissions: null,
  principal: null,
};

export class ServerAuth {
  readonly engine: AuthEngine;
  /** Uncached bcrypt checks run here, off the event loop (owned by the server, shared across reloads). */
  readonly bcrypt: BcryptWorker;
  readonly warnings: string[];

  constructor(options: ServerOptions, bcrypt: BcryptWorker = new BcryptWorker()) {
    const built = AuthEngine.create(options);
    if (built.engine === null) {
      throw new AuthSetupError(built.errors.map((e) => e.message).join('\n'));
    }
    this.engine = built.engine;
    this.bcrypt = bcrypt;
    this.warnings = built.warnings.map((w) => w.message);
  }

  /** Every account the configuration defines (created up front so subjects can be imported). */
  accountNames(): string[] {
    return [...this.engine.accounts.accounts.keys()];
  }

  get systemAccountName(): string | null {
    return this.engine.accounts.systemAccount;
  }

  private listener(kind: number): ListenerAuth {
    return this.engine.listenerFor(kind);
  }

  /** Must the first op be CONNECT, and are credentials checked? */
  authRequired(kind: number): boolean {
    return this.engine.authRequired(this.listener(kind));
  }

  /** INFO `auth_required`: omitted on the client port when a no_auth_user is set. */
  infoAuthRequired(kind: number): boolean {
    return this.engine.infoAuthRequired(this.listener(kind));
  }

  /** A no_auth_user lets any op come first; the client is bound to that user on the spot. */
  hasNoAuthUser(kind: number): boolean {
    const l = this.listener(kind);
    return (l.noAuthUser ?? '') !== '';
  }

  nonce(kind: number): string | null {
    return this.engine.nonceRequired(this.listener(kind)) ? this.engine.newNonce(randomBytes(11)) : null;
  }

  authTimeoutMs(kind: number): number {
    return this.engine.authTimeoutMs(this.listener(kind));
  }

  /** First op before CONNECT with a no_auth_user configured. */
  authenticatePreConnect(server: Server): AuthOutcome {
    const p = this.engine.preConnectPrincipal();
    if (p === null)
      return { ...REFUSED, log: 'authentication error - no_auth_user unknown', reason: '', code: 'AUTH_UNKNOWN_USER' };
    return this.fromPrincipal(p, server);
  }

  authenticate(conn: Connection, server: Server): AuthOutcome {
    const res = this.engine.authenticate(this.context(conn));
    if (!res.ok) return { ...REFUSED, log: res.failure.log, reason: res.failure.reason, code: res.failure.code };
    return this.fromPrincipal(res.principal, server);
  }

  /** As authenticate; a promise only when an uncached bcrypt check has to run. */
  authenticateDeferred(conn: Connection, server: Server): AuthOutcome | Promise<AuthOutcome> {
    const r = this.engine.authenticateDeferred(this.context(conn), this.bcrypt.compare.bind(this.bcrypt));
    const map = (res: AuthResult): AuthOutcome =>
      res.ok
        ? this.fromPrincipal(res.principal, server)
        : { ...REFUSED, log: res.failure.log, reason: res.failure.reason, code: res.failure.code };
    return r instanceof Promise ? r.then(map) : map(r);
  }

  private context(conn: Connection): AuthContext {
    const o = conn.opts;
    const ctx: AuthContext = {
      kind: conn.kind,
      connect: {
        user: o.user,
        pass: o.pass,
        auth_token: o.auth_token,
        nkey: o.nkey,
        sig: o.sig,
        jwt: o.jwt,
        account: o.account ? true : undefined,
        new_account: o.new_account ? true : undefined,
      },
      nonce: conn.nonce,
      tlsPeer: conn.tlsPeer !== null && conn.tlsPeer.raw !== undefined ? { certificate: conn.tlsPeer.raw } : null,
      remoteAddress: conn.host,
      cookies: conn.listenerCredentials,
      now: Date.now(),
    };
    return ctx;
  }

  private fromPrincipal(p: Principal, server: Server): AuthOutcome {
    const account = server.accountByName(p.account);
    return {
      ok: true,
      log: '',
      reason: '',
      code: '',
      account,
      user: p.user ?? p.nkey,
      label: p.logLabel,
      maxPayload: p.limits.maxPayload,
      maxSubscriptions: p.limits.maxSubscriptions,
      expiresAt: p.expiresAt ?? 0,
      accountMaxConnections: p.accountInfo.limits.maxConnections,
      permissions: p.permissions,
      principal: p,
    };
  }
}
