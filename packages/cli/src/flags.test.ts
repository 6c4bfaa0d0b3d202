// Table tests for the flag parser. Expected texts were checked against nats-server 2.9.10
// (`/usr/sbin/nats-server <flags>`), see docs/configuration.md §Command line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultOptions, loadConfigText } from '@starling/conf';
import { describe, expect, it } from 'vitest';
import { applyFlagOverrides, FLAG_ERRORS, type FlagOptions, goQuote, parseFlags, usageText } from './flags.js';

const opts = (argv: string[]): FlagOptions => {
  const f = parseFlags(argv);
  expect(f.errors.map(String)).toEqual([]);
  return f.options;
};
const error = (argv: string[]) => {
  const f = parseFlags(argv);
  expect(f.errors).toHaveLength(1);
  return { text: String(f.errors[0]), code: f.errors[0]!.code, exit: f.exitCode, usage: f.errors[0]!.showUsage };
};

describe('parseFlags: values', () => {
  const table: Array<[string[], FlagOptions]> = [
    [['-p', '4333'], { port: 4333 }],
    [['--port', '4333'], { port: 4333 }],
    [['-p=4333'], { port: 4333 }],
    [['--port=4333'], { port: 4333 }],
    [['-p', '0x10'], { port: 16 }],
    [['-p', '010'], { port: 8 }],
    [['-p', '1_000'], { port: 1000 }],
    [['-p', '-1'], { port: -1 }],
    [['-a', '127.0.0.1'], { host: '127.0.0.1' }],
    [['--addr', 'h'], { host: 'h' }],
    [['--net', 'h'], { host: 'h' }],
    [['-n', 'x'], { server_name: 'x' }],
    [['--name', 'x'], { server_name: 'x' }],
    [['--server_name', 'x'], { server_name: 'x' }],
    [['-m', '8222'], { http_port: 8222 }],
    [['--http_port', '8222'], { http_port: 8222 }],
    [['-ms', '8443'], { https_port: 8443 }],
    [['--https_port', '8443'], { https_port: 8443 }],
    [['--user', 'u', '--pass', 'p'], { user: 'u', password: 'p' }],
    [['--auth', 't'], { token: 't' }],
    [['-D'], { debug: true }],
    [['--debug=false'], { debug: false }],
    [['-V'], { trace: true }],
    [['--trace'], { trace: true }],
    [['-VV'], { trace: true, trace_verbose: true }],
    [['-DV'], { debug: true, trace: true }],
    [['-DVV'], { debug: true, trace: true, trace_verbose: true }],
    [['-D', '-DV=false'], { debug: false, trace: false }],
    [['-DV', '-V=false'], { debug: true, trace: true }],
    [['-T=false'], { logtime: false }],
    [['--logtime', '-T=0'], { logtime: false }],
    [['-l', '/tmp/log'], { logfile: '/tmp/log' }],
    [['--log', '/tmp/log', '--log_size_limit', '1000'], { logfile: '/tmp/log', logfile_size_limit: 1000 }],
    [['-s', '-r', 'udp://h:514'], { syslog: true, remote_syslog: 'udp://h:514' }],
    [['-P', '/tmp/pid'], { pidfile: '/tmp/pid' }],
    [['--pid', '/tmp/pid'], { pidfile: '/tmp/pid' }],
    [['--ports_file_dir', '/tmp'], { ports_file_dir: '/tmp' }],
    [['--client_advertise', 'h:1'], { client_advertise: 'h:1' }],
    [['--max_traced_msg_len', '64'], { max_traced_msg_len: 64 }],
    [['-p', '1', '-p', '2'], { port: 2 }],
    [['-p', '-D'], {}], // "-D" is the value of -p … and does not parse (checked below)
  ];
  for (const [argv, want] of table) {
    if (argv.join(' ') === '-p -D') continue;
    it(argv.join(' '), () => expect(opts(argv)).toEqual(want));
  }

  it('a value flag takes the next word even when it starts with a dash', () => {
    expect(error(['-p', '-D']).text).toBe('invalid value "-D" for flag -p: parse error');
  });

  it('config file, check and version/help actions', () => {
    const f = parseFlags(['-c', 'a.conf', '-t']);
    expect(f.configFile).toBe('a.conf');
    expect(f.actions.check).toBe(true);
    expect(parseFlags(['--config=b.conf']).configFile).toBe('b.conf');
    expect(parseFlags(['-v']).actions.version).toBe(true);
    expect(parseFlags(['--version']).actions.version).toBe(true);
    expect(parseFlags(['-h']).actions.help).toBe(true);
    expect(parseFlags(['--help']).actions.help).toBe(true);
    expect(parseFlags(['--help_tls']).actions.helpTls).toBe(true);
  });

  it('stray version/help words act like the flags (any case); others are errors', () => {
    expect(parseFlags(['version']).actions.version).toBe(true);
    expect(parseFlags(['VERSION']).actions.version).toBe(true);
    expect(parseFlags(['-p', '1', 'help']).actions.help).toBe(true);
    expect(error(['foo'])).toEqual({
      text: 'unrecognized command: "foo"',
      code: 'FLAG_UNRECOGNIZED_COMMAND',
      exit: 1,
      usage: false,
    });
    expect(error(['-D', 'false']).text).toBe('unrecognized command: "false"');
    expect(error(['-p', '1', '--', 'foo']).text).toBe('unrecognized command: "foo"');
    expect(error(['-', 'foo']).text).toBe('unrecognized command: "-"');
    // help wins over a stray word
    expect(parseFlags(['-h', 'foo']).errors).toEqual([]);
  });

  it('signals', () => {
    expect(parseFlags(['--signal', 'reload']).actions.signal).toEqual({ command: 'reload', pid: null });
    expect(parseFlags(['-sl', 'ldm=123']).actions.signal).toEqual({ command: 'ldm', pid: '123' });
    expect(parseFlags(['-sl=stop=/var/run/n.pid']).actions.signal).toEqual({ command: 'stop', pid: '/var/run/n.pid' });
    expect(error(['--signal', 'stop=1=2']).text).toBe('invalid signal parameters: [2]');
    expect(error(['--signal', 'nope']).text).toBe('unknown signal "nope"');
  });

  it('TLS flags replace the TLS config; --tls=false disables it', () => {
    expect(opts(['--tls', '--tlscert', 'c', '--tlskey', 'k'])).toEqual({
      tls: { disable: false, cert_file: 'c', key_file: 'k', ca_file: null, verify: false },
    });
    expect(opts(['--tlsverify', '--tlscert', 'c', '--tlskey', 'k', '--tlscacert', 'ca']).tls).toEqual({
      disable: false,
      cert_file: 'c',
      key_file: 'k',
      ca_file: 'ca',
      verify: true,
    });
    expect(opts(['--tls=false', '--tlscert', 'c']).tls).toEqual({ disable: true });
    expect(error(['--tls']).text).toBe('TLS Server certificate must be present and valid');
    expect(error(['--tlscert', 'x']).text).toBe('TLS Server private key must be present and valid');
  });

  it('cluster, JetStream and profiling flags are recognized and reported as unsupported', () => {
    const f = parseFlags(['--routes', 'nats://a:1', '--cluster', 'nats://127.0.0.1:6222', '-js', '--profile', '6060']);
    expect(f.errors).toEqual([]);
    expect(f.unsupported).toEqual([
      { flag: 'routes', value: 'nats://a:1' },
      { flag: 'cluster', value: 'nats://127.0.0.1:6222' },
      { flag: 'jetstream', value: true },
      { flag: 'profile', value: 6060 },
    ]);
    expect(error(['--connect_retries', 'x']).text).toBe('invalid value "x" for flag -connect_retries: parse error');
  });
});

