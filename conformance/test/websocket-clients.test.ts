// Real websocket clients against both targets: nats.ws (1.x), nats.js v3 `wsconnect`
// (@nats-io/nats-core) and the `ws` library with permessage-deflate. Node 20 has no global
// WebSocket, so the `ws` implementation is installed as one, as these clients' docs say.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WsTargets } from '../cases/websocket-harness.js';
import { type TargetKind, targetsFromEnv } from '../src/targets.js';

/** The part of the `ws` package used here (it ships no types; @types/ws is not installed). */
interface WsSocket {
  readonly extensions: string;
  on(ev: 'message', cb: (d: Buffer) => void): void;
  once(ev: 'open', cb: () => void): void;
  once(ev: 'error', cb: (e: Error) => void): void;
  send(data: string): void;
  close(): void;
}
type WsCtor = new (url: string, opts?: { perMessageDeflate?: unknown }) => WsSocket;
const WebSocketImpl = createRequire(import.meta.url)('ws') as WsCtor;

beforeAll(() => {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocketImpl;
});

interface Msg {
  subject: string;
  data: Uint8Array;
  headers?: { get(k: string): string } | undefined;
  respond(data?: Uint8Array): boolean;
}
interface Sub extends AsyncIterable<Msg> {
  unsubscribe(max?: number): void;
}
interface Conn {
  publish(subject: string, data?: Uint8Array, opts?: { headers?: unknown; reply?: string }): void;
  subscribe(subject: string, opts?: { queue?: string; max?: number; callback?: (err: unknown, m: Msg) => void }): Sub;
  request(subject: string, data?: Uint8Array, opts?: { timeout: number }): Promise<Msg>;
  flush(): Promise<void>;
  drain(): Promise<void>;
  close(): Promise<void>;
  closed(): Promise<unknown>;
  info?: Record<string, unknown>;
}
interface ClientLib {
  name: string;
  connect(opts: { servers: string; user?: string; pass?: string; token?: string }): Promise<Conn>;
  headers(): { set(k: string, v: string): void; append(k: string, v: string): void };
}

const te = new TextEncoder();
const td = new TextDecoder();

async function libs(): Promise<ClientLib[]> {
  const natsWs = (await import('nats.ws')) as unknown as {
    connect: ClientLib['connect'];
    headers: ClientLib['headers'];
  };
  const core = (await import('@nats-io/nats-core')) as unknown as {
    wsconnect: ClientLib['connect'];
    headers: ClientLib['headers'];
  };
  return [
    { name: 'nats.ws', connect: (o) => natsWs.connect(o), headers: () => natsWs.headers() },
    { name: 'nats.js v3 wsconnect', connect: (o) => core.wsconnect(o), headers: () => core.headers() },
  ];
}

const CLIENT_NAMES = ['nats.ws', 'nats.js v3 wsconnect'] as const;

