/**
 * Upgrade-request validation in nats-server's order, with its HTTP statuses and logged reasons
 * (websocket.md §3), and the path routing that lets leafnode (`/leafnode`) and MQTT (`/mqtt`)
 * endpoints share the port later. Pure: works on an UpgradeRequest snapshot.
 */
import type { OriginPolicy } from './origin.js';
import { firstHeader, hasToken, type UpgradeRequest } from './request.js';

/** What an upgrade path leads to (nats-server main: suffix match on the escaped path). */
export const WsRoute = {
  /** Any other path: a NATS client. */
  CLIENT: 0,
  /** `…/leafnode`: a leafnode connection over websocket (LEAFNODE_WS). */
  LEAFNODE: 1,
  /** `…/mqtt`: an MQTT client over websocket (MQTT_WS). */
  MQTT: 2,
} as const;
export type WsRouteValue = (typeof WsRoute)[keyof typeof WsRoute];

export function routeOf(path: string): WsRouteValue {
  if (path.endsWith('/leafnode')) return WsRoute.LEAFNODE;
  if (path.endsWith('/mqtt')) return WsRoute.MQTT;
  return WsRoute.CLIENT;
}

export interface Rejection {
  status: number;
  /** Logged as `websocket handshake error: <reason>`; never sent to the client. */
  reason: string;
}

/** Standard status texts; the error body is the text plus a newline, as Go's http.Error writes it. */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const KEY_16_BYTES = /^[A-Za-z0-9+/]{22}==$/;

/** A `Sec-WebSocket-Key` that base64-decodes (standard alphabet, padded) to exactly 16 bytes. */
export function isValidKey(key: string): boolean {
  return KEY_16_BYTES.test(key);
}

/**
 * Checks an upgrade request. `mqttEnabled`: whether an MQTT endpoint is registered (else
 * `/mqtt` is a 404, as nats-server ≥ 2.12.12 answers).
 */
export function validateUpgrade(req: UpgradeRequest, origin: OriginPolicy, mqttEnabled: boolean): Rejection | null {
  if (!mqttEnabled && routeOf(req.path) === WsRoute.MQTT) {
    return { status: 404, reason: 'mqtt websocket endpoint not enabled' };
  }
  if (req.method !== 'GET') return { status: 405, reason: 'request method must be GET' };
  if (firstHeader(req, 'host') === '') return { status: 400, reason: "'Host' missing in request" };
  if (!hasToken(req, 'upgrade', 'websocket')) return { status: 400, reason: "invalid value for header 'Upgrade'" };
  if (!hasToken(req, 'connection', 'upgrade')) return { status: 400, reason: "invalid value for header 'Connection'" };
  const key = firstHeader(req, 'sec-websocket-key');
  if (key === '') return { status: 400, reason: 'key missing' };
  if (!isValidKey(key)) return { status: 400, reason: 'invalid websocket key' };
  if (!hasToken(req, 'sec-websocket-version', '13')) return { status: 400, reason: 'invalid version' };
  const detail = origin.check(req);
  if (detail !== null) return { status: 403, reason: `origin not allowed: ${detail}` };
  return null;
}
