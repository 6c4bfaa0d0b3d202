// A real browser against the websocket listener: headless Chromium (playwright-core) loads a page
// served by this test over HTTP on loopback. The page logs in (the login endpoint sets an HttpOnly
// cookie holding a bearer user JWT), then connects to the server's websocket port with no
// credentials in script — the cookie travels with the upgrade (jwt_cookie) — and does pub/sub and
// request/reply with nats.ws's ESM bundle. A page from another origin must be refused.
//
// Both targets run it with the same jwt_cookie + allowed_origins config; Starling additionally has
// handshake_auth on, so a page that did not log in never gets a websocket at all (HTTP 401).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpNats, type WsTarget, WsTargets } from '../../cases/websocket-harness.js';
import { type OperatorFixture, operatorFixture } from '../../cases/websocket-operator.js';
import { sleep, type TargetKind, targetsFromEnv } from '../../src/targets.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium's path; installs the Debian package when missing and running as root, else fails clearly. */
function chromiumPath(): string {
  const ok = (): boolean => {
    try {
      accessSync(CHROMIUM, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (ok()) return CHROMIUM;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) throw new Error(`${CHROMIUM} not found and not root: install it with "apt-get install -y chromium"`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', 'chromium'], { env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { env, encoding: 'utf8', timeout: 600_000 });
    r = spawnSync('apt-get', ['install', '-y', 'chromium'], { env, encoding: 'utf8', timeout: 600_000 });
  }
  if (!ok()) throw new Error(`apt-get install -y chromium did not provide ${CHROMIUM}: ${r.stderr?.slice(-500)}`);
  return CHROMIUM;
}

const PAGE = readFileSync(resolve(import.meta.dirname, 'page.html'));
// nats.ws's exports map has no ./package.json: resolve its CommonJS entry and step to esm/.
const NATS_WS_ESM = readFileSync(join(dirname(createRequire(import.meta.url).resolve('nats.ws')), '../esm/nats.js'));

/** The web app: the page, the nats.ws bundle, and a login endpoint that sets the session cookie. */
function webApp(jwt: () => string): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method === 'GET' && req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (req.method === 'GET' && req.url === '/nats.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(NATS_WS_ESM);
    } else if (req.method === 'POST' && req.url === '/login') {
      // A real app would check a password here and mint a per-user JWT.
      res.writeHead(204, { 'set-cookie': `nats_jwt=${jwt()}; HttpOnly; SameSite=Strict; Path=/` }).end();
    } else {
      res.writeHead(404).end();
    }
  };
}

function listen(server: HttpServer, host: string, port = 0): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address();
      resolvePort(typeof a === 'object' && a !== null ? a.port : 0);
    });
  });
}

interface RunResult {
  ok: boolean;
  log: string[];
  error?: string;
}

let browser: Browser;
let fx: OperatorFixture;
const good = createServer();
const evil = createServer();
let appPort = 0;

beforeAll(async () => {
  fx = await operatorFixture();
  const handler = webApp(() => fx.openUser);
  good.on('request', handler);
  evil.on('request', handler);
  appPort = await listen(good, '127.0.0.1');
  // The same app from another origin (another loopback address, so another site).
  await listen(evil, '127.0.0.2', appPort);
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  good.close();
  evil.close();
});

describe.each(targetsFromEnv())('%s', (kind: TargetKind) => {
  const targets = new WsTargets();
  afterAll(() => targets.stopAll());
  const start = (): Promise<WsTarget> =>
    targets.get(
      kind,
      [
        'no_tls: true',
        'jwt_cookie: "nats_jwt"',
        `allowed_origins: ["http://127.0.0.1:${appPort}"]`,
        ...(kind === 'starling' ? ['handshake_auth: true'] : []),
      ].join('\n  '),
      fx.config,
    );

  async function runPage(origin: string, wsPort: number, login: boolean): Promise<RunResult> {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
      return await page.evaluate(
        ([url, doLogin]) =>
          (globalThis as unknown as { runNats(u: string, l: boolean): Promise<RunResult> }).runNats(url, doLogin),
        [`ws://127.0.0.1:${wsPort}`, login] as [string, boolean],
      );
    } finally {
      await context.close();
    }
  }

  it('a logged-in page connects with its HttpOnly cookie: pub/sub and request/reply work', async () => {
    const t = await start();
    // A Node client on the TCP port, to see the browser's message cross transports.
    const tcp = await TcpNats.connect(t.target.port, JSON.stringify({ verbose: false, jwt: fx.openUser }));
    try {
      await tcp.read('PONG\r\n');
      tcp.write('SUB ok.to-node 1\r\nPING\r\n');
      await tcp.read('PONG\r\n');
      const r = await runPage(`http://127.0.0.1:${appPort}`, t.wsPort, true);
      expect(r).toEqual({
        ok: true,
        log: ['login:204', 'cookie-visible:false', 'echo:hello from the browser', 'reply:answer to question'],
      });
      expect(await tcp.read('browser says hi\r\n')).toBe('MSG ok.to-node 1 15\r\nbrowser says hi\r\n');
    } finally {
      tcp.close();
    }
  }, 30_000);

  it('a page from a disallowed origin is refused (403), even with a session', async () => {
    const t = await start();
    const r = await runPage(`http://127.0.0.2:${appPort}`, t.wsPort, true);
    expect(r.ok).toBe(false);
    expect(r.log).toEqual(['login:204', 'cookie-visible:false']);
    await sleep(50);
    expect(t.target.logs()).toMatch(/websocket handshake error: origin not allowed: not in the allowed list/);
  }, 30_000);

  it('a page that did not log in cannot use the websocket', async () => {
    const t = await start();
    const r = await runPage(`http://127.0.0.1:${appPort}`, t.wsPort, false);
    expect(r.ok).toBe(false);
    await sleep(50);
    if (kind === 'starling') {
      // handshake_auth: refused before any websocket exists.
      expect(t.target.logs()).toMatch(/websocket handshake error: authentication failed \(no credentials\)/);
    } else {
      // nats-server: upgraded, then refused at CONNECT.
      expect(r.error).toMatch(/authorization/i);
    }
  }, 30_000);
});
