// nkey users with nonce signatures (auth.md §4), precedence nkey > user (§2), nonce format.
import { createAccount, createOperator, createUser } from 'nkeys.js';
import { describe, expect, it } from 'vitest';
import { decodeBase64RawUrl, decodeBase64Std, decodeSignature, encodeBase64RawUrl } from './base64.js';
import { ConnKind } from './conn-kind.js';
import { AuthEngine } from './engine.js';
import { AuthFailureCode } from './errors.js';
import { b64url, pubOf, signNonce } from './jwt.test-util.js';
import {
  crc16,
  isValidPublicAccountKey,
  isValidPublicOperatorKey,
  isValidPublicUserKey,
  verifyNkeySignature,
} from './nkey.js';
import { auth, baseOptions, ctx, nkeyUser, perms, user } from './options.test-util.js';

const NONCE = 'abcdefghijklmno';

describe('public key validation (§4)', () => {
  const u = createUser().getPublicKey();
  const a = createAccount().getPublicKey();
  const o = createOperator().getPublicKey();
  it('checks role prefix and checksum', () => {
    expect(isValidPublicUserKey(u)).toBe(true);
    expect(isValidPublicUserKey(a)).toBe(false);
    expect(isValidPublicAccountKey(a)).toBe(true);
    expect(isValidPublicOperatorKey(o)).toBe(true);
    expect(isValidPublicOperatorKey(u)).toBe(false);
    // Flip one character: checksum fails.
    const bad = u.slice(0, 10) + (u[10] === 'A' ? 'B' : 'A') + u.slice(11);
    expect(isValidPublicUserKey(bad)).toBe(false);
    expect(isValidPublicUserKey(u.toLowerCase())).toBe(false);
    expect(isValidPublicUserKey(`${u}A`)).toBe(false);
    expect(isValidPublicUserKey('')).toBe(false);
    expect(isValidPublicUserKey(42)).toBe(false);
  });
  it('crc16 is XMODEM', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x31c3);
  });
});

