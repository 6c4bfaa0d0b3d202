// Every error code of this package is documented in docs/errors.md, and every code the
// loader can produce is in the table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONF_ERRORS, ConfigError, ConfigProblem } from './errors.js';

const docs = readFileSync(join(import.meta.dirname, '../../../docs/errors.md'), 'utf8');

describe('error codes', () => {
  it('every code appears in docs/errors.md', () => {
    const missing = Object.keys(CONF_ERRORS).filter((c) => !docs.includes(`\`${c}\``));
    expect(missing).toEqual([]);
  });

  it('every CONF_ code in the docs exists', () => {
    const documented = [...docs.matchAll(/`(CONF_[A-Z_]+)`/g)].map((m) => m[1]!);
    expect(documented.filter((c) => !(c in CONF_ERRORS))).toEqual([]);
  });

  it('the code scanner used above does find codes', () => {
    expect([...'`CONF_X` and `CONF_Y_Z`'.matchAll(/`(CONF_[A-Z_]+)`/g)].map((m) => m[1])).toEqual([
      'CONF_X',
      'CONF_Y_Z',
    ]);
  });

  it('ConfigProblem prints like nats-server; ConfigError is a StarlingError', () => {
    const p = new ConfigProblem('CONF_UNKNOWN_FIELD', 'unknown field "x"', { file: 'a.conf', line: 3, col: 5 });
    expect(String(p)).toBe('a.conf:3:5: unknown field "x"');
    expect(String(new ConfigProblem('CONF_LIMITS', 'm', null))).toBe('m');
    const e = new ConfigError([p]);
    expect(e.code).toBe('CONF_INVALID_CONFIG');
    expect(e.message).toBe('a.conf:3:5: unknown field "x"');
  });
});
