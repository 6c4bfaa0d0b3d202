// Replays the compatibility table: for every case the verdict of our loader (errors or
// warnings = rejected, as with `nats-server -t`) must equal the verdict recorded from the real
// nats-server 2.9.10 (test-fixtures/compat-verdicts.json, made by scripts/record-compat.mjs),
// except documented divergences. For rejected configs, each message nats-server printed must
// also be among ours (same text; same line when nats-server gave a position).
import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS fixture module without type declarations
import { COMPAT_CASES } from '../test-fixtures/compat-cases.mjs';
import { loadConfigFile } from './load-options.js';

interface Stage {
  valid: boolean;
  output: string;
}
interface CompatCase {
  name: string;
  conf: string;
  files?: Record<string, string>;
  env?: Record<string, string>;
  tOnly?: boolean;
  divergence?: { ours: 'valid' | 'invalid'; why: string };
  unstable?: { ours: 'valid' | 'invalid'; why: string };
  messageDiffers?: string;
  lineDiffers?: string;
}

const fixtures = join(import.meta.dirname, '../test-fixtures');
const recorded = JSON.parse(readFileSync(join(fixtures, 'compat-verdicts.json'), 'utf8')) as {
  recordedWith: string;
  verdicts: Record<string, { t: Stage; start?: Stage }>;
};
const cases = COMPAT_CASES as CompatCase[];

function virtualFs(c: CompatCase): (path: string) => string {
  const files: Record<string, string> = { 't.conf': c.conf, ...(c.files ?? {}) };
  return (path: string) => {
    const text = files[normalize(path)];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

/** nats-server's verdict the way Starling is judged: `-t`, then the startup checks. */
function natsVerdict(c: CompatCase): Stage {
  const v = recorded.verdicts[c.name];
  if (v === undefined) throw new Error(`no recorded verdict for "${c.name}"; run scripts/record-compat.mjs`);
  if (!v.t.valid || c.tOnly === true || v.start === undefined) return v.t;
  return v.start;
}

describe(`compat table against ${recorded.recordedWith}`, () => {
  it('has a recorded verdict for every case', () => {
    expect(cases.length).toBeGreaterThan(150);
    for (const c of cases) expect(recorded.verdicts[c.name], c.name).toBeDefined();
  });

  it('records both accepted and rejected configs, and divergences are few', () => {
    const verdicts = cases.map(natsVerdict);
    expect(verdicts.filter((v) => v.valid).length).toBeGreaterThan(50);
    expect(verdicts.filter((v) => !v.valid).length).toBeGreaterThan(80);
    expect(cases.filter((c) => c.divergence !== undefined).length).toBeLessThan(12);
  });

  for (const c of cases) {
    it(c.name, () => {
      const res = loadConfigFile('t.conf', { readFile: virtualFs(c), env: c.env ?? {} });
      const ours = [...res.warnings, ...res.errors];
      const nats = natsVerdict(c);
      const oursValid = ours.length === 0;
      if (c.unstable !== undefined) {
        // nats-server's own verdict depends on map order; ours is fixed.
        expect(oursValid, ours.map(String).join('\n')).toBe(c.unstable.ours === 'valid');
        return;
      }
      if (c.divergence !== undefined) {
        // A deliberate difference: nats-server decides the other way.
        expect(nats.valid, `recorded verdict no longer diverges: ${c.divergence.why}`).toBe(
          c.divergence.ours !== 'valid',
        );
        expect(oursValid, ours.map(String).join('\n')).toBe(c.divergence.ours === 'valid');
        return;
      }
      expect(oursValid, `nats-server: ${nats.output}\nours: ${ours.map(String).join('\n')}`).toBe(nats.valid);
      if (nats.valid || c.messageDiffers !== undefined) return;
      for (const line of nats.output.split('\n')) {
        // Go panics ("interface conversion: …") are replaced by our own type errors.
        if (/interface conversion|runtime error/.test(line)) continue;
        const m = /^([^:\s]+\.(?:conf|jwt)):(\d+):(\d+): (.*)$/.exec(line);
        const message = m === null ? line : m[4]!;
        const hit = ours.find((p) => p.message === message);
        expect(hit, `missing "${message}"\nours: ${ours.map(String).join('\n')}`).toBeDefined();
        if (m !== null && c.lineDiffers === undefined) expect(hit!.line, `line of "${message}"`).toBe(Number(m[2]));
      }
    });
  }
});
