/**
 * Counters of the websocket listener, kept on the listener (`server.ws.stats`) for monitoring.
 * Plain fields, incremented where things happen.
 */
export class WebsocketStats {
  /** Upgrade requests answered with 101. */
  upgrades = 0;
  /**
   * Refused upgrade requests by HTTP status (400, 401, 403, 404, 405, …). The shape the
   * monitor's `starling_websocket_handshake_rejections_total{status}` family reads.
   */
  readonly rejected = new Map<number, number>();
  /** Handshake-auth upgrades cut by `handshake_timeout` before an answer (connection closed). */
  handshakeTimeouts = 0;
  /** Connections closed by uWebSockets.js for a bad frame (bad opcode or bits, too big, bad UTF-8 text). */
  frameErrors = 0;
  /** Messages uWebSockets.js dropped at the backpressure cap (the connection is then closed). */
  droppedSends = 0;

  noteRejected(status: number): void {
    this.rejected.set(status, (this.rejected.get(status) ?? 0) + 1);
  }

  get rejectedTotal(): number {
    let n = 0;
    for (const v of this.rejected.values()) n += v;
    return n;
  }

  toJSON(): Record<string, unknown> {
    return {
      upgrades: this.upgrades,
      rejected: Object.fromEntries(this.rejected),
      rejected_total: this.rejectedTotal,
      handshake_timeouts: this.handshakeTimeouts,
      frame_errors: this.frameErrors,
      dropped_sends: this.droppedSends,
    };
  }
}
