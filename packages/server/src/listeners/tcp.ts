/**
 * The STANDARD listener: plain TCP (TLS is layered on in tls-upgrade.ts). A thin adapter: it
 * turns each socket into a Wire and feeds the one Connection core.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { ClosedReason } from '../closed-reason.js';
import { type Connection, ConnState } from '../connection.js';
import type { Server } from '../server.js';
import { WheelTimer } from '../timer-wheel.js';
import { ConnKind, type Wire } from '../wire.js';
import { type ServerTls, upgradeToTls } from './tls.js';

export class SocketWire implements Wire {
  socket: Socket;
  readonly remoteAddress: string;
  readonly remotePort: number;

  constructor(socket: Socket) {
    this.socket = socket;
    this.remoteAddress = stripV4Mapped(socket.remoteAddress ?? '');
    this.remotePort = socket.remotePort ?? 0;
  }

  write(buf: Buffer): boolean {
    return this.socket.write(buf);
  }
  bufferedAmount(): number {
    return this.socket.writableLength;
  }
  end(): void {
    // Flush, then close both directions (nats-server closes; it does not half-close).
    const s = this.socket;
    s.end(() => s.destroy());
  }
  destroy(): void {
    this.socket.destroy();
  }
  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }
}

/** Routes a stream's data and drain events to a connection (one set of handlers per connection). */
export function bindData(socket: Socket, conn: Connection): void {
  socket.on('data', (chunk: Buffer) => conn.onData(chunk));
  socket.on('drain', () => conn.onDrain());
}

/** The raw socket's end is the connection's end, whatever is layered on top. */
export function bindClose(socket: Socket, conn: Connection): void {
  socket.on('error', () => {
    // 'close' follows with hadError; nothing else to do here.
  });
  socket.on('close', (hadError: boolean) => conn.onClose(hadError ? new Error('socket error') : undefined));
}

export class TcpListener {
  private readonly server: Server;
  private net: NetServer | null = null;
  private tls: ServerTls | null;
  private allowNonTls: boolean;
  port = 0;

  constructor(server: Server, tls: ServerTls | null) {
    this.server = server;
    this.tls = tls;
    this.allowNonTls = server.options.allow_non_tls;
  }

  /** Reload: new certificates apply to new connections. */
  setTls(tls: ServerTls | null, allowNonTls: boolean): void {
    this.tls = tls;
    this.allowNonTls = allowNonTls;
  }

  listen(host: string, port: number): Promise<number> {
    const net = createServer({ noDelay: true, pauseOnConnect: false }, (socket) => this.onSocket(socket));
    this.net = net;
    return new Promise((resolve, reject) => {
      net.once('error', reject);
      net.listen({ host: host === '' ? '0.0.0.0' : host, port: Math.max(port, 0) }, () => {
        net.off('error', reject);
        net.on('error', (err) => this.server.emit('error', err));
        const addr = net.address();
        this.port = typeof addr === 'object' && addr !== null ? addr.port : port;
        resolve(this.port);
      });
    });
  }

  close(): Promise<void> {
    const net = this.net;
    this.net = null;
    if (net === null) return Promise.resolve();
    return new Promise((resolve) => net.close(() => resolve()));
  }

  private onSocket(socket: Socket): void {
    socket.setNoDelay(true);
    const wire = new SocketWire(socket);
    const conn = this.server.acceptConnection(wire, ConnKind.STANDARD);
    bindClose(socket, conn);
    if (conn.state !== ConnState.AWAIT_CONNECT) return; // refused (max connections): already closing
    const tls = this.tls;
    if (tls === null) {
      bindData(socket, conn);
      conn.greet();
      return;
    }
    const secured = (s: TLSSocket): void => {
      wire.socket = s;
      bindData(s, conn);
    };
    if (tls.handshakeFirst === true) {
      // TLS before anything else; INFO goes out encrypted.
      upgradeToTls(socket, conn, tls, (s) => {
        secured(s);
        conn.greet();
      });
      return;
    }
    if (this.allowNonTls || typeof tls.handshakeFirst === 'number') {
      this.sniff(socket, conn, tls, secured);
      return;
    }
    conn.sendInitialInfo();
    upgradeToTls(socket, conn, tls, (s) => {
      secured(s);
      conn.armStartTimers();
    });
  }

  /**
   * allow_non_tls / handshake_first with a fallback delay: a first byte 0x16 is a TLS
   * ClientHello; anything else (or, with a delay, silence) means plaintext.
   */
  private sniff(socket: Socket, conn: Connection, tls: ServerTls, secured: (s: TLSSocket) => void): void {
    const delay = typeof tls.handshakeFirst === 'number' ? tls.handshakeFirst : -1;
    let infoSent = false;
    if (delay < 0) {
      conn.sendInitialInfo();
      infoSent = true;
    }
    const timer = new WheelTimer(
      {
        onTimer: () => {
          if (infoSent || conn.state !== ConnState.AWAIT_CONNECT) return;
          // No ClientHello within the fallback delay: plaintext INFO, then the usual upgrade.
          infoSent = true;
          socket.off('data', onFirst);
          conn.sendInitialInfo();
          upgradeToTls(socket, conn, tls, (s) => {
            secured(s);
            conn.armStartTimers();
          });
        },
      },
      0,
    );
    if (delay >= 0) this.server.wheel.schedule(timer, delay);
    const onFirst = (chunk: Buffer): void => {
      socket.off('data', onFirst);
      this.server.wheel.cancel(timer);
      socket.pause();
      socket.unshift(chunk);
      if (chunk[0] === 0x16) {
        // The ClientHello was already read into JS: hand TLS a stream view of the socket (which
        // replays the unshifted bytes) rather than the raw handle (which would skip them).
        const stream = Duplex.from({ readable: socket, writable: socket }) as unknown as Socket;
        upgradeToTls(stream, conn, tls, (s) => {
          secured(s);
          if (infoSent) conn.armStartTimers();
          else conn.greet();
        });
      } else if (this.allowNonTls) {
        bindData(socket, conn);
        if (!infoSent) conn.sendInitialInfo();
        conn.armStartTimers();
      } else {
        conn.closeNow(ClosedReason.TLS_HANDSHAKE_ERROR);
        return;
      }
      socket.resume();
    };
    socket.on('data', onFirst);
  }
}

function stripV4Mapped(addr: string): string {
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}
