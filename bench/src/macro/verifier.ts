/**
 * Correctness checks for delivered messages. A fast wrong answer is a failure, not a result:
 * every subscriber feeds each payload to a SeqVerifier, and the orchestrator merges the reports
 * with `verifyDeliveries`. Pure: no I/O, so the checks themselves are unit-tested.
 */
import { fillerByte, PAYLOAD_HEADER } from './payload.js';

/** How a subscriber expects to receive a publisher's stream. */
export const DeliveryMode = {
  /** Every message of every publisher, in order, exactly once (plain subscriptions). */
  ALL: 0,
  /** A share of the messages (queue group member): increasing order, no duplicate. */
  SHARE: 1,
} as const;
export type DeliveryModeValue = (typeof DeliveryMode)[keyof typeof DeliveryMode];

/** What one subscriber saw; plain data so it crosses the IPC channel. */
export interface VerifierReport {
  mode: DeliveryModeValue;
  /** Messages received per publisher id. */
  counts: number[];
  total: number;
  /** Out-of-order, repeated or skipped sequence numbers (ALL: anything but last+1). */
  orderErrors: number;
  /** Wrong size, wrong filler bytes, or an unknown publisher id. */
  badPayloads: number;
  /** The first few problems, human readable. */
  samples: string[];
  /** SHARE mode: one bit per sequence number per publisher, for the exactly-once merge. */
  seen: Uint8Array[] | null;
}

const MAX_SAMPLES = 5;
const FIRST_FILLER = fillerByte(PAYLOAD_HEADER);

export class SeqVerifier {
  readonly mode: DeliveryModeValue;
  readonly payloadSize: number;
  /** Sequence numbers each publisher sends (0 .. perPublisher-1). */
  readonly perPublisher: number;
  private readonly publishers: number;
  private readonly lastFiller: number;
  private readonly last: Float64Array;
  private readonly counts: Float64Array;
  private readonly seen: Uint8Array[] | null;
  total: number;
  orderErrors: number;
  badPayloads: number;
  private readonly samples: string[];

  constructor(mode: DeliveryModeValue, publishers: number, perPublisher: number, payloadSize: number) {
    this.mode = mode;
    this.payloadSize = payloadSize;
    this.perPublisher = perPublisher;
    this.publishers = publishers;
    this.lastFiller = fillerByte(payloadSize - 1);
    this.last = new Float64Array(publishers).fill(-1);
    this.counts = new Float64Array(publishers);
    this.seen = null;
    if (mode === DeliveryMode.SHARE) {
      const seen: Uint8Array[] = [];
      for (let i = 0; i < publishers; i++) seen.push(new Uint8Array((perPublisher + 7) >> 3));
      this.seen = seen;
    }
    this.total = 0;
    this.orderErrors = 0;
    this.badPayloads = 0;
    this.samples = [];
  }

  /**
   * Checks one delivered payload, bytes [start, end) of `p`. Never throws; problems are counted.
   * This runs once per message in the load generator, so it takes offsets (no view allocated),
   * reads bytes directly and keeps the common path to a few integer compares.
   */
  accept(p: Buffer, start: number, end: number): void {
    this.total++;
    const size = end - start;
    if (size !== this.payloadSize || p[start + PAYLOAD_HEADER] !== FIRST_FILLER || p[end - 1] !== this.lastFiller) {
      this.bad(
        size !== this.payloadSize
          ? `payload of ${size} bytes, expected ${this.payloadSize}`
          : 'payload filler bytes corrupted',
      );
      return;
    }
    const pub = (p[start]! | (p[start + 1]! << 8) | (p[start + 2]! << 16) | (p[start + 3]! << 24)) >>> 0;
    const seq = (p[start + 4]! | (p[start + 5]! << 8) | (p[start + 6]! << 16) | (p[start + 7]! << 24)) >>> 0;
    if (pub >= this.publishers || seq >= this.perPublisher) {
      this.bad(`unknown publisher ${pub} or sequence ${seq} out of range`);
      return;
    }
    this.counts[pub]!++;
    const last = this.last[pub]!;
    if (this.mode === DeliveryMode.ALL) {
      if (seq !== last + 1) this.order(`publisher ${pub}: got seq ${seq} after ${last}`);
    } else {
      if (seq <= last) this.order(`publisher ${pub}: got seq ${seq} after ${last}`);
      const seen = this.seen![pub]!;
      const byte = seq >> 3;
      const bit = 1 << (seq & 7);
      if ((seen[byte]! & bit) !== 0) this.order(`publisher ${pub}: seq ${seq} delivered twice`);
      seen[byte] = seen[byte]! | bit;
    }
    if (seq > last) this.last[pub] = seq;
  }

