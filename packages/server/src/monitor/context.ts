import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { Connection } from '../connection.js';
import type { Server } from '../server.js';
import { ProcessStats } from './process-stats.js';
import { ClosedTally } from './tally.js';

/** Endpoint paths, relative to `http_base_path` (nats-server's names). */
export const PATHS = {
  ROOT: '/',
  VARZ: '/varz',
  CONNZ: '/connz',
  ROUTEZ: '/routez',
  GATEWAYZ: '/gatewayz',
  LEAFZ: '/leafz',
  SUBSZ: '/subsz',
  SUBSCRIPTIONSZ: '/subscriptionsz',
  ACCOUNTZ: '/accountz',
  ACCSTATZ: '/accstatz',
  JSZ: '/jsz',
  HEALTHZ: '/healthz',
  // Starling additions
  METRICS: '/metrics',
  DASHBOARD: '/dashboard',
} as const;

/** Event-loop delay figures cover at most this long (and at least half of it after the first window). */
export const LOOP_WINDOW_MS = 15_000;

/** What every endpoint handler gets: the server and the monitor's own state. */
export class MonitorContext {
  readonly server: Server;
  /** Normalised base path (`/` or `/mon`), as nats-server's `normalizeBasePath`. */
  readonly basePath: string;
  /** Requests per endpoint path (`http_req_stats` in /varz); keys are nats-server's paths. */
  readonly httpReqStats = new Map<string, number>();
  readonly proc = new ProcessStats();
  readonly tally = new ClosedTally();
  /** Event-loop delay (how long ready callbacks wait), sampled every 20 ms, over a rolling window. */
  readonly loopDelay: IntervalHistogram;
  private readonly onDisconnect: (c: Connection, reason: string) => void;
  private loopTimer: NodeJS.Timeout | null = null;

  constructor(server: Server, basePath: string) {
    this.server = server;
    this.basePath = normalizeBasePath(basePath);
    this.onDisconnect = (c, reason) => this.tally.onDisconnect(c, reason);
    this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
  }

  /** Starts listening to the server's events and sampling the event loop. */
  attach(): void {
    this.server.on('client:disconnect', this.onDisconnect);
    this.loopDelay.enable();
    // Start a new window every LOOP_WINDOW_MS so the figures describe recent behaviour.
    this.loopTimer = setInterval(() => this.loopDelay.reset(), LOOP_WINDOW_MS);
    this.loopTimer.unref();
  }

  detach(): void {
    this.server.off('client:disconnect', this.onDisconnect);
    this.loopDelay.disable();
    if (this.loopTimer !== null) clearInterval(this.loopTimer);
    this.loopTimer = null;
  }

  countRequest(path: string): void {
    this.httpReqStats.set(path, (this.httpReqStats.get(path) ?? 0) + 1);
  }

  /** `path.Join(basePath, p)`: the full URL path of an endpoint. */
  fullPath(p: string): string {
    if (this.basePath === '/') return p;
    return p === '/' ? this.basePath : this.basePath + p;
  }
}

/** nats-server `normalizeBasePath`: empty → `/`, leading slash added, then `path.Clean`. */
export function normalizeBasePath(p: string): string {
  if (p === '') return '/';
  return cleanPath(p[0] === '/' ? p : `/${p}`);
}

/** Go `path.Clean` for absolute paths: collapses `//`, resolves `.` and `..`, drops a trailing `/`. */
export function cleanPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}
