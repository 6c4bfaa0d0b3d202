/**
 * base64 decoders with Go's `encoding/base64` acceptance rules, returning `null` instead of
 * throwing. `RawURLEncoding` (JWT parts, nonce signatures) takes the URL alphabet and no
 * padding; `StdEncoding` (the signature fallback) takes the standard alphabet and requires
 * padding. Like Go, CR and LF anywhere are skipped and unused trailing bits are ignored.
 */

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function table(alphabet: string): Int8Array {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const STD_T = table(STD);
const URL_T = table(URL);

function decode(s: string, t: Int8Array, padded: boolean): Uint8Array | null {
  // Collect 6-bit values, skipping CR/LF; stop at padding.
  const vals = new Uint8Array(s.length);
  let n = 0;
  let pad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0d || c === 0x0a) continue;
    if (c === 0x3d /* = */) {
      if (!padded) return null;
      pad++;
      continue;
    }
    if (pad > 0) return null; // data after padding
    const v = c < 256 ? t[c]! : -1;
    if (v < 0) return null;
    vals[n++] = v;
  }
  if (padded) {
    if ((n + pad) % 4 !== 0) return null;
    if (pad > 2 || (pad > 0 && (n % 4) + pad !== 4)) return null;
  } else if (n % 4 === 1) {
    return null;
  }
  if (n % 4 === 1) return null;
  const outLen = Math.floor((n * 6) / 8);
  const out = new Uint8Array(outLen);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    acc = ((acc << 6) | vals[i]!) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Go `base64.RawURLEncoding.DecodeString`; `null` when Go would return an error. */
export function decodeBase64RawUrl(s: string): Uint8Array | null {
  return decode(s, URL_T, false);
}

/** Go `base64.StdEncoding.DecodeString`; `null` when Go would return an error. */
export function decodeBase64Std(s: string): Uint8Array | null {
  return decode(s, STD_T, true);
}

/** base64url without padding (what nats-server puts in INFO `nonce`). */
export function encodeBase64RawUrl(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += URL[(v >> 18) & 63]! + URL[(v >> 12) & 63]! + URL[(v >> 6) & 63]! + URL[v & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    out += URL[(v >> 18) & 63]! + URL[(v >> 12) & 63]!;
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += URL[(v >> 18) & 63]! + URL[(v >> 12) & 63]! + URL[(v >> 6) & 63]!;
  }
  return out;
}

/** Decodes a CONNECT `sig` as nats-server does: base64url raw first, then standard base64. */
export function decodeSignature(sig: string): Uint8Array | null {
  return decodeBase64RawUrl(sig) ?? decodeBase64Std(sig);
}
