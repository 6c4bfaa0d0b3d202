/**
 * The HTTP(S) monitoring listener: nats-server's endpoints (/varz, /connz, /subsz, …) with its
 * routing (Go ServeMux: exact paths under `http_base_path`, 301 to the cleaned path, plain-text
 * 404), JSON/JSONP responses and 400 error texts, plus Starling's /metrics (Prometheus text) and
 * /dashboard (a self-contained live page). Handlers read the Server's public state and never
 * touch its hot path: each request is a bounded amount of work on the event loop.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { ServerTls } from '../listeners/tls.js';
import type { Server } from '../server.js';
import { buildAccountz, buildAccstatz } from './accountz.js';
import { buildConnz, parseConnzQuery } from './connz.js';
import { cleanPath, MonitorContext, PATHS } from './context.js';
import { DASHBOARD_HTML } from './dashboard-page.js';
import { MONITOR_ERRORS, MonitorError } from './errors.js';
import { decodeBool, goJson, goJsonIndent, QueryError } from './go-format.js';
import { renderIndexPage } from './index-page.js';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from './metrics.js';
import { buildSubsz, parseSubszQuery } from './subsz.js';
import { buildGatewayz, buildJsz, buildLeafz, buildRoutez, healthz } from './topology.js';
import { buildVarz } from './varz.js';

export { buildConnz, type ConnzOptions, defaultConnzOptions, parseConnzQuery } from './connz.js';
export { MonitorContext, normalizeBasePath, PATHS } from './context.js';
export { MONITOR_ERRORS, MonitorError, type MonitorErrorCode } from './errors.js';
export { renderMetrics } from './metrics.js';
export { buildSubsz } from './subsz.js';
export { buildVarz } from './varz.js';

export interface MonitorOptions {
  /** Interface to bind (nats-server: `http_host`, defaulting to the client host). */
  host: string;
  /** Port; `0` or `-1` picks a free one. */
  port: number;
  /** The client port's TLS (`tls {}`) for HTTPS (`https_port`), or null for plain HTTP. */
  tls: ServerTls | null;
  /** `http_base_path` as configured (`""`, `"/"`, `"mon/"`…); normalised like nats-server. */
  basePath: string;
}

export interface MonitorHandle {
  /** The bound port. */
  readonly port: number;
  /** Base URL, e.g. `http://127.0.0.1:8222/` (with the base path). */
  readonly url: string;
  /** Stops listening and closes every monitoring connection. */
  close(): Promise<void>;
}

/** Starts the monitoring listener for `server`. Rejects with ERR_MONITOR_LISTEN when it cannot bind. */
export async function startMonitoring(server: Server, opts: MonitorOptions): Promise<MonitorHandle> {
  if (!Number.isInteger(opts.port) || opts.port < -1 || opts.port > 65535) {
    throw new MonitorError(MONITOR_ERRORS.MONITOR_OPTIONS, `invalid monitoring port ${opts.port}`);
  }
  const ctx = new MonitorContext(server, opts.basePath);
  const http = createHttpServer((req, res) => handle(ctx, req, res));
  http.keepAliveTimeout = 5000;
  const sockets = new Set<Socket>();
  const tls = opts.tls;
  const net: NetServer = createNetServer((raw) => {
    sockets.add(raw);
    raw.once('close', () => sockets.delete(raw));
    raw.on('error', () => raw.destroy());
    if (tls === null) {
      http.emit('connection', raw);
      return;
    }
    // HTTPS with the client port's certificate; the monitor never asks for a client certificate.
    const secure = new TLSSocket(raw, { isServer: true, secureContext: tls.context, requestCert: false });
    secure.on('error', () => raw.destroy());
    const timer = setTimeout(() => raw.destroy(), Math.max(tls.timeout, 1000));
    secure.once('secure', () => {
      clearTimeout(timer);
      http.emit('connection', secure);
    });
    raw.once('close', () => clearTimeout(timer));
  });
  const port = await new Promise<number>((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(new MonitorError(MONITOR_ERRORS.MONITOR_LISTEN, `can't listen to the monitor port: ${err.message}`, err));
    };
    net.once('error', onError);
    net.listen(Math.max(opts.port, 0), opts.host, () => {
      net.off('error', onError);
      const addr = net.address();
      resolve(addr !== null && typeof addr === 'object' ? addr.port : opts.port);
    });
  });
  net.on('error', (err) => server.logger.error(`monitoring: ${err.message}`));
  ctx.attach();
  // The caller logs `Starting http monitor on …` (Server.start does, as nats-server).
  const scheme = tls === null ? 'http' : 'https';
  const urlHost = opts.host === '0.0.0.0' || opts.host === '' ? '127.0.0.1' : opts.host === '::' ? '::1' : opts.host;
  const url = `${scheme}://${hostPort(urlHost, port)}${ctx.basePath === '/' ? '/' : `${ctx.basePath}/`}`;
  let closing: Promise<void> | null = null;
  return {
    port,
    url,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        ctx.detach();
        net.close(() => resolve());
        http.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// ---------------------------------------------------------------- routing

type Handler = (ctx: MonitorContext, q: URLSearchParams, res: ServerResponse) => void;

/** Endpoint path → handler. Each handler counts itself in `http_req_stats` where nats-server does. */
const ROUTES: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  [
    PATHS.VARZ,
    (ctx, q, res) => {
      ctx.countRequest(PATHS.VARZ);
      sendJson(res, q, buildVarz(ctx));
    },
  ],
  [
    PATHS.CONNZ,
    (ctx, q, res) => {
      const opts = parseConnzQuery(q);
      ctx.countRequest(PATHS.CONNZ);
      sendJson(res, q, buildConnz(ctx, opts));
    },
  ],
  [
    PATHS.ROUTEZ,
    (ctx, q, res) => {
      if ((q.get('subs') ?? '').toLowerCase() !== 'detail') decodeBool(q, 'subs');
      ctx.countRequest(PATHS.ROUTEZ);
      sendJson(res, q, buildRoutez(ctx));
    },
  ],
  [
    PATHS.GATEWAYZ,
    (ctx, q, res) => {
      ctx.countRequest(PATHS.GATEWAYZ);
      sendJson(res, q, buildGatewayz(ctx, q));
    },
  ],
  [
    PATHS.LEAFZ,
    (ctx, q, res) => {
      ctx.countRequest(PATHS.LEAFZ);
      sendJson(res, q, buildLeafz(ctx, q));
    },
  ],
  [PATHS.SUBSZ, subsz],
  [PATHS.SUBSCRIPTIONSZ, subsz],
  [
    PATHS.ACCOUNTZ,
    (ctx, q, res) => {
      ctx.countRequest(PATHS.ACCOUNTZ);
      sendJson(res, q, buildAccountz(ctx, q.get('acc') ?? ''));
    },
  ],
  [
    PATHS.ACCSTATZ,
    (ctx, q, res) => {
      ctx.countRequest(PATHS.ACCSTATZ);
      sendJson(res, q, buildAccstatz(ctx, q));
    },
  ],
  [
    PATHS.JSZ,
    (ctx, q, res) => {
      ctx.countRequest(PATHS.JSZ);
      sendJson(res, q, buildJsz(ctx, q));
    },
  ],
  [
    PATHS.HEALTHZ,
    (ctx, q, res) => {
      ctx.countRequest(PATHS.HEALTHZ);
      const h = healthz(ctx, q);
      // nats-server writes the status before the content type, so Go sniffs a failure as text/plain.
      send(res, h.status, h.status === 200 ? null : 'text/plain; charset=utf-8', q, goJson(h.body));
    },
  ],
  [
    PATHS.METRICS,
    (ctx, _q, res) => {
      ctx.countRequest(PATHS.METRICS);
      res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Cache-Control': 'no-store' });
      res.end(renderMetrics(ctx));
    },
  ],
  [
    PATHS.DASHBOARD,
    (ctx, _q, res) => {
      ctx.countRequest(PATHS.DASHBOARD);
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        // Everything is inline; the page may only talk back to this monitor.
        'Content-Security-Policy':
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'",
      });
      res.end(DASHBOARD_HTML);
    },
  ],
]);

