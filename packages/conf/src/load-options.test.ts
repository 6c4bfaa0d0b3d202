import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS fixture module without type declarations
import { decorate, operatorFixture } from '../test-fixtures/nats-jwt.mjs';
import { defaultOptions } from './defaults.js';
import { assertNoConfigErrors, ConfigError } from './errors.js';
import { effectiveAuthTimeout, loadConfigText, normalizeOptions } from './load-options.js';
import { validateOptions } from './validate.js';

const noFiles = (p: string): string => {
  throw Object.assign(new Error(`no ${p}`), { code: 'ENOENT' });
};
function load(text: string, files: Record<string, string> = {}) {
  return loadConfigText(text, 'x.conf', {
    env: {},
    readFile: (p) => files[p] ?? noFiles(p),
  });
}
function ok(text: string, files: Record<string, string> = {}) {
  const r = load(text, files);
  expect([...r.warnings, ...r.errors].map(String)).toEqual([]);
  return r.options;
}
function messages(text: string, files: Record<string, string> = {}): string[] {
  const r = load(text, files);
  return [...r.warnings, ...r.errors].map(String);
}

describe('defaults', () => {
  it('match nats-server 2.9.10 (client-protocol.md §14)', () => {
    const o = defaultOptions();
    expect(o).toMatchObject({
      host: '0.0.0.0',
      port: 4222,
      max_payload: 1048576,
      max_pending: 67108864,
      max_control_line: 4096,
      max_connections: 65536,
      max_subscriptions: 0,
      ping_interval: 120000,
      ping_max: 2,
      write_deadline: 10000,
      lame_duck_duration: 120000,
      lame_duck_grace_period: 10000,
      max_closed_clients: 10000,
      logtime: true,
      http_port: 0,
      authorization: null,
      websocket: null,
      unsupported: [],
    });
    expect(ok('')).toEqual({ ...defaultOptions(), config_file: 'x.conf' });
  });

  it('zero values fall back to defaults like setBaselineOptions; -1 port is kept (random)', () => {
    const o = ok('port: 0\nmax_payload: 0\nping_interval: "0s"\nmax_connections: 0');
    expect([o.port, o.max_payload, o.ping_interval, o.max_connections]).toEqual([4222, 1048576, 120000, 65536]);
    expect(ok('port: -1').port).toBe(-1);
  });

  it('http_host defaults to the client host; listen sets both host and port', () => {
    expect(ok('host: 10.0.0.1\nhttp: 8222')).toMatchObject({
      host: '10.0.0.1',
      http_host: '10.0.0.1',
      http_port: 8222,
    });
    expect(ok('listen: ":4333"\nhttp: "127.0.0.2:8222"')).toMatchObject({
      host: '0.0.0.0',
      port: 4333,
      http_host: '127.0.0.2',
      http_port: 8222,
    });
    expect(messages('https: 8443')).toEqual([
      "x.conf:1:1: Can't start monitoring: TLS cert and key required for HTTPS",
    ]);
    expect(ok('listen: 4444').port).toBe(4444);
    expect(ok('listen: "[::1]:4555"')).toMatchObject({ host: '::1', port: 4555 });
  });
});

describe('durations', () => {
  it('Go duration strings become milliseconds', () => {
    const o = ok(
      'ping_interval: "1m30s"\nwrite_deadline: "500ms"\nlame_duck_duration: "1h"\nlame_duck_grace_period: "1.5s"',
    );
    expect([o.ping_interval, o.write_deadline, o.lame_duck_duration, o.lame_duck_grace_period]).toEqual([
      90_000, 500, 3_600_000, 1_500,
    ]);
  });

  it('a bare integer means seconds, with nats-server’s warning', () => {
    const r = load('ping_interval: 30\nwrite_deadline: 5');
    expect(r.errors).toEqual([]);
    expect(r.options.ping_interval).toBe(30_000);
    expect(r.options.write_deadline).toBe(5_000);
    expect(r.warnings.map(String)).toEqual([
      'x.conf:1:1: invalid use of field "ping_interval": ping_interval should be converted to a duration',
      'x.conf:2:1: invalid use of field "write_deadline": write_deadline should be converted to a duration',
    ]);
    expect(r.warnings[0]!.severity).toBe('warning');
  });

  it('auth timeouts: seconds (int/float) or a duration string', () => {
    expect(ok('authorization { timeout: 1.5 }').authorization!.timeout).toBe(1500);
    expect(ok('authorization { timeout: "250ms" }').authorization!.timeout).toBe(250);
    expect(messages('authorization { timeout: "2q" }')).toEqual([
      'x.conf:1:17: error parsing authorization config, \'timeout\' time: unknown unit "q" in duration "2q"',
    ]);
  });
});

