import type { Account } from './account.js';
import type { Connection } from './connection.js';

/**
 * One client subscription. `subject` and `queue` are what the Sublist indexes; `sidBytes` is
 * the sid exactly as the client sent it, written into every MSG without re-encoding.
 */
export class Subscription {
  readonly conn: Connection;
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

  constructor(conn: Connection, account: Account, subject: string, queue: string | null, sid: string) {
    this.conn = conn;
    this.account = account;
    this.subject = subject;
    this.queue = queue;
    this.sid = sid;
    this.sidBytes = Buffer.from(sid, 'latin1');
    this.max = 0;
    this.delivered = 0;
    this.closed = false;
  }
}
