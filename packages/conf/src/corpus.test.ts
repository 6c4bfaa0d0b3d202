// The sample corpus (test-fixtures/samples, NATS-docs style configs using only features
// Starling has): each loads with no errors or warnings, nats-server 2.9.10 accepted each one
// too (recorded in compat-verdicts.json), and the typed options carry the intended values.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LoadResult, loadConfigFile } from './load-options.js';

const samples = join(import.meta.dirname, '../test-fixtures/samples');
const recorded = JSON.parse(readFileSync(join(samples, '../compat-verdicts.json'), 'utf8')) as {
  samples: Record<string, { valid: boolean; output: string }>;
};

/** Loads a sample the way nats-server reads it: relative paths from the samples directory. */
function load(name: string): LoadResult {
  return loadConfigFile(name, { readFile: (p) => readFileSync(join(samples, p), 'utf8'), env: {} });
}

const names = readdirSync(samples).filter((f) => f.endsWith('.conf') && !f.startsWith('include-'));

describe('sample corpus', () => {
  it('has the samples', () => {
    expect(names.length).toBeGreaterThanOrEqual(12);
  });

  for (const name of names) {
    it(`${name} loads cleanly and nats-server accepted it`, () => {
      expect(recorded.samples[name], 'recorded nats-server verdict').toEqual({
        valid: true,
        output: `configuration file ${name} is valid`,
      });
      const res = load(name);
      expect([...res.warnings, ...res.errors].map(String)).toEqual([]);
      expect(res.options.config_file).toBe(name);
    });
  }

  it('simple.conf values', () => {
    const o = load('simple.conf').options;
    expect(o.host).toBe('127.0.0.1');
    expect(o.port).toBe(4222);
    expect(o.server_name).toBe('starling-1');
    expect(o.client_advertise).toBe('localhost:4222');
    expect(o.http_host).toBe('127.0.0.1');
    expect(o.http_port).toBe(8222);
    expect(o.max_payload).toBe(1024 * 1024);
    expect(o.max_pending).toBe(64 * 1024 * 1024);
    expect(o.max_control_line).toBe(4096);
    expect(o.max_connections).toBe(64_000);
    expect(o.ping_interval).toBe(120_000);
    expect(o.write_deadline).toBe(10_000);
    expect(o.lame_duck_duration).toBe(120_000);
    expect(o.lame_duck_grace_period).toBe(10_000);
    expect(o.pidfile).toBe('/tmp/starling.pid');
  });

  it('auth-users.conf: bcrypt literal, plain password, connection types', () => {
    const a = load('auth-users.conf').options.authorization!;
    expect(a.timeout).toBe(2000);
    expect(a.users.map((u) => u.user)).toEqual(['alice', 'bob', 'web']);
    expect(a.users[0]!.password).toBe('$2a$11$w.j1/fzA4tie/fxZ4INMMeM0yA7o7JOqMLmC7AZAD32kJqVSDkjvi');
    expect(a.users[1]!.password).toBe('bobs-secret');
    expect(a.users[2]!.allowed_connection_types).toEqual(['WEBSOCKET']);
    expect(a.users[0]!.pos).toEqual({ file: 'auth-users.conf', line: 6, col: 5 });
  });

  it('permissions.conf: variables, defaults, allow_responses, queue entries', () => {
    const users = load('permissions.conf').options.authorization!.users;
    const by = (n: string) => users.find((u) => u.user === n)!.permissions!;
    expect(by('joe')).toEqual({
      publish: { allow: ['>'], deny: null },
      subscribe: { allow: ['>'], deny: null },
      allow_responses: null,
    });
    expect(by('susan').publish).toEqual({ allow: ['req.a', 'req.b'], deny: null });
    expect(by('svcb')).toEqual({
      publish: { allow: [], deny: null },
      subscribe: { allow: ['req.>'], deny: ['req.private'] },
      allow_responses: { max: 1, expires: 60_000 },
    });
    expect(by('workers').subscribe).toEqual({ allow: ['jobs.> workers'], deny: null });
    // no permissions of its own: the default ones
    expect(by('other').publish).toEqual({ allow: ['SANDBOX.*'], deny: null });
  });

  it('accounts.conf: users carry their account, imports and exports typed', () => {
    const o = load('accounts.conf').options;
    expect(o.accounts.map((a) => a.name)).toEqual(['A', 'B', 'SYS']);
    const [a, b] = o.accounts;
    expect(a!.users[0]!.account).toBe('A');
    expect(a!.exports).toEqual([
      { kind: 'stream', subject: 'events.>', accounts: null },
      { kind: 'service', subject: 'svc.echo', accounts: ['B'], response_type: 'single', threshold: null },
    ]);
    expect(b!.imports).toEqual([
      { kind: 'stream', account: 'A', subject: 'events.>', prefix: 'fromA', to: null },
      { kind: 'service', account: 'A', subject: 'svc.echo', to: 'echo' },
    ]);
    expect(o.system_account).toBe('SYS');
    expect(o.no_auth_user).toBe('b');
    expect(o.authorization).toBeNull();
  });

  it('tls.conf and websocket samples', () => {
    const t = load('tls.conf').options.tls!;
    expect(t).toMatchObject({ cert_file: './certs/server-cert.pem', verify: true, timeout: 2000 });
    const ws = load('websocket.conf').options.websocket!;
    expect(ws).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      no_tls: true,
      compression: true,
      handshake_timeout: 2000,
      allowed_origins: ['http://localhost:3000', 'https://example.com'],
    });
    expect(ws.authorization).toMatchObject({ user: 'wsuser', password: 'wspass', timeout: 3000 });
    const wss = load('websocket-tls.conf').options.websocket!;
    expect(wss.port).toBe(8443);
    expect(wss.tls?.key_file).toBe('./certs/server-key.pem');
  });

  it('operator-mode.conf: decorated operator file, memory resolver, preload', () => {
    const o = load('operator-mode.conf').options;
    expect(o.operator).toHaveLength(1);
    expect(o.operator[0]!.startsWith('eyJ')).toBe(true);
    expect(o.resolver).toEqual({ type: 'MEMORY', url: null, dir: null });
    expect(Object.keys(o.resolver_preload)).toHaveLength(2);
    expect(o.system_account).toMatch(/^A[A-Z2-7]{55}$/);
  });

  it('include.conf merges included files where they appear', () => {
    const o = load('include.conf').options;
    expect(o.max_payload).toBe(2 * 1024 * 1024);
    expect(o.authorization!.users[0]!.user).toBe('inc');
    expect(o.authorization!.users[0]!.pos?.file).toBe('include-users.conf');
  });

  it('monitoring.conf: http_port and base path, net alias', () => {
    const o = load('monitoring.conf').options;
    expect(o.host).toBe('127.0.0.1');
    expect(o.http_port).toBe(8222);
    expect(o.http_host).toBe('127.0.0.1');
    expect(o.http_base_path).toBe('/nats');
  });
});