describe('collected problems', () => {
  it('reports every problem with file:line:col, warnings first in the thrown error', () => {
    const r = load('foo: 1\nport: "x"\nping_interval: 5\nauthorization { user: a, token: b, bar: 1 }');
    expect(r.errors.map(String)).toEqual([
      'x.conf:1:1: unknown field "foo"',
      'x.conf:2:1: invalid value for "port": expected an integer, got string "x"',
      'x.conf:4:36: unknown field "bar"',
      'x.conf:4:1: Cannot have a user/pass and token',
    ]);
    expect(r.warnings).toHaveLength(1);
    expect(() => assertNoConfigErrors(r)).toThrow(ConfigError);
    try {
      assertNoConfigErrors(r);
    } catch (e) {
      expect((e as ConfigError).code).toBe('CONF_INVALID_CONFIG');
      expect((e as ConfigError).message.split('\n')[0]).toContain('ping_interval should be converted');
    }
  });

  it('keys are case-insensitive, unknown-key messages keep the spelling', () => {
    expect(ok('PORT: 5000\nMax_Payload: 2KB').port).toBe(5000);
    expect(messages('Bogus: 1')).toEqual(['x.conf:1:1: unknown field "Bogus"']);
  });
});

describe('authorization and users', () => {
  it('typed users: passwords, nkeys, permissions, connection types; defaults applied', () => {
    const nkey = 'UD3Y65HM32IU3Z4LZAGRSDASS7UW42N2X467GZVTPJSCQUINQZJXMGT2';
    const a = ok(`authorization {
      default_permissions { subscribe: "_INBOX.>" }
      users: [
        { user: a, password: pa, permissions: { publish: { deny: "x" } } }
        { nkey: ${nkey}, clients: [websocket, Mqtt] }
      ]
    }`).authorization!;
    expect(a.users[0]).toMatchObject({
      user: 'a',
      password: 'pa',
      nkey: null,
      account: null,
      permissions: { publish: { allow: null, deny: ['x'] }, subscribe: null, allow_responses: null },
    });
    expect(a.users[1]).toMatchObject({
      user: null,
      password: null,
      nkey,
      allowed_connection_types: ['WEBSOCKET', 'MQTT'],
      permissions: { subscribe: { allow: ['_INBOX.>'], deny: null } },
    });
    expect(a.default_permissions).toEqual({
      publish: null,
      subscribe: { allow: ['_INBOX.>'], deny: null },
      allow_responses: null,
    });
  });

  it('allow_responses turns the publish allow list into deny-all unless one is given', () => {
    const users = ok(`authorization { users: [
      { user: a, permissions: { allow_responses: true } }
      { user: b, permissions: { allow_responses: { max: -1, expires: "0s" }, publish: "p" } }
      { user: c, permissions: { publish: { deny: d }, allow_responses: { ttl: "5s" } } }
      { user: d, permissions: { publish: [] } }
    ] }`).authorization!.users;
    expect(users[0]!.permissions).toEqual({
      publish: { allow: [], deny: null },
      subscribe: null,
      allow_responses: { max: 1, expires: 120000 },
    });
    expect(users[1]!.permissions!.publish).toEqual({ allow: ['p'], deny: null });
    expect(users[1]!.permissions!.allow_responses).toEqual({ max: -1, expires: 120000 });
    expect(users[2]!.permissions!.publish).toEqual({ allow: [], deny: ['d'] });
    expect(users[2]!.permissions!.allow_responses!.expires).toBe(5000);
    // an empty list means no allow list at all
    expect(users[3]!.permissions!.publish).toEqual({ allow: null, deny: null });
  });

  it('user problems', () => {
    expect(messages('authorization { users: [ {user: a, clients: ["x", "y"]} ] }')).toEqual([
      'x.conf:1:36: invalid connection types ["X" "Y"]',
    ]);
    expect(messages('authorization { users: [ {nkey: UABC} ] }')).toEqual([
      'x.conf:1:26: Not a valid public nkey for a user',
    ]);
    expect(messages('authorization { users: [ {user: a, permissions: {publish: ["ok", 5 ]}} ] }')).toEqual([
      'x.conf:1:66: Subject in permissions array cannot be cast to string',
    ]);
  });
});

