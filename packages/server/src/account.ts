import { Sublist } from '@starling/sublist';
import type { Connection } from './connection.js';
import type { Subscription } from './subscription.js';

/** Names nats-server reserves. */
export const GLOBAL_ACCOUNT = '$G';
export const SYSTEM_ACCOUNT = '$SYS';

/**
 * The unit of isolation: every connection is bound to one account, and subjects only meet
 * inside an account (exports/imports are the only bridges).
 */
export class Account {
  readonly name: string;
  readonly sublist: Sublist<Subscription>;
  readonly clients = new Set<Connection>();
  /** Limits from the account config or JWT: -1 = unlimited, 0 = none allowed (literal, as nats-server). */
  maxConnections: number;
  maxSubscriptions: number;
  maxPayload: number;
  inMsgs = 0;
  inBytes = 0;
  outMsgs = 0;
  outBytes = 0;
  slowConsumers = 0;

  constructor(name: string, opts: { cache: boolean }) {
    this.name = name;
    this.sublist = new Sublist<Subscription>({ cache: opts.cache });
    this.maxConnections = -1;
    this.maxSubscriptions = -1;
    this.maxPayload = -1;
  }

  get numConnections(): number {
    return this.clients.size;
  }
}
