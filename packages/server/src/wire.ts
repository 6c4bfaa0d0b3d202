/**
 * The small interface every transport implements so one Connection core serves them all.
 * A listener creates a Connection with a Wire, then feeds it `onData`, `onDrain`, `onClose`.
 */
export interface Wire {
  /**
   * Hands `buf` to the transport. The Connection never touches `buf` again after this call.
   * Returns false when the transport is backed up (the Connection waits for `onDrain`).
   */
  write(buf: Buffer): boolean;
  /** Bytes accepted by `write` but not yet handed to the OS / peer. */
  bufferedAmount(): number;
  /** Flush what is queued, then close. */
  end(): void;
  /** Close now, dropping anything queued. */
  destroy(): void;
  /** Stop / resume delivering data (read-side backpressure). */
  pause(): void;
  resume(): void;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

/** Connection kinds, as nats-server names them for `allowed_connection_types`. */
export const ConnKind = {
  STANDARD: 0,
  WEBSOCKET: 1,
  LEAFNODE: 2,
  LEAFNODE_WS: 3,
  MQTT: 4,
  MQTT_WS: 5,
  IN_PROCESS: 6,
} as const;
export type ConnKindValue = (typeof ConnKind)[keyof typeof ConnKind];