describe('accounts', () => {
  it('list form and map form; account users carry the account name', () => {
    expect(ok('accounts: [A, B]').accounts.map((a) => [a.name, a.users.length])).toEqual([
      ['A', 0],
      ['B', 0],
    ]);
    const accs = ok(`accounts {
      A { users: [ {user: x} ], limits: { max_conn: 5 }, mappings: { "in": "out" } }
    }`).accounts;
    expect(accs[0]!.users[0]!.account).toBe('A');
    expect(accs[0]!.limits).toEqual({
      max_connections: 5,
      max_subscriptions: null,
      max_payload: null,
      max_leafnodes: null,
    });
    expect(accs[0]!.mappings).toEqual({ in: 'out' });
  });

  it('variables defined inside the accounts block are not accounts', () => {
    const accs = ok('accounts { PW = secret\n A { users: [ {user: a, password: $PW} ] } }').accounts;
    expect(accs.map((a) => a.name)).toEqual(['A']);
    expect(accs[0]!.users[0]!.password).toBe('secret');
  });
});

describe('tls and websocket', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const key = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n';

  it('tls block: timeouts in ms, handshake_first forms, ciphers, pins', () => {
    const files = { 'c.pem': pem, 'k.pem': key, 'ca.pem': pem };
    const t = ok(
      `tls { cert_file: c.pem, key_file: k.pem, ca_file: ca.pem, verify_and_map: true, timeout: "1.5s",
        handshake_first: auto, cipher_suites: [TLS_AES_128_GCM_SHA256], min_version: "1.3",
        pinned_certs: ["${'AB'.repeat(32)}"], connection_rate_limit: 10 }`,
      files,
    ).tls!;
    expect(t).toEqual({
      cert_file: 'c.pem',
      key_file: 'k.pem',
      ca_file: 'ca.pem',
      verify: true,
      verify_and_map: true,
      insecure: false,
      timeout: 1500,
      handshake_first: 50,
      min_version: '1.3',
      cipher_suites: ['TLS_AES_128_GCM_SHA256'],
      curve_preferences: [],
      pinned_certs: ['ab'.repeat(32)],
      connection_rate_limit: 10,
    });
    expect(ok('tls { handshake_first: "300ms" }').tls!.handshake_first).toBe(300);
    expect(ok('tls { first: true }').tls!.handshake_first).toBe(true);
    expect(messages('tls { handshake_first: "nope" }')).toEqual([
      'x.conf:1:7: field "handshake_first"\'s value "nope" is invalid',
    ]);
    expect(messages('tls { min_version: "1.1" }')).toEqual([
      'x.conf:1:7: error parsing tls config: unsupported TLS version: TLS 1.1',
    ]);
  });

  it('with TLS the default auth timeout is the TLS timeout + 1 s', () => {
    expect(effectiveAuthTimeout(ok(''))).toBe(2000);
    expect(effectiveAuthTimeout(ok('tls { timeout: 3 }'))).toBe(4000);
    expect(effectiveAuthTimeout(ok('tls { timeout: 3 }\nauthorization { timeout: 1 }'))).toBe(1000);
  });

  it('tls keys Starling does not provide go to unsupported', () => {
    const o = ok('tls { cert_store: WindowsCurrentUser, cert_match_by: Subject, cert_match: x }');
    expect(o.unsupported.map((u) => u.key)).toEqual(['tls.cert_store', 'tls.cert_match_by', 'tls.cert_match']);
  });

  it('websocket block with every key and Starling extensions', () => {
    const ws = ok(`websocket {
      listen: "127.0.0.1:8080", advertise: "ws.example.com:443", no_tls: true, same_origin: true,
      allowed_origins: "https://a.example.com", compression: true, handshake_timeout: 5,
      jwt_cookie: "", user_cookie: u, pass_cookie: p, token_cookie: t,
      headers: { "Strict-Transport-Security": "max-age=3600" }, ping_interval: "30s",
      authorization { token: tok, timeout: 1 }
      handshake_auth: true, api_key_header: "X-Api-Key", trusted_proxies: ["10.0.0.0/8"]
    }`).websocket!;
    expect(ws).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      advertise: 'ws.example.com:443',
      no_tls: true,
      same_origin: true,
      allowed_origins: ['https://a.example.com'],
      compression: true,
      handshake_timeout: 5000,
      user_cookie: 'u',
      pass_cookie: 'p',
      token_cookie: 't',
      headers: { 'Strict-Transport-Security': 'max-age=3600' },
      ping_interval: 30000,
      handshake_auth: true,
      api_key_header: 'X-Api-Key',
      trusted_proxies: ['10.0.0.0/8'],
    });
    expect(ws.authorization).toMatchObject({ token: 'tok', timeout: 1000, users: [] });
    expect(ws.pos).toEqual({ file: 'x.conf', line: 1, col: 1 });
  });

  it('websocket startup checks', () => {
    expect(messages('websocket { port: 1, headers: { Upgrade: x, "Sec-WebSocket-Foo": y } }')).toEqual([
      'x.conf:1:1: websocket requires TLS configuration',
      'x.conf:1:1: websocket: invalid header "Upgrade" not allowed',
      'x.conf:1:1: websocket: invalid header "Sec-WebSocket-Foo", "Sec-WebSocket-" prefix not allowed',
    ]);
    expect(
      messages(
        'authorization { users: [ {user: a} ] }\nwebsocket { port: 1, no_tls: true, authorization { user: b } }',
      ),
    ).toEqual(['x.conf:2:1: websocket authentication username not compatible with presence of users/nkeys']);
  });
});

