// Random and mutated configs: the parser and the loader must return problems, never throw or
// hang. Seeded, so a failure names a reproducible input.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS fixture module without type declarations
import { COMPAT_CASES } from '../test-fixtures/compat-cases.mjs';
import { lex, TokenType } from './lexer.js';
import { loadConfigText, normalizeOptions } from './load-options.js';
import { parseConfig } from './parser.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [...'{}[]()=:;,#/"\'\\$\n\r\t  abcxyz0123456789.-kKmMbBiI_>*Tz', '\u0000', 'é', '\u2028', '😀'];
const WORDS = [
  'port',
  'include',
  'authorization',
  'users',
  'user',
  'password',
  'permissions',
  'publish',
  'accounts',
  'imports',
  'exports',
  'stream',
  'service',
  'tls',
  'websocket',
  'cluster',
  'leafnodes',
  'true',
  '$2a$11$x',
  '$A',
  '$B',
  '1m',
  '1MB',
  '"2m"',
  '2024-01-02T15:04:05Z',
  '127.0.0.1:4222',
  '(\nraw\n)',
];

const samplesDir = join(import.meta.dirname, '../test-fixtures/samples');
const SEEDS: string[] = [
  ...readdirSync(samplesDir)
    .filter((f) => f.endsWith('.conf'))
    .map((f) => readFileSync(join(samplesDir, f), 'utf8')),
  ...(COMPAT_CASES as Array<{ conf: string }>).map((c) => c.conf),
];

function randomText(r: () => number): string {
  const n = Math.floor(r() * 160);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += r() < 0.25 ? `${WORDS[Math.floor(r() * WORDS.length)]} ` : ALPHABET[Math.floor(r() * ALPHABET.length)];
  }
  return s;
}

function mutate(r: () => number, text: string): string {
  let s = text;
  const edits = 1 + Math.floor(r() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (s.length + 1));
    switch (Math.floor(r() * 5)) {
      case 0:
        s = s.slice(0, at) + ALPHABET[Math.floor(r() * ALPHABET.length)] + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 5));
        break;
      case 2:
        s = s.slice(0, at); // truncate
        break;
      case 3:
        s = `${s.slice(0, at)}${WORDS[Math.floor(r() * WORDS.length)]}${s.slice(at)}`;
        break;
      default: {
        const j = Math.floor(r() * s.length);
        s = s.slice(0, at) + s.slice(j, j + 10) + s.slice(at);
      }
    }
  }
  return s;
}

/** Nested random structure: deep maps/arrays stress the stacks. */
function deep(r: () => number, depth: number): string {
  if (depth === 0) return WORDS[Math.floor(r() * WORDS.length)]!;
  return r() < 0.5 ? `{ k${depth}: ${deep(r, depth - 1)} }` : `[ ${deep(r, depth - 1)}, x ]`;
}

function check(text: string, files: Record<string, string>, env: Record<string, string>): void {
  const readFile = (p: string) => {
    const t = files[p];
    if (t === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return t;
  };
  const toks = lex(text);
  const last = toks[toks.length - 1]!;
  if (last.type !== TokenType.EOF && last.type !== TokenType.ERROR) throw new Error('lexer ended without EOF/ERROR');
  const parsed = parseConfig(text, 'f.conf', { readFile, env });
  if ((parsed.tree === null) !== (parsed.errors.length === 1)) throw new Error('parse result shape');
  const loaded = loadConfigText(text, 'f.conf', { readFile, env });
  for (const p of [...loaded.errors, ...loaded.warnings]) {
    if (typeof p.message !== 'string' || p.message === '') throw new Error('empty problem message');
    if (p.line !== null && (p.line < 1 || p.col! < 1)) throw new Error(`bad position ${p.toString()}`);
  }
}

describe('fuzz', () => {
  it('random text never throws', () => {
    const r = rng(1);
    for (let i = 0; i < 4000; i++) {
      const text = randomText(r);
      expect(() => check(text, {}, {}), JSON.stringify(text)).not.toThrow();
    }
  });

  it('mutated real configs never throw (with includes and env that may loop)', () => {
    const r = rng(2);
    for (let i = 0; i < 6000; i++) {
      const seed = SEEDS[Math.floor(r() * SEEDS.length)]!;
      const text = mutate(r, seed);
      const files = {
        'a.conf': mutate(r, 'include a.conf\nport: 1\n'),
        'b.conf': mutate(r, 'include "a.conf"; x: $A'),
        'sub/auth.conf': mutate(r, 'user: a\npassword: b\n'),
      };
      const env = { A: mutate(r, '$B'), B: mutate(r, '$A'), P: mutate(r, '512KB') };
      expect(() => check(text, files, env), JSON.stringify(text)).not.toThrow();
    }
  });

  it('deep nesting and long inputs finish quickly', () => {
    const r = rng(3);
    const started = performance.now();
    for (let i = 0; i < 50; i++) expect(() => check(`a: ${deep(r, 200)}`, {}, {})).not.toThrow();
    const big = `${'x'.repeat(200_000)}: ${'['.repeat(2000)}`;
    expect(() => check(big, {}, {})).not.toThrow();
    // closed and very deep: refused at the nesting limit instead of overflowing later walks
    for (const key of ['cluster', 'mappings', 'server_tags', 'x']) {
      const text = `${key}: ${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      expect(() => check(text, {}, {})).not.toThrow();
      expect(loadConfigText(text, 'f.conf', { env: {} }).errors.map((p) => p.message)).toEqual([
        'maximum nesting depth of 512 maps and arrays exceeded',
      ]);
    }
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('random plain objects through normalizeOptions never throw', () => {
    const r = rng(4);
    const values: unknown[] = [
      0,
      -1,
      1.5,
      'x',
      '1MB',
      '2m',
      true,
      null,
      undefined,
      [],
      {},
      ['a', 1],
      { user: 'a' },
      Number.NaN,
      10n ** 40n,
      new Date('nope'),
      new Date(0),
      Symbol('s'),
      new Map([['port', 1]]),
      new Uint8Array(2),
    ];
    const keys = [
      'port',
      'max_payload',
      'ping_interval',
      'authorization',
      'users',
      'tls',
      'websocket',
      'accounts',
      'x',
    ];
    const build = (d: number): Record<string, unknown> => {
      const o: Record<string, unknown> = {};
      const n = Math.floor(r() * 5);
      for (let i = 0; i < n; i++) {
        const k = keys[Math.floor(r() * keys.length)]!;
        o[k] = d > 0 && r() < 0.4 ? build(d - 1) : values[Math.floor(r() * values.length)];
      }
      return o;
    };
    const circular: Record<string, unknown> = { name: 'c' };
    circular.self = circular;
    let deepObj: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deepObj = { a: deepObj };
    expect(normalizeOptions({ cluster: circular }).errors.map(String)).toEqual([
      'invalid value for "cluster.self": unsupported JavaScript value (circular reference)',
    ]);
    expect(normalizeOptions({ cluster: deepObj }).errors.map(String)[0]).toMatch(/nested deeper than 512 levels/);
    for (let i = 0; i < 3000; i++) {
      const input = build(3);
      expect(() => normalizeOptions(input, { readFile: null }), inspect(input)).not.toThrow();
    }
  });
});
