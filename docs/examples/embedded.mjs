// Embedding Starling in a Node app: start a broker in-process, talk to it with nats.js over
// TCP, and over an in-process connection that uses no socket at all.
//
// Run after `npx -y pnpm@10 build`:   node docs/examples/embedded.mjs

import { NatsConnectionImpl, setTransportFactory } from '@nats-io/nats-core/internal';
import { connect } from '@nats-io/transport-node';
import { Server } from '@starling/server';

export async function main(log = console.log) {
  // Same option names as nats.conf; port -1 picks a free port.
  const server = new Server({ host: '127.0.0.1', port: -1, max_payload: '1MB' });
  server.on('client:connect', (c) => log(`connected: cid ${c.cid} (${c.opts.name ?? 'anonymous'})`));
  await server.start();
  log(`listening on ${server.clientUrl}`);

  // 1. A regular nats.js client over TCP.
  const tcp = await connect({ servers: server.clientUrl, name: 'tcp-client' });
  const sub = tcp.subscribe('greet.*');
  (async () => {
    for await (const m of sub) m.respond(`hello, ${m.subject.split('.')[1]}`);
  })();
  await tcp.flush();

  // 2. nats.js over an in-process stream: a custom transport hands it the server's Duplex.
  setTransportFactory({ factory: () => new InProcessTransport(server) });
  const inproc = await NatsConnectionImpl.connect({ servers: 'in-process:4222', name: 'in-process-client' });
  const reply = await inproc.request('greet.embedded', '', { timeout: 2000 });
  log(`in-process request answered: ${reply.string()}`);

  await inproc.close();
  await tcp.close();
  await server.shutdown();
  return reply.string();
}

/** A nats.js Transport over `server.connectInProcess()`: no socket, same protocol. */
class InProcessTransport {
  lang = 'nats.js/in-process';
  version = '1';
  isClosed = false;
  closeError = undefined;
  #server;
  #stream = null;
  #chunks = [];
  #wake = null;
  #done;
  #resolveDone;

  constructor(server) {
    this.#server = server;
    this.#done = new Promise((r) => {
      this.#resolveDone = r;
    });
  }

  async connect() {
    this.#stream = this.#server.connectInProcess();
    this.#stream.on('data', (d) => this.#push(d));
    this.#stream.on('end', () => this.#finish());
    this.#stream.on('close', () => this.#finish());
  }

  #push(d) {
    this.#chunks.push(new Uint8Array(d));
    this.#wake?.();
  }

  #finish() {
    if (this.isClosed) return;
    this.isClosed = true;
    this.#wake?.();
    this.#resolveDone();
  }

  async *[Symbol.asyncIterator]() {
    for (;;) {
      while (this.#chunks.length > 0) yield this.#chunks.shift();
      if (this.isClosed) return;
      await new Promise((r) => {
        this.#wake = r;
      });
      this.#wake = null;
    }
  }

  isEncrypted() {
    return false;
  }
  send(frame) {
    if (!this.isClosed) this.#stream.write(frame);
  }
  async close(err) {
    this.closeError = err;
    this.#stream?.end();
    this.#finish();
  }
  disconnect() {
    this.#stream?.destroy();
  }
  discard() {
    this.#stream?.destroy();
  }
  closed() {
    return this.#done;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
