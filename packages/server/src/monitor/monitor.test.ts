import { readFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServerTls } from '../listeners/tls.js';
import { Server } from '../server.js';
import { MONITOR_ERRORS, MonitorError, type MonitorHandle, startMonitoring } from './index.js';
import { escapeLabelValue } from './metrics.js';
import { getJson, httpGet, Raw, until } from './monitor.test-util.js';

const servers: Server[] = [];
const monitors: MonitorHandle[] = [];
const clients: Raw[] = [];

async function start(
  opts: Record<string, unknown> = {},
  basePath = '',
): Promise<{ s: Server; m: MonitorHandle; url: (p: string) => string }> {
  const s = new Server({ host: '127.0.0.1', port: -1, ...opts });
  await s.start();
  servers.push(s);
  const m = await startMonitoring(s, { host: '127.0.0.1', port: 0, tls: null, basePath });
  monitors.push(m);
  const root = `http://127.0.0.1:${m.port}`;
  return { s, m, url: (p) => root + p };
}

async function client(s: Server, connect = '{"verbose":false}'): Promise<Raw> {
  const c = await Raw.open(s.port);
  clients.push(c);
  await c.sync(`CONNECT ${connect}\r\n`);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const m of monitors.splice(0)) await m.close();
  for (const s of servers.splice(0)) await s.shutdown();
});

/** nats-server 2.9.10's /varz keys for a plain config (recorded from the real binary). */
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
];

const RFC3339NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

describe('/varz', () => {
  it('has nats-server 2.9.10 keys in order, Go value forms and live counters', async () => {
    const { s, url } = await start();
    const c = await client(s);
    await c.sync('SUB foo 1\r\nPUB foo 5\r\nhello\r\n');
    const r = await httpGet(url('/varz'));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body.startsWith('{\n  "server_id": "')).toBe(true);
    const v = JSON.parse(r.body);
    expect(Object.keys(v)).toEqual(VARZ_KEYS);
    expect(v.port).toBe(s.port);
    expect(v.ping_interval).toBe(120_000_000_000);
    expect(v.write_deadline).toBe(10_000_000_000);
    expect(v.auth_timeout).toBe(2);
    expect(v.tls_timeout).toBe(2);
    expect(v.cluster).toEqual({});
    expect(v.start).toMatch(RFC3339NANO);
    expect(v.now).toMatch(RFC3339NANO);
    expect(v.uptime).toMatch(/^\d+s$/);
    expect(v.connections).toBe(1);
    expect(v.total_connections).toBe(1);
    expect(v.in_msgs).toBe(1);
    expect(v.out_msgs).toBe(1);
    expect(v.in_bytes).toBe(5);
    expect(v.out_bytes).toBe(5);
    expect(v.subscriptions).toBe(1);
    expect(v.gomaxprocs).toBe(1);
    expect(v.mem).toBeGreaterThan(1_000_000);
    expect(v.http_req_stats).toEqual({ '/varz': 1 });
    expect(v.system_account).toBe('$SYS');
  });

  it('counts requests per endpoint in http_req_stats with sorted keys', async () => {
    const { url } = await start();
    await httpGet(url('/healthz'));
    await httpGet(url('/connz'));
    await httpGet(url('/connz?limit=x')); // a rejected /connz is not counted (as nats-server)
    await httpGet(url('/subscriptionsz'));
    await httpGet(url('/'));
    const v = await getJson(url('/varz'));
    expect(Object.keys(v.http_req_stats as object)).toEqual(['/', '/connz', '/healthz', '/subsz', '/varz']);
    expect(v.http_req_stats).toEqual({ '/': 1, '/connz': 1, '/healthz': 1, '/subsz': 1, '/varz': 1 });
  });

  it('reports auth, limits and the websocket block as nats-server does', async () => {
    const { url } = await start({
      authorization: { user: 'a', password: 'b', timeout: 3.5 },
      max_subscriptions: 10,
    });
    const v = await getJson(url('/varz'));
    const keys = Object.keys(v);
    expect(keys.indexOf('auth_required')).toBe(keys.indexOf('port') + 1);
    expect(v.auth_required).toBe(true);
    expect(v.max_subscriptions).toBe(10);
    expect(keys.indexOf('max_subscriptions')).toBe(keys.indexOf('max_connections') + 1);
    expect(v.auth_timeout).toBe(3.5);
  });
});

