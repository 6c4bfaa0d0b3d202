import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebsocketError, WS_ERRORS } from './errors.js';

const doc = readFileSync(join(import.meta.dirname, '../../../../../docs/websocket.md'), 'utf8');

describe('websocket error codes', () => {
  it('are documented in docs/websocket.md', () => {
    for (const code of Object.keys(WS_ERRORS)) expect(doc, code).toContain(`\`${code}\``);
  });

  it('are StarlingErrors with their code', () => {
    const e = new WebsocketError('ERR_WS_CONFIG', 'x');
    expect(e.code).toBe('ERR_WS_CONFIG');
    expect(e.name).toBe('StarlingError');
  });
});
