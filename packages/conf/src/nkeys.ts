/**
 * Public nkey checks without a library: base32 (RFC 4648, no padding) of
 * `prefix byte ‖ 32-byte Ed25519 key ‖ CRC-16/XMODEM (little-endian)`; the prefix byte's top
 * five bits give the first letter (U user, A account, O operator, N server, C cluster, X curve).
 */

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export const NKEY_PREFIX = {
  operator: 14 << 3,
  server: 13 << 3,
  cluster: 2 << 3,
  account: 0,
  user: 20 << 3,
  curve: 23 << 3,
} as const;
export type NkeyKind = keyof typeof NKEY_PREFIX;

/** Decodes unpadded base32; `null` on any character outside the alphabet or a bad length. */
export function base32Decode(text: string): Uint8Array | null {
  const rem = text.length % 8;
  if (rem === 1 || rem === 3 || rem === 6) return null;
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let bits = 0;
  let acc = 0;
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    const v = B32.indexOf(text[i]!);
    if (v < 0) return null;
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 0xff;
    }
  }
  // Left-over bits must be zero padding.
  if ((acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

/** CRC-16/XMODEM: poly 0x1021, init 0, no reflection. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The 32 raw public-key bytes of a valid public nkey of `kind`, else `null`. */
export function decodePublicNkey(key: string, kind: NkeyKind): Uint8Array | null {
  const raw = base32Decode(key);
  if (raw === null || raw.length !== 35) return null;
  const body = raw.subarray(0, 33);
  const crc = raw[33]! | (raw[34]! << 8);
  if (crc16(body) !== crc) return null;
  if ((raw[0]! & 0xf8) !== NKEY_PREFIX[kind]) return null;
  return raw.slice(1, 33);
}

export function isValidPublicNkey(key: string, kind: NkeyKind): boolean {
  return decodePublicNkey(key, kind) !== null;
}

/** Encodes 32 public-key bytes as a public nkey of `kind` (used by tests and tools). */
export function encodePublicNkey(pub: Uint8Array, kind: NkeyKind): string {
  const body = new Uint8Array(33);
  body[0] = NKEY_PREFIX[kind];
  body.set(pub, 1);
  const crc = crc16(body);
  const full = new Uint8Array(35);
  full.set(body);
  full[33] = crc & 0xff;
  full[34] = crc >> 8;
  return base32Encode(full);
}