  /** Convenience for tests: checks a whole payload buffer. */
  acceptPayload(payload: Buffer): void {
    this.accept(payload, 0, payload.length);
  }

  report(): VerifierReport {
    return {
      mode: this.mode,
      counts: Array.from(this.counts),
      total: this.total,
      orderErrors: this.orderErrors,
      badPayloads: this.badPayloads,
      samples: [...this.samples],
      seen: this.seen,
    };
  }

  private bad(what: string): void {
    this.badPayloads++;
    if (this.samples.length < MAX_SAMPLES) this.samples.push(what);
  }

  private order(what: string): void {
    this.orderErrors++;
    if (this.samples.length < MAX_SAMPLES) this.samples.push(what);
  }
}

/** One subscriber's (or queue group's) expectation. */
export interface DeliveryExpectation {
  /** Label used in failure messages, e.g. "sub 2" or "queue q". */
  label: string;
  /** Reports of the subscriber (ALL: exactly one) or of every queue group member (SHARE). */
  reports: VerifierReport[];
  /** Messages each publisher sent. */
  perPublisher: number;
  publishers: number;
}

/** Merges subscriber reports; returns the failures (empty = the run was correct). */
export function verifyDeliveries(expectations: readonly DeliveryExpectation[]): string[] {
  const failures: string[] = [];
  for (const exp of expectations) {
    for (const [i, r] of exp.reports.entries()) {
      const who = exp.reports.length > 1 ? `${exp.label} member ${i}` : exp.label;
      if (r.orderErrors > 0) failures.push(`${who}: ${r.orderErrors} order/duplicate errors (${r.samples.join('; ')})`);
      if (r.badPayloads > 0) failures.push(`${who}: ${r.badPayloads} bad payloads (${r.samples.join('; ')})`);
    }
    for (let pub = 0; pub < exp.publishers; pub++) {
      let got = 0;
      for (const r of exp.reports) got += r.counts[pub] ?? 0;
      if (got !== exp.perPublisher) {
        failures.push(`${exp.label}: publisher ${pub} delivered ${got} of ${exp.perPublisher}`);
      }
    }
    const shares = exp.reports.filter((r) => r.mode === DeliveryMode.SHARE);
    if (shares.length > 0) failures.push(...verifyExactlyOnce(exp, shares));
  }
  return failures;
}

/** Queue groups: the members' sequence sets must be disjoint and cover every message. */
function verifyExactlyOnce(exp: DeliveryExpectation, shares: readonly VerifierReport[]): string[] {
  const failures: string[] = [];
  for (let pub = 0; pub < exp.publishers; pub++) {
    const union = new Uint8Array((exp.perPublisher + 7) >> 3);
    let duplicates = 0;
    for (const r of shares) {
      const seen = r.seen?.[pub];
      if (!seen) {
        failures.push(`${exp.label}: a member sent no sequence set for publisher ${pub}`);
        continue;
      }
      for (let i = 0; i < union.length; i++) {
        const overlap = union[i]! & seen[i]!;
        if (overlap !== 0) duplicates += popcount8(overlap);
        union[i] = union[i]! | seen[i]!;
      }
    }
    let covered = 0;
    for (let i = 0; i < union.length; i++) covered += popcount8(union[i]!);
    if (duplicates > 0)
      failures.push(`${exp.label}: publisher ${pub}: ${duplicates} messages went to more than one member`);
    if (covered !== exp.perPublisher) {
      failures.push(`${exp.label}: publisher ${pub}: ${exp.perPublisher - covered} messages reached no member`);
    }
  }
  return failures;
}

function popcount8(v: number): number {
  v = v - ((v >> 1) & 0x55);
  v = (v & 0x33) + ((v >> 2) & 0x33);
  return (v + (v >> 4)) & 0x0f;
}
