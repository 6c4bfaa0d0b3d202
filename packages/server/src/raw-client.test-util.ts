import { connect as netConnect, type Socket } from 'node:net';

/** A raw client over TCP that accumulates what it reads. */
export class RawClient {
  buf = '';
  closed = false;
  constructor(readonly sock: Socket) {
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      this.buf += d;
    });
    sock.on('close', () => {
      this.closed = true;
    });
    sock.on('error', () => {});
  }
  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = netConnect({ host: '127.0.0.1', port }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }
  send(s: string): void {
    this.sock.write(s);
  }
  async waitFor(re: RegExp, ms = 2000): Promise<RegExpExecArray> {
    const end = Date.now() + ms;
    for (;;) {
      const m = re.exec(this.buf);
      if (m) return m;
      if (Date.now() > end) throw new Error(`timeout waiting for ${re}; have ${JSON.stringify(this.buf)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  async waitClosed(ms = 2000): Promise<void> {
    const end = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > end) throw new Error('timeout waiting for close');
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
