/**
 * Just enough NATS JWT handling for the config loader to check what nats-server checks while
 * reading a config: operator JWTs (inline or from a possibly "decorated" file) and the
 * account JWTs of `resolver_preload`. The signature is verified (Ed25519 via node:crypto)
 * because nats-server refuses to start with a tampered operator. The auth engine does the
 * full claim handling at runtime.
 */
import { createPublicKey, verify } from 'node:crypto';
import { decodePublicNkey, type NkeyKind } from './nkeys.js';

/** All encoded JWTs start with this (base64 of `{"`). */
export const JWT_PREFIX = 'eyJ';

const DECORATED_RE = /\s*(?:(?:-{3,}.*-{3,}\r?\n)([\w\-.=]+)(?:\r?\n-{3,}.*-{3,}(\r?\n|$)))/;

/** The JWT from a `-----BEGIN NATS … JWT-----` block, or the text itself when undecorated. */
export function parseDecoratedJwt(contents: string): string {
  const m = DECORATED_RE.exec(contents);
  return m === null ? contents : m[1]!;
}

export interface DecodedJwt {
  header: { typ?: unknown; alg?: unknown };
  claims: Record<string, unknown>;
  /** `nats.type` (v2) or top-level `type` (v1). */
  type: string;
  issuer: string;
  subject: string;
}

function b64json(part: string): Record<string, unknown> | null {
  if (!/^[A-Za-z0-9_\-+/=]*$/.test(part)) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function verifyEd25519(pub: Uint8Array, data: string, sig: Uint8Array): boolean {
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, pub]), format: 'der', type: 'spki' });
    return verify(null, Buffer.from(data, 'utf8'), key, sig);
  } catch {
    return false;
  }
}

/**
 * Decodes and verifies a JWT; the error texts follow the nats jwt library
 * (`expected 3 chunks`, `claim failed V2 signature verification`, …).
 */
export function decodeJwt(token: string, issuerKinds: readonly NkeyKind[]): DecodedJwt | string {
  if (token.length > 1024 * 1024) return `token size ${token.length} exceeds maximum of 1048576 bytes`;
  const chunks = token.split('.');
  if (chunks.length !== 3) return 'expected 3 chunks';
  const header = b64json(chunks[0]!);
  if (header === null) return 'invalid JWT header';
  if (typeof header.typ !== 'string' || header.typ.toUpperCase() !== 'JWT') {
    return `not supported type "${String(header.typ)}"`;
  }
  const alg = typeof header.alg === 'string' ? header.alg.toLowerCase() : '';
  if (alg !== 'ed25519' && alg !== 'ed25519-nkey') return `unexpected "${String(header.alg)}" algorithm`;
  const claims = b64json(chunks[1]!);
  if (claims === null) return 'invalid JWT claims';
  const nats =
    typeof claims.nats === 'object' && claims.nats !== null ? (claims.nats as Record<string, unknown>) : null;
  const version = nats !== null && typeof nats.version === 'number' ? nats.version : 1;
  const type = String((version >= 2 ? nats?.type : (claims.type ?? nats?.type)) ?? '');
  const issuer = typeof claims.iss === 'string' ? claims.iss : '';
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  const sig = Buffer.from(chunks[2]!, 'base64url');
  let issuerKey: Uint8Array | null = null;
  for (const k of ['operator', 'account', 'user', 'server'] as const) {
    issuerKey = decodePublicNkey(issuer, k);
    if (issuerKey !== null) break;
  }
  const signed = version <= 1 ? chunks[1]! : `${chunks[0]}.${chunks[1]}`;
  if (issuerKey === null || !verifyEd25519(issuerKey, signed, sig)) {
    return version <= 1 ? 'claim failed V1 signature verification' : 'claim failed V2 signature verification';
  }
  if (!issuerKinds.some((k) => decodePublicNkey(issuer, k) !== null)) {
    return `unable to validate expected prefixes - [${issuerKinds.join(' ')}]`;
  }
  return { header, claims, type, issuer, subject };
}
