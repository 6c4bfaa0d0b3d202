// TLS verify_and_map (auth.md §6). Each row was run against nats-server 2.9.10 with
// `tls { verify_and_map: true }` and a single configured user of that name, connecting with the
// client certificate over TLS: OK = PONG, FAIL = Authorization Violation.
import { describe, expect, it } from 'vitest';
import { ConnKind } from './conn-kind.js';
import { AuthEngine } from './engine.js';
import { AuthFailureCode } from './errors.js';
import { auth, baseOptions, NOW, user } from './options.test-util.js';
import { CERTS } from './tls-fixtures.test-util.js';
import { goSubjectString, parseDn, tlsAuthDCs } from './tls-map.js';
import { parsePeerCertificate } from './x509.js';

const der = (n: string) => new Uint8Array(Buffer.from(CERTS[n]!, 'base64'));

const tlsOptions = {
  cert_file: null,
  key_file: null,
  ca_file: null,
  verify: true,
  verify_and_map: true,
  insecure: false,
  timeout: 2000,
  handshake_first: false,
  min_version: null,
  cipher_suites: [],
  curve_preferences: [],
  pinned_certs: [],
  connection_rate_limit: 0,
};

const LIVE: Array<[cert: string, username: string, ok: boolean]> = [
  ['c1', 'alice@acme.com', true],
  ['c1', 'alice.acme.com', true],
  ['c1', 'spiffe://acme/alice', true],
  ['c1', 'CN=alice,OU=Eng,O=Acme,C=US', true],
  ['c1', 'C=US,O=Acme,OU=Eng,CN=alice', true],
  ['c1', 'CN=alice, OU=Eng, O=Acme, C=US', true],
  ['c1', 'cn=alice,ou=Eng,o=Acme,c=US', true],
  ['c1', 'CN=Alice,OU=Eng,O=Acme,C=US', false],
  ['c2', 'CN=bob,OU=Eng,O=Acme,DC=org,DC=example', true],
  ['c2', 'CN=bob,OU=Eng,O=Acme', true],
  ['c2', 'CN=bob,OU=Eng,O=Acme,DC=example,DC=org', false],
  ['c3', 'CN=carol,OU=Eng,O=Acme,DC=example,DC=org', true],
  ['c3', 'CN=carol,OU=Eng,O=Acme,DC=org,DC=example', true],
  ['c3', 'CN=carol,OU=Eng,O=Acme', true],
  ['c3', 'DC=org,DC=example,O=Acme,OU=Eng,CN=carol', true],
  ['c4', 'CN=dave,OU=A+OU=B,O=Acme', true],
  ['c4', 'CN=dave,OU=B+OU=A,O=Acme', true],
  ['c4', 'CN=dave,OU=B,O=Acme', false],
  ['c5', 'CN=\\ eve#1,O=Acme\\, Inc.', true],
  ['c5', 'CN= eve#1,O=Acme\\, Inc.', false],
  ['c6', 'CN=frank,O=Acme,C=US', true],
  ['c6', 'C=US,O=Acme,CN=frank', true],
];

function engineWith(usernames: string[], over: { allowed?: ('WEBSOCKET' | 'STANDARD')[] } = {}) {
  const r = AuthEngine.create(
    baseOptions({
      tls: tlsOptions,
      authorization: auth({
        users: usernames.map((u) => user(u, null, { allowed_connection_types: over.allowed ?? [] })),
      }),
    }),
  );
  expect(r.errors).toEqual([]);
  return r.engine!;
}

describe('verify_and_map against live nats-server results', () => {
  for (const [cert, name, ok] of LIVE) {
    it(`${cert} ${name} -> ${ok ? 'OK' : 'FAIL'}`, () => {
      const e = engineWith([name]);
      const r = e.authenticate({
        kind: 0,
        connect: {},
        nonce: null,
        tlsPeer: { certificate: der(cert) },
        remoteAddress: '',
        now: NOW,
      });
      expect(r.ok).toBe(ok);
      if (r.ok) {
        expect(r.principal.user).toBe(name);
        expect(r.principal.method).toBe('tls_map');
      } else expect(r.failure.code).toBe(AuthFailureCode.TLS_MAP_FAILED);
    });
  }
});

