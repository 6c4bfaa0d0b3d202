// Config files whose verdict (accepted / rejected, and the message) must agree between Starling
// and nats-server 2.9.10. `node packages/conf/scripts/record-compat.mjs` runs each one through
// the real `/usr/sbin/nats-server` (`-t`, then a short startup for the checks nats-server only
// makes when starting) and writes compat-verdicts.json; src/compat.test.ts replays them
// against our loader without needing the binary.
//
// Fields: name, conf (t.conf), files (other files, e.g. includes), env, tOnly (compare with the
// `-t` verdict only: the startup would fail for a feature Starling does not provide, e.g.
// mqtt without JetStream), divergence ({ ours: 'valid'|'invalid', why }) for deliberate
// differences, documented in docs/configuration.md; unstable ({ ours, why }) where nats-server's
// own verdict depends on Go map order; messageDiffers / lineDiffers (why) where only the text
// or the reported line differs.
import { decorate, operatorFixture } from './nats-jwt.mjs';

const USER_NKEY = 'UD3Y65HM32IU3Z4LZAGRSDASS7UW42N2X467GZVTPJSCQUINQZJXMGT2';
const USER_NKEY_BAD_CRC = 'UD3Y65HM32IU3Z4LZAGRSDASS7UW42N2X467GZVTPJSCQUINQZJXMGT3';
const ACCOUNT_NKEY = 'AC2OODZF6VTVEBXRZ2HLG2JQIIDNBN5M4IYI3SDBUIQEE4V2EHYM7HTW';
const OPERATOR_NKEY = 'OA4DIQ7HPBGHOOAD2674DYZBEG2V4UH2M47AAD5FG2GKUDL7S4EF3CCA';
const BCRYPT = '$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG';
const op = operatorFixture('compat');

