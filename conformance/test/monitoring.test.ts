// HTTP monitoring against every target: the shapes of /varz, /connz, /subsz and /healthz (key
// sets and order, value types, indentation, headers, HTTP status, 400 texts) as recorded from
// nats-server 2.9.10, then — when both targets run — a side-by-side comparison of the same
// requests. Values that differ by nature are not compared: ids, times, `go`, `mem`, `cpu`,
// `cores`, `gomaxprocs`, client ports, and counts that include nats-server's internal $SYS
// subscriptions.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTarget, type Target, type TargetKind, targetsFromEnv } from '../src/targets.js';
import { connectWire, type WireClient } from '../src/wire.js';

const TARGETS = targetsFromEnv();

interface Http {
  status: number;
  type: string;
  length: string | undefined;
  body: string;
}

function get(port: number, path: string): Promise<Http> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          length: res.headers['content-length'],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function json(port: number, path: string): Promise<Record<string, unknown>> {
  const r = await get(port, path);
  if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status}: ${r.body}`);
  return JSON.parse(r.body) as Record<string, unknown>;
}

/** Keys and value types, recursively (arrays by their first element): what must agree exactly. */
function shape(v: unknown): unknown {
  if (v === null) return 'null';
  // Lists have no defined order in nats-server (Go maps): the shape of a list is the merged
  // shape of all its entries, not of whichever comes first.
  if (Array.isArray(v)) return v.length === 0 ? '[]' : [v.map(shape).reduce(mergeShapes)];
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = shape(x);
    return out;
  }
  return typeof v;
}

function mergeShapes(a: unknown, b: unknown): unknown {
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) ||
    Array.isArray(b)
  ) {
    return a;
  }
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, x] of Object.entries(b as Record<string, unknown>)) out[k] = k in out ? mergeShapes(out[k], x) : x;
  return out;
}

/** Every line of a 2-space-indented Go MarshalIndent body. */
function assertGoIndent(body: string): void {
  const lines = body.split('\n');
  expect(lines[0]).toBe('{');
  expect(lines.at(-1)).toBe('}');
  for (const line of lines) {
    expect(line, `bad indentation: ${JSON.stringify(line)}`).toMatch(/^( {2})*(\S.*)?$/);
  }
  // Re-rendering the parsed body with 2-space indentation gives the same text modulo Go's
  // HTML escapes, which JSON.stringify does not apply.
  const re = JSON.stringify(JSON.parse(body), null, 2)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
  expect(body).toBe(re);
}

const RFC3339NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

/** /varz keys of nats-server 2.9.10 for the config below (in order). */
const VARZ_KEYS = [
  'server_id',
  'server_name',
  'version',
  'proto',
  'go',
  'host',
  'port',
  'max_connections',
  'ping_interval',
  'ping_max',
  'http_host',
  'http_port',
  'http_base_path',
  'https_port',
  'auth_timeout',
  'max_control_line',
  'max_payload',
  'max_pending',
  'cluster',
  'gateway',
  'leaf',
  'mqtt',
  'websocket',
  'jetstream',
  'tls_timeout',
  'write_deadline',
  'start',
  'now',
  'uptime',
  'mem',
  'cores',
  'gomaxprocs',
  'cpu',
  'connections',
  'total_connections',
  'routes',
  'remotes',
  'leafnodes',
  'in_msgs',
  'out_msgs',
  'in_bytes',
  'out_bytes',
  'slow_consumers',
  'subscriptions',
  'http_req_stats',
  'config_load_time',
  'system_account',
];

const CONN_KEYS = [
  'cid',
  'kind',
  'type',
  'ip',
  'port',
  'start',
  'last_activity',
  'rtt',
  'uptime',
  'idle',
  'pending_bytes',
  'in_msgs',
  'out_msgs',
  'in_bytes',
  'out_bytes',
  'subscriptions',
  'name',
  'lang',
  'version',
];

const STATS_KEYS = [
  'num_subscriptions',
  'num_cache',
  'num_inserts',
  'num_removes',
  'num_matches',
  'cache_hit_rate',
  'max_fanout',
  'avg_fanout',
];

interface Setup {
  target: Target;
  mport: number;
  sub: WireClient;
  closedCid: number;
}

/**
 * One server per target with the same traffic: a subscriber (name, lang, version, two subs, one
 * queue), a publisher that sends one message to it, and a client that connects and leaves.
 */
async function setup(kind: TargetKind): Promise<Setup> {
  const mport = await freePort();
  const target = await startTarget(kind, { args: ['-m', String(mport)] });
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await get(mport, '/healthz');
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${kind}: monitoring port ${mport} not answering: ${err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  const sub = await connectWire(target);
  await sub.expectInfo();
  sub.send(
    'CONNECT {"verbose":false,"name":"sub","lang":"conformance","version":"1.0.0"}\r\nSUB foo 1\r\nSUB bar.* q1 2\r\nPING\r\n',
  );
  await sub.expect('PONG\r\n');
  const pub = await connectWire(target);
  await pub.expectInfo();
  pub.send('CONNECT {"verbose":false}\r\nPUB foo 5\r\nhello\r\nPING\r\n');
  await pub.expect('PONG\r\n');
  await sub.expect('MSG foo 1 5\r\nhello\r\n');
  const leaver = await connectWire(target);
  const info = (await leaver.expectInfo()).info as { client_id: number };
  leaver.send('CONNECT {"verbose":false,"name":"leaver"}\r\nPING\r\n');
  await leaver.expect('PONG\r\n');
  leaver.close();
  pub.close();
  // Wait until both are gone from the open list.
  const until = Date.now() + 3000;
  while ((await json(mport, '/connz')).num_connections !== 1) {
    if (Date.now() > until) throw new Error('connections did not close');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { target, mport, sub, closedCid: info.client_id };
}

const setups = new Map<TargetKind, Setup>();

afterAll(async () => {
  for (const s of setups.values()) {
    s.sub.close();
    await s.target.stop();
  }
});

describe.each(TARGETS)('monitoring shapes: %s', (kind) => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup(kind);
    setups.set(kind, s);
  }, 30_000);

  it('/varz: keys in order, types, indentation, content type', async () => {
    const r = await get(s.mport, '/varz');
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/json');
    assertGoIndent(r.body);
    const v = JSON.parse(r.body);
    expect(Object.keys(v)).toEqual(VARZ_KEYS);
    expect(v).toMatchObject({
      version: '2.9.10',
      proto: 1,
      host: '127.0.0.1',
      port: s.target.port,
      max_connections: 65536,
      ping_interval: 120_000_000_000,
      ping_max: 2,
      http_host: '127.0.0.1',
      http_port: s.mport,
      http_base_path: '',
      https_port: 0,
      auth_timeout: 2,
      max_control_line: 4096,
      max_payload: 1048576,
      max_pending: 67108864,
      cluster: {},
      gateway: {},
      leaf: {},
      mqtt: {},
      websocket: {},
      jetstream: {},
      tls_timeout: 2,
      write_deadline: 10_000_000_000,
      connections: 1,
      routes: 0,
      remotes: 0,
      leafnodes: 0,
      in_msgs: 1,
      out_msgs: 1,
      in_bytes: 5,
      out_bytes: 5,
      slow_consumers: 0,
      system_account: '$SYS',
    });
    // The harness's readiness probe is a connection too.
    expect(v.total_connections).toBeGreaterThanOrEqual(3);
    for (const k of ['start', 'now', 'config_load_time']) expect(v[k]).toMatch(RFC3339NANO);
    expect(v.uptime).toMatch(/^(\d+[ydhm])*\d+s$/);
    for (const k of ['mem', 'cores', 'gomaxprocs', 'cpu', 'subscriptions']) expect(typeof v[k]).toBe('number');
    expect(typeof v.go).toBe('string');
    expect(v.http_req_stats['/varz']).toBeGreaterThanOrEqual(1);
    expect(Object.keys(v.http_req_stats)).toEqual(Object.keys(v.http_req_stats).sort());
  });

  it('/connz: top level, per-connection keys, subs, subs=detail', async () => {
    const r = await get(s.mport, '/connz');
    expect(r.type).toBe('application/json');
    assertGoIndent(r.body);
    const z = JSON.parse(r.body);
    expect(Object.keys(z)).toEqual(['server_id', 'now', 'num_connections', 'total', 'offset', 'limit', 'connections']);
    expect(z).toMatchObject({ num_connections: 1, total: 1, offset: 0, limit: 1024 });
    const ci = z.connections[0];
    expect(Object.keys(ci)).toEqual(CONN_KEYS);
    expect(ci).toMatchObject({
      kind: 'Client',
      type: 'nats',
      ip: '127.0.0.1',
      pending_bytes: 0,
      in_msgs: 0,
      out_msgs: 1,
      in_bytes: 0,
      out_bytes: 5,
      subscriptions: 2,
      name: 'sub',
      lang: 'conformance',
      version: '1.0.0',
    });
    for (const k of ['start', 'last_activity']) expect(ci[k]).toMatch(RFC3339NANO);
    expect(ci.rtt).toMatch(/^[\d.]+(ns|µs|ms|s)$/);
    expect(ci.uptime).toMatch(/^\d+s$/);
    const subs = (await json(s.mport, '/connz?subs=1')).connections as Record<string, unknown>[];
    expect(Object.keys(subs[0]!)).toEqual([...CONN_KEYS, 'subscriptions_list']);
    expect([...(subs[0]!.subscriptions_list as string[])].sort()).toEqual(['bar.*', 'foo']);
    const det = (await json(s.mport, '/connz?subs=detail')).connections as Record<string, unknown>[];
    expect(Object.keys(det[0]!)).toEqual([...CONN_KEYS, 'subscriptions_list_detail']);
    const detail = [...(det[0]!.subscriptions_list_detail as { subject: string }[])].sort((a, b) =>
      a.subject < b.subject ? -1 : 1,
    );
    expect(detail).toEqual([
      { subject: 'bar.*', qgroup: 'q1', sid: '2', msgs: 0, cid: ci.cid },
      { subject: 'foo', sid: '1', msgs: 1, cid: ci.cid },
    ]);
  });

  it('/connz?state=closed: stop and reason, subscription detail with account', async () => {
    const z = await json(s.mport, `/connz?state=closed&cid=${s.closedCid}`);
    expect(z).toMatchObject({ num_connections: 1, limit: 1 });
    const ci = (z.connections as Record<string, unknown>[])[0]!;
    expect(Object.keys(ci)).toEqual([
      'cid',
      'kind',
      'type',
      'ip',
      'port',
      'start',
      'last_activity',
      'stop',
      'reason',
      'rtt',
      'uptime',
      'idle',
      'pending_bytes',
      'in_msgs',
      'out_msgs',
      'in_bytes',
      'out_bytes',
      'subscriptions',
      'name',
    ]);
    expect(ci).toMatchObject({ cid: s.closedCid, reason: 'Client Closed', name: 'leaver' });
    expect(ci.stop).toMatch(RFC3339NANO);
    // closed: the leaver, the publisher (and the harness's readiness probe)
    const closed = await json(s.mport, '/connz?state=closed');
    expect(closed.total).toBeGreaterThanOrEqual(2);
    const all = await json(s.mport, '/connz?state=all');
    expect(all.total).toBe((closed.total as number) + 1);
    const byReason = await json(s.mport, '/connz?state=closed&sort=reason');
    expect(byReason.total).toBe(closed.total);
  });

  it('/connz: 400 texts for bad parameters', async () => {
    const cases: [string, string][] = [
      ['/connz?sort=bogus', 'invalid sorting option: bogus'],
      ['/connz?state=xx', 'Error decoding state for xx'],
      ['/connz?sort=stop', 'sort by stop only valid on closed connections'],
      ['/connz?sort=reason', 'sort by reason only valid on closed connections'],
      ['/connz?limit=abc', `Error decoding int for 'limit': strconv.Atoi: parsing "abc": invalid syntax`],
      ['/connz?cid=-1', `Error decoding uint64 for 'cid': strconv.ParseUint: parsing "-1": invalid syntax`],
      ['/connz?subs=maybe', `Error decoding boolean for 'subs': strconv.ParseBool: parsing "maybe": invalid syntax`],
      ['/subsz?test=foo.*', 'invalid test subject, must be valid publish subject: foo.*'],
      ['/accountz?acc=nope', 'Account nope does not exist'],
    ];
    for (const [path, text] of cases) {
      const r = await get(s.mport, path);
      expect({ path, status: r.status, type: r.type, body: r.body }).toEqual({
        path,
        status: 400,
        type: 'text/plain; charset=utf-8',
        body: text,
      });
    }
    const nf = await get(s.mport, '/nope');
    expect({ status: nf.status, body: nf.body }).toEqual({ status: 404, body: '404 page not found\n' });
  });

  it('/subsz: bare stats, then the $G list with subs=1 and test=', async () => {
    const bare = await get(s.mport, '/subsz');
    assertGoIndent(bare.body);
    const st = JSON.parse(bare.body);
    expect(Object.keys(st)).toEqual(STATS_KEYS);
    const full = await json(s.mport, '/subsz?subs=1&acc=$G');
    expect(Object.keys(full)).toEqual([
      'server_id',
      'now',
      ...STATS_KEYS,
      'total',
      'offset',
      'limit',
      'subscriptions_list',
    ]);
    const mine = (full.subscriptions_list as { subject: string; cid: number }[]).filter(
      (x) => !x.subject.startsWith('$SYS.'),
    );
    const cid = ((await json(s.mport, '/connz')).connections as { cid: number }[])[0]!.cid;
    expect(mine.sort((a, b) => (a.subject < b.subject ? -1 : 1))).toEqual([
      { account: '$G', subject: 'bar.*', qgroup: 'q1', sid: '2', msgs: 0, cid },
      { account: '$G', subject: 'foo', sid: '1', msgs: 1, cid },
    ]);
    const hit = await json(s.mport, '/subsz?subs=1&test=bar.baz');
    expect(hit.total).toBe(1);
    expect((hit.subscriptions_list as { subject: string }[])[0]!.subject).toBe('bar.*');
  });

  it('/healthz: compact body, headers, JSONP', async () => {
    const r = await get(s.mport, '/healthz');
    expect(r).toEqual({ status: 200, type: 'application/json', length: '15', body: '{"status":"ok"}' });
    const p = await get(s.mport, '/healthz?callback=cb');
    expect(p).toMatchObject({ status: 200, type: 'application/javascript', body: 'cb({"status":"ok"})' });
  });

  it('/routez, /gatewayz, /leafz: the feature-off shapes', async () => {
    expect(shape(await json(s.mport, '/routez'))).toEqual({
      server_id: 'string',
      now: 'string',
      num_routes: 'number',
      routes: '[]',
    });
    expect(shape(await json(s.mport, '/gatewayz'))).toEqual({
      server_id: 'string',
      now: 'string',
      outbound_gateways: {},
      inbound_gateways: {},
    });
    expect(shape(await json(s.mport, '/leafz'))).toEqual({
      server_id: 'string',
      now: 'string',
      leafnodes: 'number',
      leafs: 'null',
    });
  });
});

describe.runIf(TARGETS.length === 2)('monitoring: nats-server and starling agree', () => {
  const paths = ['/varz', '/connz', '/connz?subs=detail', '/connz?state=closed', '/subsz', '/healthz', '/accstatz'];
  for (const path of paths) {
    it(`${path} has the same shape on both`, async () => {
      const [a, b] = [setups.get('nats-server'), setups.get('starling')];
      if (a === undefined || b === undefined) throw new Error('both targets must have started');
      const [ja, jb] = await Promise.all([json(a.mport, path), json(b.mport, path)]);
      expect(shape(jb)).toEqual(shape(ja));
    });
  }
});
