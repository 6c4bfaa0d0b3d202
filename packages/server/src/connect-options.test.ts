import { describe, expect, it } from 'vitest';
import { applyConnectJson, defaultConnectOptions } from './connect-options.js';

describe('CONNECT decoding', () => {
  it('applies JSON on top of verbose/pedantic/echo = true', () => {
    const o = defaultConnectOptions();
    expect(applyConnectJson('{}', o)).toBe(true);
    expect(o.verbose).toBe(true);
    expect(o.pedantic).toBe(true);
    expect(o.echo).toBe(true);
    expect(o.headers).toBe(false);
  });

  it('ignores unknown keys and keeps fields on null', () => {
    const o = defaultConnectOptions();
    expect(applyConnectJson('{"verbose":false,"whatever":[1,2],"echo":null,"name":"x"}', o)).toBe(true);
    expect(o.verbose).toBe(false);
    expect(o.echo).toBe(true);
    expect(o.name).toBe('x');
  });

  it.each([
    ['not json', 'CONNECT {'],
    ['wrong bool type', '{"verbose":"yes"}'],
    ['wrong string type', '{"user":5}'],
    ['non-integer protocol', '{"protocol":1.5}'],
    ['array', '[1]'],
    ['string', '"x"'],
  ])('rejects %s', (_name, json) => {
    expect(applyConnectJson(json, defaultConnectOptions())).toBe(false);
  });

  it('matches keys case-insensitively like Go (exact spelling not required)', () => {
    const o = defaultConnectOptions();
    expect(applyConnectJson('{"Verbose":false,"HEADERS":true,"no_Responders":true,"noresponders":false}', o)).toBe(
      true,
    );
    expect(o.verbose).toBe(false);
    expect(o.headers).toBe(true);
    expect(o.no_responders).toBe(true);
    // wrong types are still errors under another spelling
    expect(applyConnectJson('{"Echo":"no"}', defaultConnectOptions())).toBe(false);
  });

  it('flags account / new_account', () => {
    const o = defaultConnectOptions();
    expect(applyConnectJson('{"account":"A"}', o)).toBe(true);
    expect(o.account).toBe(true);
  });
});