describe('parseFlags: Go flag-package errors', () => {
  const table: Array<[string[], string, string]> = [
    [['-p', 'abc'], 'FLAG_INVALID_VALUE', 'invalid value "abc" for flag -p: parse error'],
    [['-p='], 'FLAG_INVALID_VALUE', 'invalid value "" for flag -p: parse error'],
    [['-p', '1.5'], 'FLAG_INVALID_VALUE', 'invalid value "1.5" for flag -p: parse error'],
    [['-p', '1__0'], 'FLAG_INVALID_VALUE', 'invalid value "1__0" for flag -p: parse error'],
    [
      ['-p=99999999999999999999'],
      'FLAG_INVALID_VALUE',
      'invalid value "99999999999999999999" for flag -p: value out of range',
    ],
    [['-p'], 'FLAG_NEEDS_ARGUMENT', 'flag needs an argument: -p'],
    [['-c'], 'FLAG_NEEDS_ARGUMENT', 'flag needs an argument: -c'],
    [['-sl'], 'FLAG_NEEDS_ARGUMENT', 'flag needs an argument: -sl'],
    [['--foo'], 'FLAG_UNDEFINED', 'flag provided but not defined: -foo'],
    [['-foo=1'], 'FLAG_UNDEFINED', 'flag provided but not defined: -foo'],
    [['-D=x'], 'FLAG_INVALID_BOOLEAN', 'invalid boolean value "x" for -D: parse error'],
    [['-DV=x'], 'FLAG_INVALID_BOOLEAN', 'invalid boolean value "x" for -DV: parse error'],
    [['---p', '1'], 'FLAG_BAD_SYNTAX', 'bad flag syntax: ---p'],
    [['-=x'], 'FLAG_BAD_SYNTAX', 'bad flag syntax: -=x'],
  ];
  for (const [argv, code, text] of table) {
    it(argv.join(' '), () => {
      expect(error(argv)).toEqual({ text, code, exit: 2, usage: true });
    });
  }

  it('parsing stops at the first error', () => {
    expect(parseFlags(['--foo', '-p', 'abc']).errors.map(String)).toEqual(['flag provided but not defined: -foo']);
  });

  it('goQuote matches Go %q', () => {
    expect(goQuote('a"b\\c\n\t\u0001é')).toBe('"a\\"b\\\\c\\n\\t\\x01é"');
  });
});

