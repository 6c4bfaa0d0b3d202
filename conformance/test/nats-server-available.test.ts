// The reference server must be present (CI installs it with apt-get when missing, see
// src/nats-server-bin.ts) and must be the version the cases were written against.
import { describe, expect, it } from 'vitest';
import { natsServerBin, natsServerVersion } from '../src/nats-server-bin.js';
import { targetsFromEnv } from '../src/targets.js';

describe('reference server', () => {
  it('CONFORMANCE_TARGETS parses (default: nats-server,starling)', () => {
    expect(targetsFromEnv('')).toEqual(['nats-server', 'starling']);
    expect(targetsFromEnv(' starling , nats-server ')).toEqual(['starling', 'nats-server']);
    expect(() => targetsFromEnv('nats-server,bogus')).toThrow(/unknown target "bogus"/);
  });

  // Only meaningful when nats-server is one of the requested targets; when it is not, the binary
  // is not needed and this case has nothing to check.
  const needed = targetsFromEnv().includes('nats-server');
  it.runIf(needed)('nats-server is installed and is v2.9.10', () => {
    expect(natsServerBin()).toMatch(/nats-server$/);
    expect(natsServerVersion()).toBe('nats-server: v2.9.10');
  });
});
