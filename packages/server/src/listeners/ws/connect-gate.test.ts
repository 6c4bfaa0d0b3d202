import { describe, expect, it } from 'vitest';
import { ConnectGate, checkFirstLine } from './connect-gate.js';

const CREDS = { user: 'alice', pass: 's3cret', token: null, jwt: null };

describe('checkFirstLine (handshake auth: CONNECT must match or omit)', () => {
  it('lets CONNECTs through that omit or repeat the handshake credentials', () => {
    expect(checkFirstLine('CONNECT {"verbose":false}\r', CREDS)).toBeNull();
    expect(checkFirstLine('CONNECT {"user":"alice","pass":"s3cret"}\r', CREDS)).toBeNull();
    expect(checkFirstLine('connect\t{"user":"alice","pass":"","auth_token":null}', CREDS)).toBeNull();
  });

  it('refuses a CONNECT that names someone else', () => {
    expect(checkFirstLine('CONNECT {"user":"bob","pass":"x"}\r', CREDS)).toMatch(/"user" differs/);
    expect(checkFirstLine('CONNECT {"pass":"other"}\r', CREDS)).toMatch(/"pass" differs/);
    expect(checkFirstLine('CONNECT {"auth_token":"t"}\r', CREDS)).toMatch(/"auth_token" differs/);
    expect(checkFirstLine('CONNECT {"jwt":"a.b.c"}\r', CREDS)).toMatch(/"jwt" differs/);
    expect(checkFirstLine('CONNECT {"nkey":"UABC"}\r', CREDS)).toMatch(/"nkey" differs/);
  });

  it('refuses any first op other than CONNECT', () => {
    expect(checkFirstLine('PING\r', CREDS)).toMatch(/must be CONNECT/);
    expect(checkFirstLine('SUB foo 1\r', CREDS)).toMatch(/must be CONNECT/);
  });

  it('leaves malformed CONNECTs to the Connection', () => {
    expect(checkFirstLine('CONNECT {bad json\r', CREDS)).toBeNull();
    expect(checkFirstLine('CONNECT {"user":5}\r', CREDS)).toBeNull();
    expect(checkFirstLine('CONNECT []\r', CREDS)).toBeNull();
  });
});

describe('ConnectGate', () => {
  it('holds a first line split over messages (copying it), then passes everything', () => {
    const gate = new ConnectGate(4096);
    const a = Buffer.from('CONNECT {"user":"al');
    expect(gate.feed(a, CREDS)).toBeNull();
    a.fill(0); // what uWS does to the buffer after the callback
    const out = gate.feed(Buffer.from('ice"}\r\nPING\r\n'), CREDS);
    expect(out?.refuse).toBeNull();
    expect(out?.pass?.toString()).toBe('CONNECT {"user":"alice"}\r\nPING\r\n');
  });

  it('refuses a mismatch found only once the line completes', () => {
    const gate = new ConnectGate(4096);
    expect(gate.feed(Buffer.from('CONNECT {"user":"bo'), CREDS)).toBeNull();
    expect(gate.feed(Buffer.from('b"}\r\n'), CREDS)?.refuse).toMatch(/differs/);
  });

  it('gives up holding past its limit (the parser answers the long line)', () => {
    const gate = new ConnectGate(16);
    const out = gate.feed(Buffer.from('CONNECT {"xxxxxxxxxxxxxxxxxx'), CREDS);
    expect(out?.pass?.length).toBe(28);
  });
});
