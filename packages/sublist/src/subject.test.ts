import { describe, expect, it } from 'vitest';
import {
  naiveCollide,
  naiveMatch,
  naiveSubset,
  pick,
  randomLiteral,
  randomPattern,
  rng,
} from './reference.test-util.js';
import {
  isValidConfigSubject,
  isValidLiteralSubject,
  isValidPublishSubject,
  isValidQueue,
  isValidSubject,
  subjectIsLiteral,
  subjectIsSubsetOf,
  subjectMatches,
  subjectsCollide,
  tokenCount,
} from './subject.js';

// UTF-8 bytes as the server sees them: decoded with latin1, one char per byte.
const UTF8 = Buffer.from('ünïcødé.日本', 'utf8').toString('latin1');

describe('isValidSubject (SUB rules, client-protocol.md §6 §13)', () => {
  const table: [string, boolean][] = [
    ['foo', true],
    ['foo.bar', true],
    ['foo.*', true],
    ['*', true],
    ['>', true],
    ['foo.>', true],
    ['*.*.>', true],
    ['foo.*.bar', true],
    ['a*b', true], // literal token
    ['a>', true], // literal token
    ['a.b>', true],
    ['>a', true],
    ['**', true],
    ['$SYS.REQ', true],
    ['_INBOX.x', true],
    [UTF8, true],
    ['foo bar', true], // the wire parser splits on whitespace; the sublist does not check it
    ['', false],
    ['.', false],
    ['.foo', false],
    ['foo.', false],
    ['foo..bar', false],
    ['>.foo', false],
    ['foo.>.bar', false],
    ['foo.>.', false],
    ['>.>', false],
    ['..', false],
  ];
  it.each(table)('%j → %s', (s, valid) => {
    expect(isValidSubject(s)).toBe(valid);
  });
});

describe('isValidConfigSubject (IsValidSubject: also no whitespace)', () => {
  const table: [string, boolean][] = [
    ['foo.bar', true],
    ['foo.>', true],
    ['a*b', true],
    [UTF8, true],
    ['foo bar', false],
    ['foo.\tbar', false],
    ['foo.bar\n', false],
    ['foo.\rx', false],
    ['foo.\f', false],
    [' ', false],
    ['foo..bar', false],
    ['>.foo', false],
    ['', false],
  ];
  it.each(table)('%j → %s', (s, valid) => {
    expect(isValidConfigSubject(s)).toBe(valid);
  });
});

describe('isValidLiteralSubject / isValidPublishSubject (pedantic PUB)', () => {
  const table: [string, boolean][] = [
    ['foo', true],
    ['foo.bar', true],
    ['a*b', true],
    ['a>', true],
    ['foo.**', true],
    [UTF8, true],
    ['*', false],
    ['>', false],
    ['foo.*', false],
    ['foo.>', false],
    ['foo.*.bar', false],
    ['foo.>.bar', false],
    ['foo..bar', false],
    ['.foo', false],
    ['foo.', false],
    ['', false],
  ];
  it.each(table)('%j → %s', (s, valid) => {
    expect(isValidLiteralSubject(s)).toBe(valid);
    expect(isValidPublishSubject(s)).toBe(valid);
  });
});

describe('subjectIsLiteral', () => {
  const table: [string, boolean][] = [
    ['foo.bar', true],
    ['a*b.c>', true],
    ['foo..bar', true], // not a validity check
    ['', true],
    ['*', false],
    ['>', false],
    ['foo.*', false],
    ['*.foo', false],
    ['foo.*.bar', false],
    ['foo.>', false],
  ];
  it.each(table)('%j → %s', (s, literal) => {
    expect(subjectIsLiteral(s)).toBe(literal);
  });
});

describe('isValidQueue', () => {
  const table: [string, boolean][] = [
    ['workers', true],
    ['a.b', true],
    ['*', true],
    ['v1.*', true],
    [UTF8, true],
    ['', false],
    ['a b', false],
    ['a\tb', false],
    ['a\r', false],
    ['\n', false],
  ];
  it.each(table)('%j → %s', (s, valid) => {
    expect(isValidQueue(s)).toBe(valid);
  });
});

describe('tokenCount', () => {
  const table: [string, number][] = [
    ['', 0],
    ['foo', 1],
    ['foo.bar', 2],
    ['foo.bar.>', 3],
    ['.', 2],
    ['foo..bar', 3],
    ['a.', 2],
  ];
  it.each(table)('%j → %d', (s, n) => {
    expect(tokenCount(s)).toBe(n);
  });
});

