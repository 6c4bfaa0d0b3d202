import { describe, expect, it } from 'vitest';
import { OriginPolicy, parseOrigin, splitRequestHost } from './origin.js';
import { addHeader, newUpgradeRequest, type UpgradeRequest } from './request.js';

function req(host: string, origin: string | null, tls = false, header = 'Origin'): UpgradeRequest {
  const r = newUpgradeRequest('GET', '/', tls, '127.0.0.1');
  addHeader(r, 'Host', host);
  if (origin !== null) addHeader(r, header, origin);
  return r;
}

describe('origin policy (websocket.md §4)', () => {
  it('is not evaluated when neither option is set', () => {
    const p = new OriginPolicy(false, []);
    expect(p.active).toBe(false);
    expect(p.check(req('a:80', 'not a url'))).toBeNull();
  });

  it('accepts requests without an Origin (non-browser clients)', () => {
    expect(new OriginPolicy(true, ['http://x']).check(req('a:80', null))).toBeNull();
  });

  it('same_origin: host and defaulted port must equal Host, scheme must match the transport', () => {
    const p = new OriginPolicy(true, []);
    expect(p.check(req('127.0.0.1:8080', 'http://127.0.0.1:8080'))).toBeNull();
    expect(p.check(req('Example.COM', 'http://example.com'))).toBeNull(); // port 80 both, case-insensitive
    expect(p.check(req('example.com:80', 'http://example.com'))).toBeNull();
    expect(p.check(req('127.0.0.1:8080', 'http://127.0.0.1:8081'))).toBe('not same origin');
    expect(p.check(req('127.0.0.1:8080', 'http://localhost:8080'))).toBe('not same origin');
    // main compares the scheme: https origin on a plain listener is refused (2.9.10 accepted it).
    expect(p.check(req('127.0.0.1:8080', 'https://127.0.0.1:8080'))).toBe('not same origin');
    expect(p.check(req('example.com', 'https://example.com', true))).toBeNull(); // 443 both
    expect(p.check(req('example.com', 'http://example.com', true))).toBe('not same origin');
  });

  it('uses Sec-WebSocket-Origin when Origin is absent', () => {
    const p = new OriginPolicy(true, []);
    expect(p.check(req('a:1', 'http://b:1', false, 'Sec-WebSocket-Origin'))).toBe('not same origin');
  });

  it('allowed_origins: same scheme and defaulted port for the host', () => {
    const p = new OriginPolicy(false, ['http://good.example.com', 'https://app.example.com:8443']);
    expect(p.check(req('x', 'http://good.example.com'))).toBeNull();
    expect(p.check(req('x', 'http://good.example.com:80'))).toBeNull();
    expect(p.check(req('x', 'http://GOOD.example.com'))).toBeNull();
    expect(p.check(req('x', 'http://good.example.com:8080'))).toBe('not in the allowed list');
    expect(p.check(req('x', 'https://good.example.com'))).toBe('not in the allowed list');
    expect(p.check(req('x', 'https://app.example.com:8443'))).toBeNull();
    expect(p.check(req('x', 'https://app.example.com'))).toBe('not in the allowed list');
    expect(p.check(req('x', 'http://evil.example.com'))).toBe('not in the allowed list');
  });

  it('both options must pass when both are set', () => {
    const p = new OriginPolicy(true, ['http://good.example.com']);
    expect(p.check(req('good.example.com', 'http://good.example.com'))).toBeNull();
    expect(p.check(req('other.example.com', 'http://good.example.com'))).toBe('not same origin');
  });

  it('an unparseable origin is refused with the parse error as detail', () => {
    const p = new OriginPolicy(false, ['http://x']);
    expect(p.check(req('x', 'null'))).toMatch(/^parse "null": /);
    expect(p.check(req('x', 'http:x'))).toMatch(/^parse /);
  });

  it('parses IPv6 origins and hosts', () => {
    expect(parseOrigin('http://[::1]:8080')).toEqual({ scheme: 'http', host: '::1', port: '8080' });
    expect(splitRequestHost('[::1]:8080', false)).toEqual({ host: '::1', port: '8080' });
    expect(splitRequestHost('[::1]', true)).toEqual({ host: '::1', port: '443' });
    expect(new OriginPolicy(true, []).check(req('[::1]:8080', 'http://[::1]:8080'))).toBeNull();
  });
});
