/**
 * Counters the monitor keeps itself, fed by the server's `client:disconnect` event: traffic of
 * connections that are gone (so per-kind totals stay monotonic when connections close) and
 * closes by kind and reason (auth failures, slow consumers, …). Counting starts when
 * monitoring starts.
 */
import type { Connection } from '../connection.js';
import { ConnKind } from '../wire.js';

/** Label values for connection kinds (ConnKind keys, lower case). */
export const KIND_LABELS: readonly string[] = (() => {
  const out: string[] = [];
  for (const [name, value] of Object.entries(ConnKind)) out[value] = name.toLowerCase();
  return out;
})();

export function kindLabel(kind: number): string {
  return KIND_LABELS[kind] ?? 'unknown';
}

export class ClosedTally {
  /** Per kind: [in_msgs, in_bytes, out_msgs, out_bytes] of closed connections. */
  readonly traffic: Float64Array[];
  /** `kind\u0000reason` → count. */
  readonly closes = new Map<string, number>();

  constructor() {
    this.traffic = KIND_LABELS.map(() => new Float64Array(4));
  }

  onDisconnect(c: Connection, reason: string): void {
    const t = this.traffic[c.kind];
    if (t !== undefined) {
      t[0]! += c.inMsgs;
      t[1]! += c.inBytes;
      t[2]! += c.outMsgs;
      t[3]! += c.outBytes;
    }
    const key = `${c.kind}\u0000${reason}`;
    this.closes.set(key, (this.closes.get(key) ?? 0) + 1);
  }

  /** Closes with `reason` summed over kinds. */
  closesFor(reason: string): number {
    let n = 0;
    for (const [k, v] of this.closes) if (k.slice(k.indexOf('\u0000') + 1) === reason) n += v;
    return n;
  }
}

/** Close reasons that mean the credentials were refused or ran out. */
export const AUTH_REASONS: ReadonlySet<string> = new Set([
  'Authentication Failure',
  'Authentication Timeout',
  'Authentication Expired',
  'Credentials Revoked',
]);
