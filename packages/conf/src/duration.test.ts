import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration } from './duration.js';

const ms = (s: string) => {
  const d = parseGoDuration(s);
  if (!d.ok) throw new Error(d.error);
  return Number(d.ns) / 1e6;
};

describe('Go durations', () => {
  it('parses like time.ParseDuration', () => {
    const cases: Array<[string, number]> = [
      ['0', 0],
      ['2m', 120_000],
      ['1m30s', 90_000],
      ['500ms', 500],
      ['1.5h', 5_400_000],
      ['-1s', -1000],
      ['+2s', 2000],
      ['1h2m3s4ms5us6ns', 3_723_004.005006],
      ['100µs', 0.1],
      ['100μs', 0.1],
      ['.5s', 500],
      ['5.s', 5000],
      ['0s', 0],
    ];
    for (const [text, want] of cases) expect(ms(text), text).toBeCloseTo(want, 9);
  });

  it('errors carry Go texts', () => {
    const e = (s: string) => {
      const d = parseGoDuration(s);
      return d.ok ? null : d.error;
    };
    expect(e('')).toBe('time: invalid duration ""');
    expect(e('abc')).toBe('time: invalid duration "abc"');
    expect(e('5')).toBe('time: missing unit in duration "5"');
    expect(e('2x')).toBe('time: unknown unit "x" in duration "2x"');
    expect(e('.s')).toBe('time: invalid duration ".s"');
    expect(e('1é')).toBe('time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"');
    expect(e('9999999999999999999h')).toBe('time: invalid duration "9999999999999999999h"');
  });

  it('formats like time.Duration.String', () => {
    const f = (ms: number) => formatGoDuration(BigInt(Math.round(ms * 1e6)));
    expect(f(0)).toBe('0s');
    expect(f(10_000)).toBe('10s');
    expect(f(120_000)).toBe('2m0s');
    expect(f(90_000)).toBe('1m30s');
    expect(f(3_600_000)).toBe('1h0m0s');
    expect(f(1500)).toBe('1.5s');
    expect(f(500)).toBe('500ms');
    expect(f(0.0015)).toBe('1.5µs');
    expect(f(0.000001)).toBe('1ns');
    expect(f(-30_000)).toBe('-30s');
  });
});
