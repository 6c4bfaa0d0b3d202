import type { Connection } from './connection.js';

/** What /connz?state=closed needs to know about a connection after it is gone. */
export interface ClosedConnection {
  cid: number;
  kind: number;
  host: string;
  port: number;
  start: number;
  stop: number;
  reason: string;
  account: string;
  user: string | null;
  name: string | null;
  lang: string | null;
  version: string | null;
  inMsgs: number;
  inBytes: number;
  outMsgs: number;
  outBytes: number;
  subscriptions: string[];
  subsDetail: { subject: string; queue: string | null; sid: string; msgs: number; max: number }[];
  lastActivity: number;
  /** Round trip in ms (fractional), -1 when never measured. */
  rtt: number;
  pendingBytes: number;
  tlsVersion: string | null;
  tlsCipher: string | null;
  jwt: string | null;
}

/** The last `max_closed_clients` closed connections, oldest overwritten first. */
export class ClosedRing {
  private readonly items: (ClosedConnection | null)[];
  private next = 0;
  private count = 0;

  constructor(capacity: number) {
    this.items = new Array(Math.max(0, capacity)).fill(null);
  }

  push(c: Connection): void {
    if (this.items.length === 0) return;
    this.items[this.next] = {
      cid: c.cid,
      kind: c.kind,
      host: c.host,
      port: c.port,
      start: c.start,
      stop: c.stopTime || Date.now(),
      reason: c.closedReason ?? 'Client Closed',
      account: c.account.name,
      // nats-server keeps the CONNECT user even when authentication failed.
      user: c.user ?? c.opts.user,
      name: c.opts.name,
      lang: c.opts.lang,
      version: c.opts.version,
      inMsgs: c.inMsgs,
      inBytes: c.inBytes,
      outMsgs: c.outMsgs,
      outBytes: c.outBytes,
      subscriptions: [...c.subs.values()].map((sub) => sub.subject),
      subsDetail: [...c.subs.values()].map((sub) => ({
        subject: sub.subject,
        queue: sub.queue,
        sid: sub.sid,
        msgs: sub.delivered,
        max: sub.max,
      })),
      lastActivity: c.lastActivity,
      rtt: c.rtt,
      pendingBytes: c.out.length,
      tlsVersion: c.tlsVersion,
      tlsCipher: c.tlsCipher,
      jwt: c.opts.jwt,
    };
    this.next = (this.next + 1) % this.items.length;
    if (this.count < this.items.length) this.count++;
  }

  /** Oldest first. */
  list(): ClosedConnection[] {
    const out: ClosedConnection[] = [];
    const n = this.items.length;
    const start = this.count < n ? 0 : this.next;
    for (let i = 0; i < this.count; i++) {
      const item = this.items[(start + i) % n];
      if (item) out.push(item);
    }
    return out;
  }
}
