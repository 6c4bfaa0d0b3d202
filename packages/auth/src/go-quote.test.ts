// Go %q as seen in nats-server 2.9.10 permission violations. Expected strings were captured
// from a live server (`PUB <bytes> 0` by a user allowed only `x`), decoded as UTF-8.
import { describe, expect, it } from 'vitest';
import { goQuote, pubViolationLog, pubViolationText, subViolationLog } from './go-quote.js';

const latin1 = (b: number[] | Buffer) => Buffer.from(b).toString('latin1');

describe('goQuote', () => {
  const cases: Array<[string, string]> = [
    [latin1(Buffer.from('a"b\\c')), '"a\\"b\\\\c"'],
    [latin1(Buffer.from('é.ü')), '"é.ü"'],
    [latin1([0x61, 0x01, 0x7f, 0x62]), '"a\\x01\\x7fb"'],
    [latin1([0x61, 0xff, 0xfe]), '"a\\xff\\xfe"'],
    [latin1(Buffer.from('\u00a0x')), '"\\u00a0x"'],
    [latin1(Buffer.from('😀')), '"😀"'],
    [latin1([0xe2, 0x80, 0x8b]), '"\\u200b"'],
    [latin1([0x07, 0x08, 0x0b, 0x0c]), '"\\a\\b\\v\\f"'],
    ['plain.subject', '"plain.subject"'],
    ['', '""'],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(want), () => {
      expect(goQuote(input)).toBe(want);
    });
  }
  it('treats a string with chars above 0xff as text (UTF-8 encodes it)', () => {
    expect(goQuote('日本')).toBe('"日本"');
  });
  it('rejects overlong and surrogate encodings like Go', () => {
    expect(goQuote(latin1([0xc0, 0xaf]))).toBe('"\\xc0\\xaf"');
    expect(goQuote(latin1([0xed, 0xa0, 0x80]))).toBe('"\\xed\\xa0\\x80"');
  });
  it('whole -ERR text and log lines', () => {
    expect(pubViolationText(latin1([0x61, 0xff]))).toBe('Permissions Violation for Publish to "a\\xff"');
    expect(pubViolationLog('User "alice"', 'bar')).toBe('Publish Violation - User "alice", Subject "bar"');
    expect(subViolationLog('User "a"', 'foo', 'q', '3')).toBe(
      'Subscription Violation - User "a", Subject "foo", Queue: "q", SID 3',
    );
  });
});