describe.each(targetsFromEnv())('%s', (kind: TargetKind) => {
  const targets = new WsTargets();
  afterAll(() => targets.stopAll());
  const plain = () => targets.get(kind, 'no_tls: true\n  compression: true');

  describe.each(CLIENT_NAMES)('%s', (clientName) => {
    let lib: ClientLib;
    beforeAll(async () => {
      lib = (await libs()).find((l) => l.name === clientName)!;
    });
    const url = (port: number) => `ws://127.0.0.1:${port}`;

    it('connects, publishes and subscribes, with headers', async () => {
      const t = await plain();
      const nc = await lib.connect({ servers: url(t.wsPort) });
      try {
        const got: string[] = [];
        const sub = nc.subscribe('greet.*', {
          max: 2,
          callback: (_e, m) => got.push(`${m.subject}:${td.decode(m.data)}:${m.headers?.get('X-K') ?? ''}`),
        });
        const h = lib.headers();
        h.set('X-K', 'v1');
        nc.publish('greet.a', te.encode('hello'), { headers: h });
        nc.publish('greet.b', te.encode('world'));
        await nc.flush();
        for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
        expect(got).toEqual(['greet.a:hello:v1', 'greet.b:world:']);
        sub.unsubscribe();
      } finally {
        await nc.close();
      }
    });

    it('request/reply, and a queue group takes each message once', async () => {
      const t = await plain();
      const a = await lib.connect({ servers: url(t.wsPort) });
      const b = await lib.connect({ servers: url(t.wsPort) });
      try {
        a.subscribe('svc', { callback: (_e, m) => m.respond(te.encode(`re:${td.decode(m.data)}`)) });
        let qa = 0;
        let qb = 0;
        a.subscribe('work', { queue: 'q', callback: () => qa++ });
        b.subscribe('work', { queue: 'q', callback: () => qb++ });
        await a.flush();
        await b.flush();
        const r = await b.request('svc', te.encode('ping'), { timeout: 2000 });
        expect(td.decode(r.data)).toBe('re:ping');
        for (let i = 0; i < 200; i++) b.publish('work');
        await b.flush();
        for (let i = 0; i < 100 && qa + qb < 200; i++) await new Promise((r) => setTimeout(r, 10));
        expect(qa + qb).toBe(200);
        expect(qa).toBeGreaterThan(0);
        expect(qb).toBeGreaterThan(0);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('moves 20,000 messages in order and a 900 KB message intact (compression on)', async () => {
      const t = await plain();
      const pub = await lib.connect({ servers: url(t.wsPort) });
      const sub = await lib.connect({ servers: url(t.wsPort) });
      try {
        const n = 20_000;
        let seen = 0;
        let inOrder = true;
        const done = new Promise<void>((resolve) => {
          sub.subscribe('seq', {
            callback: (_e, m) => {
              if (Number(td.decode(m.data)) !== seen) inOrder = false;
              if (++seen === n) resolve();
            },
          });
        });
        await sub.flush();
        for (let i = 0; i < n; i++) pub.publish('seq', te.encode(String(i)));
        await pub.flush();
        await done;
        expect(inOrder).toBe(true);
        const big = new Uint8Array(900 * 1024).map((_, i) => (i * 7) & 0xff);
        const gotBig = new Promise<Uint8Array>((resolve) => {
          sub.subscribe('big', { max: 1, callback: (_e, m) => resolve(m.data) });
        });
        await sub.flush();
        pub.publish('big', big);
        await pub.flush();
        const data = await gotBig;
        expect(data.length).toBe(big.length);
        expect(Buffer.from(data).equals(Buffer.from(big))).toBe(true);
      } finally {
        await pub.close();
        await sub.close();
      }
    });

    it('authenticates with user/password and is refused with a wrong one', async () => {
      const t = await targets.get(kind, 'no_tls: true', 'authorization { user: wsu, password: wsp }');
      const nc = await lib.connect({ servers: url(t.wsPort), user: 'wsu', pass: 'wsp' });
      await nc.flush();
      await nc.close();
      await expect(lib.connect({ servers: url(t.wsPort), user: 'wsu', pass: 'bad' })).rejects.toThrow(/authoriz/i);
    });

    it('drains cleanly', async () => {
      const t = await plain();
      const nc = await lib.connect({ servers: url(t.wsPort) });
      let got = 0;
      nc.subscribe('d', { callback: () => got++ });
      await nc.flush();
      nc.publish('d');
      nc.publish('d');
      await nc.drain();
      expect(got).toBe(2);
      await nc.closed();
    });
  });

  describe('ws library (permessage-deflate)', () => {
    it('negotiates compression and exchanges NATS protocol both ways', async () => {
      const t = await plain();
      const ws = new WebSocketImpl(`ws://127.0.0.1:${t.wsPort}`, { perMessageDeflate: { threshold: 0 } });
      const text: string[] = [];
      ws.on('message', (d: Buffer) => text.push(d.toString()));
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      expect(ws.extensions).toContain('permessage-deflate');
      ws.send('CONNECT {"verbose":false}\r\nSUB c 1\r\n');
      ws.send(`PUB c 300\r\n${'q'.repeat(300)}\r\nPING\r\n`);
      for (let i = 0; i < 100 && !text.join('').includes('PONG'); i++) await new Promise((r) => setTimeout(r, 10));
      const all = text.join('');
      expect(all).toMatch(/^INFO \{/);
      expect(all).toContain(`MSG c 1 300\r\n${'q'.repeat(300)}\r\nPONG\r\n`);
      ws.close();
    });
  });
});