describe('operator mode', () => {
  const f = operatorFixture('loader');

  it('inline operator, MEMORY resolver, preload; system account from the operator', () => {
    const o = ok(
      `operator: ${f.operatorJwt}\nresolver: MEM\nresolver_preload { ${f.app.publicKey}: "${f.appJwt}", ${f.sys.publicKey}: ${f.sysJwt} }`,
    );
    expect(o.operator).toEqual([f.operatorJwt]);
    expect(o.system_account).toBe(f.sys.publicKey);
    expect(o.resolver_preload).toEqual({ [f.app.publicKey]: f.appJwt, [f.sys.publicKey]: f.sysJwt });
  });

  it('decorated operator file is undecorated', () => {
    const o = ok(`operator: op.jwt\nresolver: MEMORY\nresolver_preload { ${f.sys.publicKey}: ${f.sysJwt} }`, {
      'op.jwt': decorate(f.operatorJwt),
    });
    expect(o.operator).toEqual([f.operatorJwt]);
  });

  it('a tampered operator JWT fails signature verification', () => {
    const [h, c, s] = f.operatorJwt.split('.');
    const claims = JSON.parse(Buffer.from(c, 'base64url').toString());
    claims.name = 'evil';
    const bad = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    expect(messages(`operator: ${bad}\nresolver: MEMORY`)).toEqual([
      'x.conf:1:1: error parsing operator JWT: claim failed V2 signature verification',
    ]);
  });

  it('an account JWT is not an operator', () => {
    expect(messages(`operator: ${f.appJwt}\nresolver: MEMORY`)).toEqual([
      'x.conf:1:1: error parsing operator JWT: not operator claim',
    ]);
  });

  it('users are not allowed with operators', () => {
    expect(messages(`operator: ${f.operatorJwt}\nresolver: MEMORY\nauthorization { users: [ {user: a} ] }`)).toEqual([
      'x.conf:1:1: operators do not allow users to be configured directly',
      // the system account named by the operator is not preloaded either (nats-server start-up)
      'error resolving system account: account missing',
    ]);
  });

  it('resolver forms', () => {
    expect(ok('resolver: URL("http://127.0.0.1:9090/jwt/v1/accounts/")').resolver).toEqual({
      type: 'URL',
      url: 'http://127.0.0.1:9090/jwt/v1/accounts/',
      dir: null,
    });
    expect(ok('resolver { type: full, dir: "./jwt" }').resolver).toEqual({ type: 'FULL', url: null, dir: './jwt' });
    expect(messages('resolver { type: cache }')).toEqual([
      'x.conf:1:1: dir has no value and needs to point to a directory',
    ]);
  });
});

