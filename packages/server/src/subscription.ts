import type { Account } from './account.js';
import type { Connection } from './connection.js';

/** What a subscription is: a client's, or one the server keeps to bridge accounts. */
export const SubKind = {
  CLIENT: 0,
  /** In the exporting account: copies matching messages into an importing account. */
  STREAM_IMPORT: 1,
  /** In the importing account: forwards requests into the exporting account. */
  SERVICE_IMPORT: 2,
  /** In the exporting account, on a `_R_.` reply: carries a response back to the requester. */
  SERVICE_RESPONSE: 3,
} as const;
export type SubKindValue = (typeof SubKind)[keyof typeof SubKind];

/**
 * One subscription. `subject` and `queue` are what the Sublist indexes; `sidBytes` is the sid
 * exactly as the client sent it, written into every MSG without re-encoding. Internal
 * (import) subscriptions have no connection and carry their route in `link`.
 */
export class Subscription {
  readonly kind: SubKindValue;
  readonly conn: Connection | null;
  readonly account: Account;
  readonly subject: string;
  readonly queue: string | null;
  readonly sid: string;
  readonly sidBytes: Buffer;
  /** Auto-unsubscribe after this many deliveries in total; 0 = never. */
  max: number;
  /** Messages delivered so far (counts those before an UNSUB with max, as nats-server does). */
  delivered: number;
  closed: boolean;
  /** For internal subscriptions: where and how to route (see imports.ts). */
  link: unknown;

  constructor(
    conn: Connection | null,
    account: Account,
    subject: string,
    queue: string | null,
    sid: string,
    kind: SubKindValue = SubKind.CLIENT,
    link: unknown = null,
  ) {
    this.kind = kind;
    this.conn = conn;
    this.account = account;
    this.subject = subject;
    this.queue = queue;
    this.sid = sid;
    this.sidBytes = Buffer.from(sid, 'latin1');
    this.max = 0;
    this.delivered = 0;
    this.closed = false;
    this.link = link;
  }
}
