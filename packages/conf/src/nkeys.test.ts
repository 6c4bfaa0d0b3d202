import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, crc16, decodePublicNkey, encodePublicNkey, isValidPublicNkey } from './nkeys.js';

describe('nkeys', () => {
  it('CRC-16/XMODEM check value', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x31c3);
  });

  it('base32 round trip (RFC 4648 vectors, no padding)', () => {
    const enc = (s: string) => base32Encode(new TextEncoder().encode(s));
    expect(enc('f')).toBe('MY');
    expect(enc('foobar')).toBe('MZXW6YTBOI');
    expect(new TextDecoder().decode(base32Decode('MZXW6YTBOI')!)).toBe('foobar');
    expect(base32Decode('MZXW6YTBO1')).toBeNull();
    expect(base32Decode('A')).toBeNull();
  });

  it('validates prefix, length and checksum', () => {
    const raw = new Uint8Array(32).map((_, i) => i * 7);
    const user = encodePublicNkey(raw, 'user');
    expect(user).toMatch(/^U[A-Z2-7]{55}$/);
    expect(isValidPublicNkey(user, 'user')).toBe(true);
    expect(isValidPublicNkey(user, 'account')).toBe(false);
    expect(decodePublicNkey(user, 'user')).toEqual(raw);
    expect(isValidPublicNkey(encodePublicNkey(raw, 'account'), 'account')).toBe(true);
    expect(isValidPublicNkey(encodePublicNkey(raw, 'operator'), 'operator')).toBe(true);
    // flip one character: checksum fails
    const flipped = user.slice(0, 10) + (user[10] === 'A' ? 'B' : 'A') + user.slice(11);
    expect(isValidPublicNkey(flipped, 'user')).toBe(false);
    expect(isValidPublicNkey(user.slice(0, 50), 'user')).toBe(false);
    expect(isValidPublicNkey(user.toLowerCase(), 'user')).toBe(false);
    // a key produced by the nats tooling
    expect(isValidPublicNkey('UD3Y65HM32IU3Z4LZAGRSDASS7UW42N2X467GZVTPJSCQUINQZJXMGT2', 'user')).toBe(true);
  });
});