describe('unsupported blocks', () => {
  it('are validated by key and listed once each with their value', () => {
    const o = ok(`cluster { name: c, port: 6222, routes: ["nats://a:6222"] }
leafnodes { port: 7422, remotes: [ { urls: ["nats://x:7422"], credentials: "a.creds" } ] }
mqtt { port: 1883 }
mappings { "a.*": "b.$1" }
server_tags: ["az:1"]`);
    expect(o.unsupported.map((u) => u.key)).toEqual(['cluster', 'leafnodes', 'mqtt', 'mappings', 'server_tags']);
    expect(o.unsupported[0]).toEqual({
      key: 'cluster',
      value: { name: 'c', port: 6222, routes: ['nats://a:6222'] },
      pos: { file: 'x.conf', line: 1, col: 1 },
    });
  });

  it('unknown keys inside them are errors', () => {
    expect(messages('leafnodes { remotes: [ { url: x, tls: { bogus: 1 } } ], authorization: { userz: a } }')).toEqual([
      'x.conf:1:41: error parsing tls config, unknown field ["bogus"]',
      'x.conf:1:74: unknown field "userz"',
    ]);
  });
});

describe('normalizeOptions (plain objects, the same code path)', () => {
  it('accepts config key names, size strings and duration strings', () => {
    const r = normalizeOptions({ port: 4222, max_payload: '1MB', ping_interval: '2m', max_pending: '64mb' });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.options).toMatchObject({ port: 4222, max_payload: 1048576, ping_interval: 120000, max_pending: 67108864 });
    expect(r.options.config_file).toBeNull();
  });

  it('nested blocks, arrays and aliases work as in a file; undefined means unset', () => {
    const r = normalizeOptions({
      net: '127.0.0.1',
      authorization: { users: [{ user: 'a', password: 'b', permissions: { publish: ['x.>'] } }], timeout: 1.5 },
      websocket: { port: 8080, no_tls: true },
      server_name: undefined,
    });
    expect(r.errors).toEqual([]);
    expect(r.options.host).toBe('127.0.0.1');
    expect(r.options.authorization!.users[0]!.permissions!.publish!.allow).toEqual(['x.>']);
    expect(r.options.authorization!.timeout).toBe(1500);
    expect(r.options.websocket!.port).toBe(8080);
    expect(r.options.server_name).toBeNull();
    expect(r.options.authorization!.users[0]!.pos).toBeNull();
  });

  it('problems have no position and print as the bare message', () => {
    const r = normalizeOptions({ port: 'abc', bogus: 1, ping_interval: 30, max_payload: '1XB', f: () => 1 });
    expect([...r.warnings, ...r.errors].map(String)).toEqual([
      'invalid use of field "ping_interval": ping_interval should be converted to a duration',
      'invalid value for "f": unsupported JavaScript value (function)',
      'invalid value for "port": expected integer, but got \'abc\'',
      'unknown field "bogus"',
      'invalid value for "max_payload": invalid unit suffix in integer \'1XB\'',
    ]);
    expect(r.errors.every((p) => p.file === null && p.line === null && p.col === null)).toBe(true);
  });

  it('startup checks run for objects too', () => {
    expect(normalizeOptions({ max_payload: '2MB', max_pending: '1MB' }).errors.map(String)).toEqual([
      'max_payload (2097152) cannot be higher than max_pending (1048576)',
    ]);
  });
});

describe('system account', () => {
  it('must be a configured account without operators', () => {
    expect(messages('system_account: NOPE')).toEqual(['x.conf:1:1: error resolving system account: account missing']);
    expect(messages('accounts { S: {} }\nsystem_account: S')).toEqual([]);
    expect(messages('system_account: "$SYS"')).toEqual(['x.conf:1:1: error resolving system account: account missing']);
  });
});

describe('validateOptions', () => {
  it('can be re-run after changing options (e.g. command-line overrides)', () => {
    const o = ok('server_name: ok');
    expect(validateOptions(o)).toEqual([]);
    o.server_name = 'has space';
    o.lame_duck_grace_period = o.lame_duck_duration;
    expect(validateOptions(o).map(String)).toEqual([
      'lame duck grace period (2m0s) should be strictly lower than lame duck duration (2m0s)',
      'server name cannot contain spaces',
    ]);
  });
});
