// The /dashboard page in a real browser (Debian's chromium through playwright-core) while raw
// TCP clients load an in-test Starling server: the page must load with no console errors, only
// talk to the monitor, fill its tables, and its charts and figures must change between two
// reads. A full-page screenshot is saved under test-output/ (gitignored) for people to look at.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Server } from '@starling/server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWire, type WireClient } from '../src/wire.js';

const REPO = resolve(import.meta.dirname, '../..');
const OUT_DIR = resolve(REPO, 'test-output');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's chromium; installed with apt when missing and we are root (CI), else a clear failure. */
function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() === 0 && process.env.CHROMIUM_PATH === undefined) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'inherit', timeout: 300_000 });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { env, stdio: 'inherit', timeout: 600_000 });
    if (existsSync(CHROMIUM)) return CHROMIUM;
  }
  throw new Error(
    `chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`,
  );
}

let server: Server;
let browser: Browser;
let page: Page;
const clients: WireClient[] = [];
let loadTimer: NodeJS.Timeout | null = null;
const consoleErrors: string[] = [];
const hosts = new Set<string>();

async function client(name: string, extra = ''): Promise<WireClient> {
  const c = await connectWire({ host: '127.0.0.1', port: server.port });
  await c.expectInfo();
  c.send(
    `CONNECT {"verbose":false,"user":"app","pass":"pw","name":"${name}","lang":"raw","version":"1.0"}\r\n${extra}PING\r\n`,
  );
  await c.expect(/PONG\r\n$/);
  clients.push(c);
  return c;
}

/** Raw TCP load: bounded bursts every 20 ms for at most 60 s (stopped in afterAll). */
function startLoad(pubs: WireClient[]): void {
  const started = Date.now();
  let n = 0;
  loadTimer = setInterval(() => {
    if (Date.now() - started > 60_000) {
      if (loadTimer !== null) clearInterval(loadTimer);
      return;
    }
    n++;
    const burst = 20 + ((n * 7) % 30);
    let orders = '';
    for (let i = 0; i < burst; i++) orders += `PUB orders.created 64\r\n${'o'.repeat(64)}\r\n`;
    pubs[0]!.send(orders);
    let tele = '';
    for (let i = 0; i < burst * 2; i++) tele += `PUB telemetry.cpu.host${i % 4} 16\r\n${'t'.repeat(16)}\r\n`;
    pubs[1]!.send(tele);
    if (n % 5 === 0) pubs[2]!.send(`PUB billing.invoice 512\r\n${'b'.repeat(512)}\r\n`);
    // drop what the subscribers received; we only need them to read
    for (const c of clients) c.drain();
  }, 20);
}

beforeAll(async () => {
  const executablePath = ensureChromium();
  server = new Server({
    host: '127.0.0.1',
    port: -1,
    http_port: -1,
    max_pending: 256 * 1024,
    max_payload: 128 * 1024,
    authorization: { users: [{ user: 'app', password: 'pw' }] },
  });
  await server.start();
  if (server.monitor === null) throw new Error('monitoring did not start');
  // subscribers (one queue group), publishers, then an auth failure and a slow consumer
  await client('orders-worker-1', 'SUB orders.> workers 1\r\n');
  await client('orders-worker-2', 'SUB orders.> workers 1\r\n');
  await client('metrics-collector', 'SUB telemetry.> 1\r\n');
  await client('audit-log', 'SUB > 1\r\n');
  const pubs = [await client('orders-api'), await client('telemetry-gw'), await client('billing')];
  const intruder = await connectWire({ host: '127.0.0.1', port: server.port });
  await intruder.expectInfo();
  intruder.send('CONNECT {"verbose":false,"user":"app","pass":"guess","name":"intruder"}\r\n');
  await intruder.expectClosed(3000).catch(() => {});
  const slow = await client('slow-reader', 'SUB bulk 1\r\n');
  slow.pauseReading();
  const bulk = `PUB bulk 65536\r\n${'x'.repeat(65536)}\r\n`;
  for (let i = 0; i < 400 && server.slowConsumers === 0; i++) {
    pubs[2]!.send(bulk);
    await new Promise((r) => setTimeout(r, 2));
  }
  startLoad(pubs);

  browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: 'dark' });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => hosts.add(new URL(r.url()).host));
}, 900_000);

afterAll(async () => {
  if (loadTimer !== null) clearInterval(loadTimer);
  await browser?.close();
  for (const c of clients) c.close();
  await server?.shutdown();
});

interface Snapshot {
  samples: number;
  inMsgs: number;
  kpi: string | null;
  path: string | null;
}

// Page-side code reaches the DOM through globalThis (the conformance tsconfig has no DOM types).
// Functions, not strings: the page's CSP forbids eval, and Playwright evaluates strings with it.
// biome-ignore lint/suspicious/noExplicitAny: page globals, untyped here
type PageGlobal = any;

async function snapshot(): Promise<Snapshot> {
  return page.evaluate(() => {
    const g = globalThis as PageGlobal;
    const el = g.document.getElementById('k-inmsgs');
    const line = g.document.querySelector('#chart-msgs path.line');
    return {
      samples: g.__starling.samples as number,
      inMsgs: (g.__starling.last ? g.__starling.last.in_msgs : -1) as number,
      kpi: (el ? el.getAttribute('data-value') : null) as string | null,
      path: (line ? line.getAttribute('d') : null) as string | null,
    };
  });
}

describe('monitoring dashboard in chromium', () => {
  it('loads, updates its charts under load, and shows the tables', async () => {
    const url = `${server.monitor!.url}dashboard`;
    const res = await page.goto(url);
    expect(res?.status()).toBe(200);
    await page.waitForFunction(() => (globalThis as PageGlobal).__starling.samples >= 2, null, { timeout: 15_000 });
    const a = await snapshot();
    await page.waitForFunction((prev) => (globalThis as PageGlobal).__starling.samples > prev, a.samples, {
      timeout: 10_000,
    });
    const b = await snapshot();
    expect(a.path).not.toBeNull();
    expect(b.path).not.toBe(a.path);
    expect(b.inMsgs).toBeGreaterThan(a.inMsgs);
    expect(Number.parseFloat(b.kpi ?? 'NaN')).toBeGreaterThan(0);

    const text = async (sel: string) => ((await page.locator(sel).textContent()) ?? '').replace(/\s+/g, ' ');
    await page.waitForFunction(
      () => String((globalThis as PageGlobal).document.getElementById('t-auth').textContent).includes('Authentication'),
      null,
      { timeout: 10_000 },
    );
    expect(await text('#t-conns')).toMatch(/orders-api|telemetry-gw/);
    expect(await text('#t-subjects')).toContain('orders.>');
    expect(await text('#t-auth')).toContain('Authentication Failure');
    expect(server.slowConsumers).toBeGreaterThan(0);
    expect(await text('#t-slow')).toContain('slow-reader');
    expect(await text('#kinds')).toMatch(/NATS \(TCP\)\s*\d+/);
    expect(await text('#health')).toContain('healthy');

    mkdirSync(OUT_DIR, { recursive: true });
    await page.screenshot({ path: resolve(OUT_DIR, 'dashboard.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => (globalThis as PageGlobal).document.documentElement.setAttribute('data-theme', 'light'));
    await page.screenshot({ path: resolve(OUT_DIR, 'dashboard-light.png'), fullPage: true });

    expect(consoleErrors).toEqual([]);
    // Only the monitor itself was contacted.
    expect([...hosts]).toEqual([new URL(server.monitor!.url).host]);
  }, 60_000);
});
