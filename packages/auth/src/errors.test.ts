// Every error code of this package is documented in docs/errors.md, and nothing undocumented
// is listed there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthFailureCode, AuthProblemCode } from './errors.js';

const docs = readFileSync(join(import.meta.dirname, '../../../docs/errors.md'), 'utf8');
const section = docs.slice(
  docs.indexOf('## @starling/auth'),
  docs.indexOf('\n## ', docs.indexOf('## @starling/auth') + 5),
);

describe('error codes', () => {
  const codes = [...Object.values(AuthFailureCode), ...Object.values(AuthProblemCode)];
  it('every code appears in the auth section of docs/errors.md', () => {
    expect(section.length).toBeGreaterThan(100);
    expect(codes.filter((c) => !section.includes(`\`${c}\``))).toEqual([]);
  });
  it('every AUTH_ code in the docs exists', () => {
    const documented = [...docs.matchAll(/`(AUTH_[A-Z_]+)`/g)].map((m) => m[1]!);
    expect(documented.filter((c) => !codes.includes(c as never))).toEqual([]);
  });
  it('codes are unique', () => {
    expect(new Set(codes).size).toBe(codes.length);
  });
});