describe('/connz', () => {
  it('lists open connections with nats-server fields, subs and subs=detail', async () => {
    const { s, url } = await start();
    const c = await client(s, '{"verbose":false,"name":"c1","lang":"node","version":"1.2.3"}');
    await c.sync('SUB foo 1\r\nSUB bar.* q1 2\r\nUNSUB 2 5\r\nPUB foo 5\r\nhello\r\n');
    const r = await httpGet(url('/connz'));
    expect(r.headers['content-type']).toBe('application/json');
    const z = JSON.parse(r.body);
    expect(Object.keys(z)).toEqual(['server_id', 'now', 'num_connections', 'total', 'offset', 'limit', 'connections']);
    expect(z).toMatchObject({ server_id: s.serverId, num_connections: 1, total: 1, offset: 0, limit: 1024 });
    const ci = z.connections[0];
    expect(Object.keys(ci)).toEqual([...CONN_KEYS, 'name', 'lang', 'version']);
    expect(ci).toMatchObject({
      kind: 'Client',
      type: 'nats',
      ip: '127.0.0.1',
      rtt: expect.stringMatching(/s$/),
      in_msgs: 1,
      out_msgs: 1,
      in_bytes: 5,
      out_bytes: 5,
      subscriptions: 2,
      name: 'c1',
      lang: 'node',
      version: '1.2.3',
    });
    const list = (await getJson(url('/connz?subs=1'))).connections as Record<string, unknown>[];
    expect(list[0]!.subscriptions_list).toEqual(['foo', 'bar.*']);
    const det = (await getJson(url('/connz?subs=detail'))).connections as Record<string, unknown>[];
    expect(det[0]!.subscriptions_list_detail).toEqual([
      { subject: 'foo', sid: '1', msgs: 1, cid: ci.cid },
      { subject: 'bar.*', qgroup: 'q1', sid: '2', msgs: 0, max: 5, cid: ci.cid },
    ]);
    // subs=DETAIL is case-insensitive, subs=0 lists nothing
    const det2 = (await getJson(url('/connz?subs=DETAIL'))).connections as Record<string, unknown>[];
    expect(det2[0]!.subscriptions_list_detail).toBeDefined();
    const none = (await getJson(url('/connz?subs=0'))).connections as Record<string, unknown>[];
    expect(none[0]!.subscriptions_list).toBeUndefined();
  });

  it('auth=1 adds authorized_user and the account (not for $G)', async () => {
    const { s, url } = await start({
      accounts: { A: { users: [{ user: 'a', password: 'b' }] } },
      authorization: { users: [{ user: 'g', password: 'h' }] },
    });
    await client(s, '{"verbose":false,"user":"a","pass":"b"}');
    await client(s, '{"verbose":false,"user":"g","pass":"h"}');
    const z = await getJson(url('/connz?auth=true'));
    const [a, g] = z.connections as Record<string, unknown>[];
    expect(a).toMatchObject({ authorized_user: 'a', account: 'A' });
    expect(g!.authorized_user).toBe('g');
    expect(g!.account).toBeUndefined();
    const plain = (await getJson(url('/connz'))).connections as Record<string, unknown>[];
    expect(plain[0]!.authorized_user).toBeUndefined();
    // acc and user filters
    const onlyA = await getJson(url('/connz?acc=A'));
    expect(onlyA.total).toBe(1);
    expect((onlyA.connections as Record<string, unknown>[])[0]!.cid).toBe(a!.cid);
    const onlyG = await getJson(url('/connz?user=g'));
    expect((onlyG.connections as Record<string, unknown>[]).map((c) => c.cid)).toEqual([g!.cid]);
    // nats-server quirk: total counts before the user filter
    expect(onlyG.total).toBe(2);
  });

  it('sorts, pages and looks up by cid like nats-server', async () => {
    const { s, url } = await start();
    const cs: Raw[] = [];
    for (let i = 0; i < 5; i++) cs.push(await client(s));
    // connection i publishes i+1 messages and has 5-i subscriptions
    for (let i = 0; i < 5; i++) {
      let cmd = '';
      for (let k = 0; k <= i; k++) cmd += 'PUB x 3\r\nabc\r\n';
      for (let k = 0; k < 5 - i; k++) cmd += `SUB s.${k} ${k}\r\n`;
      await cs[i]!.sync(cmd);
    }
    const cids = (z: Record<string, unknown>) => (z.connections as { cid: number }[]).map((c) => c.cid);
    const all = cids(await getJson(url('/connz')));
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(cids(await getJson(url('/connz?sort=msgs_from')))).toEqual([...all].reverse());
    expect(cids(await getJson(url('/connz?sort=bytes_from')))).toEqual([...all].reverse());
    expect(cids(await getJson(url('/connz?sort=subs')))).toEqual(all);
    expect(cids(await getJson(url('/connz?sort=start')))).toEqual(all);
    // uptime is ascending: youngest first
    expect(cids(await getJson(url('/connz?sort=uptime')))).toEqual([...all].reverse());
    const page = await getJson(url('/connz?sort=msgs_from&offset=1&limit=2'));
    expect(page).toMatchObject({ total: 5, offset: 1, limit: 2, num_connections: 2 });
    expect(cids(page)).toEqual([all[3], all[2]]);
    const past = await getJson(url('/connz?offset=10'));
    expect(past).toMatchObject({ total: 5, num_connections: 0, connections: [] });
    // limit <= 0 means the default 1024; negative offset means 0
    expect(await getJson(url('/connz?limit=-5&offset=-3'))).toMatchObject({ limit: 1024, offset: 0 });
    const one = await getJson(url(`/connz?cid=${all[2]}`));
    expect(one).toMatchObject({ total: 5, limit: 1, num_connections: 1 });
    expect(cids(one)).toEqual([all[2]]);
    expect(await getJson(url('/connz?cid=999'))).toMatchObject({ total: 5, num_connections: 0, connections: [] });
  });

  it('keeps closed connections with stop and reason, sortable by stop and reason', async () => {
    const { s, url } = await start({ authorization: { user: 'a', password: 'b' } });
    const ok = await client(s, '{"verbose":false,"user":"a","pass":"b","name":"leaver"}');
    const bad = await Raw.open(s.port);
    clients.push(bad);
    bad.send('CONNECT {"verbose":false,"user":"a","pass":"wrong"}\r\n');
    await bad.waitFor(() => bad.closed);
    ok.close();
    await until(() => s.clients.size === 0);
    const z = await getJson(url('/connz?state=closed'));
    expect(z.total).toBe(2);
    const list = z.connections as Record<string, unknown>[];
    // default order: cid ascending (the leaver connected first)
    expect(list.map((c) => c.reason)).toEqual(['Client Closed', 'Authentication Failure']);
    const closed = list[0]!;
    expect(Object.keys(closed).slice(0, 9)).toEqual([
      'cid',
      'kind',
      'type',
      'ip',
      'port',
      'start',
      'last_activity',
      'stop',
      'reason',
    ]);
    expect(closed.stop).toMatch(RFC3339NANO);
    expect(closed.name).toBe('leaver');
    const byReason = await getJson(url('/connz?state=closed&sort=reason'));
    expect((byReason.connections as Record<string, unknown>[]).map((c) => c.reason)).toEqual([
      'Authentication Failure',
      'Client Closed',
    ]);
    const byStop = await getJson(url('/connz?state=closed&sort=stop'));
    expect((byStop.connections as Record<string, unknown>[]).map((c) => c.reason)).toEqual([
      'Client Closed',
      'Authentication Failure',
    ]);
    // state=all counts both; open is empty
    const live = await client(s, '{"verbose":false,"user":"a","pass":"b"}');
    expect(live.closed).toBe(false);
    expect((await getJson(url('/connz?state=ALL'))).total).toBe(3);
    expect((await getJson(url('/connz?state=any'))).total).toBe(3);
    expect((await getJson(url('/connz?state=open'))).total).toBe(1);
    // cid lookup in closed connections; state=all&cid searches closed ones only (nats-server)
    const cid = list[1]!.cid as number;
    expect((await getJson(url(`/connz?state=closed&cid=${cid}`))).num_connections).toBe(1);
    const liveCid = [...s.clients.keys()][0]!;
    expect((await getJson(url(`/connz?state=all&cid=${liveCid}`))).num_connections).toBe(0);
  });

  it('answers bad parameters with HTTP 400 and nats-server error texts', async () => {
    const { url } = await start();
    const cases: [string, string][] = [
      ['/connz?sort=bogus', 'invalid sorting option: bogus'],
      ['/connz?sort=rtt', 'invalid sorting option: rtt'],
      ['/connz?state=xx', 'Error decoding state for xx'],
      ['/connz?sort=stop', 'sort by stop only valid on closed connections'],
      ['/connz?sort=reason', 'sort by reason only valid on closed connections'],
      ['/connz?sort=reason&state=all', 'sort by reason only valid on closed connections'],
      ['/connz?limit=abc', `Error decoding int for 'limit': strconv.Atoi: parsing "abc": invalid syntax`],
      ['/connz?offset=x', `Error decoding int for 'offset': strconv.Atoi: parsing "x": invalid syntax`],
      ['/connz?cid=-1', `Error decoding uint64 for 'cid': strconv.ParseUint: parsing "-1": invalid syntax`],
      ['/connz?subs=maybe', `Error decoding boolean for 'subs': strconv.ParseBool: parsing "maybe": invalid syntax`],
      ['/connz?auth=maybe', `Error decoding boolean for 'auth': strconv.ParseBool: parsing "maybe": invalid syntax`],
      // auth is decoded before subs
      ['/connz?subs=x&auth=y', `Error decoding boolean for 'auth': strconv.ParseBool: parsing "y": invalid syntax`],
      ['/subsz?test=foo.*', 'invalid test subject, must be valid publish subject: foo.*'],
      ['/subsz?test=foo..bar', 'invalid test subject, must be valid publish subject: foo..bar'],
      ['/subsz?subs=2', `Error decoding boolean for 'subs': strconv.ParseBool: parsing "2": invalid syntax`],
      ['/accountz?acc=nope', 'Account nope does not exist'],
      ['/accstatz?unused=x', `Error decoding boolean for 'unused': strconv.ParseBool: parsing "x": invalid syntax`],
      ['/leafz?subs=x', `Error decoding boolean for 'subs': strconv.ParseBool: parsing "x": invalid syntax`],
      ['/routez?subs=x', `Error decoding boolean for 'subs': strconv.ParseBool: parsing "x": invalid syntax`],
      [
        '/healthz?js-enabled=x',
        `Error decoding boolean for 'js-enabled': strconv.ParseBool: parsing "x": invalid syntax`,
      ],
    ];
    for (const [path, text] of cases) {
      const r = await httpGet(url(path));
      expect({ path, status: r.status, body: r.body, type: r.headers['content-type'] }).toEqual({
        path,
        status: 400,
        body: text,
        type: 'text/plain; charset=utf-8',
      });
    }
  });

  it('an unknown acc filter answers like nats-server (empty server_id, null list)', async () => {
    const { url } = await start();
    const z = await getJson(url('/connz?acc=nope'));
    expect(z).toMatchObject({ server_id: '', total: 0, num_connections: 0, connections: null });
  });
});

