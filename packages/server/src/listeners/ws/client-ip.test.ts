import { describe, expect, it } from 'vitest';
import { formatIp, forwardedFor, forwardedNodeIp, normalizeIp, TrustedProxies } from './client-ip.js';
import { addHeader, newUpgradeRequest, type UpgradeRequest } from './request.js';

function req(peer: string, headers: Record<string, string | string[]> = {}): UpgradeRequest {
  const r = newUpgradeRequest('GET', '/', false, peer);
  for (const [k, v] of Object.entries(headers)) for (const line of Array.isArray(v) ? v : [v]) addHeader(r, k, line);
  return r;
}

describe('formatIp / normalizeIp', () => {
  it('formats IPv4, IPv4-mapped IPv6 and compressed IPv6', () => {
    expect(formatIp(new Uint8Array([127, 0, 0, 1]))).toBe('127.0.0.1');
    expect(formatIp(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3]))).toBe('10.1.2.3');
    expect(formatIp(new Uint8Array(16).fill(0).map((_, i) => (i === 15 ? 1 : 0)))).toBe('::1');
    expect(normalizeIp('2001:DB8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(normalizeIp('::')).toBe('::');
    expect(normalizeIp('fe80::')).toBe('fe80::');
    expect(normalizeIp('1:2:3:4:5:6:7:8')).toBe('1:2:3:4:5:6:7:8');
    expect(normalizeIp('1:0:3:4:5:6:7:8')).toBe('1:0:3:4:5:6:7:8');
    expect(normalizeIp('nope')).toBeNull();
  });

  it('reads forwarded node values', () => {
    expect(forwardedNodeIp(' 203.0.113.7 ')).toBe('203.0.113.7');
    expect(forwardedNodeIp('203.0.113.7:4711')).toBe('203.0.113.7');
    expect(forwardedNodeIp('"[2001:db8:cafe::17]:4711"')).toBe('2001:db8:cafe::17');
    expect(forwardedNodeIp('2001:db8::17')).toBe('2001:db8::17');
    expect(forwardedNodeIp('unknown')).toBeNull();
    expect(forwardedNodeIp('_hidden')).toBeNull();
    expect(forwardedFor(['for=192.0.2.60;proto=http;by=203.0.113.43', 'For="[2001:db8::1]", for=10.0.0.1'])).toEqual([
      '192.0.2.60',
      '"[2001:db8::1]"',
      '10.0.0.1',
    ]);
  });
});

describe('TrustedProxies', () => {
  const proxies = TrustedProxies.parse(['10.0.0.0/8', '127.0.0.1', '2001:db8::/32']);

  it('ignores forwarding headers from an untrusted peer (spoofing)', () => {
    expect(proxies.clientIp(req('198.51.100.1', { 'X-Forwarded-For': '1.2.3.4', 'X-Real-IP': '1.2.3.4' }))).toBe(
      '198.51.100.1',
    );
  });

  it('without trusted_proxies nothing is believed', () => {
    expect(TrustedProxies.parse([]).clientIp(req('127.0.0.1', { 'X-Forwarded-For': '1.2.3.4' }))).toBe('127.0.0.1');
  });

  it('takes the right-most untrusted X-Forwarded-For hop from a trusted peer', () => {
    expect(proxies.clientIp(req('127.0.0.1', { 'X-Forwarded-For': '203.0.113.7' }))).toBe('203.0.113.7');
    // The client forged the left-most entry; the proxies appended the real hops.
    expect(proxies.clientIp(req('10.1.1.1', { 'X-Forwarded-For': '6.6.6.6, 203.0.113.7, 10.2.2.2' }))).toBe(
      '203.0.113.7',
    );
    // Several header lines form one list.
    expect(proxies.clientIp(req('10.1.1.1', { 'X-Forwarded-For': ['203.0.113.7', '10.2.2.2'] }))).toBe('203.0.113.7');
    // Every hop trusted: the left-most.
    expect(proxies.clientIp(req('10.1.1.1', { 'X-Forwarded-For': '10.9.9.9, 10.2.2.2' }))).toBe('10.9.9.9');
    // Garbage stops the walk at the last trusted hop.
    expect(proxies.clientIp(req('10.1.1.1', { 'X-Forwarded-For': '203.0.113.7, garbage, 10.2.2.2' }))).toBe('10.2.2.2');
  });

  it('prefers Forwarded, falls back to X-Real-IP', () => {
    expect(
      proxies.clientIp(req('10.1.1.1', { Forwarded: 'for=192.0.2.60;proto=https', 'X-Forwarded-For': '203.0.113.7' })),
    ).toBe('192.0.2.60');
    expect(proxies.clientIp(req('10.1.1.1', { 'X-Real-IP': '192.0.2.99' }))).toBe('192.0.2.99');
    expect(proxies.clientIp(req('10.1.1.1', { 'X-Real-IP': 'not-an-ip' }))).toBe('10.1.1.1');
    expect(proxies.clientIp(req('2001:db8::5', { 'X-Forwarded-For': '2001:0db8:0:0:0:0:0:9, 192.0.2.1' }))).toBe(
      '192.0.2.1',
    );
  });

  it('refuses invalid entries at start-up, naming them', () => {
    expect(() => TrustedProxies.parse(['10.0.0.0/8', '10.0.0.0/33', 'proxy.local'])).toThrow(
      /invalid trusted_proxies entries "10.0.0.0\/33", "proxy.local"/,
    );
    try {
      TrustedProxies.parse(['x']);
    } catch (e) {
      expect((e as { code: string }).code).toBe('ERR_WS_CONFIG');
    }
  });
});
