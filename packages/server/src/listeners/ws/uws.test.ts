import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { isNative, loadUws, nativeBinaryName } from './uws.js';

describe('uWebSockets.js loader', () => {
  const saved = process.env.UWS_USE_FALLBACK;
  afterEach(() => {
    if (saved === undefined) delete process.env.UWS_USE_FALLBACK;
    else process.env.UWS_USE_FALLBACK = saved;
  });

  it('loads the native binding', () => {
    const uws = loadUws();
    expect(isNative(uws)).toBe(true);
    expect(typeof uws.App).toBe('function');
    expect(nativeBinaryName()).toBe(`uws_${process.platform}_${process.arch}_${process.versions.modules}.node`);
  });

  it('refuses to run when UWS_USE_FALLBACK asks for the JavaScript fallback', () => {
    process.env.UWS_USE_FALLBACK = 'true';
    expect(() => loadUws()).toThrow(/UWS_USE_FALLBACK=true .* runs only on the native binary/);
    try {
      loadUws();
    } catch (e) {
      expect((e as { code: string }).code).toBe('ERR_WS_NATIVE');
    }
    process.env.UWS_USE_FALLBACK = '0';
    expect(isNative(loadUws())).toBe(true);
  });

  it('tells the JavaScript fallback from the native binding', () => {
    const require = createRequire(import.meta.url);
    const fallback = require('uWebSockets.js/dist/index.js') as unknown;
    expect(isNative(fallback)).toBe(false);
    expect(isNative(null)).toBe(false);
    expect(isNative({ App: () => {} })).toBe(false);
  });
});
