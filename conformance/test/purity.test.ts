// The leaf packages are pure: no sockets, no HTTP, no timers, no uWebSockets.js.
// This test reads their sources and fails when one of them reaches for the outside world.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const PURE = ['protocol', 'sublist', 'conf', 'mqtt-codec', 'auth', 'errors'];
const FORBIDDEN_IMPORTS =
  /from\s+['"](node:)?(net|tls|http|https|http2|dgram|timers|timers\/promises|child_process|cluster|worker_threads|uWebSockets\.js)['"]/;
const FORBIDDEN_CALLS = /\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.test-util.ts')) out.push(p);
  }
  return out;
}

describe('pure packages', () => {
  // mqtt-codec is listed ahead of time: it joins the check the day its folder exists.
  const present = PURE.filter((pkg) => existsSync(join(ROOT, 'packages', pkg, 'src')));
  it('finds the core pure packages', () => {
    expect(present).toEqual(expect.arrayContaining(['protocol', 'sublist', 'conf', 'auth']));
  });
  for (const pkg of present) {
    const src = join(ROOT, 'packages', pkg, 'src');
    it(`${pkg} imports no sockets, http, timers or uWebSockets.js`, () => {
      const offenders: string[] = [];
      for (const file of sources(src)) {
        const text = readFileSync(file, 'utf8');
        if (FORBIDDEN_IMPORTS.test(text) || FORBIDDEN_CALLS.test(text)) offenders.push(file);
      }
      expect(offenders).toEqual([]);
    });
  }

  it('the checker itself catches a forbidden import', () => {
    expect(FORBIDDEN_IMPORTS.test("import { createServer } from 'node:net';")).toBe(true);
    expect(FORBIDDEN_IMPORTS.test("import x from 'uWebSockets.js';")).toBe(true);
    expect(FORBIDDEN_CALLS.test('setTimeout(() => 1, 5)')).toBe(true);
    expect(FORBIDDEN_IMPORTS.test("import { x } from './net.js';")).toBe(false);
  });
});