describe('subjectMatches(pattern, subject)', () => {
  const table: [string, string, boolean][] = [
    ['foo.bar', 'foo.bar', true],
    ['foo.bar', 'foo.baz', false],
    ['foo.bar', 'foo.bar.baz', false],
    ['foo.bar', 'foo', false],
    ['foo.*', 'foo.bar', true],
    ['foo.*', 'foo', false],
    ['foo.*', 'foo.bar.baz', false],
    ['*', 'foo', true],
    ['*', 'foo.bar', false],
    ['>', 'foo', true],
    ['>', 'foo.bar.baz', true],
    ['foo.>', 'foo', false],
    ['foo.>', 'foo.bar', true],
    ['foo.>', 'foo.bar.baz', true],
    ['*.bar.>', 'x.bar.y.z', true],
    ['*.bar.>', 'x.bar', false],
    ['*.*', 'a.b', true],
    ['foo.*.baz', 'foo.bar.baz', true],
    ['foo.*.baz', 'foo.bar.bax', false],
    // literal wildcard tokens on the subject side are plain tokens
    ['foo.*', 'foo.>', true], // auth.md §7: allow foo.* admits SUB foo.>
    ['foo.*', 'foo.*', true],
    ['foo.*', '>', false], // … but not SUB >
    ['foo.*', '*', false], // … or SUB *
    ['foo.bar', 'foo.*', false], // deny foo.bar does not block SUB foo.*
    ['foo.>', 'foo.*', true],
    ['foo.*.baz', 'foo.>.baz', true], // verified against nats-server 2.9.10
    ['a*b', 'a*b', true],
    ['a*b', 'axb', false],
    ['a>', 'a>', true],
    ['a>', 'ab', false],
    ['ab', 'a>', false],
    // empty tokens match nothing
    ['>', 'foo..bar', false],
    ['>', '', false],
    ['>', '.foo', false],
    ['foo.>', 'foo.', false],
    // invalid patterns match nothing
    ['foo..bar', 'foo..bar', false],
    ['>.foo', '>.foo', false],
    ['', '', false],
    [UTF8, UTF8, true],
    ['*.*', UTF8, true],
  ];
  it.each(table)('%j ~ %j → %s', (pattern, subject, m) => {
    expect(subjectMatches(pattern, subject)).toBe(m);
  });

  it('agrees with the naive matcher on 20k random pairs', () => {
    const rand = rng(1);
    const tokens = ['a', 'b', 'ab', 'a*', UTF8];
    for (let i = 0; i < 20_000; i++) {
      const p = randomPattern(rand, tokens, 4);
      const s = randomLiteral(rand, tokens, 5);
      expect(subjectMatches(p, s), `${p} ~ ${s}`).toBe(naiveMatch(p, s));
    }
  });
});

describe('subjectIsSubsetOf(subject, pattern)', () => {
  const table: [string, string, boolean][] = [
    ['foo.bar', 'foo.bar', true],
    ['foo.bar', 'foo.*', true],
    ['foo.bar', 'foo.>', true],
    ['foo.bar', '>', true],
    ['foo.bar', '*.*', true],
    ['foo.*', 'foo.*', true],
    ['foo.*', 'foo.>', true],
    ['foo.*', '>', true],
    ['foo.*', '*.*', true],
    ['foo.*', 'foo.bar', false],
    ['foo.>', 'foo.*', false],
    ['foo.>', 'foo.>', true],
    ['foo.>', '>', true],
    ['foo.>', '*.>', true],
    ['foo.*.>', 'foo.>', true],
    ['foo.>', 'foo.*.>', false],
    ['>', 'foo.>', false],
    ['>', '>', true],
    ['*', '>', true],
    ['*', '*', true],
    ['*', 'foo', false],
    ['foo', 'foo.>', false],
    ['foo.bar.baz', 'foo.*', false],
    ['foo.bar', 'foo.bar.baz', false],
    ['a*b', '*', true],
    ['foo..bar', '>', false],
    ['foo', 'foo..bar', false],
  ];
  it.each(table)('%j ⊆ %j → %s', (sub, pattern, expected) => {
    expect(subjectIsSubsetOf(sub, pattern)).toBe(expected);
  });

  it('agrees with an enumeration oracle on 3000 random pairs', () => {
    const rand = rng(2);
    const tokens = ['a', 'b'];
    for (let i = 0; i < 3000; i++) {
      const a = randomPattern(rand, tokens, 3);
      const b = rand() < 0.2 ? a : randomPattern(rand, tokens, 3);
      expect(subjectIsSubsetOf(a, b), `${a} ⊆ ${b}`).toBe(naiveSubset(a, b));
    }
  });
});

describe('subjectsCollide', () => {
  const table: [string, string, boolean][] = [
    ['foo.bar', 'foo.bar', true],
    ['foo.bar', 'foo.baz', false],
    ['foo.*', 'foo.bar', true],
    ['foo.*', '*.bar', true],
    ['foo.*', 'bar.*', false],
    ['foo.>', 'foo', false],
    ['foo.>', 'foo.*.bar', true],
    ['foo.*', 'foo.*.*', false],
    ['>', 'a.b.c', true],
    ['*.>', 'a', false],
    ['foo..bar', '>', false],
  ];
  it.each(table)('%j × %j → %s', (a, b, expected) => {
    expect(subjectsCollide(a, b)).toBe(expected);
    expect(subjectsCollide(b, a)).toBe(expected);
  });

  it('agrees with an enumeration oracle on 3000 random pairs', () => {
    const rand = rng(3);
    const tokens = ['a', 'b'];
    for (let i = 0; i < 3000; i++) {
      const a = randomPattern(rand, tokens, 3);
      const b = randomPattern(rand, [...tokens, pick(rand, ['c', 'a'])], 3);
      expect(subjectsCollide(a, b), `${a} × ${b}`).toBe(naiveCollide(a, b));
    }
  });
});