describe('base64 (Go rules)', () => {
  it('raw url: no padding, url alphabet', () => {
    expect(decodeBase64RawUrl('_-8')).toEqual(new Uint8Array([0xff, 0xef]));
    expect(decodeBase64RawUrl('_-8=')).toBeNull();
    expect(decodeBase64RawUrl('/+8')).toBeNull();
    expect(decodeBase64RawUrl('A')).toBeNull();
    expect(decodeBase64RawUrl('')).toEqual(new Uint8Array(0));
  });
  it('std: padding required', () => {
    expect(decodeBase64Std('/+8=')).toEqual(new Uint8Array([0xff, 0xef]));
    expect(decodeBase64Std('/+8')).toBeNull();
    expect(decodeBase64Std('/+8==')).toBeNull();
    expect(decodeBase64Std('/+8=A')).toBeNull();
  });
  it('signature: url first, std fallback', () => {
    const bytes = new Uint8Array(64).map((_, i) => i * 7);
    expect(decodeSignature(Buffer.from(bytes).toString('base64url'))).toEqual(bytes);
    expect(decodeSignature(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
    expect(decodeSignature('!!!')).toBeNull();
  });
  it('nonce: 11 bytes -> 15 chars base64url', () => {
    const e = AuthEngine.create(baseOptions()).engine!;
    const n = e.newNonce(new Uint8Array([251, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8]));
    expect(n).toHaveLength(15);
    expect(n).toBe(Buffer.from([251, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8]).toString('base64url'));
    expect(encodeBase64RawUrl(new Uint8Array([1]))).toBe('AQ');
  });
});

describe('nkey users', () => {
  const kp = createUser();
  const pub = pubOf(kp);
  const wsKp = createUser();
  const other = createUser();
  const e = AuthEngine.create(
    baseOptions({
      authorization: auth({
        users: [
          nkeyUser(pub, { permissions: perms({ allow: ['n.>'] }) }),
          nkeyUser(pubOf(wsKp), { allowed_connection_types: ['WEBSOCKET'] }),
          user('alice', 'apw'),
        ],
      }),
    }),
  ).engine!;

  it('nonce required, signature over the ASCII nonce verifies', () => {
    expect(e.nonceRequired()).toBe(true);
    const r = e.authenticate(ctx({ nkey: pub, sig: signNonce(kp, NONCE) }, { nonce: NONCE }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.principal.nkey).toBe(pub);
    expect(r.principal.method).toBe('nkey');
    expect(r.principal.logLabel).toBe(`Nkey "${pub}"`);
    expect(r.principal.permissions!.canPublish('n.1')).toBe(true);
  });
  it('standard base64 with padding is accepted too', () => {
    const sig = Buffer.from(kp.sign(new TextEncoder().encode(NONCE))).toString('base64');
    expect(sig.endsWith('==')).toBe(true);
    expect(e.authenticate(ctx({ nkey: pub, sig }, { nonce: NONCE })).ok).toBe(true);
  });
  it('failures: missing sig, bad encoding, wrong nonce, other key, decoded-bytes signature', () => {
    const fail = (c: object, nonce = NONCE) => {
      const r = e.authenticate(ctx(c, { nonce }));
      if (r.ok) throw new Error('expected failure');
      return r.failure;
    };
    expect(fail({ nkey: pub }).code).toBe(AuthFailureCode.SIGNATURE_MISSING);
    expect(fail({ nkey: pub }).reason).toBe('Signature missing');
    expect(fail({ nkey: pub, sig: '***' }).code).toBe(AuthFailureCode.SIGNATURE_ENCODING);
    expect(fail({ nkey: pub, sig: '***' }).reason).toBe('Signature not valid base64');
    expect(fail({ nkey: pub, sig: signNonce(kp, 'another-nonce-x') }).code).toBe(AuthFailureCode.SIGNATURE_INVALID);
    expect(fail({ nkey: pub, sig: signNonce(other, NONCE) }).reason).toBe('Signature not verified');
    // Signing the base64-decoded nonce bytes instead of the ASCII text must fail.
    const decoded = decodeBase64RawUrl(NONCE)!;
    expect(fail({ nkey: pub, sig: b64url(kp.sign(decoded)) }).code).toBe(AuthFailureCode.SIGNATURE_INVALID);
    // Short signature.
    expect(fail({ nkey: pub, sig: b64url(new Uint8Array(10)) }).code).toBe(AuthFailureCode.SIGNATURE_INVALID);
    const f = fail({ nkey: pubOf(other), sig: signNonce(other, NONCE) });
    expect(f.code).toBe(AuthFailureCode.UNKNOWN_NKEY);
    expect(f.log).toBe(`authentication error - Nkey "${pubOf(other)}"`);
  });
  it('connection types for nkeys', () => {
    const c = { nkey: pubOf(wsKp), sig: signNonce(wsKp, NONCE) };
    expect(e.authenticate(ctx(c, { nonce: NONCE })).ok).toBe(false);
    expect(e.authenticate(ctx(c, { nonce: NONCE, kind: ConnKind.WEBSOCKET })).ok).toBe(true);
  });
  it('nkey wins over user/pass when both are sent (§2 note)', () => {
    const r = e.authenticate(
      ctx({ nkey: pub, sig: signNonce(kp, NONCE), user: 'alice', pass: 'wrong' }, { nonce: NONCE }),
    );
    expect(r.ok).toBe(true);
    const r2 = e.authenticate(ctx({ nkey: pub, user: 'alice', pass: 'apw' }, { nonce: NONCE }));
    expect(r2.ok).toBe(false);
  });
  it('users still work next to nkeys; the failure log names the nkey field', () => {
    expect(e.authenticate(ctx({ user: 'alice', pass: 'apw' })).ok).toBe(true);
    const r = e.authenticate(ctx({ user: 'alice', pass: 'x' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.failure.log).toBe('authentication error - Nkey ""');
  });
  it('an nkey named by no_auth_user is used without a signature ([main] auth.go)', () => {
    const e2 = AuthEngine.create(baseOptions({ authorization: auth({ users: [nkeyUser(pub)] }), no_auth_user: pub }))
      .engine!;
    const r = e2.authenticate(ctx({}, { nonce: NONCE }));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.principal.nkey).toBe(pub);
    expect(e2.authenticate(ctx({ nkey: pub }, { nonce: NONCE })).ok).toBe(false);
  });
  it('verifyNkeySignature never throws', () => {
    expect(verifyNkeySignature('garbage', new Uint8Array(1), new Uint8Array(64))).toBe(false);
    expect(verifyNkeySignature(pub, new Uint8Array(1), new Uint8Array(3))).toBe(false);
  });
});
