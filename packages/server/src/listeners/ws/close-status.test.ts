import { describe, expect, it } from 'vitest';
import { ClosedReason } from '../../closed-reason.js';
import { closeBodyFor, closeStatusFor } from './close-status.js';

describe('close frame for a close reason (websocket.md §7)', () => {
  it.each([
    [ClosedReason.CLIENT_CLOSED, 1000],
    [ClosedReason.AUTH_FAILURE, 1008],
    [ClosedReason.AUTH_TIMEOUT, 1008],
    [ClosedReason.SLOW_CONSUMER_PENDING, 1008],
    [ClosedReason.MAX_CONTROL_LINE, 1008],
    [ClosedReason.MAX_SUBSCRIPTIONS, 1008],
    [ClosedReason.PROTOCOL_VIOLATION, 1002],
    [ClosedReason.PARSE_ERROR, 1002],
    [ClosedReason.BAD_CLIENT_PROTOCOL, 1002],
    [ClosedReason.MAX_PAYLOAD, 1009],
    [ClosedReason.STALE_CONNECTION, 1001],
    [ClosedReason.SERVER_SHUTDOWN, 1001],
    [ClosedReason.NO_RESPONDERS_NO_HEADERS, 1011],
  ])('%s → %i', (reason, status) => {
    expect(closeStatusFor(reason)).toBe(status);
  });

  it('cuts bodies longer than 123 bytes to 120 plus "..."', () => {
    expect(closeBodyFor('Authentication Failure')).toBe('Authentication Failure');
    expect(closeBodyFor('x'.repeat(123))).toBe('x'.repeat(123));
    const long = closeBodyFor('y'.repeat(124));
    expect(long).toBe(`${'y'.repeat(120)}...`);
    expect(Buffer.byteLength(long)).toBe(123);
  });
});
