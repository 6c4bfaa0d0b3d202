/**
 * The Wire for one uWebSockets.js websocket. The socket's uWS user data holds it, so the
 * listener's handlers reach it with one `getUserData()`.
 *
 * - `write` sends one binary frame per flush (the Connection flushes once per inbound read),
 *   compressed when permessage-deflate was negotiated and the batch is over 64 bytes, as
 *   nats-server does. uWS copies the bytes before `send` returns.
 * - `bufferedAmount` is uWS's per-socket backpressure, so the Connection's max_pending and
 *   write-deadline logic applies as for TCP. A send uWS drops at its backpressure cap means
 *   lost data: the connection is closed as a slow consumer.
 * - `end` sends the Close frame nats-server sends for the close reason; `destroy` drops the
 *   TCP connection at once.
 */
import type { WebSocket } from 'uWebSockets.js';
import type { Connection } from '../../connection.js';
import type { ListenerCredentials } from '../../server-auth.js';
import type { Wire } from '../../wire.js';
import { closeBodyFor, closeStatusFor, WS_CLOSE } from './close-status.js';
import type { ConnectGate } from './connect-gate.js';
import type { WsRouteValue } from './validate.js';

/** Called by the wire when uWS dropped a send at the backpressure cap. */
export interface DropHandler {
  onDroppedSend(wire: UwsWire): void;
}

const COMPRESS_THRESHOLD = 64;

export class UwsWire implements Wire {
  ws: WebSocket<unknown> | null;
  /** The NATS client core this socket feeds (leafnode / MQTT routes will add their own). */
  conn: Connection | null;
  /** Client IP: the TCP peer, or the forwarded address when the peer is a trusted proxy. */
  readonly remoteAddress: string;
  /** uWebSockets.js v20.30 does not expose the peer port. */
  readonly remotePort: number;
  /** The TCP peer (the proxy when there is one). */
  readonly peerIp: string;
  readonly route: WsRouteValue;
  /** Credentials from cookies / headers, or null when the request carried none. */
  readonly creds: ListenerCredentials | null;
  /** The upgrade was checked by handshake auth: the first CONNECT must match `creds`. */
  readonly handshakeAuthenticated: boolean;
  gate: ConnectGate | null;
  readonly compress: boolean;
  closed: boolean;
  private readonly drops: DropHandler;

  constructor(
    drops: DropHandler,
    route: WsRouteValue,
    remoteAddress: string,
    peerIp: string,
    creds: ListenerCredentials | null,
    handshakeAuthenticated: boolean,
    compress: boolean,
  ) {
    this.ws = null;
    this.conn = null;
    this.remoteAddress = remoteAddress;
    this.remotePort = 0;
    this.peerIp = peerIp;
    this.route = route;
    this.creds = creds;
    this.handshakeAuthenticated = handshakeAuthenticated;
    this.gate = null;
    this.compress = compress;
    this.closed = false;
    this.drops = drops;
  }

  /** `ip`, or `client-ip/proxy-ip` behind a trusted proxy (nats-server's X-Forwarded-For label). */
  get label(): string {
    return this.remoteAddress === this.peerIp ? this.peerIp : `${this.remoteAddress}/${this.peerIp}`;
  }

  write(buf: Buffer): boolean {
    const ws = this.ws;
    if (ws === null) return false;
    const status = ws.send(buf, true, this.compress && buf.length > COMPRESS_THRESHOLD);
    if (status === 1) return true;
    if (status === 2) this.drops.onDroppedSend(this);
    return false;
  }

  bufferedAmount(): number {
    const ws = this.ws;
    return ws === null ? 0 : ws.getBufferedAmount();
  }

  end(): void {
    const ws = this.ws;
    if (ws === null) return;
    const conn = this.conn;
    if (conn === null) {
      // Refused inside acceptConnection (max connections), before the listener attached it.
      ws.end(WS_CLOSE.POLICY_VIOLATION, closeBodyFor('Maximum Connections Exceeded'));
      return;
    }
    const reason = conn.closedReason;
    ws.end(closeStatusFor(reason), closeBodyFor(reason ?? ''));
  }

  destroy(): void {
    const ws = this.ws;
    if (ws === null) return;
    ws.close();
  }

  pause(): void {
    // uWebSockets.js v20.30 cannot pause reading a websocket; inbound is bounded by maxPayloadLength.
  }

  resume(): void {}
}
