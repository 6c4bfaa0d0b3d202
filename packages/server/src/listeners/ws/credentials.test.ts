import { defaultWebsocketOptions } from '@starling/conf';
import { describe, expect, it } from 'vitest';
import { collectCredentials, decodeBasic, looksLikeJwt, parseCookies } from './credentials.js';
import { addHeader, newUpgradeRequest, type UpgradeRequest } from './request.js';

function req(headers: Record<string, string | string[]>): UpgradeRequest {
  const r = newUpgradeRequest('GET', '/', false, '127.0.0.1');
  for (const [k, v] of Object.entries(headers)) for (const line of Array.isArray(v) ? v : [v]) addHeader(r, k, line);
  return r;
}

const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVQSJ9.c2ln';

describe('parseCookies', () => {
  it('splits, trims, unquotes; the first occurrence wins', () => {
    const c = parseCookies(['a=1; b="two"; a=3', 'c=x=y;  d = 4 ;bad; =e']);
    expect([...c]).toEqual([
      ['a', '1'],
      ['b', 'two'],
      ['c', 'x=y'],
      ['d', '4'],
    ]);
  });
});

describe('collectCredentials', () => {
  it('reads the configured cookies (nats-server) and only those', () => {
    const o = { ...defaultWebsocketOptions(), user_cookie: 'u', pass_cookie: 'p', token_cookie: 't', jwt_cookie: 'j' };
    const r = collectCredentials(req({ Cookie: `u=alice; p=s3cret; t=tok; j=${JWT}; other=x` }), o);
    expect(r.creds).toEqual({ user: 'alice', pass: 's3cret', token: 'tok', jwt: JWT });
    expect(r.error).toBeNull();
    expect(r.sources).toEqual(['cookie:jwt', 'cookie:user', 'cookie:pass', 'cookie:token']);
    expect(collectCredentials(req({ Cookie: 'u=alice' }), defaultWebsocketOptions()).creds.user).toBeNull();
  });

  it('ignores the Authorization header unless handshake_auth is on', () => {
    const r = collectCredentials(req({ Authorization: 'Bearer tok' }), defaultWebsocketOptions());
    expect(r.creds.token).toBeNull();
  });

  it('maps Bearer to auth_token or jwt, Basic to user/pass (handshake_auth)', () => {
    const o = { ...defaultWebsocketOptions(), handshake_auth: true };
    expect(collectCredentials(req({ Authorization: 'Bearer s3cret' }), o).creds.token).toBe('s3cret');
    expect(collectCredentials(req({ Authorization: `bearer ${JWT}` }), o).creds.jwt).toBe(JWT);
    const basic = Buffer.from('bob:pa:ss').toString('base64');
    expect(collectCredentials(req({ Authorization: `Basic ${basic}` }), o).creds).toMatchObject({
      user: 'bob',
      pass: 'pa:ss',
    });
  });

  it('reports unusable Authorization headers', () => {
    const o = { ...defaultWebsocketOptions(), handshake_auth: true };
    expect(collectCredentials(req({ Authorization: 'Basic !!!' }), o).error).toBe(
      'malformed Basic authorization header',
    );
    expect(
      collectCredentials(req({ Authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` }), o).error,
    ).toBe('malformed Basic authorization header');
    expect(collectCredentials(req({ Authorization: 'Digest x' }), o).error).toBe(
      'unsupported authorization scheme "digest"',
    );
    expect(collectCredentials(req({ Authorization: 'Bearer' }), o).error).toBe(
      'unsupported authorization scheme "bearer"',
    );
  });

  it('reads the API-key header as a token when configured', () => {
    const o = { ...defaultWebsocketOptions(), api_key_header: 'ApiKey' };
    expect(collectCredentials(req({ apikey: ' k-123 ' }), o).creds.token).toBe('k-123');
    expect(collectCredentials(req({ apikey: 'k-123' }), defaultWebsocketOptions()).creds.token).toBeNull();
  });

  it('precedence per field: Authorization, then API key, then cookies', () => {
    const o = {
      ...defaultWebsocketOptions(),
      handshake_auth: true,
      api_key_header: 'apikey',
      token_cookie: 't',
    };
    const r = collectCredentials(
      req({ Authorization: 'Bearer from-header', apikey: 'from-key', Cookie: 't=from-cookie' }),
      o,
    );
    expect(r.creds.token).toBe('from-header');
    expect(r.sources).toEqual(['bearer:token']);
    expect(collectCredentials(req({ apikey: 'from-key', Cookie: 't=from-cookie' }), o).creds.token).toBe('from-key');
  });
});

describe('helpers', () => {
  it('looksLikeJwt', () => {
    expect(looksLikeJwt(JWT)).toBe(true);
    expect(looksLikeJwt('a.b')).toBe(false);
    expect(looksLikeJwt('a..c')).toBe(false);
    expect(looksLikeJwt('a.b.c.d')).toBe(false);
    expect(looksLikeJwt('a.b=.c')).toBe(false);
  });
  it('decodeBasic', () => {
    expect(decodeBasic(Buffer.from('u:').toString('base64'))).toEqual({ user: 'u', pass: '' });
    expect(decodeBasic('abc')).toBeNull();
  });
});
