import { StarlingError } from '@starling/errors';
import { describe, expect, it } from 'vitest';
import { OutBuffer } from './out-buffer.js';

describe('OutBuffer', () => {
  it('writes bytes, latin1, utf8, CRLF, spaces and single bytes', () => {
    const o = new OutBuffer(64);
    o.writeBytes(Buffer.from('abc'));
    o.writeBytes(Buffer.from('xdefx'), 1, 4);
    o.writeSpace();
    o.writeLatin1('\u00ff\u0000');
    o.writeByte(0x21);
    o.writeUtf8('é');
    o.writeCrlf();
    expect(o.length).toBe(14);
    expect([...o.detach()]).toEqual([...Buffer.from('abcdef '), 0xff, 0, 0x21, 0xc3, 0xa9, 13, 10]);
    expect(o.length).toBe(0);
  });

  it('long writes take the bulk path', () => {
    const o = new OutBuffer(64);
    const big = Buffer.alloc(10_000, 7);
    o.writeBytes(big, 10, 9_000);
    o.writeLatin1('y'.repeat(300));
    const out = o.detach();
    expect(out.length).toBe(8_990 + 300);
    expect(out.subarray(0, 8_990).every((x) => x === 7)).toBe(true);
    expect(out.subarray(8_990).toString()).toBe('y'.repeat(300));
  });

  it('writeUint writes decimals without strings, at every width', () => {
    const values = [0, 1, 9, 10, 99, 100, 12345, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];
    for (const v of values) {
      const o = new OutBuffer(64);
      o.writeUint(v);
      expect(o.detach().toString()).toBe(String(v));
    }
  });

  it('writeUint rejects what is not a non-negative safe integer with a typed error', () => {
    const o = new OutBuffer(64);
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      try {
        o.writeUint(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(StarlingError);
        expect((e as StarlingError).code).toBe('ERR_PROTOCOL_INVALID_NUMBER');
      }
    }
    expect(o.length).toBe(0);
  });

  it('grows and keeps the pending bytes', () => {
    const o = new OutBuffer(64);
    for (let k = 0; k < 1000; k++) o.writeLatin1(`${k % 10}`);
    expect(o.buf.length).toBeGreaterThanOrEqual(1000);
    const s = o.detach().toString();
    expect(s.length).toBe(1000);
    expect(s.slice(0, 12)).toBe('012345678901');
  });

  it('detach() hands out bytes that later writes never touch', () => {
    const o = new OutBuffer(4096);
    o.writeLatin1('first');
    const a = o.detach();
    o.writeLatin1('second');
    const b = o.detach();
    // same allocation reused past the handed-out bytes
    expect(a.buffer).toBe(b.buffer);
    for (let k = 0; k < 100; k++) o.writeLatin1('overwrite?');
    o.writeBytes(Buffer.alloc(10_000, 1)); // forces a new allocation
    expect(a.toString()).toBe('first');
    expect(b.toString()).toBe('second');
    expect(o.length).toBe(1000 + 10_000);
  });

  it('detach() starts a new allocation when the tail is small', () => {
    const o = new OutBuffer(1024);
    o.writeBytes(Buffer.alloc(1000, 65));
    const first = o.buf;
    const a = o.detach();
    expect(o.buf).not.toBe(first);
    o.writeBytes(Buffer.alloc(1000, 66));
    expect(a.every((x) => x === 65)).toBe(true);
  });

  it('reset() rewinds to the start of the allocation', () => {
    const o = new OutBuffer(4096);
    o.writeLatin1('abc');
    o.detach();
    o.writeLatin1('def');
    o.reset();
    expect(o.length).toBe(0);
    o.writeLatin1('x');
    expect(o.detach().toString()).toBe('x');
    expect(o.start).toBe(1);
  });

  it('ensure() reserves room so direct writes to buf at len are safe', () => {
    const o = new OutBuffer(64);
    o.ensure(500);
    expect(o.buf.length - o.len).toBeGreaterThanOrEqual(500);
  });
});

describe('OutBuffer growth', () => {
  it('sizes allocations from the bytes needed, so repeated bursts do not ratchet capacity up', () => {
    const o = new OutBuffer(512);
    const chunk = Buffer.alloc(1100, 120);
    let maxCap = 0;
    for (let r = 0; r < 500; r++) {
      for (let i = 0; i < 60; i++) o.writeBytes(chunk);
      maxCap = Math.max(maxCap, o.buf.length);
      o.detach();
    }
    // 66 KB per burst: a few hundred KB at most (it used to double every burst up to 64 MB).
    expect(maxCap).toBeLessThanOrEqual(512 * 1024);
  });
});