describe('/subsz', () => {
  it('answers bare sublist stats without a list, and the list with subs=1', async () => {
    const { s, url } = await start();
    const c = await client(s);
    await c.sync('SUB foo 1\r\nSUB bar.* q1 2\r\nPUB foo 5\r\nhello\r\n');
    const bare = await getJson(url('/subsz'));
    expect(Object.keys(bare)).toEqual([
      'num_subscriptions',
      'num_cache',
      'num_inserts',
      'num_removes',
      'num_matches',
      'cache_hit_rate',
      'max_fanout',
      'avg_fanout',
    ]);
    expect(bare.num_subscriptions).toBe(2);
    const full = await getJson(url('/subsz?subs=1'));
    expect(Object.keys(full)).toEqual([
      'server_id',
      'now',
      ...Object.keys(bare),
      'total',
      'offset',
      'limit',
      'subscriptions_list',
    ]);
    const cid = [...s.clients.keys()][0];
    expect(full.subscriptions_list).toEqual([
      { account: '$G', subject: 'foo', sid: '1', msgs: 1, cid },
      { account: '$G', subject: 'bar.*', qgroup: 'q1', sid: '2', msgs: 0, cid },
    ]);
    const hit = await getJson(url('/subsz?subs=1&test=bar.x'));
    expect((hit.subscriptions_list as { subject: string }[]).map((x) => x.subject)).toEqual(['bar.*']);
    // no match: bare stats again
    expect(Object.keys(await getJson(url('/subsz?subs=1&test=nomatch')))[0]).toBe('num_subscriptions');
    // paging: total is the page length (nats-server 2.9.10)
    const page = await getJson(url('/subsz?subs=1&offset=1&limit=1'));
    expect(page).toMatchObject({ total: 1, offset: 1, limit: 1 });
    expect((page.subscriptions_list as { subject: string }[])[0]!.subject).toBe('bar.*');
    // the alias and the account filter
    expect((await getJson(url('/subscriptionsz?subs=1&acc=$G'))).total).toBe(2);
    expect(Object.keys(await getJson(url('/subsz?subs=1&acc=$SYS')))[0]).toBe('num_subscriptions');
  });

  it('matches UTF-8 subjects in test= and renders them as text', async () => {
    const { s, url } = await start();
    const c = await client(s);
    await c.sync(`SUB ${Buffer.from('grüße.>', 'utf8').toString('latin1')} 1\r\n`);
    const z = await getJson(url(`/subsz?subs=1&test=${encodeURIComponent('grüße.x')}`));
    expect((z.subscriptions_list as { subject: string }[])[0]!.subject).toBe('grüße.>');
  });
});

