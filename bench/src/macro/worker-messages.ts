/** Messages between the orchestrator and its load-generator processes (IPC, advanced serialization). */

import type { Transport } from './nats-conn.js';
import type { PubStreamSpec } from './pub-stream.js';
import type { DeliveryModeValue, VerifierReport } from './verifier.js';

export interface Endpoint {
  host: string;
  port: number;
  transport: Transport;
}

export interface PubRole {
  kind: 'pub';
  endpoint: Endpoint;
  stream: PubStreamSpec;
}

export interface SubRole {
  kind: 'sub';
  endpoint: Endpoint;
  subs: Array<{ subject: string; queue: string | null }>;
  mode: DeliveryModeValue;
  publishers: number;
  perPublisher: number;
  payloadSize: number;
  /** Harness self-test: silently drop the 2nd message (verification must report FAIL). */
  injectDrop: boolean;
}

export interface ResponderRole {
  kind: 'responder';
  endpoint: Endpoint;
  subject: string;
}

export interface RequesterRole {
  kind: 'requester';
  endpoint: Endpoint;
  subject: string;
  count: number;
  payloadSize: number;
}

export interface ConnsRole {
  kind: 'conns';
  endpoint: Endpoint;
  count: number;
  /** Handshakes in flight at once. */
  concurrency: number;
}

export type Role = PubRole | SubRole | ResponderRole | RequesterRole | ConnsRole;

/** Parent -> worker. */
export type ToWorker = { type: 'init'; role: Role } | { type: 'go' } | { type: 'status' } | { type: 'finish' };

/** CPU time (user + system) in microseconds over the measured window, and that window. */
export interface CpuSample {
  cpuMicros: number;
  wallMicros: number;
}

/** Worker -> parent. Times are process.hrtime in microseconds (CLOCK_MONOTONIC, shared by all processes). */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'error'; message: string }
  | { type: 'published'; t0: number; tEnd: number; cpu: CpuSample; sent: number }
  | { type: 'status'; total: number; tFirst: number; tLast: number; error: string | null }
  | { type: 'sub-report'; report: VerifierReport; tFirst: number; tLast: number; cpu: CpuSample; error: string | null }
  | {
      type: 'latencies';
      /** Round-trip times in microseconds, in request order. */
      micros: Float64Array;
      t0: number;
      tEnd: number;
      mismatches: number;
      cpu: CpuSample;
    }
  | {
      type: 'conns-open';
      t0: number;
      tEnd: number;
      opened: number;
      failed: number;
      firstError: string | null;
      cpu: CpuSample;
    }
  | { type: 'conns-report'; stillOpen: number; firstError: string | null }
  | { type: 'responder-report'; answered: number; cpu: CpuSample; error: string | null };
