import { StarlingError } from '@starling/errors';
import { describe, expect, it } from 'vitest';
import {
  ERR_LINE,
  ERR_TEXT,
  errLine,
  goQuote,
  PARSE_ERROR_REACTION,
  PROTOCOL_ERRORS,
  permPublishText,
  permReplyText,
  permSubscribeSidText,
  permSubscribeText,
  permSubscribeTokensText,
  toByteString,
} from './errors.js';
import { ParseError } from './op-args.js';

/**
 * Captured from nats-server 2.9.10 on loopback: a user denied publish on ">" publishing to each
 * subject (given as a byte string) got exactly this -ERR text (Go %q quoting).
 */
const NATS_PERM_PUB: [string, string][] = [
  ['foo', 'Permissions Violation for Publish to "foo"'],
  ['a"b', 'Permissions Violation for Publish to "a\\"b"'],
  ['a\\b', 'Permissions Violation for Publish to "a\\\\b"'],
  ['x\u0001y', 'Permissions Violation for Publish to "x\\x01y"'],
  ['x\u007fy', 'Permissions Violation for Publish to "x\\x7fy"'],
  ['x\u0000y', 'Permissions Violation for Publish to "x\\x00y"'],
  ['\u00c3\u00a9', 'Permissions Violation for Publish to "\u00c3\u00a9"'],
  ['\u00ff', 'Permissions Violation for Publish to "\\xff"'],
  ['\u00c2\u00a0', 'Permissions Violation for Publish to "\\u00a0"'],
  ['\u00e2\u0080\u008b', 'Permissions Violation for Publish to "\\u200b"'],
  ['\u00f0\u009f\u0098\u0080', 'Permissions Violation for Publish to "\u00f0\u009f\u0098\u0080"'],
  ['\u00ee\u0080\u0080', 'Permissions Violation for Publish to "\\ue000"'],
  ['\u00f4\u008f\u00bf\u00bf', 'Permissions Violation for Publish to "\\U0010ffff"'],
  ['\u00ed\u00a0\u0080', 'Permissions Violation for Publish to "\\xed\\xa0\\x80"'],
  ['\u00c0\u0080', 'Permissions Violation for Publish to "\\xc0\\x80"'],
  ['a\rb', 'Permissions Violation for Publish to "a\\rb"'],
  ['\u0007\b\f\u000b', 'Permissions Violation for Publish to "\\a\\b\\f\\v"'],
  ['\u00e2\u0082', 'Permissions Violation for Publish to "\\xe2\\x82"'],
  ['\u00cd\u0080', 'Permissions Violation for Publish to "\u00cd\u0080"'],
  ['\u00ef\u00bf\u00bd', 'Permissions Violation for Publish to "\u00ef\u00bf\u00bd"'],
  ['\u00c2\u0085', 'Permissions Violation for Publish to "\\u0085"'],
];

describe('-ERR texts', () => {
  it('are byte-for-byte the nats-server texts (client-protocol.md §11)', () => {
    expect(ERR_TEXT.UNKNOWN_PROTOCOL_OPERATION).toBe('Unknown Protocol Operation');
    expect(ERR_TEXT.AUTHORIZATION_VIOLATION).toBe('Authorization Violation');
    expect(ERR_TEXT.MAX_CONTROL_LINE_EXCEEDED).toBe('maximum control line exceeded');
    expect(ERR_TEXT.MAX_PAYLOAD_VIOLATION).toBe('Maximum Payload Violation');
    expect(ERR_TEXT.CONNECTION_THROTTLING).toBe('Connection throttling is active. Please try again later.');
    expect(ERR_TEXT.SECURE_CONNECTION_TLS_REQUIRED).toBe('Secure Connection - TLS Required');
  });

  it("ERR_LINE pre-encodes every text as -ERR '<text>'\\r\\n", () => {
    for (const [k, v] of Object.entries(ERR_TEXT)) {
      expect(ERR_LINE[k as keyof typeof ERR_TEXT].toString('latin1')).toBe(`-ERR '${v}'\r\n`);
    }
    expect(errLine('x').toString()).toBe("-ERR 'x'\r\n");
    expect(Object.isFrozen(ERR_LINE)).toBe(true);
  });

  it('PARSE_ERROR_REACTION: every parse error closes; only BAD_ARGS closes silently', () => {
    expect(Object.keys(PARSE_ERROR_REACTION).map(Number).sort()).toEqual(Object.values(ParseError).sort());
    for (const r of Object.values(PARSE_ERROR_REACTION)) {
      expect(r.closes).toBe(true);
      expect(r.line === null ? null : r.line.toString()).toBe(r.err === null ? null : `-ERR '${r.err}'\r\n`);
    }
    expect(PARSE_ERROR_REACTION[ParseError.UNKNOWN_OP]).toMatchObject({
      err: 'Unknown Protocol Operation',
      reason: 'Protocol Violation',
    });
    expect(PARSE_ERROR_REACTION[ParseError.MAX_CONTROL_LINE]).toMatchObject({
      err: 'maximum control line exceeded',
      reason: 'Maximum Control Line Exceeded',
    });
    expect(PARSE_ERROR_REACTION[ParseError.MAX_PAYLOAD]).toMatchObject({
      err: 'Maximum Payload Violation',
      reason: 'Maximum Message Payload Exceeded',
    });
    expect(PARSE_ERROR_REACTION[ParseError.BAD_ARGS]).toMatchObject({ err: null, reason: 'Protocol Violation' });
  });

  it('PROTOCOL_ERRORS codes are unique and prefixed', () => {
    const codes = Object.values(PROTOCOL_ERRORS).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^ERR_PROTOCOL_[A-Z_]+$/);
  });
});

describe('Go %q quoting', () => {
  for (const [subject, text] of NATS_PERM_PUB) {
    it(`matches nats-server for ${JSON.stringify(subject)}`, () => {
      expect(permPublishText(subject)).toBe(text);
    });
  }

  it('other permission texts', () => {
    expect(goQuote('')).toBe('""');
    expect(permReplyText('_R_.x')).toBe('Permissions Violation for Publish with Reply of "_R_.x"');
    expect(permSubscribeText('foo.>')).toBe('Permissions Violation for Subscription to "foo.>"');
    expect(permSubscribeText('foo', 'q')).toBe('Permissions Violation for Subscription to "foo" using queue "q"');
    expect(permSubscribeTokensText('a.b')).toBe('Permissions Violation for Subscription to "a.b", too many tokens');
    expect(permSubscribeSidText('a', '7')).toBe('Permissions Violation for Subscription to "a" (sid "7")');
  });

  it('toByteString gives the UTF-8 bytes of a JS string', () => {
    expect(toByteString('é')).toBe('\u00c3\u00a9');
    expect(goQuote(toByteString('é'))).toBe('"\u00c3\u00a9"');
  });

  it('StarlingError brand works for this package errors', () => {
    const e = new StarlingError(PROTOCOL_ERRORS.INVALID_TOKEN.code, 'x');
    expect(e).toBeInstanceOf(StarlingError);
  });
});
