import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isStarlingError } from '@starling/errors';
import { describe, expect, it } from 'vitest';
import { MONITOR_ERRORS, MonitorError } from './errors.js';

describe('monitor error codes', () => {
  const doc = readFileSync(resolve(import.meta.dirname, '../../../../docs/monitoring.md'), 'utf8');
  for (const code of Object.values(MONITOR_ERRORS)) {
    it(`${code} is documented in docs/monitoring.md`, () => {
      expect(doc).toContain(`\`${code}\``);
    });
  }
  it('is a StarlingError with a stable code', () => {
    const e = new MonitorError(MONITOR_ERRORS.MONITOR_LISTEN, 'x');
    expect(isStarlingError(e)).toBe(true);
    expect(e.code).toBe('ERR_MONITOR_LISTEN');
  });
});
