import { describe, expect, it } from 'vitest';
import { SubjectIntern } from './subject-intern.js';

describe('SubjectIntern', () => {
  it('returns the same string object for the same bytes, and the right string for others', () => {
    const t = new SubjectIntern();
    const a = Buffer.from('xxPUB foo.bar 1');
    const s1 = t.get(a, 6, 13);
    const s2 = t.get(Buffer.from('foo.bar'), 0, 7);
    expect(s1).toBe('foo.bar');
    expect(s2).toBe(s1);
    expect(t.hits).toBe(1);
    expect(t.get(Buffer.from('foo.baz'), 0, 7)).toBe('foo.baz');
  });

  it('keeps bytes outside ASCII exact (latin1 round trip) and never confuses colliding slots', () => {
    const t = new SubjectIntern();
    const seen = new Map<string, string>();
    for (let i = 0; i < 20000; i++) {
      const subj = `s.${i % 7000}.\u00e9`;
      const bytes = Buffer.from(subj, 'latin1');
      const got = t.get(bytes, 0, bytes.length);
      expect(got).toBe(subj);
      seen.set(subj, got);
    }
    expect(t.hits).toBeGreaterThan(0);
  });

  it('decodes long subjects without caching them', () => {
    const t = new SubjectIntern();
    const long = `a.${'x'.repeat(300)}`;
    const b = Buffer.from(long);
    expect(t.get(b, 0, b.length)).toBe(long);
    expect(t.get(b, 0, b.length)).toBe(long);
    expect(t.hits).toBe(0);
  });
});
