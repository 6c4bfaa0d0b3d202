/**
 * Errors the websocket listener raises at start-up. Runtime problems (bad upgrade requests,
 * bad frames) never throw: they are answered on the wire, counted and logged.
 */
import { StarlingError } from '@starling/errors';

export const WS_ERRORS = {
  /** uWebSockets.js's native binary did not load (or its JavaScript fallback was requested). */
  ERR_WS_NATIVE: 'the uWebSockets.js native binary is not available',
  /** The websocket port could not be bound. */
  ERR_WS_LISTEN: 'unable to listen for websocket connections',
  /** A `websocket.tls` setting the uWebSockets.js listener cannot honour (would be weaker than configured). */
  ERR_WS_TLS: 'websocket TLS setting not supported',
  /** A Starling websocket extension option is invalid (e.g. a `trusted_proxies` entry). */
  ERR_WS_CONFIG: 'invalid websocket option',
} as const;

export type WsErrorCode = keyof typeof WS_ERRORS;

export class WebsocketError extends StarlingError {
  constructor(code: WsErrorCode, message: string, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
  }
}
