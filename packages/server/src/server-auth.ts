/**
 * The server's side of authentication: asks the shared auth engine who a connection is and
 * turns the answer into what the Connection applies (account, permissions, limits).
 */
import type { ServerOptions } from '@starling/conf';
import type { AuthOutcome, Connection } from './connection.js';
import type { Server } from './server.js';

export interface AuthDecision extends AuthOutcome {
  /** Debug/log reason when refused (never sent to the client). */
  reason: string;
}

export class ServerAuth {
  private readonly options: ServerOptions;

  constructor(options: ServerOptions) {
    this.options = options;
  }

  accountNames(): string[] {
    return this.options.accounts.map((a) => a.name);
  }

  authRequired(_kind: number): boolean {
    return false;
  }

  hasNoAuthUser(_kind: number): boolean {
    return false;
  }

  nonceRequired(_kind: number): boolean {
    return false;
  }

  authTimeoutMs(): number {
    const o = this.options;
    if (o.authorization?.timeout != null) return o.authorization.timeout;
    return o.tls !== null ? o.tls.timeout + 1000 : 2000;
  }

  authenticate(_conn: Connection, server: Server): AuthDecision {
    return {
      ok: true,
      reason: '',
      account: server.globalAccount,
      user: null,
      maxPayload: server.options.max_payload,
      maxSubscriptions: server.options.max_subscriptions,
      expiresAt: 0,
      permissions: null,
    };
  }
}
