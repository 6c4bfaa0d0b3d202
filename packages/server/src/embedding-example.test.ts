// Runs the embedding example from docs/ so the documentation cannot rot.
import { describe, expect, it } from 'vitest';

describe('docs/examples/embedded.mjs', () => {
  it('starts a server, serves a TCP client and an in-process nats.js client', async () => {
    const lines: string[] = [];
    // @ts-expect-error plain .mjs example without type declarations
    const { main } = await import('../../../docs/examples/embedded.mjs');
    const answer = await main((l: string) => lines.push(l));
    expect(answer).toBe('hello, embedded');
    expect(lines.some((l) => l.includes('(in-process-client)'))).toBe(true);
    expect(lines.some((l) => l.includes('(tcp-client)'))).toBe(true);
  });
});
