import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GET (or another method) without following redirects. */
export function httpGet(url: string, opts: { ca?: Buffer; method?: string } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? 'GET',
        ca: opts.ca,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function getJson(url: string): Promise<Record<string, unknown>> {
  const r = await httpGet(url);
  if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status} ${r.body}`);
  return JSON.parse(r.body) as Record<string, unknown>;
}

/** A raw NATS client over TCP that accumulates what it reads (latin1). */
export class Raw {
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
  static open(port: number): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const s = netConnect({ host: '127.0.0.1', port }, () => resolve(new Raw(s)));
      s.once('error', reject);
    });
  }
  send(s: string): void {
    this.sock.write(s, 'latin1');
  }
  /** Sends `s` plus a PING and waits for the PONG: everything before it was processed. */
  async sync(s = ''): Promise<void> {
    const n = this.buf.split('PONG\r\n').length;
    this.send(`${s}PING\r\n`);
    await this.waitFor(() => this.buf.split('PONG\r\n').length > n);
  }
  async waitFor(pred: () => boolean, ms = 3000): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timeout; have ${JSON.stringify(this.buf.slice(-300))}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  close(): void {
    this.sock.end();
  }
}

export async function until(pred: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timeout waiting for condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}
