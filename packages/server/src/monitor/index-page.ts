/**
 * The monitoring root: an HTML index linking every endpoint, like nats-server's. Links are
 * relative (`.` + full path) so they work behind `http_base_path` and proxies. Nothing is
 * fetched from outside the machine (no external favicon, fonts or images).
 */
import type { MonitorContext } from './context.js';
import { PATHS } from './context.js';

const LINKS: [string, string][] = [
  [PATHS.VARZ, 'General'],
  [PATHS.JSZ, 'JetStream'],
  [PATHS.CONNZ, 'Connections'],
  [PATHS.ACCOUNTZ, 'Accounts'],
  [PATHS.ACCSTATZ, 'Account Stats'],
  [PATHS.SUBSZ, 'Subscriptions'],
  [PATHS.ROUTEZ, 'Routes'],
  [PATHS.LEAFZ, 'LeafNodes'],
  [PATHS.GATEWAYZ, 'Gateways'],
  [PATHS.HEALTHZ, 'Health Probe'],
];

const STARLING_LINKS: [string, string][] = [
  [PATHS.DASHBOARD, 'Dashboard'],
  [PATHS.METRICS, 'Prometheus metrics'],
];

export function renderIndexPage(ctx: MonitorContext): string {
  const link = ([p, label]: [string, string]): string => `    <a href=".${ctx.fullPath(p)}">${label}</a>`;
  const version = ctx.server.info.version;
  return `<html lang="en">
  <head>
  <meta charset="utf-8">
  <title>Starling monitoring</title>
  <style type="text/css">
    body { font-family: ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; font-size: 18px; margin: 32px; color: rgb(40 40 52) }
    h1 { font-size: 26px; font-weight: 650; margin: 0 0 4px 0 }
    .version { font-size: 14px; color: rgb(110 110 125); margin-bottom: 24px }
    a { display: block; margin-left: 7px; padding-bottom: 6px; color: rgb(72 72 92); text-decoration: none }
    a:hover { font-weight: 600; color: rgb(59 50 202) }
    h2 { font-size: 14px; text-transform: uppercase; letter-spacing: .06em; color: rgb(110 110 125); margin: 20px 0 8px 0 }
  </style>
  </head>
  <body>
    <h1>Starling</h1>
    <div class="version">NATS protocol broker, nats-server v${version} compatible</div>
${LINKS.map(link).join('\n')}
    <h2>Starling</h2>
${STARLING_LINKS.map(link).join('\n')}
  </body>
</html>
`;
}
