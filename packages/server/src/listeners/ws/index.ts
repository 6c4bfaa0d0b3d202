/**
 * The websocket listener's entry point. server.ts imports this module lazily, only when a
 * `websocket {}` block is configured, so uWebSockets.js is loaded only then.
 */
import type { WebsocketOptions } from '@starling/conf';
import type { Server } from '../../server.js';
import { ConnKind } from '../../wire.js';
import { WebsocketListener } from './listener.js';

export { WebsocketError, WS_ERRORS, type WsErrorCode } from './errors.js';
export { WebsocketListener } from './listener.js';
export { WebsocketStats } from './stats.js';
export { isNative, loadUws } from './uws.js';

/**
 * Binds the websocket listener, registers the INFO differences for WEBSOCKET clients and logs
 * as nats-server does. Throws a WebsocketError (ERR_WS_*) when it cannot start.
 */
export async function startWebsocket(server: Server, options: WebsocketOptions): Promise<WebsocketListener> {
  const listener = new WebsocketListener(server, options);
  const port = await listener.listen();
  // INFO for websocket clients (main): the websocket listener's host, port and TLS flags.
  // Standalone, nats-server sends no ws_connect_urls (they come from cluster gossip).
  server.infoOverrides.set(ConnKind.WEBSOCKET, {
    host: options.host,
    port,
    tls_required: listener.tls,
    tls_verify: false,
    tls_available: false,
    connect_urls: [],
  });
  server.logger.notice(`Listening for websocket clients on ${listener.url}`);
  if (!listener.tls) server.logger.warn('Websocket not configured with TLS. DO NOT USE IN PRODUCTION!');
  if (options.handshake_auth) server.logger.notice('Websocket handshake authentication enabled');
  if (options.trusted_proxies.length > 0) {
    server.logger.notice(`Websocket trusted proxies: ${options.trusted_proxies.join(', ')}`);
  }
  return listener;
}