export const COMPAT_CASES = [
  // --- separators, maps, terminators (config.md §1)
  { name: 'colon', conf: 'port: 4222' },
  { name: 'equals', conf: 'port = 4222' },
  { name: 'whitespace separator', conf: 'port 4222' },
  { name: 'json style', conf: '{ "port": 4222, "max_payload": 1024 }' },
  { name: 'json multi-line', conf: '{\n  "port": 4222,\n  "debug": true\n}\n' },
  { name: 'comma and semicolon terminators', conf: 'max_payload = 1KiB, ping_max: 3; debug: true' },
  { name: 'block without separator', conf: 'authorization {\n  user: a\n  password: b\n}' },
  {
    name: 'comments everywhere',
    conf: '# top\nport: 4222 # after\n// slashes\nauthorization { # in map\n  user: a // x\n  password: b\n}\naccounts: [ # in array\n  A, // one\n  B\n]\n',
  },
  { name: 'garbage after value', conf: 'port = 4222 x' },
  { name: 'garbage after map value', conf: 'authorization { user: a b }' },
  { name: 'key separator at start', conf: ': 4222' },
  { name: 'crlf line endings', conf: 'port: 4222\r\nmax_payload: 1024\r\n' },
  { name: 'duplicate key last wins', conf: 'port: 1\nport: 4222' },
  { name: 'quoted keys', conf: '\'port\': 4222\n"debug": true' },
  { name: 'value on next line after key', conf: 'port\n4222' },
  { name: 'separator then newline', conf: 'port = \n4222' },
  { name: 'nul character ends input', conf: 'port: 4222\n\u0000foo' },
  // --- arrays
  { name: 'array of names', conf: 'accounts = [A, B]' },
  { name: 'array trailing comma', conf: 'accounts = [A,]' },
  { name: 'array leading comma', conf: 'accounts = [,A]' },
  { name: 'array double comma', conf: 'accounts = [A,,B]' },
  { name: 'array newline separated', conf: 'accounts = [\n  A\n  B\n]' },
  { name: 'integer right before ]', conf: 'accounts = [1]' },
  { name: 'size right before ]', conf: 'accounts = [1k]' },
  { name: 'integer element is not a name', conf: 'accounts = [ 1 ]' },
  { name: 'lone slash in array', conf: 'accounts = [ / ]' },
  { name: 'lone slash after array value', conf: 'accounts = [ A / ]' },
  { name: 'unterminated array', conf: 'accounts = [A' },
  // --- strings
  { name: 'double quoted escapes', conf: 'server_name: "a\\tb\\x41\\\\"' },
  { name: 'invalid escape', conf: 'server_name: "a\\qb"' },
  { name: 'short hex escape', conf: 'server_name: "a\\x4"' },
  { name: 'bad hex escape', conf: 'server_name: "a\\xzz"' },
  { name: 'single quoted raw', conf: "server_name: 'a\\qb'" },
  { name: 'bare string escape', conf: 'server_name: a\\tb' },
  { name: 'bare string with space', conf: 'server_name: a b' },
  { name: 'unterminated string', conf: 'port: "abc' },
  {
    name: 'lone quote at end',
    conf: 'port: "',
    divergence: {
      ours: 'invalid',
      why: 'a key left without value at the end: nats-server main rejects it; 2.9.10 ignores it',
    },
  },
  { name: 'multi-line block string', conf: 'server_name: (\nabc\n)\nport: 4222' },
  { name: 'unterminated block', conf: 'server_name: (\nabc\n' },
  { name: 'slash key at top level', conf: '/port: 4222' },
  { name: 'slash key inside map', conf: 'authorization { /user: a }' },
  { name: 'slash after top value', conf: 'port: 4222 /x' },
  // --- booleans and numbers
  { name: 'booleans any case', conf: 'debug: yes\ntrace: ON\nlogtime: False\nsyslog: no' },
  { name: 'size suffixes', conf: 'max_payload: 1k\nmax_pending: 64MB\nmax_control_line: 2kb' },
  { name: '1m is a million', conf: 'max_payload: 1m' },
  { name: 'payload over max_pending', conf: 'max_payload: 1MB\nmax_pending: 1KB' },
  { name: 'payload too big', conf: 'max_payload: 3GB\nmax_pending: 4GB' },
  {
    name: 'unknown size suffix',
    conf: 'max_payload: 1kbb',
    divergence: { ours: 'invalid', why: 'nats-server silently drops a value with an unknown suffix' },
  },
  { name: 'float trailing dot', conf: 'port: 1.' },
  { name: 'float leading dot', conf: 'port: .5' },
  { name: 'negative float leading dot', conf: 'port: -.5' },
  { name: 'negative port', conf: 'port: -1' },
  { name: 'port as string', conf: 'port: "4222"' },
  { name: 'integer out of range', conf: 'max_pending: 99999999999999999999' },
  { name: 'datetime wrong type', conf: 'port: 2024-01-02T15:04:05Z' },
  { name: 'short year', conf: 'port: 202-01-02' },
  { name: 'date without time', conf: 'port: 2024-01-02' },
  { name: 'listen ip:port', conf: 'listen: 127.0.0.1:-1' },
  { name: 'listen quoted', conf: 'listen: "127.0.0.1:-1"' },
  { name: 'listen bad', conf: 'listen: "nope"' },
  { name: 'listen ipv6', conf: 'listen: "[::1]:-1"' },
  // --- durations
  { name: 'ping_interval string', conf: 'ping_interval: "2m"' },
  { name: 'ping_interval 1m30s quoted', conf: 'ping_interval: "1m30s"' },
  { name: 'ping_interval 2s unquoted string', conf: 'ping_interval: 2s' },
  { name: 'ping_interval 1m30s unquoted', conf: 'ping_interval: 1m30s' },
  { name: 'ping_interval integer warns', conf: 'ping_interval: 1m' },
  { name: 'ping_interval bad unit', conf: 'ping_interval: "2x"' },
  { name: 'write_deadline', conf: 'write_deadline: "10s"' },
  { name: 'lame duck ok', conf: 'lame_duck_duration: "60s"\nlame_duck_grace_period: "5s"' },
  { name: 'lame duck too short', conf: 'lame_duck_duration: "10s"' },
  { name: 'lame duck not a duration', conf: 'lame_duck_duration: "abc"' },
  { name: 'lame duck grace negative', conf: 'lame_duck_grace_period: "-1s"' },
  { name: 'lame duck grace too long', conf: 'lame_duck_duration: "30s"\nlame_duck_grace_period: "40s"' },
  // --- variables
  { name: 'variable defined above', conf: 'x = 5\nport = $x' },
  { name: 'variable not found', conf: 'port = $NOPE' },
  { name: 'variable defined below', conf: 'port = $x\nx = 5' },
  { name: 'unused variable is unknown field', conf: 'x = 5\nport = 4222' },
  { name: 'block-local variable', conf: 'authorization { pw = b; user: a, password: $pw }' },
  { name: 'outer variable in block', conf: 'pw = b\nauthorization { user: a, password: $pw }' },
  { name: 'bcrypt literal', conf: `authorization { user: a, password: ${BCRYPT} }` },
  { name: 'bcrypt 2b is a variable', conf: `authorization { user: a, password: ${BCRYPT.replace('$2a$', '$2b$')} }` },
  { name: 'quoted dollar is a string', conf: 'authorization { user: a, password: "$x" }' },
  { name: 'env variable', conf: 'port: $P', env: { P: '-1' } },
  { name: 'env variable parsed as size', conf: 'max_payload: $P', env: { P: '512KB' } },
  { name: 'env variable does not parse', conf: 'max_payload: $P', env: { P: '[1' } },
  // --- includes
  { name: 'include top level', conf: 'include a.conf', files: { 'a.conf': 'port: -1\n' } },
  { name: 'include quoted', conf: 'include "a.conf"', files: { 'a.conf': 'port: -1\n' } },
  { name: 'include single quoted', conf: "include 'a.conf'", files: { 'a.conf': 'port: -1\n' } },
  { name: 'include upper case keyword', conf: 'INCLUDE a.conf', files: { 'a.conf': 'port: -1\n' } },
  {
    name: 'include inside block',
    conf: 'authorization { include sub/auth.conf }',
    files: { 'sub/auth.conf': 'user: a\npassword: b\n' },
  },
  { name: 'include then more keys', conf: 'include a.conf; debug: true', files: { 'a.conf': 'port: -1\n' } },
  { name: 'include missing file', conf: 'include missing.conf' },
  {
    name: 'include nested missing',
    conf: 'include c.conf',
    files: { 'c.conf': 'include missing.conf\n' },
  },
  { name: 'include with parse error', conf: 'include d.conf', files: { 'd.conf': 'port: [\n' } },
  {
    name: 'include cannot see parent variables',
    conf: 'x = 1\ninclude b.conf',
    files: { 'b.conf': 'port: $x\n' },
  },
  { name: 'include equals', conf: 'include = a.conf' },
  { name: 'include number', conf: 'include 5' },
  { name: 'include newline', conf: 'include\na.conf' },
  // --- keys without value
  {
    name: 'key without value at end',
    conf: 'port: 4222\nfoo',
    divergence: { ours: 'invalid', why: 'nats-server main rejects it ("config is invalid"); 2.9.10 ignores it' },
  },
  // --- unknown fields
  { name: 'unknown top-level field', conf: 'foo = 1' },
  { name: 'unknown field indented', conf: '  foo = 1' },
  { name: 'unknown field line 2', conf: 'port: 4222\n  bar: 2' },
  { name: 'unknown field in authorization', conf: 'authorization { user: a, password: b, bogus: 1 }' },
  { name: 'unknown field in user', conf: 'authorization {\n  users = [ {user: a, password: b, bogus: 1} ]\n}' },
  { name: 'unknown field in permissions', conf: 'authorization { users = [ {user: a, permissions: { pubz: x }} ] }' },
  {
    name: 'unknown field in subject permission',
    conf: 'authorization { users = [ {user: a, permissions: { publish: { allo: x } }} ] }',
  },
  { name: 'unknown field in tls', conf: 'tls { certfile: x }' },
  { name: 'unknown field in websocket', conf: 'websocket { port: -1, host: 127.0.0.1, no_tls: true, bogus: 1 }' },
  // --- authorization
  { name: 'single user', conf: 'authorization { user: a, password: b, timeout: 2 }' },
  { name: 'token', conf: 'authorization { token: s3cr3t }' },
  { name: 'user and token', conf: 'authorization { user: a, password: b, token: c }' },
  { name: 'user and users', conf: 'authorization { user: a, password: b, users: [ {user: c, password: d} ] }' },
  { name: 'token and users', conf: 'authorization { token: t, users: [ {user: c, password: d} ] }' },
  { name: 'duplicate user', conf: 'authorization { users: [ {user: a, password: b}, {user: a, password: c} ] }' },
  { name: 'users not an array', conf: 'authorization { users: a }' },
  { name: 'user entry not a map', conf: 'authorization { users: [ a ] }' },
  { name: 'user entry without user', conf: 'authorization { users: [ {password: a} ] }' },
  { name: 'nkey user', conf: `authorization { users: [ {nkey: ${USER_NKEY}} ] }` },
  { name: 'nkey bad checksum', conf: `authorization { users: [ {nkey: ${USER_NKEY_BAD_CRC}} ] }` },
  { name: 'nkey of an account', conf: `authorization { users: [ {nkey: ${ACCOUNT_NKEY}} ] }` },
  { name: 'nkey with password', conf: `authorization { users: [ {nkey: ${USER_NKEY}, password: x} ] }` },
  {
    name: 'connection types',
    conf: 'authorization { users: [ {user: a, allowed_connection_types: ["STANDARD", "websocket"]} ] }',
  },
  {
    name: 'unknown connection type',
    conf: 'authorization { users: [ {user: a, allowed_connection_types: ["STANDARD", "foo"]} ] }',
  },
  {
    name: 'IN_PROCESS connection type',
    conf: 'authorization { users: [ {user: a, allowed_connection_types: ["IN_PROCESS"]} ] }',
    divergence: {
      ours: 'valid',
      why: 'IN_PROCESS is known to nats-server main (in-process connections); 2.9.10 rejects it',
    },
  },
  { name: 'auth timeout duration', conf: 'authorization { user: a, password: b, timeout: "3s" }' },
  {
    name: 'auth timeout over a minute',
    conf: 'authorization { user: a, password: b, timeout: 120 }',
    divergence: {
      ours: 'invalid',
      why: 'main warns that a timeout above 60 s is likely an unquoted duration; warnings fail -t',
    },
  },
  // --- permissions
  {
    name: 'permissions all forms',
    conf: 'authorization {\n  default_permissions: { publish: "pub.>", subscribe: ["a", "b.*"] }\n  users: [\n    {user: a, password: a, permissions: { publish: { allow: ["x.>"], deny: "x.y" }, subscribe: { deny: [">"] } }}\n    {user: b, password: b, permissions: { publish: [], allow_responses: true }}\n    {user: c, password: c, permissions: { allow_responses: { max: 5, expires: "1m" } }}\n    {user: d, password: d, permissions: { sub: "foo.> q1" }}\n  ]\n}',
  },
  { name: 'permission bad subject', conf: 'authorization { users: [ {user: a, permissions: { publish: "a..b" }} ] }' },
  {
    name: 'permission bad queue form',
    conf: 'authorization { users: [ {user: a, permissions: { subscribe: "a b c" }} ] }',
  },
  { name: 'permissions not a map', conf: 'authorization { users: [ {user: a, permissions: foo} ] }' },
  {
    name: 'allow_responses bad expires',
    conf: 'authorization { users: [ {user: a, permissions: { allow_responses: { expires: "x" } }} ] }',
  },
  {
    name: 'allow_responses unknown key',
    conf: 'authorization { users: [ {user: a, permissions: { allow_responses: { maxx: 1 } }} ] }',
  },
  // --- accounts
  {
    name: 'accounts with imports and exports',
    conf: 'accounts {\n  A: { users: [ {user: a, password: a} ], exports: [ {stream: "events.>"}, {service: "svc.echo", accounts: [B]} ] }\n  B: { users: [ {user: b, password: b} ],\n       imports: [ {stream: {account: A, subject: "events.>"}, prefix: "fromA"},\n                  {service: {account: A, subject: "svc.echo"}, to: "echo"} ] }\n}',
  },
  { name: 'reserved account in list', conf: 'accounts: [ $G ]' },
  { name: 'reserved account in map', conf: 'accounts { "$G": {} }' },
  { name: 'duplicate account in list', conf: 'accounts: [ A, A ]' },
  { name: 'account not a map', conf: 'accounts { A: 1 }' },
  { name: 'account nkey', conf: `accounts { A: { nkey: ${ACCOUNT_NKEY} } }` },
  { name: 'account bad nkey', conf: `accounts { A: { nkey: ${USER_NKEY} } }` },
  { name: 'unknown field in account', conf: 'accounts { A: { userz: [] } }' },
  {
    name: 'duplicate user across accounts',
    conf: 'accounts { A: { users: [ {user: a, password: a} ] }, B: { users: [ {user: a, password: b} ] } }',
  },
  {
    name: 'user in accounts and authorization',
    conf: 'authorization { users: [ {user: a, password: a} ] }\naccounts { A: { users: [ {user: a, password: b} ] } }',
    lineDiffers: 'nats-server reports whichever of the two it reads second (Go map order); we report the account user',
  },
  {
    name: 'import from undefined account',
    conf: 'accounts { B: { imports: [ {stream: {account: Z, subject: "x"}} ] } }',
  },
  {
    name: 'import not authorized',
    conf: 'accounts { A: { exports: [ {stream: "private.>", accounts: [C]} ] }, B: {imports: [ {stream: {account: A, subject: "private.>"}} ]}, C: {} }',
  },
  {
    name: 'import wider than export',
    conf: 'accounts { A: { exports: [ {stream: "a.b"} ] }, B: {imports: [ {stream: {account: A, subject: "a.*"}} ]} }',
  },
  {
    name: 'import within wildcard export',
    conf: 'accounts { A: { exports: [ {service: "a.>"} ] }, B: {imports: [ {service: {account: A, subject: "a.b"}} ]} }',
  },
  {
    name: 'stream import prefix and to',
    conf: 'accounts { A: { exports: [ {stream: "x"} ] }, B: {imports: [ {stream: {account: A, subject: "x"}, prefix: p, to: t} ]} }',
    unstable: { ours: 'invalid', why: "nats-server only notices when it happens to read 'to' after 'prefix'" },
  },
  {
    name: 'stream import wildcard prefix',
    conf: 'accounts { A: { exports: [ {stream: "x"} ] }, B: {imports: [ {stream: {account: A, subject: "x"}, prefix: "p.*"} ]} }',
  },
  {
    name: 'duplicate service import subject',
    conf: 'accounts { A: { exports: [ {service: "x"}, {service: "y"} ] }, B: {imports: [ {service: {account: A, subject: "x"}, to: "z"}, {service: {account: A, subject: "y"}, to: "z"} ]} }',
  },
  { name: 'exports not an array', conf: 'accounts { A: { exports: {stream: x} } }' },
  {
    name: 'stream export with response type',
    conf: 'accounts { A: { exports: [ {stream: x, response_type: stream} ] } }',
  },
  {
    name: 'service export response types',
    conf: 'accounts { A: { exports: [ {service: x, response_type: chunked, threshold: "5s"} ] } }',
  },
  { name: 'unknown response type', conf: 'accounts { A: { exports: [ {service: x, response_type: many} ] } }' },
  { name: 'import missing subject', conf: 'accounts { A: { imports: [ {stream: {account: B}} ] }, B: {} }' },
  {
    name: 'account limits and default permissions',
    conf: 'accounts { A: { users: [ {user: a, password: a} ], default_permissions: { publish: "a.>" }, limits: { max_connections: 10, max_subs: 100, max_payload: 1KB, max_leafnodes: 1 } } }',
  },
  { name: 'unknown account limit', conf: 'accounts { A: { limits: { max_x: 1 } } }' },
  {
    name: 'single user and accounts',
    conf: 'authorization { user: x, password: y }\naccounts { A: { users: [ {user: a, password: a} ] } }',
    messageDiffers: 'nats-server prints "… and accounts" or "… and a users array" depending on Go map order',
  },
  {
    name: 'account mappings',
    conf: 'accounts { A: { mappings: { "a.>": "b.>", "c": [ {dest: d, weight: 50%}, {dest: e, weight: 50} ] } } }',
  },
  { name: 'account mapping bad weight', conf: 'accounts { A: { mappings: { "c": [ {dest: d, weight: 150} ] } } }' },
  // --- no_auth_user (startup checks)
  { name: 'no_auth_user ok', conf: 'no_auth_user: a\nauthorization { users: [ {user: a, password: a} ] }' },
  { name: 'no_auth_user without users', conf: 'no_auth_user: a' },
  { name: 'no_auth_user unknown', conf: 'no_auth_user: z\nauthorization { users: [ {user: a, password: a} ] }' },
  {
    name: 'no_auth_user nkey',
    conf: `no_auth_user: ${USER_NKEY}\nauthorization { users: [ {nkey: ${USER_NKEY}} ] }`,
    divergence: {
      ours: 'valid',
      why: 'nats-server main lets no_auth_user name an nkey user; 2.9.10 only looks at user names',
    },
  },
  // --- TLS
  { name: 'tls empty', conf: 'tls { }' },
  { name: 'tls cert without key', conf: 'tls { cert_file: x }' },
  { name: 'tls missing files', conf: 'tls { cert_file: nope.pem, key_file: nope-key.pem }' },
  { name: 'tls bad cipher', conf: 'tls { cipher_suites: [ "TLS_NOPE" ] }' },
  {
    name: 'tls ciphers and curves',
    conf: 'tls { cipher_suites: [ "TLS_AES_128_GCM_SHA256" ], curve_preferences: [ "X25519" ] }',
  },
  { name: 'tls bad curve', conf: 'tls { curve_preferences: [ "P999" ] }' },
  { name: 'tls timeout forms', conf: 'tls { timeout: 2.5 }' },
  { name: 'tls timeout duration', conf: 'tls { timeout: "3s" }' },
  { name: 'tls verify not bool', conf: 'tls { verify: 1 }' },
  { name: 'tls bad pin', conf: 'tls { pinned_certs: [ "abc" ] }' },
  // --- websocket
  { name: 'websocket without tls', conf: 'websocket { port: -1, host: 127.0.0.1 }' },
  {
    name: 'websocket no_tls',
    conf: 'websocket { port: -1, host: 127.0.0.1, no_tls: true, compression: true, handshake_timeout: "2s" }',
  },
  {
    name: 'websocket bad origin',
    conf: 'websocket { port: -1, host: 127.0.0.1, no_tls: true, allowed_origins: [ "ftp://x" ] }',
    divergence: {
      ours: 'invalid',
      why: 'nats-server main requires http(s) origins; 2.9.10 only checks that they parse',
    },
  },
  {
    name: 'websocket origin without scheme',
    conf: 'websocket { port: -1, host: 127.0.0.1, no_tls: true, allowed_origins: [ "example.com" ] }',
    divergence: { ours: 'invalid', why: 'nats-server main requires absolute http(s) origins; 2.9.10 accepts any text' },
  },
  {
    name: 'websocket jwt_cookie without operator',
    conf: 'websocket { port: -1, host: 127.0.0.1, no_tls: true, jwt_cookie: jwt }',
  },
  {
    name: 'websocket cookie keys of main',
    conf: 'websocket { port: -1, host: 127.0.0.1, no_tls: true, user_cookie: u, pass_cookie: p }',
    divergence: {
      ours: 'valid',
      why: 'user_cookie/pass_cookie/token_cookie/headers/ping_interval are keys of nats-server main (≥2.11)',
    },
  },
  // --- monitoring
  { name: 'http port', conf: 'http: -1' },
  { name: 'http host:port', conf: 'http: "127.0.0.1:-1"' },
  { name: 'http bad', conf: 'http: "nope"' },
  { name: 'http_port alias', conf: 'monitor_port: -1\nhttp_base_path: /mon' },
  { name: 'http and https ports', conf: 'http_port: -1\nhttps_port: -1' },
  { name: 'https without tls', conf: 'https_port: -1' },
  // --- operator mode
  {
    name: 'operator inline with memory resolver',
    conf: `operator: ${op.operatorJwt}\nresolver: MEMORY\nresolver_preload: {\n  ${op.sys.publicKey}: ${op.sysJwt}\n  ${op.app.publicKey}: ${op.appJwt}\n}`,
  },
  {
    name: 'operator from decorated file',
    conf: `operator: op.jwt\nresolver: MEM\nresolver_preload: { ${op.sys.publicKey}: ${op.sysJwt} }`,
    files: { 'op.jwt': decorate(op.operatorJwt) },
  },
  {
    name: 'operator with memory resolver without the system account',
    conf: `operator: ${op.operatorJwt}\nresolver: MEMORY\nresolver_preload: { ${op.app.publicKey}: ${op.appJwt} }`,
  },
  { name: 'system account not an account', conf: 'system_account: NOPE' },
  { name: 'system account $SYS not configured', conf: 'system_account: "$SYS"' },
  { name: 'system account defined', conf: 'accounts { SYS: {}, A: {} }\nsystem_account: SYS' },
  {
    name: 'operator without resolver',
    conf: `operator: ${op.operatorJwt}`,
    messageDiffers: 'nats-server 2.9.10 builds a URL resolver from an empty account server URL and fails fetching it',
  },
  { name: 'operator with accounts', conf: `operator: ${op.operatorJwt}\nresolver: MEMORY\naccounts: [ A ]` },
  { name: 'operator not a jwt', conf: 'operator: eyJx' },
  { name: 'operator file missing', conf: 'operator: nope.jwt\nresolver: MEMORY' },
  {
    name: 'operator system account mismatch',
    conf: `operator: ${op.operatorJwt}\nresolver: MEMORY\nsystem_account: ${op.app.publicKey}`,
  },
  { name: 'operator and no_auth_user', conf: `operator: ${op.operatorJwt}\nresolver: MEMORY\nno_auth_user: a` },
  { name: 'preload not a map', conf: `operator: ${op.operatorJwt}\nresolver: MEMORY\nresolver_preload: x` },
  {
    name: 'preload bad jwt',
    conf: `operator: ${op.operatorJwt}\nresolver: MEMORY\nresolver_preload: { ${op.app.publicKey}: "eyJhbGc.x.y" }`,
  },
  { name: 'resolver unknown', conf: `operator: ${op.operatorJwt}\nresolver: nope` },
  { name: 'trusted keys', conf: `trusted_keys: [ ${OPERATOR_NKEY} ]` },
  { name: 'trusted keys bad', conf: `trusted_keys: [ ${ACCOUNT_NKEY} ]` },
  // --- other top-level keys
  { name: 'system account not a string', conf: 'system_account: 5' },
  { name: 'max_sub_tokens too big', conf: 'max_sub_tokens: 300' },
  { name: 'max_sub_tokens zero', conf: 'max_sub_tokens: 0' },
  {
    name: 'logging keys',
    conf: 'debug: true\ntrace: false\nlogtime: true\nlogfile_size_limit: 1MB\nmax_traced_msg_len: 100',
  },
  {
    name: 'misc limits',
    conf: 'max_connections: 100\nmax_subscriptions: 10\nmax_control_line: 8KB\nping_max: 5\nno_header_support: true\ndisable_sublist_cache: true',
  },
  {
    name: 'server name with spaces',
    conf: 'server_name: "a b"',
    divergence: { ours: 'invalid', why: 'nats-server main refuses spaces in server_name; 2.9.10 accepts them' },
  },
  // --- blocks Starling parses but does not provide
  {
    name: 'cluster block',
    conf: 'cluster { name: c1, listen: "127.0.0.1:-1", routes: [ "nats://127.0.0.1:1" ] }',
    tOnly: true,
  },
  { name: 'cluster unknown key', conf: 'cluster { name: c1, bogus: 1 }', tOnly: true },
  {
    name: 'leafnodes block',
    conf: 'leafnodes { listen: "127.0.0.1:-1", remotes: [ { url: "nats://127.0.0.1:1", account: A } ] }\naccounts: [A]',
    tOnly: true,
  },
  {
    name: 'leafnode remote unknown key',
    conf: 'leafnodes { remotes: [ { url: "nats://127.0.0.1:1", bogus: 1 } ] }',
    tOnly: true,
  },
  { name: 'mqtt block', conf: 'mqtt { port: -1, ack_wait: "1m", max_ack_pending: 100 }', tOnly: true },
  { name: 'mqtt unknown key', conf: 'mqtt { port: -1, bogus: 1 }', tOnly: true },
  { name: 'gateway block', conf: 'gateway { name: g, listen: "127.0.0.1:-1" }', tOnly: true },
  { name: 'jetstream block', conf: 'jetstream { store_dir: "/tmp/x", max_mem: 1G }', tOnly: true },
  { name: 'jetstream unknown key', conf: 'jetstream { bogus: 1 }', tOnly: true },
  { name: 'server tags', conf: 'server_tags: [ "a:1", "b" ]', tOnly: true },
  { name: 'top-level mappings', conf: 'mappings: { "a": "b" }', tOnly: true },
];
