import { describe, expect, it } from 'vitest';
import { OriginPolicy } from './origin.js';
import { addHeader, hasExtension, hasToken, newUpgradeRequest, type UpgradeRequest } from './request.js';
import { isValidKey, routeOf, validateUpgrade, WsRoute } from './validate.js';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const NO_ORIGIN_RULES = new OriginPolicy(false, []);

function req(headers: Record<string, string | string[]>, method = 'GET', path = '/'): UpgradeRequest {
  const r = newUpgradeRequest(method, path, false, '127.0.0.1');
  for (const [k, v] of Object.entries(headers)) for (const line of Array.isArray(v) ? v : [v]) addHeader(r, k, line);
  return r;
}

function good(extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    Host: '127.0.0.1:8080',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': KEY,
    'Sec-WebSocket-Version': '13',
    ...extra,
  };
}

describe('validateUpgrade (websocket.md §3, in nats-server order)', () => {
  it('accepts a well-formed request', () => {
    expect(validateUpgrade(req(good()), NO_ORIGIN_RULES, false)).toBeNull();
  });

  it.each([
    ['method', req(good(), 'POST'), 405, 'request method must be GET'],
    ['method is case-sensitive', req(good(), 'get'), 405, 'request method must be GET'],
    ['host', req({ ...good(), Host: '' }), 400, "'Host' missing in request"],
    ['upgrade', req({ ...good(), Upgrade: 'h2c' }), 400, "invalid value for header 'Upgrade'"],
    ['connection', req({ ...good(), Connection: 'keep-alive' }), 400, "invalid value for header 'Connection'"],
    ['key missing', req({ ...good(), 'Sec-WebSocket-Key': '' }), 400, 'key missing'],
    ['key not 16 bytes', req({ ...good(), 'Sec-WebSocket-Key': 'abc' }), 400, 'invalid websocket key'],
    ['version', req({ ...good(), 'Sec-WebSocket-Version': '8' }), 400, 'invalid version'],
  ])('%s', (_name, r, status, reason) => {
    expect(validateUpgrade(r, NO_ORIGIN_RULES, false)).toEqual({ status, reason });
  });

  it('reports the first failing check only (method before host before upgrade …)', () => {
    const r = req({ Connection: 'close' }, 'PUT');
    expect(validateUpgrade(r, NO_ORIGIN_RULES, false)?.status).toBe(405);
    const r2 = req({ Connection: 'close' });
    expect(validateUpgrade(r2, NO_ORIGIN_RULES, false)?.reason).toBe("'Host' missing in request");
    const r3 = req({ Host: 'x', Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '7' });
    expect(validateUpgrade(r3, NO_ORIGIN_RULES, false)?.reason).toBe('key missing');
  });

  it('matches tokens over comma lists and every header line, case-insensitively', () => {
    expect(
      validateUpgrade(req(good({ Connection: 'keep-alive, upgrade', Upgrade: 'WebSocket' })), NO_ORIGIN_RULES, false),
    ).toBeNull();
    expect(validateUpgrade(req(good({ Connection: ['keep-alive', ' Upgrade\t'] })), NO_ORIGIN_RULES, false)).toBeNull();
    expect(validateUpgrade(req(good({ 'Sec-WebSocket-Version': '8, 13' })), NO_ORIGIN_RULES, false)).toBeNull();
    // A token must match whole: `upgraded` is not `upgrade`.
    expect(validateUpgrade(req(good({ Connection: 'upgraded' })), NO_ORIGIN_RULES, false)?.status).toBe(400);
  });

  it('answers /mqtt with 404 while no MQTT endpoint is registered; any other path is a NATS client', () => {
    expect(validateUpgrade(req(good(), 'GET', '/mqtt'), NO_ORIGIN_RULES, false)).toEqual({
      status: 404,
      reason: 'mqtt websocket endpoint not enabled',
    });
    // The 404 comes before the method check, as in nats-server.
    expect(validateUpgrade(req(good(), 'POST', '/x/mqtt'), NO_ORIGIN_RULES, false)?.status).toBe(404);
    expect(validateUpgrade(req(good(), 'GET', '/mqtt'), NO_ORIGIN_RULES, true)).toBeNull();
    expect(validateUpgrade(req(good(), 'GET', '/anything/else'), NO_ORIGIN_RULES, false)).toBeNull();
  });

  it('applies the origin policy last, with 403', () => {
    const origin = new OriginPolicy(false, ['http://good.example.com']);
    const bad = req(good({ Origin: 'http://evil.example.com' }));
    expect(validateUpgrade(bad, origin, false)).toEqual({
      status: 403,
      reason: 'origin not allowed: not in the allowed list',
    });
    // Earlier failures win over the origin.
    const both = req({ ...good({ Origin: 'http://evil.example.com' }), 'Sec-WebSocket-Version': '12' });
    expect(validateUpgrade(both, origin, false)?.status).toBe(400);
  });
});

describe('routeOf (suffix match, nats-server main)', () => {
  it('routes by path suffix', () => {
    expect(routeOf('/')).toBe(WsRoute.CLIENT);
    expect(routeOf('/leafnode')).toBe(WsRoute.LEAFNODE);
    expect(routeOf('/prefix/leafnode')).toBe(WsRoute.LEAFNODE);
    expect(routeOf('/leafnodes')).toBe(WsRoute.CLIENT);
    expect(routeOf('/mqtt')).toBe(WsRoute.MQTT);
    expect(routeOf('/mqtt/x')).toBe(WsRoute.CLIENT);
  });
});

describe('isValidKey', () => {
  it('needs 24 characters of padded standard base64 (16 bytes)', () => {
    expect(isValidKey(KEY)).toBe(true);
    expect(isValidKey(Buffer.alloc(16, 0xff).toString('base64'))).toBe(true);
    expect(isValidKey('abc')).toBe(false);
    expect(isValidKey(Buffer.alloc(17).toString('base64'))).toBe(false);
    expect(isValidKey(Buffer.alloc(15).toString('base64'))).toBe(false);
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZQ')).toBe(false); // unpadded
    expect(isValidKey('dGhlIHNhbXBsZSBub25jZQ-_'.replace('-_', '=='))).toBe(true);
    expect(isValidKey('dGhlIHNhbXBsZSBub25j_Q==')).toBe(false); // URL alphabet
  });
});

describe('header helpers', () => {
  it('hasToken / hasExtension', () => {
    const r = req({ 'Sec-WebSocket-Extensions': ['x-foo', 'permessage-deflate; client_max_window_bits'] });
    expect(hasExtension(r, 'sec-websocket-extensions', 'permessage-deflate')).toBe(true);
    expect(hasToken(r, 'sec-websocket-extensions', 'permessage-deflate')).toBe(false);
    expect(hasExtension(req({}), 'sec-websocket-extensions', 'permessage-deflate')).toBe(false);
  });
});
