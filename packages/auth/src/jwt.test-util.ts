/**
 * Test helpers: build real NATS JWTs (operator -> account -> user) with nkeys.js, the way the
 * nats-io jwt library encodes them (header `{"typ":"JWT","alg":"ed25519-nkey"}`, claims with
 * `jti` = base32 SHA-512/256 of the claims with an empty jti, Ed25519 signature by the issuer
 * over `header.claims`, all base64url without padding).
 */
import { createHash, createPrivateKey, type KeyObject, sign as nodeSign } from 'node:crypto';
import { createAccount, createOperator, createUser, type KeyPair } from 'nkeys.js';

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const signers = new WeakMap<KeyPair, KeyObject>();

/**
 * Ed25519 signature by an nkeys.js key pair, computed with Node's native crypto from the pair's
 * seed (nkeys.js' own `sign` is pure JavaScript and takes ~5 ms; the fuzz tests sign thousands of
 * tokens). `nkey-native.test.ts` checks both give identical signatures.
 */
export function sign(kp: KeyPair, data: Uint8Array): Uint8Array {
  let key = signers.get(kp);
  if (key === undefined) {
    const seedText = new TextDecoder().decode(kp.getSeed());
    const raw = base32Decode(seedText);
    key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, raw.subarray(2, 34)]), format: 'der', type: 'pkcs8' });
    signers.set(kp, key);
  }
  return new Uint8Array(nodeSign(null, data, key));
}

const publics = new WeakMap<KeyPair, string>();
/** `kp.getPublicKey()`, cached: nkeys.js derives it from the seed on every call (~6 ms). */
export function pubOf(kp: KeyPair): string {
  let p = publics.get(kp);
  if (p === undefined) {
    p = kp.getPublicKey();
    publics.set(kp, p);
  }
  return p;
}

function base32Decode(s: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const c of s) {
    acc = ((acc << 5) | 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

export function b64url(bytes: Uint8Array | string): string {
  return Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).toString('base64url');
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

export interface EncodeOptions {
  header?: Record<string, unknown>;
  /** Sign only the claims part (v1 style). */
  v1Signature?: boolean;
  iat?: number;
}

/** Encodes and signs `claims` with `issuer` (sets iss, iat, jti unless given). */
export function encodeJwt(claims: Record<string, unknown>, issuer: KeyPair, opts: EncodeOptions = {}): string {
  const header = opts.header ?? { typ: 'JWT', alg: 'ed25519-nkey' };
  const c: Record<string, unknown> = { ...claims };
  if (c.iss === undefined) c.iss = pubOf(issuer);
  if (c.iat === undefined) c.iat = opts.iat ?? Math.floor(Date.now() / 1000);
  if (c.jti === undefined) {
    const h = createHash('sha512-256')
      .update(JSON.stringify({ ...c, jti: '' }))
      .digest();
    c.jti = base32(h);
  }
  const h64 = b64url(JSON.stringify(header));
  const c64 = b64url(JSON.stringify(c));
  const signed = opts.v1Signature ? c64 : `${h64}.${c64}`;
  const sig = sign(issuer, new TextEncoder().encode(signed));
  return `${h64}.${c64}.${b64url(sig)}`;
}

export const UNLIMITED_ACCOUNT_LIMITS = {
  subs: -1,
  data: -1,
  payload: -1,
  imports: -1,
  exports: -1,
  wildcards: true,
  conn: -1,
  leaf: -1,
};

export interface Trust {
  operator: KeyPair;
  operatorJwt: string;
}

export function makeOperator(nats: Record<string, unknown> = {}, claims: Record<string, unknown> = {}): Trust {
  const operator = createOperator();
  const operatorJwt = encodeJwt(
    { sub: pubOf(operator), name: 'O', ...claims, nats: { type: 'operator', version: 2, ...nats } },
    operator,
  );
  return { operator, operatorJwt };
}

export interface Acct {
  kp: KeyPair;
  pub: string;
  jwt: string;
}

export function makeAccount(
  signer: KeyPair,
  nats: Record<string, unknown> = {},
  claims: Record<string, unknown> = {},
  kp: KeyPair = createAccount(),
): Acct {
  const jwt = encodeJwt(
    {
      sub: pubOf(kp),
      name: 'A',
      ...claims,
      nats: { limits: UNLIMITED_ACCOUNT_LIMITS, type: 'account', version: 2, ...nats },
    },
    signer,
  );
  return { kp, pub: pubOf(kp), jwt };
}

export interface Usr {
  kp: KeyPair;
  pub: string;
  jwt: string;
}

export function makeUser(
  signer: KeyPair,
  nats: Record<string, unknown> = {},
  claims: Record<string, unknown> = {},
  kp: KeyPair = createUser(),
): Usr {
  const jwt = encodeJwt(
    {
      sub: pubOf(kp),
      name: 'U',
      ...claims,
      nats: { pub: {}, sub: {}, subs: -1, data: -1, payload: -1, type: 'user', version: 2, ...nats },
    },
    signer,
  );
  return { kp, pub: pubOf(kp), jwt };
}

/** Signs a nonce the way clients do: Ed25519 over the ASCII nonce, base64url without padding. */
export function signNonce(kp: KeyPair, nonce: string): string {
  return b64url(sign(kp, new TextEncoder().encode(nonce)));
}
