// Every error code the server and protocol packages throw, and every -ERR text the server
// sends, is documented in docs/errors.md (a failing test is how docs stay current).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERR_TEXT, PROTOCOL_ERRORS } from '@starling/protocol';
import { describe, expect, it } from 'vitest';
import { WS_ERRORS } from './listeners/ws/errors.js';
import { MONITOR_ERRORS } from './monitor/index.js';

const docs = readFileSync(join(import.meta.dirname, '../../../docs/errors.md'), 'utf8');

function codesThrownIn(dir: string): string[] {
  const out = new Set<string>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    const text = readFileSync(join(dir, name), 'utf8');
    for (const m of text.matchAll(/super\('(ERR_[A-Z_]+)'/g)) out.add(m[1]!);
  }
  return [...out];
}

describe('docs/errors.md', () => {
  it('lists every server error code', () => {
    const codes = codesThrownIn(import.meta.dirname);
    expect(codes.length).toBeGreaterThanOrEqual(3);
    for (const code of codes) expect(docs, code).toContain(`\`${code}\``);
  });

  it('lists every websocket and monitoring error code', () => {
    for (const code of Object.keys(WS_ERRORS)) expect(docs, code).toContain(`\`${code}\``);
    for (const code of Object.values(MONITOR_ERRORS)) expect(docs, code).toContain(`\`${code}\``);
  });

  it('lists every protocol error code', () => {
    for (const e of Object.values(PROTOCOL_ERRORS)) expect(docs, e.code).toContain(`\`${e.code}\``);
  });

  it('lists every -ERR text the server sends', () => {
    // Every ERR_TEXT the server's sources use (the protocol table also holds leafnode texts).
    const used = new Set<string>();
    for (const name of readdirSync(import.meta.dirname, { recursive: true }) as string[]) {
      if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
      const text = readFileSync(join(import.meta.dirname, name), 'utf8');
      for (const m of text.matchAll(/ERR_TEXT\.([A-Z_]+)/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThanOrEqual(15);
    for (const key of used) expect(docs, key).toContain(`\`${ERR_TEXT[key as keyof typeof ERR_TEXT]}\``);
  });
});
