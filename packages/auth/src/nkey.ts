/**
 * nkey public keys: validation by role and Ed25519 signature checks.
 *
 * Text form (nkeys `strkey.go`): base32 (RFC 4648, no padding) of
 * `prefix byte ‖ 32-byte Ed25519 key ‖ CRC-16/XMODEM (little-endian)`, 56 characters; the first
 * letter names the role (O operator, A account, U user, N server, C cluster, X curve).
 * Validation is done here (pure, no throw).
 *
 * Verification: the nkey is decoded and checked here (prefix, checksum), and the Ed25519
 * signature is verified with Node's native `crypto.verify`. nkeys.js (tweetnacl, pure
 * JavaScript) gives the same answers — a test checks that on random keys, messages and
 * corrupted signatures — but measured 5.8 ms per verification against 0.15 ms native on the
 * development machine; a JWT login needs two. Native Ed25519 (like Go's crypto/ed25519) also
 * rejects non-canonical signatures.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

export const NkeyPrefix = {
  OPERATOR: 14 << 3,
  ACCOUNT: 0,
  USER: 20 << 3,
  SERVER: 13 << 3,
  CLUSTER: 2 << 3,
  CURVE: 23 << 3,
} as const;

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B32_T = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 32; i++) t[B32.charCodeAt(i)] = i;
  return t;
})();

function base32Decode(s: string): Uint8Array | null {
  const out = new Uint8Array(Math.floor((s.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B32_T[c]! : -1;
    if (v < 0) return null;
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** CRC-16/XMODEM: poly 0x1021, init 0, no reflection. */
export function crc16(data: Uint8Array, end = data.length): number {
  let crc = 0;
  for (let i = 0; i < end; i++) {
    crc ^= data[i]! << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The 35 raw bytes of a public key with a valid checksum and the wanted prefix, or null. */
function decodePublic(key: unknown, prefix: number): Uint8Array | null {
  if (typeof key !== 'string' || key.length !== 56) return null;
  const raw = base32Decode(key);
  if (raw === null || raw.length !== 35) return null;
  const want = raw[33]! | (raw[34]! << 8);
  if (crc16(raw, 33) !== want) return null;
  if (raw[0] !== prefix) return null;
  return raw;
}

/** Any public key that can sign (operator, account, user, server, cluster): nkeys `FromPublicKey`. */
export function isValidPublicSigningKey(key: unknown): key is string {
  if (typeof key !== 'string' || key.length !== 56) return false;
  for (const p of [NkeyPrefix.USER, NkeyPrefix.ACCOUNT, NkeyPrefix.OPERATOR, NkeyPrefix.SERVER, NkeyPrefix.CLUSTER]) {
    if (decodePublic(key, p) !== null) return true;
  }
  return false;
}

export function isValidPublicUserKey(key: unknown): key is string {
  return decodePublic(key, NkeyPrefix.USER) !== null;
}
export function isValidPublicAccountKey(key: unknown): key is string {
  return decodePublic(key, NkeyPrefix.ACCOUNT) !== null;
}
export function isValidPublicOperatorKey(key: unknown): key is string {
  return decodePublic(key, NkeyPrefix.OPERATOR) !== null;
}

const SIGNING_PREFIXES = new Set<number>([
  NkeyPrefix.OPERATOR,
  NkeyPrefix.ACCOUNT,
  NkeyPrefix.USER,
  NkeyPrefix.SERVER,
  NkeyPrefix.CLUSTER,
]);
/** DER SubjectPublicKeyInfo header for a raw 32-byte Ed25519 key (RFC 8410). */
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const KEY_CACHE_MAX = 4096;
const keyCache = new Map<string, KeyObject>();

function keyObject(publicKey: string): KeyObject | null {
  const hit = keyCache.get(publicKey);
  if (hit !== undefined) return hit;
  if (typeof publicKey !== 'string' || publicKey.length !== 56) return null;
  const raw = base32Decode(publicKey);
  if (raw === null || raw.length !== 35 || !SIGNING_PREFIXES.has(raw[0]!)) return null;
  if (crc16(raw, 33) !== (raw[33]! | (raw[34]! << 8))) return null;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw.subarray(1, 33)]), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
  if (keyCache.size >= KEY_CACHE_MAX) {
    const first = keyCache.keys().next();
    if (!first.done) keyCache.delete(first.value);
  }
  keyCache.set(publicKey, key);
  return key;
}

/**
 * Verifies an Ed25519 signature by the nkey `publicKey` (any signing role: O, A, U, N, C) over
 * `data`. False (never a throw) for a malformed key, a signature of the wrong length, or a bad
 * signature.
 */
export function verifyNkeySignature(publicKey: string, data: Uint8Array, sig: Uint8Array): boolean {
  if (sig.length !== 64) return false;
  const key = keyObject(publicKey);
  if (key === null) return false;
  try {
    return verify(null, data, key, sig);
  } catch {
    return false;
  }
}

const ASCII = new TextEncoder();
/** Bytes of an ASCII/UTF-8 string (the nonce and JWT signing input are ASCII). */
export function utf8Bytes(s: string): Uint8Array {
  return ASCII.encode(s);
}
