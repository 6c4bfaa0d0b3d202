/**
 * The Close frame the server sends when it closes a websocket connection: a status chosen by
 * the close reason and the reason text as body (websocket.md §7, RFC 6455 §7.4.1).
 */
import { ClosedReason, type ClosedReasonText } from '../../closed-reason.js';

export const WS_CLOSE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  TLS_HANDSHAKE: 1015,
} as const;

const BY_REASON = new Map<string, number>([
  [ClosedReason.CLIENT_CLOSED, WS_CLOSE.NORMAL],
  [ClosedReason.AUTH_TIMEOUT, WS_CLOSE.POLICY_VIOLATION],
  [ClosedReason.AUTH_FAILURE, WS_CLOSE.POLICY_VIOLATION],
  [ClosedReason.AUTH_EXPIRED, WS_CLOSE.POLICY_VIOLATION],
  [ClosedReason.CREDENTIALS_REVOKED, WS_CLOSE.POLICY_VIOLATION],
  [ClosedReason.SLOW_CONSUMER_PENDING, WS_CLOSE.POLICY_VIOLATION],
  [ClosedReason.SLOW_CONSUMER_DEADLINE, WS_CLOSE.POLICY_VIOLATION],
  [ClosedReason.MAX_CONNECTIONS, WS_CLOSE.POLICY_VIOLATION],
  [ClosedReason.MAX_ACCOUNT_CONNECTIONS, WS_CLOSE.POLICY_VIOLATION],
  [ClosedReason.MAX_SUBSCRIPTIONS, WS_CLOSE.POLICY_VIOLATION],
  [ClosedReason.MAX_CONTROL_LINE, WS_CLOSE.POLICY_VIOLATION],
  [ClosedReason.MISSING_ACCOUNT, WS_CLOSE.POLICY_VIOLATION],
  [ClosedReason.TLS_HANDSHAKE_ERROR, WS_CLOSE.TLS_HANDSHAKE],
  [ClosedReason.PARSE_ERROR, WS_CLOSE.PROTOCOL_ERROR],
  [ClosedReason.PROTOCOL_VIOLATION, WS_CLOSE.PROTOCOL_ERROR],
  [ClosedReason.BAD_CLIENT_PROTOCOL, WS_CLOSE.PROTOCOL_ERROR],
  [ClosedReason.MAX_PAYLOAD, WS_CLOSE.MESSAGE_TOO_BIG],
  [ClosedReason.WRITE_ERROR, WS_CLOSE.GOING_AWAY],
  [ClosedReason.READ_ERROR, WS_CLOSE.GOING_AWAY],
  [ClosedReason.STALE_CONNECTION, WS_CLOSE.GOING_AWAY],
  [ClosedReason.SERVER_SHUTDOWN, WS_CLOSE.GOING_AWAY],
]);

export function closeStatusFor(reason: ClosedReasonText | null): number {
  if (reason === null) return WS_CLOSE.NORMAL;
  return BY_REASON.get(reason) ?? WS_CLOSE.INTERNAL_ERROR;
}

/** The Close body: the reason text, cut to 120 bytes plus `...` when longer than 123 bytes. */
export function closeBodyFor(reason: string): string {
  const bytes = Buffer.byteLength(reason);
  if (bytes <= 123) return reason;
  return `${Buffer.from(reason).subarray(0, 120).toString('utf8')}...`;
}
