// Deterministic nkeys and NATS JWTs for fixtures and tests (plain JS so the recording script
// can run it under Node without a build). Ed25519 via node:crypto; nkey = base32(prefix ‖ key ‖ crc16).
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const PREFIX = { operator: 14 << 3, account: 0, user: 20 << 3 };

function base32(bytes) {
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

function crc16(bytes) {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** Public nkey text for 32 raw key bytes. */
export function publicNkey(raw, kind) {
  const body = Buffer.concat([Buffer.from([PREFIX[kind]]), Buffer.from(raw)]);
  const crc = crc16(body);
  return base32(Buffer.concat([body, Buffer.from([crc & 0xff, crc >> 8])]));
}

/** A keypair derived from `seedText` (same text, same key). */
export function keyPair(seedText, kind) {
  const seed = createHash('sha256').update(seedText).digest();
  const privateKey = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey: publicNkey(der.subarray(der.length - 32), kind) };
}

function b64url(obj) {
  return Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj)).toString('base64url');
}

/** A signed v2 JWT: `issuer` signs claims about `subject` with `nats` claims. */
export function encodeJwt(issuer, subject, nats, extra = {}) {
  const header = b64url({ typ: 'JWT', alg: 'ed25519-nkey' });
  const claims = { jti: '', iat: 1700000000, iss: issuer.publicKey, name: 'test', sub: subject, ...extra, nats };
  claims.jti = base32(createHash('sha512-256').update(JSON.stringify(claims)).digest());
  const body = b64url(claims);
  const sig = sign(null, Buffer.from(`${header}.${body}`), issuer.privateKey);
  return `${header}.${body}.${sig.toString('base64url')}`;
}

/** Operator + account fixtures used by the compat table and the loader tests. */
export function operatorFixture(name = 'op') {
  const operator = keyPair(`${name}-operator`, 'operator');
  const sys = keyPair(`${name}-sys`, 'account');
  const app = keyPair(`${name}-app`, 'account');
  const operatorJwt = encodeJwt(operator, operator.publicKey, {
    type: 'operator',
    version: 2,
    system_account: sys.publicKey,
  });
  const sysJwt = encodeJwt(operator, sys.publicKey, { type: 'account', version: 2, limits: { conn: -1 } });
  const appJwt = encodeJwt(operator, app.publicKey, { type: 'account', version: 2, limits: { conn: -1 } });
  return { operator, sys, app, operatorJwt, sysJwt, appJwt };
}

/** A file the way `nsc` writes it: the JWT between BEGIN/END lines. */
export function decorate(jwt, what = 'OPERATOR') {
  return `-----BEGIN NATS ${what} JWT-----\n${jwt}\n------END NATS ${what} JWT------\n`;
}
