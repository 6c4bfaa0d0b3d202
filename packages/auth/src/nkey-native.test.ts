// The native Ed25519 verifier agrees with nkeys.js (tweetnacl) on random keys, messages and
// corrupted signatures; the test signer agrees with nkeys.js' sign byte for byte.
import { createAccount, createOperator, createUser, fromPublic } from 'nkeys.js';
import { describe, expect, it } from 'vitest';
import { sign } from './jwt.test-util.js';
import { verifyNkeySignature } from './nkey.js';

describe('native Ed25519 vs nkeys.js', () => {
  it('same signatures and same verdicts', () => {
    let seed = 1;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let i = 0; i < 60; i++) {
      const kp = [createUser, createAccount, createOperator][i % 3]!();
      const msg = new Uint8Array(Math.floor(rand() * 100)).map(() => Math.floor(rand() * 256));
      const sig = kp.sign(msg);
      expect(sign(kp, msg)).toEqual(sig);
      const pub = kp.getPublicKey();
      const lib = fromPublic(pub);
      expect(verifyNkeySignature(pub, msg, sig)).toBe(true);
      expect(lib.verify(msg, sig)).toBe(true);
      const bad = sig.slice();
      const at = Math.floor(rand() * 64);
      bad[at] = bad[at]! ^ (1 << Math.floor(rand() * 8));
      expect(verifyNkeySignature(pub, msg, bad)).toBe(lib.verify(msg, bad));
      const other = msg.slice();
      if (other.length > 0) {
        other[0] = other[0]! ^ 1;
        expect(verifyNkeySignature(pub, other, sig)).toBe(false);
      }
    }
  });
  it('curve keys and garbage are refused', () => {
    expect(verifyNkeySignature('X'.repeat(56), new Uint8Array(1), new Uint8Array(64))).toBe(false);
  });
});