describe('applyFlagOverrides', () => {
  it('flags win over the config file; the input is not modified', () => {
    const base = loadConfigText(
      'port: 4222\ndebug: false\nhttp: 8222\nauthorization { user: a, password: b }',
      'c.conf',
      {
        env: {},
      },
    ).options;
    const before = structuredClone(base);
    const f = parseFlags(['-p', '5000', '-D', '-a', '127.0.0.1', '--user', 'x']);
    const r = applyFlagOverrides(base, f);
    expect(r.errors).toEqual([]);
    expect(r.options).toMatchObject({ port: 5000, debug: true, host: '127.0.0.1', http_host: '127.0.0.1' });
    expect(r.options.authorization).toMatchObject({ user: 'x', password: 'b' });
    expect(base).toEqual(before);
  });

  it('options not given on the command line keep their config values', () => {
    const base = loadConfigText('logtime: false\nserver_name: s', 'c.conf', { env: {} }).options;
    const r = applyFlagOverrides(base, parseFlags(['-D']));
    expect(r.options.logtime).toBe(false);
    expect(r.options.server_name).toBe('s');
  });

  it('an explicit monitoring host is kept when -a moves the client host', () => {
    const base = loadConfigText('http: "10.1.1.1:8222"', 'c.conf', { env: {} }).options;
    expect(applyFlagOverrides(base, parseFlags(['-a', '127.0.0.1'])).options.http_host).toBe('10.1.1.1');
  });

  it('--auth creates the authorization block; TLS flags replace or remove TLS', () => {
    const o = applyFlagOverrides(
      defaultOptions(),
      parseFlags(['--auth', 's3cr3t', '--tls', '--tlscert', 'c', '--tlskey', 'k']),
    );
    expect(o.options.authorization).toMatchObject({ token: 's3cr3t', user: null, users: [] });
    expect(o.options.tls).toMatchObject({ cert_file: 'c', key_file: 'k', verify: false, timeout: 2000 });
    const withTls = { ...defaultOptions(), tls: o.options.tls };
    expect(applyFlagOverrides(withTls, parseFlags(['--tls=false'])).options.tls).toBeNull();
  });

  it('--routes needs a cluster (from the flags or the config file)', () => {
    const routes = parseFlags(['--routes', 'nats://a:6222']);
    expect(applyFlagOverrides(defaultOptions(), routes).errors.map(String)).toEqual([
      'solicited routes require cluster capabilities, e.g. --cluster',
    ]);
    const withCluster = parseFlags(['--routes', 'nats://a:6222', '--cluster', 'nats://127.0.0.1:6222']);
    expect(applyFlagOverrides(defaultOptions(), withCluster).errors).toEqual([]);
    const conf = loadConfigText('cluster { port: 6222 }', 'c.conf', { env: {} }).options;
    expect(applyFlagOverrides(conf, routes).errors).toEqual([]);
  });

  it('cross-field checks run again after the overrides', () => {
    const r = applyFlagOverrides(defaultOptions(), parseFlags(['-n', 'has space']));
    expect(r.errors.map(String)).toEqual(['server name cannot contain spaces']);
  });
});

describe('usage and docs', () => {
  it('usage lists the supported flags only', () => {
    const u = usageText('starling');
    expect(u).toContain('Usage: starling [options]');
    for (const f of ['--addr', '--port', '--config', '--signal', '--tlscert', '--user', '-DVV', '--version']) {
      expect(u).toContain(f);
    }
    for (const f of ['--routes', '--cluster', '--jetstream', '--profile', '--store_dir']) expect(u).not.toContain(f);
  });

  it('every flag error code is documented in docs/errors.md', () => {
    const docs = readFileSync(join(import.meta.dirname, '../../../docs/errors.md'), 'utf8');
    expect(Object.keys(FLAG_ERRORS).filter((c) => !docs.includes(`\`${c}\``))).toEqual([]);
  });
});
