import { describe, expect, it } from 'vitest';
import { cleanPath, normalizeBasePath } from './context.js';
import {
  decodeBool,
  decodeInt,
  decodeUint64,
  goDuration,
  goJson,
  goJsonIndent,
  goTime,
  goUptime,
  QueryError,
  wireText,
} from './go-format.js';

describe('Go value formats', () => {
  it('formats time.Time as RFC3339Nano in UTC with trailing zeros trimmed', () => {
    const ms = Date.UTC(2026, 10, 21, 12, 11, 54, 797);
    expect(goTime(ms)).toBe('2026-11-21T12:11:54.797Z');
    expect(goTime(ms + 0.558567)).toBe('2026-11-21T12:11:54.797559Z');
    expect(goTime(ms + 0.9999999)).toBe('2026-11-21T12:11:54.798Z');
    expect(goTime(Date.UTC(2026, 0, 2, 3, 4, 5, 0))).toBe('2026-01-02T03:04:05Z');
    expect(goTime(Date.UTC(2026, 0, 2, 3, 4, 5, 100))).toBe('2026-01-02T03:04:05.1Z');
  });

  it('formats uptime like nats-server myUptime', () => {
    expect(goUptime(0)).toBe('0s');
    expect(goUptime(999)).toBe('0s');
    expect(goUptime(59_000)).toBe('59s');
    expect(goUptime(5 * 60_000)).toBe('5m0s');
    expect(goUptime(3_723_000)).toBe('1h2m3s');
    expect(goUptime((26 * 3600 + 3 * 60 + 4) * 1000)).toBe('1d2h3m4s');
    expect(goUptime((366 * 24 * 3600 + 1) * 1000)).toBe('1y1d0h0m1s');
  });

  it('formats time.Duration.String()', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(500)).toBe('500ns');
    expect(goDuration(140_000)).toBe('140µs');
    expect(goDuration(579_000)).toBe('579µs');
    expect(goDuration(1_500)).toBe('1.5µs');
    expect(goDuration(1_493_227)).toBe('1.493227ms');
    expect(goDuration(1_000_000)).toBe('1ms');
    expect(goDuration(1_500_000_000)).toBe('1.5s');
    expect(goDuration(123_500_000_000)).toBe('2m3.5s');
    expect(goDuration(3_600_000_000_000)).toBe('1h0m0s');
    expect(goDuration(-2_000_000)).toBe('-2ms');
  });

  it('indents JSON like json.MarshalIndent and escapes as Go does', () => {
    expect(goJsonIndent({ a: 1, b: [], c: {}, d: ['x'] })).toBe(
      '{\n  "a": 1,\n  "b": [],\n  "c": {},\n  "d": [\n    "x"\n  ]\n}',
    );
    expect(goJson({ s: 's.>' })).toBe('{"s":"s.\\u003e"}');
    expect(goJson({ s: '<a&b>' })).toBe('{"s":"\\u003ca\\u0026b\\u003e"}');
    expect(goJson({ s: '\b\f\u2028' })).toBe('{"s":"\\u0008\\u000c\\u2028"}');
    // An escaped backslash followed by "b" is not a \b escape.
    expect(goJson({ s: '\\b' })).toBe('{"s":"\\\\b"}');
    expect(goJson({ status: 'ok' })).toBe('{"status":"ok"}');
  });

  it('renders wire (latin1) subjects as UTF-8 text, invalid bytes as U+FFFD', () => {
    expect(wireText('foo.bar')).toBe('foo.bar');
    expect(wireText(Buffer.from('grüße', 'utf8').toString('latin1'))).toBe('grüße');
    expect(wireText('\xff')).toBe('\ufffd');
  });
});

describe('query parameter decoding (strconv texts)', () => {
  const q = (s: string) => new URLSearchParams(s);
  it('accepts every Go ParseBool form', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(decodeBool(q(`x=${t}`), 'x')).toBe(true);
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False', '']) expect(decodeBool(q(`x=${f}`), 'x')).toBe(false);
    expect(decodeBool(q(''), 'x')).toBe(false);
  });
  it('rejects other booleans with the Go error text', () => {
    expect(() => decodeBool(q('subs=maybe'), 'subs')).toThrow(
      new QueryError(`Error decoding boolean for 'subs': strconv.ParseBool: parsing "maybe": invalid syntax`),
    );
    expect(() => decodeBool(q('subs=yes'), 'subs')).toThrow(QueryError);
  });
  it('parses ints like Atoi', () => {
    expect(decodeInt(q('limit=%2B5'), 'limit')).toBe(5);
    expect(decodeInt(q('limit=-3'), 'limit')).toBe(-3);
    expect(() => decodeInt(q('limit=abc'), 'limit')).toThrow(
      `Error decoding int for 'limit': strconv.Atoi: parsing "abc": invalid syntax`,
    );
    expect(() => decodeInt(q('limit=1.5'), 'limit')).toThrow('invalid syntax');
    expect(() => decodeInt(q('offset=99999999999999999999'), 'offset')).toThrow(
      `Error decoding int for 'offset': strconv.Atoi: parsing "99999999999999999999": value out of range`,
    );
  });
  it('parses uint64 like ParseUint', () => {
    expect(decodeUint64(q('cid=42'), 'cid')).toBe(42);
    expect(() => decodeUint64(q('cid=-1'), 'cid')).toThrow(
      `Error decoding uint64 for 'cid': strconv.ParseUint: parsing "-1": invalid syntax`,
    );
    expect(() => decodeUint64(q('cid=%2B1'), 'cid')).toThrow('invalid syntax');
    expect(() => decodeUint64(q('cid=18446744073709551616'), 'cid')).toThrow('value out of range');
  });
  it('quotes values the way Go %q does', () => {
    expect(() => decodeBool(q('subs=a%22b'), 'subs')).toThrow('parsing "a\\"b": invalid syntax');
  });
});

describe('base path', () => {
  it('normalises like nats-server', () => {
    expect(normalizeBasePath('')).toBe('/');
    expect(normalizeBasePath('/')).toBe('/');
    expect(normalizeBasePath('mon/')).toBe('/mon');
    expect(normalizeBasePath('/a//b/../c/')).toBe('/a/c');
    expect(cleanPath('//varz')).toBe('/varz');
    expect(cleanPath('/./varz/..')).toBe('/');
  });
});