describe('/healthz, JSONP, routing', () => {
  it('answers compact {"status":"ok"} and 503 during lame duck mode', async () => {
    const { s, url } = await start({ lame_duck_grace_period: '1s', lame_duck_duration: '30s' });
    const ok = await httpGet(url('/healthz'));
    expect(ok).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    expect(ok.headers['content-type']).toBe('application/json');
    expect(ok.headers['content-length']).toBe('15');
    const ldm = s.lameDuck();
    const bad = await httpGet(url('/healthz'));
    expect(bad.status).toBe(503);
    expect(bad.body).toBe('{"status":"error","error":"failed to be ready for connections after 1ms: server"}');
    expect(bad.headers['content-type']).toBe('text/plain; charset=utf-8');
    const metrics = await httpGet(url('/metrics'));
    expect(metrics.body).toMatch(/^starling_healthy 0$/m);
    await ldm;
  });

  it('wraps JSON in callback=… as application/javascript', async () => {
    const { url } = await start();
    const r = await httpGet(url('/healthz?callback=cb'));
    expect(r.body).toBe('cb({"status":"ok"})');
    expect(r.headers['content-type']).toBe('application/javascript');
    const v = await httpGet(url('/varz?callback=x'));
    expect(v.body.startsWith('x({\n  "server_id"')).toBe(true);
    expect(v.body.endsWith('})')).toBe(true);
  });

  it('routes like Go ServeMux: exact paths, 404 text, 301 to the clean path', async () => {
    const { url } = await start();
    const nf = await httpGet(url('/nope'));
    expect(nf).toMatchObject({ status: 404, body: '404 page not found\n' });
    expect(nf.headers['x-content-type-options']).toBe('nosniff');
    expect((await httpGet(url('/varz/'))).status).toBe(404);
    const moved = await httpGet(url('//varz?x=1'));
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe('/varz?x=1');
    const idx = await httpGet(url('/'));
    expect(idx.status).toBe(200);
    expect(idx.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(idx.body).toContain('<a href="./varz">General</a>');
    expect(idx.body).toContain('<a href="./dashboard">Dashboard</a>');
    // HEAD gets headers only
    const head = await httpGet(url('/varz'), { method: 'HEAD' });
    expect(head).toMatchObject({ status: 200, body: '' });
    // percent-encoded paths are decoded before matching
    expect((await httpGet(url('/%76arz'))).status).toBe(200);
  });

  it('serves every endpoint under http_base_path only', async () => {
    const { m, url } = await start({}, 'mon/');
    expect(m.url).toBe(`http://127.0.0.1:${m.port}/mon/`);
    expect((await httpGet(url('/mon/varz'))).status).toBe(200);
    expect((await httpGet(url('/mon/healthz'))).body).toBe('{"status":"ok"}');
    expect((await httpGet(url('/varz'))).status).toBe(404);
    expect((await httpGet(url('/'))).status).toBe(404);
    expect((await httpGet(url('/mon/'))).status).toBe(404);
    const idx = await httpGet(url('/mon'));
    expect(idx.status).toBe(200);
    expect(idx.body).toContain('<a href="./mon/connz">Connections</a>');
    expect((await httpGet(url('/mon/dashboard'))).status).toBe(200);
  });
});

describe('/accountz, /accstatz, /routez, /gatewayz, /leafz, /jsz', () => {
  it('lists accounts and details from the configuration', async () => {
    const { s, url } = await start({
      accounts: {
        A: {
          users: [{ user: 'a', password: 'b' }],
          exports: [{ stream: 's.>' }, { service: 'svc.a', accounts: ['B'], response_type: 'stream' }],
          mappings: { m1: 'm2' },
        },
        B: {
          users: [{ user: 'c', password: 'd' }],
          imports: [
            { stream: { account: 'A', subject: 's.>' }, prefix: 'pp' },
            { service: { account: 'A', subject: 'svc.a' }, to: 'local.svc' },
          ],
        },
      },
    });
    await client(s, '{"verbose":false,"user":"a","pass":"b"}');
    const list = await getJson(url('/accountz'));
    expect(Object.keys(list)).toEqual(['server_id', 'now', 'system_account', 'accounts']);
    expect([...(list.accounts as string[])].sort()).toEqual(['$G', '$SYS', 'A', 'B']);
    const a = (await getJson(url('/accountz?acc=A'))).account_detail as Record<string, unknown>;
    expect(Object.keys(a)).toEqual([
      'account_name',
      'update_time',
      'expired',
      'complete',
      'jetstream_enabled',
      'leafnode_connections',
      'client_connections',
      'subscriptions',
      'mappings',
      'exports',
      'sublist_stats',
    ]);
    expect(a.client_connections).toBe(1);
    expect(a.mappings).toEqual({ m1: [{ subject: 'm2', weight: 100 }] });
    expect(a.exports).toEqual([
      { subject: 'svc.a', type: 'service', response_type: 'Streamed', approved_accounts: ['B'] },
      { subject: 's.>', type: 'stream' },
    ]);
    const raw = await httpGet(url('/accountz?acc=B'));
    expect(raw.body).toContain('"local_subject": "pp.s.\\u003e"');
    const b = JSON.parse(raw.body).account_detail;
    expect(b.imports).toEqual([
      {
        subject: 's.>',
        account: 'A',
        local_subject: 'pp.s.>',
        type: 'stream',
        invalid: false,
        share: false,
        tracking: false,
      },
      {
        subject: 'local.svc',
        account: 'A',
        to: 'svc.a',
        type: 'service',
        invalid: false,
        share: false,
        tracking: false,
      },
    ]);
    const sys = (await getJson(url('/accountz?acc=$SYS'))).account_detail as Record<string, unknown>;
    expect(sys.is_system).toBe(true);
    const st = await getJson(url('/accstatz'));
    expect(st.account_statz).toEqual([
      {
        acc: 'A',
        conns: 1,
        leafnodes: 0,
        total_conns: 1,
        sent: { msgs: 0, bytes: 0 },
        received: { msgs: 0, bytes: 0 },
        slow_consumers: 0,
      },
    ]);
    expect((await getJson(url('/accstatz?unused=1'))).account_statz).toHaveLength(4);
  });

  it('answers the feature-off shapes of nats-server 2.9.10', async () => {
    const { s, url } = await start();
    expect(await getJson(url('/routez'))).toEqual({
      server_id: s.serverId,
      now: expect.stringMatching(RFC3339NANO),
      num_routes: 0,
      routes: [],
    });
    expect(await getJson(url('/gatewayz'))).toEqual({
      server_id: s.serverId,
      now: expect.stringMatching(RFC3339NANO),
      outbound_gateways: {},
      inbound_gateways: {},
    });
    expect(await getJson(url('/leafz'))).toEqual({
      server_id: s.serverId,
      now: expect.stringMatching(RFC3339NANO),
      leafnodes: 0,
      leafs: null,
    });
    const js = await getJson(url('/jsz'));
    expect(js.disabled).toBe(true);
  });
});

describe('/metrics', () => {
  it('writes HELP and TYPE for every family and counts traffic by kind and account', async () => {
    const { s, url } = await start();
    const c = await client(s);
    await c.sync('SUB foo 1\r\nPUB foo 5\r\nhello\r\n');
    const r = await httpGet(url('/metrics'));
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const declared = new Set<string>();
    const typed = new Set<string>();
    for (const line of r.body.split('\n')) {
      if (line === '') continue;
      const help = /^# HELP (\S+) /.exec(line);
      if (help) {
        declared.add(help[1]!);
        continue;
      }
      const type = /^# TYPE (\S+) (counter|gauge)$/.exec(line);
      if (type) {
        typed.add(type[1]!);
        continue;
      }
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
      expect(sample, line).not.toBeNull();
      expect(declared.has(sample![1]!) && typed.has(sample![1]!), line).toBe(true);
      expect(Number.isNaN(Number(sample![3]))).toBe(false);
    }
    expect(r.body).toMatch(/^starling_connections\{kind="standard"\} 1$/m);
    expect(r.body).toMatch(/^starling_kind_in_msgs_total\{kind="standard"\} 1$/m);
    expect(r.body).toMatch(/^starling_account_out_bytes_total\{account="\$G"\} 5$/m);
    expect(r.body).toMatch(/^starling_in_msgs_total 1$/m);
    // closed connections keep their traffic in the per-kind counters
    c.close();
    await until(() => s.clients.size === 0);
    const after = (await httpGet(url('/metrics'))).body;
    expect(after).toMatch(/^starling_kind_in_msgs_total\{kind="standard"\} 1$/m);
    expect(after).toMatch(/^starling_connections_closed_total\{kind="standard",reason="Client Closed"\} 1$/m);
  });

  it('counts authentication failures', async () => {
    const { s, url } = await start({ authorization: { user: 'a', password: 'b' } });
    const bad = await Raw.open(s.port);
    clients.push(bad);
    bad.send('CONNECT {"verbose":false,"user":"a","pass":"x"}\r\n');
    await bad.waitFor(() => bad.closed);
    await until(() => s.clients.size === 0);
    const body = (await httpGet(url('/metrics'))).body;
    expect(body).toMatch(/^starling_auth_failures_total\{reason="Authentication Failure"\} 1$/m);
    expect(body).toMatch(/^starling_auth_refusals_total\{code="AUTH_BAD_PASSWORD"\} 1$/m);
  });

  it('escapes label values', () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });
});

