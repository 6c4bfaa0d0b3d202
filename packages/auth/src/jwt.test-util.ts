/**
 * Test helpers: build real NATS JWTs (operator -> account -> user) with nkeys.js, the way the
 * nats-io jwt library encodes them (header `{"typ":"JWT","alg":"ed25519-nkey"}`, claims with
 * `jti` = base32 SHA-512/256 of the claims with an empty jti, Ed25519 signature by the issuer
 * over `header.claims`, all base64url without padding).
 */
import { createHash } from 'node:crypto';
import { createAccount, createOperator, createUser, type KeyPair } from 'nkeys.js';

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
  if (c.iss === undefined) c.iss = issuer.getPublicKey();
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
  const sig = issuer.sign(new TextEncoder().encode(signed));
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
    { sub: operator.getPublicKey(), name: 'O', ...claims, nats: { type: 'operator', version: 2, ...nats } },
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
      sub: kp.getPublicKey(),
      name: 'A',
      ...claims,
      nats: { limits: UNLIMITED_ACCOUNT_LIMITS, type: 'account', version: 2, ...nats },
    },
    signer,
  );
  return { kp, pub: kp.getPublicKey(), jwt };
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
      sub: kp.getPublicKey(),
      name: 'U',
      ...claims,
      nats: { pub: {}, sub: {}, subs: -1, data: -1, payload: -1, type: 'user', version: 2, ...nats },
    },
    signer,
  );
  return { kp, pub: kp.getPublicKey(), jwt };
}

/** Signs a nonce the way clients do: Ed25519 over the ASCII nonce, base64url without padding. */
export function signNonce(kp: KeyPair, nonce: string): string {
  return b64url(kp.sign(new TextEncoder().encode(nonce)));
}
