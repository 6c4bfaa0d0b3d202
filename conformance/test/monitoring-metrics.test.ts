// Starling's /metrics read by an independent Prometheus text-format parser (the one prom2json's
// output format follows): every family typed and documented, sample values numeric, and the
// counters moving with real traffic. nats-server has no /metrics, so this runs on Starling only
// (an in-test Server, monitoring on a random port).
import { createRequire } from 'node:module';
import { Server } from '@starling/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWire, type WireClient } from '../src/wire.js';

interface PromSample {
  value?: string;
  labels?: Record<string, string>;
  buckets?: Record<string, string>;
  quantiles?: Record<string, string>;
}
interface PromFamily {
  name: string;
  help: string;
  type: string;
  metrics: PromSample[];
}
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (
  text: string,
) => PromFamily[];

let server: Server;
let base = '';
const conns: WireClient[] = [];

async function scrape(): Promise<{ text: string; families: Map<string, PromFamily>; type: string | null }> {
  const r = await fetch(`${base}metrics`);
  expect(r.status).toBe(200);
  const text = await r.text();
  const families = new Map(parsePrometheus(text).map((f) => [f.name, f]));
  return { text, families, type: r.headers.get('content-type') };
}

function value(f: PromFamily | undefined, labels: Record<string, string> = {}): number {
  if (f === undefined) throw new Error('family missing');
  const m = f.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  if (m === undefined) throw new Error(`${f.name}: no sample with ${JSON.stringify(labels)}`);
  return Number(m.value);
}

beforeAll(async () => {
  server = new Server({
    host: '127.0.0.1',
    port: -1,
    http_port: -1,
    accounts: {
      'we"ird\\acct': { users: [{ user: 'w', password: 'p' }] },
      APP: { users: [{ user: 'a', password: 'b' }] },
    },
  });
  await server.start();
  if (server.monitor === null) throw new Error('Server.start did not start monitoring with http_port set');
  base = server.monitor.url;
  const target = { host: '127.0.0.1', port: server.port };
  for (const user of ['a', 'w']) {
    const c = await connectWire(target);
    await c.expectInfo();
    c.send(`CONNECT {"verbose":false,"user":"${user}","pass":"${user === 'a' ? 'b' : 'p'}"}\r\nSUB m.> 1\r\nPING\r\n`);
    await c.expect('PONG\r\n');
    conns.push(c);
  }
  const bad = await connectWire(target);
  await bad.expectInfo();
  bad.send('CONNECT {"verbose":false,"user":"a","pass":"nope"}\r\n');
  await bad.expect("-ERR 'Authorization Violation'\r\n");
  await bad.expectClosed(3000);
}, 30_000);

afterAll(async () => {
  for (const c of conns) c.close();
  await server?.shutdown();
});

describe('Prometheus /metrics (Starling)', () => {
  it('parses: every family has HELP and a counter/gauge TYPE, every value is a number', async () => {
    const { families, type, text } = await scrape();
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(families.size).toBeGreaterThan(20);
    for (const f of families.values()) {
      expect(f.help, f.name).not.toBe('');
      expect(['COUNTER', 'GAUGE'], f.name).toContain(f.type);
      if (f.type === 'COUNTER') expect(f.name, 'counters end in _total').toMatch(/_total$/);
      for (const m of f.metrics) expect(Number.isFinite(Number(m.value)), `${f.name} ${m.value}`).toBe(true);
    }
    // Every sample line belongs to a family the parser saw.
    const sampleNames = new Set(
      text
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => /^[^{ ]+/.exec(l)![0]),
    );
    for (const n of sampleNames) expect(families.has(n), n).toBe(true);
  });

  it('escapes label values so a parser reads them back intact', async () => {
    const { families } = await scrape();
    const accounts = families.get('starling_account_connections')!.metrics.map((m) => m.labels?.account);
    expect(accounts).toContain('we"ird\\acct');
    expect(value(families.get('starling_account_connections'), { account: 'we"ird\\acct' })).toBe(1);
  });

  it('moves counters with traffic and counts closes by reason', async () => {
    const before = (await scrape()).families;
    const pub = conns[0]!;
    pub.send('PUB m.x 3\r\nabc\r\nPUB m.y 3\r\nabc\r\nPING\r\n');
    // the publisher subscribes to m.> itself (echo is on)
    await pub.expect('MSG m.x 1 3\r\nabc\r\nMSG m.y 1 3\r\nabc\r\nPONG\r\n');
    const after = (await scrape()).families;
    expect(value(after.get('starling_in_msgs_total')) - value(before.get('starling_in_msgs_total'))).toBe(2);
    expect(
      value(after.get('starling_kind_in_bytes_total'), { kind: 'standard' }) -
        value(before.get('starling_kind_in_bytes_total'), { kind: 'standard' }),
    ).toBe(6);
    expect(value(after.get('starling_account_in_msgs_total'), { account: 'APP' })).toBeGreaterThanOrEqual(2);
    expect(value(after.get('starling_connections'), { kind: 'standard' })).toBe(2);
    expect(value(after.get('starling_auth_failures_total'), { reason: 'Authentication Failure' })).toBe(1);
    expect(
      value(after.get('starling_connections_closed_total'), { kind: 'standard', reason: 'Authentication Failure' }),
    ).toBe(1);
    // declared even before the websocket listener reports anything
    expect(after.has('starling_websocket_handshake_rejections_total')).toBe(true);
  });
});