describe('verify_and_map details', () => {
  it('CONNECT user is ignored; no certificate fails', () => {
    const e = engineWith(['alice@acme.com']);
    const r = e.authenticate({
      kind: 0,
      connect: { user: 'nobody', pass: 'x' },
      nonce: null,
      tlsPeer: { certificate: der('c1') },
      remoteAddress: '',
      now: NOW,
    });
    expect(r.ok && r.principal.user).toBe('alice@acme.com');
    const none = e.authenticate({ kind: 0, connect: {}, nonce: null, tlsPeer: null, remoteAddress: '', now: NOW });
    expect(none.ok ? '' : none.failure.reason).toBe('User required in cert, no TLS connection state');
    const noCert = e.authenticate({
      kind: 0,
      connect: {},
      nonce: null,
      tlsPeer: { certificate: null },
      remoteAddress: '',
      now: NOW,
    });
    expect(noCert.ok ? '' : noCert.failure.reason).toBe('User required in cert, no peer certificates found');
    const junk = e.authenticate({
      kind: 0,
      connect: {},
      nonce: null,
      tlsPeer: { certificate: new Uint8Array([48, 3, 1, 2]) },
      remoteAddress: '',
      now: NOW,
    });
    expect(junk.ok).toBe(false);
  });
  it('first candidate in order wins (email before subject) and connection types are honoured', () => {
    const e = engineWith(['CN=alice,OU=Eng,O=Acme,C=US', 'alice@acme.com']);
    const r = e.authenticate({
      kind: 0,
      connect: {},
      nonce: null,
      tlsPeer: { certificate: der('c1') },
      remoteAddress: '',
      now: NOW,
    });
    expect(r.ok && r.principal.user).toBe('alice@acme.com');
    const ws = engineWith(['alice@acme.com'], { allowed: ['WEBSOCKET'] });
    const tcp = ws.authenticate({
      kind: 0,
      connect: {},
      nonce: null,
      tlsPeer: { certificate: der('c1') },
      remoteAddress: '',
      now: NOW,
    });
    expect(tcp.ok).toBe(false);
    const w = ws.authenticate({
      kind: ConnKind.WEBSOCKET,
      connect: {},
      nonce: null,
      tlsPeer: { certificate: der('c1') },
      remoteAddress: '',
      now: NOW,
    });
    // The websocket listener has no tls block here: no mapping, so no user/password -> refused.
    expect(w.ok).toBe(false);
  });
  it('certificate parsing', () => {
    const c = parsePeerCertificate(der('c1'))!;
    expect(c.emails).toEqual(['alice@acme.com']);
    expect(c.dnsNames).toEqual(['alice.acme.com']);
    expect(c.uris).toEqual(['spiffe://acme/alice']);
    expect(goSubjectString(c.subject)).toBe('CN=alice,OU=Eng,O=Acme,C=US');
    const c2 = parsePeerCertificate(der('c2'))!;
    expect(tlsAuthDCs(c2.subject)).toBe('DC=org,DC=example');
    expect(parsePeerCertificate(new Uint8Array(0))).toBeNull();
    // Truncations of a real certificate never throw.
    const full = der('c3');
    for (let i = 0; i < full.length; i += 7) parsePeerCertificate(full.subarray(0, i));
  });
  it('ldap DN parsing', () => {
    expect(parseDn('CN=a\\,b,O=x')).toEqual([[{ type: 'CN', value: 'a,b' }], [{ type: 'O', value: 'x' }]]);
    expect(parseDn('CN=\\41\\42')).toEqual([[{ type: 'CN', value: 'AB' }]]);
    expect(parseDn('bob')).toBeNull();
    expect(parseDn('CN=#0403')).toBeNull();
    expect(parseDn('CN=a+OU=b')).toEqual([
      [
        { type: 'CN', value: 'a' },
        { type: 'OU', value: 'b' },
      ],
    ]);
  });
});
