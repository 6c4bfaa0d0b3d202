// Bad input on the websocket port, against both targets: malformed frames, oversized frames and
// slow or garbage upgrade requests are refused (the connection ends) and never disturb another
// connection — a control client is checked after every case. How the end looks differs (nats-server
// sends a Close 1002 first for some; uWebSockets.js drops the TCP connection), so only the end is
// asserted here; websocket-starling.test.ts pins Starling's exact behaviour.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RawWsClient, upgradeRequest, type WsTarget, WsTargets } from '../cases/websocket-harness.js';
import { sleep, type TargetKind, targetsFromEnv } from '../src/targets.js';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

/** A connected websocket client that must keep working. */
async function control(t: WsTarget): Promise<RawWsClient> {
  const { ws } = await RawWsClient.open(t.wsPort);
  open.push(ws);
  await ws.connectNats();
  ws.send('SUB ctl 1\r\nPING\r\n');
  await ws.readText('PONG\r\n');
  return ws;
}

async function stillWorks(ctl: RawWsClient): Promise<void> {
  ctl.send('PUB ctl 2\r\nok\r\nPING\r\n');
  // The server's own first PING (RTT, ~2 s after CONNECT) may come in between.
  const got = (await ctl.readText('PONG\r\n')).replaceAll('PING\r\n', '');
  expect(got).toBe('MSG ctl 1 2\r\nok\r\nPONG\r\n');
}

/** Reads until the server closes; returns the frames seen (ending must come within `ms`). */
async function endsWithin(ws: RawWsClient, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ws.closed) {
    if (Date.now() > deadline) throw new Error(`connection still open after ${ms} ms`);
    await ws.readFrame(Math.max(1, deadline - Date.now())).catch(() => undefined);
  }
}

describe.each(targetsFromEnv())('%s', (kind: TargetKind) => {
  const targets = new WsTargets();
  afterAll(() => targets.stopAll());
  const plain = () => targets.get(kind, 'no_tls: true', 'max_payload: 4096');

  const malformed: [string, (ws: RawWsClient) => void][] = [
    ['reserved opcode 3', (ws) => ws.sendFrame('x', { opcode: 3 })],
    ['reserved control opcode 11', (ws) => ws.sendFrame('x', { opcode: 11 })],
    ['control frame over 125 bytes', (ws) => ws.sendFrame('p'.repeat(126), { opcode: 9 })],
    ['control frame without FIN', (ws) => ws.sendFrame('p', { opcode: 9, fin: false })],
    ['continuation frame without a message', (ws) => ws.sendFrame('PING\r\n', { opcode: 0 })],
    ['compressed frame without negotiation (RSV1)', (ws) => ws.sendFrame('PING\r\n', { rsv: 4 })],
  ];

  it.each(malformed)('%s: the connection is closed; others are unaffected', async (_name, bad) => {
    const t = await plain();
    const ctl = await control(t);
    const { ws } = await RawWsClient.open(t.wsPort);
    open.push(ws);
    await ws.connectNats();
    bad(ws);
    await endsWithin(ws, 3000);
    await stillWorks(ctl);
  });

  it('a frame far over max_payload is refused; others are unaffected', async () => {
    const t = await plain();
    const ctl = await control(t);
    const { ws } = await RawWsClient.open(t.wsPort);
    open.push(ws);
    await ws.connectNats();
    ws.send(`PUB big 200000\r\n${'z'.repeat(200_000)}\r\n`);
    await endsWithin(ws, 3000);
    await stillWorks(ctl);
  });

  it('garbage instead of an HTTP request never gets a 101; others are unaffected', async () => {
    const t = await plain();
    const ctl = await control(t);
    const garbage = await RawWsClient.request(
      t.wsPort,
      '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n',
    );
    open.push(garbage);
    const got = await garbage.readAnswer(500).catch(() => null);
    expect(got === null || got.status >= 400).toBe(true);
    await stillWorks(ctl);
  });

  it('200 bad upgrade requests at once are all refused; the listener keeps serving', async () => {
    const t = await plain();
    const ctl = await control(t);
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const c = await RawWsClient.request(t.wsPort, upgradeRequest({ 'Sec-WebSocket-Version': String(i % 13) }));
        open.push(c);
        return (await c.readAnswer()).status;
      }),
    );
    expect(answers.every((s) => s === 400)).toBe(true);
    await stillWorks(ctl);
    const { ws } = await RawWsClient.open(t.wsPort);
    open.push(ws);
    await ws.connectNats();
  });

  it('a slow-loris upgrade request (one header byte a second) is cut without a 101', async () => {
    // nats-server cuts it at handshake_timeout (2 s); uWebSockets.js at its fixed 10 s HTTP
    // timeout (checked every 4 s), whatever the setting — see docs/websocket.md.
    const t = await targets.get(kind, 'no_tls: true\n  handshake_timeout: "2s"');
    const ctl = await control(t);
    const c = await RawWsClient.connect(t.wsPort);
    open.push(c);
    const head = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';
    c.write(head);
    const started = Date.now();
    while (!c.closed && Date.now() - started < 20_000) {
      c.write('a');
      await sleep(1000);
    }
    expect(c.closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(16_000);
    await stillWorks(ctl);
  }, 30_000);
});
