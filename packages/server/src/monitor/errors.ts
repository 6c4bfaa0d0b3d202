import { StarlingError } from '@starling/errors';

/** Monitoring error codes (documented in docs/monitoring.md; a test keeps them in sync). */
export const MONITOR_ERRORS = {
  /** The monitoring port could not be bound. Message: nats-server's `can't listen to the monitor port: …`. */
  MONITOR_LISTEN: 'ERR_MONITOR_LISTEN',
  /** `startMonitoring` was given options it cannot use (bad port, HTTPS without TLS). */
  MONITOR_OPTIONS: 'ERR_MONITOR_OPTIONS',
} as const;
export type MonitorErrorCode = (typeof MONITOR_ERRORS)[keyof typeof MONITOR_ERRORS];

export class MonitorError extends StarlingError {
  constructor(code: MonitorErrorCode, message: string, cause?: unknown) {
    super(code, message, { cause });
  }
}
