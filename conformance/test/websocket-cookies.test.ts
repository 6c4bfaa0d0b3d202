// jwt_cookie (the cookie option nats-server 2.9.10 has) against both targets: in operator mode the
// cookie's JWT fills an empty CONNECT `jwt`; without it the client is refused (websocket.md §10).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RawWsClient, TcpNats, WsTargets } from '../cases/websocket-harness.js';
import { type OperatorFixture, operatorFixture } from '../cases/websocket-operator.js';
import { type TargetKind, targetsFromEnv } from '../src/targets.js';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

let fx: OperatorFixture;
beforeAll(async () => {
  fx = await operatorFixture();
});

describe.each(targetsFromEnv())('%s', (kind: TargetKind) => {
  const targets = new WsTargets();
  afterAll(() => targets.stopAll());
  const start = () => targets.get(kind, 'no_tls: true\n  jwt_cookie: "nats_jwt"', fx.config);

  it('a bearer JWT in the jwt_cookie authenticates an empty CONNECT', async () => {
    const t = await start();
    const { ws, info } = await RawWsClient.open(t.wsPort, { Cookie: `theme=dark; nats_jwt=${fx.bearerUser}` });
    open.push(ws);
    expect(info.auth_required).toBe(true);
    expect(typeof info.nonce).toBe('string');
    await ws.connectNats('{"verbose":false}');
    ws.send('SUB ok.x 1\r\nPUB ok.x 2\r\nhi\r\nPUB no.x 0\r\n\r\nPING\r\n');
    expect(await ws.readText('PONG\r\n')).toBe(
      `MSG ok.x 1 2\r\nhi\r\n-ERR 'Permissions Violation for Publish to "no.x"'\r\nPONG\r\n`,
    );
  });

  it('no cookie, another cookie name, or a garbage JWT: Authorization Violation', async () => {
    const t = await start();
    for (const cookie of [null, `other=${fx.bearerUser}`, 'nats_jwt=not.a.jwt']) {
      const { ws } = await RawWsClient.open(t.wsPort, { Cookie: cookie });
      open.push(ws);
      ws.send('CONNECT {"verbose":false}\r\nPING\r\n');
      expect(await ws.readText('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
    }
  });

  it('a non-bearer JWT in the cookie still needs the nonce signature', async () => {
    const t = await start();
    const { ws } = await RawWsClient.open(t.wsPort, { Cookie: `nats_jwt=${fx.signedUser}` });
    open.push(ws);
    ws.send('CONNECT {"verbose":false}\r\nPING\r\n');
    expect(await ws.readText('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
  });

  it('the cookie is a websocket thing: TCP clients without a JWT are refused', async () => {
    const t = await start();
    const tcp = await TcpNats.connect(t.target.port);
    open.push(tcp);
    expect(await tcp.read('\r\n')).toBe("-ERR 'Authorization Violation'\r\n");
  });
});
