/**
 * Loads uWebSockets.js's native binding, and only that. The package's own entry (`src/uws.js`)
 * silently falls back to a slow `ws`-based imitation when the binary does not load or when
 * `UWS_USE_FALLBACK` is set; Starling refuses both: a websocket listener that is quietly ten
 * times slower, with different framing rules, is worse than one that does not start.
 *
 * This module is imported only when a `websocket {}` block is configured (server.ts imports the
 * listener lazily), so a server without websockets never loads the binary.
 */

import type * as Uws from 'uWebSockets.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { WebsocketError } from './errors.js';

export type UwsModule = typeof Uws;

let cached: UwsModule | null = null;

/** The file name uWebSockets.js ships for this platform, arch and Node ABI. */
export function nativeBinaryName(): string {
  return `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`;
}

/** Returns the native uWebSockets.js binding; throws `ERR_WS_NATIVE` rather than fall back. */
export function loadUws(): UwsModule {
  const flag = process.env.UWS_USE_FALLBACK;
  if (flag !== undefined && flag !== '' && flag !== '0' && flag.toLowerCase() !== 'false') {
    throw new WebsocketError(
      'ERR_WS_NATIVE',
      `UWS_USE_FALLBACK=${flag} asks uWebSockets.js for its JavaScript fallback; Starling's websocket listener runs only on the native binary (unset UWS_USE_FALLBACK)`,
    );
  }
  if (cached !== null) return cached;
  const require = createRequire(import.meta.url);
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('uWebSockets.js/package.json'));
  } catch (err) {
    throw new WebsocketError('ERR_WS_NATIVE', 'uWebSockets.js is not installed', err);
  }
  const file = join(pkgDir, 'binaries', nativeBinaryName());
  let mod: UwsModule;
  try {
    mod = require(file) as UwsModule;
  } catch (err) {
    throw new WebsocketError(
      'ERR_WS_NATIVE',
      `the uWebSockets.js native binary ${file} does not load on Node ${process.version} (${process.platform}/${process.arch}, ABI ${process.versions.modules}): ${(err as Error).message}`,
      err,
    );
  }
  if (!isNative(mod)) {
    throw new WebsocketError('ERR_WS_NATIVE', `${file} is not the uWebSockets.js native binding`);
  }
  cached = mod;
  return mod;
}

/**
 * The native binding's functions are C++ callbacks (`[native code]`); the fallback's are
 * JavaScript. `App` and `us_listen_socket_close` must both be native.
 */
export function isNative(mod: unknown): boolean {
  if (typeof mod !== 'object' || mod === null) return false;
  const m = mod as Record<string, unknown>;
  for (const name of ['App', 'SSLApp', 'us_listen_socket_close', 'us_socket_local_port']) {
    const f = m[name];
    if (typeof f !== 'function') return false;
    if (!Function.prototype.toString.call(f).includes('[native code]')) return false;
  }
  return true;
}