describe('dashboard', () => {
  it('is one self-contained page that fetches nothing from outside', async () => {
    const { url } = await start();
    const r = await httpGet(url('/dashboard'));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(r.body).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(r.body).not.toMatch(/@import|url\(/);
    expect(r.body).toContain('<svg class="chart" id="chart-msgs"');
  });
});

describe('listener', () => {
  it('serves HTTPS with the client TLS certificate', async () => {
    const dir = resolve(import.meta.dirname, '../../test-fixtures/tls');
    const tlsOpts = { cert_file: `${dir}/server.pem`, key_file: `${dir}/server-key.pem` };
    const s = new Server({ host: '127.0.0.1', port: -1, tls: tlsOpts });
    await s.start();
    servers.push(s);
    const m = await startMonitoring(s, {
      host: '127.0.0.1',
      port: -1,
      tls: buildServerTls(s.options.tls!),
      basePath: '',
    });
    monitors.push(m);
    expect(m.url).toBe(`https://127.0.0.1:${m.port}/`);
    const r = await httpGet(`${m.url}healthz`, { ca: readFileSync(`${dir}/ca.pem`) });
    expect(r).toMatchObject({ status: 200, body: '{"status":"ok"}' });
  });

  it('fails with ERR_MONITOR_LISTEN when the port is taken, and closes cleanly', async () => {
    const blocker = createNetServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const s = new Server({ host: '127.0.0.1', port: -1 });
    await s.start();
    servers.push(s);
    const err = await startMonitoring(s, { host: '127.0.0.1', port, tls: null, basePath: '' }).catch((e) => e);
    blocker.close();
    expect(err).toBeInstanceOf(MonitorError);
    expect(err.code).toBe(MONITOR_ERRORS.MONITOR_LISTEN);
    expect(err.message).toMatch(/^can't listen to the monitor port: listen EADDRINUSE/);
    await expect(startMonitoring(s, { host: '127.0.0.1', port: 70000, tls: null, basePath: '' })).rejects.toThrow(
      'invalid monitoring port 70000',
    );
    const m = await startMonitoring(s, { host: '127.0.0.1', port: 0, tls: null, basePath: '' });
    // a keep-alive connection does not hold close() up
    await httpGet(`${m.url}varz`);
    await m.close();
    await m.close();
    await expect(httpGet(`${m.url}varz`)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('cost with 10k connections', () => {
  it('pages and sorts /connz without copying everything for small pages', async () => {
    const { s, url } = await start({ max_connections: 20_000 });
    const streams = [];
    for (let i = 0; i < 10_000; i++) streams.push(s.connectInProcess());
    expect(s.clients.size).toBe(10_000);
    // give the connections distinct traffic figures to sort on
    let k = 0;
    for (const c of s.clients.values()) c.inMsgs = (k++ * 7919) % 10_007;
    const expected = [...s.clients.values()]
      .sort((a, b) => b.inMsgs - a.inMsgs || a.cid - b.cid)
      .slice(0, 10)
      .map((c) => c.cid);
    /** Median of 5 timed requests (the machine is shared; single runs are noisy). */
    const timed = async (path: string): Promise<[Record<string, unknown>, number]> => {
      const times: number[] = [];
      let body: Record<string, unknown> = {};
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        body = await getJson(url(path));
        times.push(performance.now() - t);
      }
      times.sort((x, y) => x - y);
      return [body, times[2]!];
    };
    await getJson(url('/connz?limit=1')); // warm up
    const [top, sortMs] = await timed('/connz?sort=msgs_from&limit=10');
    expect((top.connections as { cid: number }[]).map((c) => c.cid)).toEqual(expected);
    expect(top.total).toBe(10_000);
    const [deep, pageMs] = await timed('/connz?offset=9990&limit=5');
    expect((deep.connections as { cid: number }[]).map((c) => c.cid)).toEqual([...s.clients.keys()].slice(9990, 9995));
    // A whole sorted list (default limit 1024) is still bounded work.
    const [big, bigMs] = await timed('/connz?sort=msgs_from');
    expect((big.connections as unknown[]).length).toBe(1024);
    console.log(
      `/connz over 10k connections (median of 5): sort=msgs_from limit=10 ${sortMs.toFixed(1)} ms, offset=9990 limit=5 ${pageMs.toFixed(1)} ms, sort=msgs_from limit=1024 ${bigMs.toFixed(1)} ms`,
    );
    expect(sortMs).toBeLessThan(250);
    expect(pageMs).toBeLessThan(100);
    for (const st of streams) st.destroy();
  }, 60_000);
});
