/**
 * TLS on the client port, as nats-server does it: INFO goes out in plaintext, then the client
 * starts the handshake (or, with `handshake_first`, the handshake comes before INFO). A
 * handshake not finished within `tls.timeout` gets `-ERR 'Secure Connection - TLS Required'`.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createSecureContext, type SecureContext, TLSSocket } from 'node:tls';
import type { TlsOptions } from '@starling/conf';
import { StarlingError } from '@starling/errors';
import { ERR_TEXT, errLine } from '@starling/protocol';
import { ClosedReason } from '../closed-reason.js';
import type { Connection } from '../connection.js';
import { WheelTimer } from '../timer-wheel.js';

export class TlsConfigError extends StarlingError {
  constructor(message: string, cause?: unknown) {
    super('ERR_TLS_CONFIG', message, { cause });
  }
}

export interface ServerTls {
  context: SecureContext;
  requestCert: boolean;
  timeout: number;
  handshakeFirst: boolean | number;
}

/** Builds the secure context once at start (and on reload); bad files are a startup error. */
export function buildServerTls(o: TlsOptions): ServerTls {
  if (!o.cert_file || !o.key_file) throw new TlsConfigError('TLS Server certificate must be present and valid');
  try {
    const context = createSecureContext({
      cert: readFileSync(o.cert_file),
      key: readFileSync(o.key_file),
      ca: o.ca_file ? readFileSync(o.ca_file) : undefined,
      minVersion: tlsMinVersion(o.min_version),
      ciphers: o.cipher_suites.length > 0 ? o.cipher_suites.join(':') : undefined,
      ecdhCurve: o.curve_preferences.length > 0 ? o.curve_preferences.join(':') : undefined,
    });
    return {
      context,
      requestCert: o.verify || o.verify_and_map,
      timeout: o.timeout,
      handshakeFirst: o.handshake_first,
    };
  } catch (err) {
    throw new TlsConfigError(`error parsing X509 certificate/key pair: ${(err as Error).message}`, err);
  }
}

function tlsMinVersion(v: string | null): 'TLSv1.2' | 'TLSv1.3' | undefined {
  if (v === '1.3' || v === 'TLSv1.3') return 'TLSv1.3';
  if (v === '1.2' || v === 'TLSv1.2') return 'TLSv1.2';
  return 'TLSv1.2';
}

/**
 * Wraps `raw` in a server-side TLS socket for `conn`; calls `onSecure` once the handshake
 * completes with a verified peer (when verification is on).
 */
export function upgradeToTls(raw: Socket, conn: Connection, tls: ServerTls, onSecure: (s: TLSSocket) => void): void {
  const secure = new TLSSocket(raw, {
    isServer: true,
    secureContext: tls.context,
    requestCert: tls.requestCert,
    rejectUnauthorized: tls.requestCert,
  });
  const wheel = conn.server.wheel;
  const timer = new WheelTimer(
    {
      onTimer: () => {
        if (conn.state >= 2) return;
        conn.server.logger.error(`${conn.logPrefix}TLS handshake timeout`);
        // The client is not speaking TLS yet: the error goes out in the clear.
        raw.write(errLine(ERR_TEXT.SECURE_CONNECTION_TLS_REQUIRED));
        conn.closeNow(ClosedReason.TLS_HANDSHAKE_ERROR);
      },
    },
    0,
  );
  wheel.schedule(timer, tls.timeout);
  secure.once('secure', () => {
    wheel.cancel(timer);
    const peer = secure.getPeerCertificate(false);
    conn.tlsPeer = peer && Object.keys(peer).length > 0 ? peer : null;
    conn.tlsVersion = secure.getProtocol();
    conn.tlsCipher = secure.getCipher()?.standardName ?? null;
    onSecure(secure);
  });
  secure.on('error', (err) => {
    wheel.cancel(timer);
    if (conn.state < 2) {
      conn.server.logger.error(`${conn.logPrefix}TLS handshake error: ${err.message}`);
      conn.closeNow(ClosedReason.TLS_HANDSHAKE_ERROR);
    }
  });
}
