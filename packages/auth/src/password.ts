/**
 * Password and token comparison (nats-server auth.go `comparePasswords`).
 *
 * A configured secret is a bcrypt hash when it starts with `$` and matches
 * `^\$2[abxy]\$\d{2}\$.*`; it is then checked with bcrypt. Anything else is compared as bytes,
 * in constant time: both sides are hashed with HMAC-SHA-256 under a per-process random key and
 * the equal-length digests compared with `crypto.timingSafeEqual`, so neither the content nor
 * the length of the secret leaks through timing.
 *
 * bcrypt is slow on purpose (cost 10 is tens of milliseconds in JavaScript). To keep repeated
 * logins of the same user from blocking the event loop each time, a successful bcrypt check is
 * remembered as an HMAC of the password under the per-process key (bounded map, never the
 * plaintext); later checks of that hash compare digests in constant time. Failed checks are
 * never cached, so guessing always pays the bcrypt cost.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

const BCRYPT_RE = /^\$2[abxy]\$\d{2}\$.*/s;
const KEY = randomBytes(32);
const MAX_CACHE = 1024;

/** nats-server `isBcrypt`. */
export function isBcrypt(secret: string): boolean {
  return secret.startsWith('$') && BCRYPT_RE.test(secret);
}

function digest(s: string): Buffer {
  return createHmac('sha256', KEY).update(s, 'utf8').digest();
}

/** Constant-time equality of two strings of any length. */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Successful bcrypt verifications: hash -> HMAC(password). */
const verified = new Map<string, Buffer>();

function remember(hash: string, password: string): void {
  if (verified.size >= MAX_CACHE) {
    const first = verified.keys().next();
    if (!first.done) verified.delete(first.value);
  }
  verified.set(hash, digest(password));
}

/** bcryptjs knows $2a$/$2b$/$2y$; Go's bcrypt treats the minor letter as a label, so $2x$ hashes like $2a$. */
function bcryptjsHash(hash: string): string {
  return hash.charAt(2) === 'x' ? `$2a$${hash.slice(4)}` : hash;
}

function bcryptCompareSync(hash: string, password: string): boolean {
  try {
    return bcrypt.compareSync(password, bcryptjsHash(hash));
  } catch {
    return false;
  }
}

/** Result of the cheap part of a comparison: decided, or a bcrypt check still to run. */
export const PasswordCheck = { MISMATCH: 0, MATCH: 1, NEEDS_BCRYPT: 2 } as const;
export type PasswordCheck = (typeof PasswordCheck)[keyof typeof PasswordCheck];

/** Everything except an uncached bcrypt check. */
export function quickCompare(serverSecret: string, clientSecret: string): PasswordCheck {
  if (!isBcrypt(serverSecret)) {
    return constantTimeEqual(serverSecret, clientSecret) ? PasswordCheck.MATCH : PasswordCheck.MISMATCH;
  }
  const known = verified.get(serverSecret);
  if (known !== undefined && timingSafeEqual(known, digest(clientSecret))) return PasswordCheck.MATCH;
  return PasswordCheck.NEEDS_BCRYPT;
}

/** nats-server `comparePasswords(server, client)`, synchronously. */
export function comparePasswords(serverSecret: string, clientSecret: string): boolean {
  const q = quickCompare(serverSecret, clientSecret);
  if (q !== PasswordCheck.NEEDS_BCRYPT) return q === PasswordCheck.MATCH;
  const ok = bcryptCompareSync(serverSecret, clientSecret);
  if (ok) remember(serverSecret, clientSecret);
  return ok;
}

/** The bcrypt step off the event loop's critical path (bcryptjs async API). */
export async function bcryptCompareAsync(hash: string, password: string): Promise<boolean> {
  let ok = false;
  try {
    ok = await bcrypt.compare(password, bcryptjsHash(hash));
  } catch {
    ok = false;
  }
  if (ok) remember(hash, password);
  return ok;
}

/**
 * Records a bcrypt verification done elsewhere (a server's worker thread), so the next check
 * of the same password is a cheap digest compare.
 */
export function rememberBcrypt(hash: string, password: string): void {
  remember(hash, password);
}

/** For tests: forget cached bcrypt verifications. */
export function clearBcryptCache(): void {
  verified.clear();
}
