/**
 * A connection with no socket: the client's end is a Duplex stream in the same process.
 * Useful for tests and embedders (hand the stream to a client's custom transport).
 */
import { Duplex } from 'node:stream';
import type { Connection } from '../connection.js';
import type { Wire } from '../wire.js';

/** The client's end: what it writes goes to the server, what the server writes can be read. */
export class InProcessStream extends Duplex {
  conn: Connection | null = null;

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.conn?.onData(chunk);
    cb();
  }

  override _read(): void {
    // The server pushes as it writes; the client reading is all backpressure needs.
  }

  override _final(cb: (err?: Error | null) => void): void {
    // The client ended its side: the connection is over.
    this.conn?.onClose();
    this.push(null);
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.conn?.onClose(err ?? undefined);
    cb(err);
  }
}

/** The server's end of an in-process connection. */
export class InProcessWire implements Wire {
  readonly remoteAddress = 'in-process';
  readonly remotePort = 0;
  readonly stream = new InProcessStream();
  private closed = false;

  attach(conn: Connection): void {
    this.stream.conn = conn;
  }

  write(buf: Buffer): boolean {
    if (this.closed) return false;
    return this.stream.push(buf);
  }
  bufferedAmount(): number {
    return this.stream.readableLength;
  }
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.push(null);
  }
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.push(null);
    this.stream.destroy();
  }
  pause(): void {}
  resume(): void {}
}
