import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { resolve } from 'node:path';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { Server } from './server.js';

const DIR = resolve(import.meta.dirname, '../test-fixtures/tls');
const file = (n: string) => resolve(DIR, n);
const servers: Server[] = [];

async function start(tls: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Server> {
  const s = new Server({
    host: '127.0.0.1',
    port: -1,
    tls: { cert_file: file('server.pem'), key_file: file('server-key.pem'), ...tls },
    ...extra,
  });
  await s.start();
  servers.push(s);
  return s;
}

afterEach(async () => {
  for (const s of servers.splice(0)) await s.shutdown();
});

/** Reads the plaintext INFO line, then upgrades the same socket to TLS. */
function plainInfoThenTls(
  port: number,
  opts: Record<string, unknown> = {},
): Promise<{ info: Record<string, unknown>; tls: TLSSocket }> {
  return new Promise((resolvePromise, reject) => {
    const raw = netConnect({ host: '127.0.0.1', port });
    let buf = '';
    raw.on('error', reject);
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      const m = /^INFO (\{.*\}) \r\n/.exec(buf);
      if (!m) return;
      raw.off('data', onData);
      const info = JSON.parse(m[1]!);
      const tls = tlsConnect({ socket: raw, ca: readFileSync(file('ca.pem')), servername: 'localhost', ...opts });
      tls.once('secureConnect', () => resolvePromise({ info, tls }));
      tls.once('error', reject);
    };
    raw.on('data', onData);
  });
}

function exchange(tls: TLSSocket, send: string, until: RegExp): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let got = '';
    const t = setTimeout(() => reject(new Error(`timeout; got ${JSON.stringify(got)}`)), 3000);
    tls.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (until.test(got)) {
        clearTimeout(t);
        resolvePromise(got);
      }
    });
    tls.write(send);
  });
}

describe('TLS on the client port', () => {
  it('sends INFO in plaintext with tls_required, then speaks NATS over TLS', async () => {
    const s = await start({});
    const { info, tls } = await plainInfoThenTls(s.port);
    expect(info.tls_required).toBe(true);
    expect(info.tls_available).toBeUndefined();
    const got = await exchange(tls, 'CONNECT {"verbose":false}\r\nSUB t 1\r\nPUB t 2\r\nok\r\nPING\r\n', /PONG\r\n/);
    expect(got).toBe('MSG t 1 2\r\nok\r\nPONG\r\n');
    tls.destroy();
  });

  it('answers a client that never starts TLS with -ERR Secure Connection - TLS Required', async () => {
    const s = await start({ timeout: 0.3 });
    const got = await new Promise<string>((resolvePromise) => {
      const raw = netConnect({ host: '127.0.0.1', port: s.port });
      let buf = '';
      raw.on('data', (d) => {
        buf += d.toString('latin1');
      });
      raw.on('close', () => resolvePromise(buf));
      raw.on('error', () => {});
    });
    expect(got).toMatch(/^INFO \{.*\} \r\n-ERR 'Secure Connection - TLS Required'\r\n$/s);
  });

  it('with verify, refuses a client without a certificate and accepts one signed by the CA', async () => {
    const s = await start({ ca_file: file('ca.pem'), verify: true });
    const bad = plainInfoThenTls(s.port).then(
      ({ tls }) => exchange(tls, 'CONNECT {}\r\nPING\r\n', /PONG/),
      (e: Error) => `refused: ${e.message}`,
    );
    await expect(bad).rejects.toThrow();
    const { info, tls } = await plainInfoThenTls(s.port, {
      cert: readFileSync(file('client.pem')),
      key: readFileSync(file('client-key.pem')),
    });
    expect(info.tls_verify).toBe(true);
    expect(await exchange(tls, 'CONNECT {"verbose":false}\r\nPING\r\n', /PONG\r\n/)).toBe('PONG\r\n');
    tls.destroy();
  });

  it('handshake_first: TLS before INFO', async () => {
    const s = await start({ handshake_first: true });
    const tls = tlsConnect({
      host: '127.0.0.1',
      port: s.port,
      ca: readFileSync(file('ca.pem')),
      servername: 'localhost',
    });
    const got = await new Promise<string>((resolvePromise, reject) => {
      let buf = '';
      tls.on('data', (d) => {
        buf += d.toString('latin1');
        if (buf.includes('\r\n')) resolvePromise(buf);
      });
      tls.on('error', reject);
    });
    expect(got).toMatch(/^INFO \{.*"tls_required":true.*\} \r\n$/);
    tls.destroy();
  });

  it('allow_non_tls: INFO says tls_available and plaintext clients are served', async () => {
    const s = await start({}, { allow_non_tls: true });
    const got = await new Promise<string>((resolvePromise) => {
      const raw = netConnect({ host: '127.0.0.1', port: s.port });
      let buf = '';
      raw.on('data', (d) => {
        buf += d.toString('latin1');
        if (buf.includes('PONG')) {
          resolvePromise(buf);
          raw.destroy();
        }
      });
      raw.on('connect', () => raw.write('CONNECT {"verbose":false}\r\nPING\r\n'));
    });
    expect(got).toMatch(/^INFO \{.*"tls_available":true.*\} \r\nPONG\r\n$/s);
  });

  it('allow_non_tls: a client that starts TLS after INFO is served over TLS', async () => {
    const s = await start({}, { allow_non_tls: true });
    const { info, tls } = await plainInfoThenTls(s.port);
    expect(info.tls_available).toBe(true);
    expect(await exchange(tls, 'CONNECT {"verbose":false}\r\nPING\r\n', /PONG\r\n/)).toBe('PONG\r\n');
    tls.destroy();
  });
});
