// INFO: sent at once on accept, exact framing, key order and presence (client-protocol §2, §3).
import { type CaseGroup, closed, expect, info, nothing, QUIET, send } from '../src/case.js';
import { normaliseInfoLine, WireError } from '../src/wire.js';
import { USER_A } from './fixtures.js';

const I = (json: string): string => `INFO ${json} \r\n`;

/** The normalised INFO a default-config 2.9.10 sends to a plain TCP client on 127.0.0.1. */
export const DEFAULT_INFO = I(
  '{"server_id":"<server_id>","server_name":"<server_name>","version":"<version>","proto":1,"go":"<go>",' +
    '"host":"127.0.0.1","port":"<port>","headers":true,"max_payload":1048576,"client_id":"<client_id>",' +
    '"client_ip":"127.0.0.1"}',
);

function check(cond: boolean, what: string): void {
  if (!cond) throw new WireError(what);
}

export const infoGroup: CaseGroup = {
  name: 'info',
  cases: [
    {
      name: 'INFO arrives first, unprompted, with the exact key order and values of a default server',
      ref: 'client-protocol §2.1, §3',
      async run(ctx) {
        const c = await ctx.connect();
        const f = await c.expectInfo();
        check(normaliseInfoLine(f) === DEFAULT_INFO, `normalised INFO ${normaliseInfoLine(f)} != ${DEFAULT_INFO}`);
        const i = f.info;
        check(typeof i.server_id === 'string' && /^N[A-Z2-7]{55}$/.test(i.server_id), 'server_id is a server nkey');
        check(i.server_name === i.server_id, 'server_name defaults to server_id');
        check(typeof i.version === 'string' && /^\d+\.\d+\.\d+/.test(i.version), 'version is semver');
        check(typeof i.go === 'string' && i.go.length > 0, 'go is a non-empty string');
        check(i.port === ctx.target.port, `port ${String(i.port)} is the listen port ${ctx.target.port}`);
        check(Number.isInteger(i.client_id) && (i.client_id as number) > 0, 'client_id is a positive integer');
        await c.expectNothing(50);
      },
    },
    {
      name: 'INFO line is exactly "INFO " + compact JSON + " \\r\\n" (space before CRLF)',
      ref: 'client-protocol §3',
      steps: [expect(/INFO \{"server_id":"N[A-Z2-7]{55}",[^\r\n]*\} \r\n/), nothing(50)],
    },
    {
      name: 'client_id increases with every connection',
      ref: 'client-protocol §3',
      async run(ctx) {
        const ids: number[] = [];
        for (let i = 0; i < 3; i++) {
          const c = await ctx.connect();
          ids.push((await c.expectInfo()).info.client_id as number);
        }
        check(ids[0]! < ids[1]! && ids[1]! < ids[2]!, `client ids not increasing: ${ids.join(',')}`);
      },
    },
    {
      name: 'server_name comes from the config',
      config: 'server_name: conformance-a\n',
      async run(ctx) {
        const c = await ctx.connect();
        const { info: i } = await c.expectInfo();
        check(i.server_name === 'conformance-a', `server_name ${String(i.server_name)}`);
        check(i.server_id !== 'conformance-a', 'server_id stays the nkey');
      },
    },
    {
      name: 'max_payload from the config is announced',
      config: 'max_payload: 512\n',
      async run(ctx) {
        const c = await ctx.connect();
        const f = await c.expectInfo();
        check(f.info.max_payload === 512, `max_payload ${String(f.info.max_payload)}`);
      },
    },
    {
      name: 'auth_required:true sits between headers and max_payload when auth is configured',
      config: 'authorization { user: a, password: b }\n',
      async run(ctx) {
        const c = await ctx.connect();
        const f = await c.expectInfo();
        const want = I(
          '{"server_id":"<server_id>","server_name":"<server_name>","version":"<version>","proto":1,"go":"<go>",' +
            '"host":"127.0.0.1","port":"<port>","headers":true,"auth_required":true,"max_payload":1048576,' +
            '"client_id":"<client_id>","client_ip":"127.0.0.1"}',
        );
        check(normaliseInfoLine(f) === want, `normalised INFO ${normaliseInfoLine(f)} != ${want}`);
      },
    },
    {
      name: 'auth_required is omitted when no_auth_user is set',
      ref: 'auth §1',
      config: 'authorization { users: [ {user: a, password: b} ] }\nno_auth_user: a\n',
      async run(ctx) {
        const c = await ctx.connect();
        const f = await c.expectInfo();
        check(normaliseInfoLine(f) === DEFAULT_INFO, `normalised INFO ${normaliseInfoLine(f)} != ${DEFAULT_INFO}`);
      },
    },
    {
      name: 'nkey users add a 15-char base64url nonce after client_ip',
      ref: 'auth §4',
      config: `authorization { users: [ {nkey: ${USER_A.pub}} ] }\n`,
      async run(ctx) {
        const c = await ctx.connect();
        const f = await c.expectInfo();
        const want = I(
          '{"server_id":"<server_id>","server_name":"<server_name>","version":"<version>","proto":1,"go":"<go>",' +
            '"host":"127.0.0.1","port":"<port>","headers":true,"auth_required":true,"max_payload":1048576,' +
            '"client_id":"<client_id>","client_ip":"127.0.0.1","nonce":"<nonce>"}',
        );
        check(normaliseInfoLine(f) === want, `normalised INFO ${normaliseInfoLine(f)} != ${want}`);
        check(typeof f.info.nonce === 'string' && /^[A-Za-z0-9_-]{15}$/.test(f.info.nonce), 'nonce format');
        const c2 = await ctx.connect();
        const f2 = await c2.expectInfo();
        check(f2.info.nonce !== f.info.nonce, 'each connection gets its own nonce');
      },
    },
    {
      name: 'no_header_support announces headers:false',
      config: 'no_header_support: true\n',
      async run(ctx) {
        const c = await ctx.connect();
        const f = await c.expectInfo();
        check(f.info.headers === false, `headers ${String(f.info.headers)}`);
        check(Object.keys(f.info).indexOf('headers') === Object.keys(f.info).indexOf('port') + 1, 'headers after port');
      },
    },
    {
      name: 'client_advertise replaces host and port',
      config: 'client_advertise: "conformance.example:4333"\n',
      async run(ctx) {
        const c = await ctx.connect();
        const { info: i } = await c.expectInfo();
        check(i.host === 'conformance.example' && i.port === 4333, `host/port ${String(i.host)}:${String(i.port)}`);
      },
    },
    {
      name: 'a client-sent INFO is parsed and ignored',
      ref: 'client-protocol §1',
      steps: [info(), send(`${QUIET}INFO {"server_id":"x"}\r\nPING\r\n`), expect('PONG\r\n'), nothing(50)],
    },
    {
      name: 'a client-sent INFO with invalid JSON closes silently',
      ref: 'client-protocol §1',
      steps: [info(), send(`${QUIET}INFO {nope\r\nPING\r\n`), closed()],
    },
  ],
};