function subsz(ctx: MonitorContext, q: URLSearchParams, res: ServerResponse): void {
  ctx.countRequest(PATHS.SUBSZ);
  sendJson(res, q, buildSubsz(ctx, parseSubszQuery(q)));
}

/** Routes one request; any handler error becomes nats-server's 400 plain-text answer. */
export function handle(ctx: MonitorContext, req: IncomingMessage, res: ServerResponse): void {
  const raw = req.url ?? '/';
  const qi = raw.indexOf('?');
  const rawPath = qi < 0 ? raw : raw.slice(0, qi);
  const rawQuery = qi < 0 ? '' : raw.slice(qi + 1);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    sendText(res, 400, '400 Bad Request');
    return;
  }
  if (path === '' || path[0] !== '/') path = `/${path}`;
  // Go's ServeMux answers a non-canonical path with a redirect to the cleaned one.
  let clean = cleanPath(path);
  if (path.endsWith('/') && clean !== '/') clean += '/';
  if (clean !== path) {
    const location = clean + (qi < 0 ? '' : `?${rawQuery}`);
    res.writeHead(301, { Location: location, 'Content-Type': 'text/html; charset=utf-8' });
    res.end(req.method === 'GET' ? `<a href="${escapeHtml(location)}">Moved Permanently</a>.\n\n` : '');
    return;
  }
  const q = new URLSearchParams(rawQuery);
  try {
    const handler = endpointFor(ctx, path);
    if (handler !== null) {
      handler(ctx, q, res);
      return;
    }
    if (path === ctx.basePath) {
      ctx.countRequest(PATHS.ROOT);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(renderIndexPage(ctx));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end('404 page not found\n');
  } catch (err) {
    if (err instanceof QueryError) {
      sendText(res, 400, err.message);
      return;
    }
    ctx.server.logger.error(`monitoring: error serving ${path}: ${(err as Error).stack ?? err}`);
    if (!res.headersSent) sendText(res, 500, 'internal error');
    else res.destroy();
  }
}

function endpointFor(ctx: MonitorContext, path: string): Handler | null {
  const base = ctx.basePath;
  let rel: string;
  if (base === '/') rel = path;
  else if (path.startsWith(`${base}/`)) rel = path.slice(base.length);
  else return null;
  return ROUTES.get(rel) ?? null;
}

function sendJson(res: ServerResponse, q: URLSearchParams, body: unknown): void {
  send(res, 200, null, q, goJsonIndent(body));
}

/** JSON, or JSONP when `callback` is given (nats-server 2.9's `ResponseHandler`). */
function send(res: ServerResponse, status: number, type: string | null, q: URLSearchParams, json: string): void {
  const callback = q.get('callback') ?? '';
  const body = callback !== '' ? `${callback}(${json})` : json;
  const contentType = type ?? (callback !== '' ? 'application/javascript' : 'application/json');
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
