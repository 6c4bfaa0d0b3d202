import { describe, expect, it } from 'vitest';
import { lex, TokenType } from './lexer.js';
import { integerLiteral, parseConfig } from './parser.js';
import type { ConfMap, ConfNode } from './tree.js';
import { toPlain } from './tree.js';

function tree(text: string, env: Record<string, string> = {}, files: Record<string, string> = {}): ConfMap {
  const res = parseConfig(text, 'main.conf', {
    env,
    readFile: (p) => {
      const t = files[p];
      if (t === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return t;
    },
  });
  if (res.tree === null) throw new Error(String(res.errors[0]));
  return res.tree;
}
function plain(text: string, env: Record<string, string> = {}, files: Record<string, string> = {}): unknown {
  return toPlain(tree(text, env, files));
}
function err(text: string, env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const res = parseConfig(text, 'main.conf', {
    env,
    readFile: (p) => {
      const t = files[p];
      if (t === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return t;
    },
  });
  expect(res.tree).toBeNull();
  expect(res.errors).toHaveLength(1);
  return res.errors[0]!;
}
function node(m: ConfMap, ...path: string[]): ConfNode {
  let n: ConfNode = m;
  for (const k of path) {
    if (n.kind !== 'map') throw new Error(`not a map at ${k}`);
    n = n.value.get(k)!.node;
  }
  return n;
}

describe('values', () => {
  it('integers with unit suffixes: k m g … powers of 1000, kb/ki/kib powers of 1024', () => {
    const cases: Array<[string, number]> = [
      ['1', 1],
      ['-5', -5],
      ['1k', 1000],
      ['1K', 1000],
      ['1kb', 1024],
      ['1KiB', 1024],
      ['1ki', 1024],
      ['1m', 1_000_000],
      ['1M', 1_000_000],
      ['1mb', 1_048_576],
      ['1MB', 1_048_576],
      ['1mib', 1_048_576],
      ['2g', 2_000_000_000],
      ['2gb', 2 * 1024 ** 3],
      ['1t', 1e12],
      ['1tb', 1024 ** 4],
      ['1p', 1e15],
      ['1e', 1e18],
      ['-1k', -1000],
    ];
    for (const [text, want] of cases) expect(plain(`v: ${text}`), text).toEqual({ v: want });
  });

  it('integerLiteral rejects what cannot be an integer', () => {
    expect(integerLiteral('10000000000e')).toBe("integer '10000000000e' is out of the range");
    expect(integerLiteral('1kbb')).toBe("invalid unit suffix in integer '1kbb'");
    expect(integerLiteral('99999999999999999999')).toBe("integer '99999999999999999999' is out of the range");
    expect(integerLiteral('64MB')).toBe(64 * 1024 * 1024);
  });

  it('strings that start with digits: durations, addresses', () => {
    expect(plain('a: 2s\nb: 10ms\nc: 127.0.0.1:4222\nd: 1h\ne: 1.2.3.4')).toEqual({
      a: '2s',
      b: '10ms',
      c: '127.0.0.1:4222',
      d: '1h',
      e: '1.2.3.4',
    });
  });

  it('floats, booleans and datetimes', () => {
    expect(plain('a: 1.5\nb: -0.25\nc: yes\nd: OFF\ne: True\nf: no')).toEqual({
      a: 1.5,
      b: -0.25,
      c: true,
      d: false,
      e: true,
      f: false,
    });
    const d = node(tree('t: 2024-01-02T15:04:05Z'), 't');
    expect(d.kind).toBe('datetime');
    expect((d.value as Date).toISOString()).toBe('2024-01-02T15:04:05.000Z');
    expect(err('t: 2024-02-30T15:04:05Z').message).toBe(
      "expected Zulu formatted DateTime, but got '2024-02-30T15:04:05Z'",
    );
  });

  it('double-quoted escapes, \\x bytes decoded as UTF-8, raw single quotes', () => {
    expect(plain('a: "t\\tn\\nr\\rq\\"b\\\\"')).toEqual({ a: 't\tn\nr\rq"b\\' });
    expect(plain('a: "caf\\xc3\\xa9"')).toEqual({ a: 'café' });
    expect(plain("a: 'no\\escapes'")).toEqual({ a: 'no\\escapes' });
    expect(plain('a: bare\\tescape')).toEqual({ a: 'bare\tescape' });
    expect(plain('a: "multi\nline"')).toEqual({ a: 'multi\nline' });
  });

  it('( … ) blocks keep raw text up to a ) alone on its line', () => {
    expect(plain('a: (\nline one\n  (inner) )\n)\nb: 1')).toEqual({ a: '\nline one\n  (inner) )\n', b: 1 });
  });

  it('maps and arrays nest; maps need no separator; terminators , ; newline', () => {
    expect(plain('a { b: [1, {c: d}, [e]] ; f = g, h i }\nj: [\n x\n y,\n]')).toEqual({
      a: { b: [1, { c: 'd' }, ['e']], f: 'g', h: 'i' },
      j: ['x', 'y'],
    });
  });

  it('one outer { } is the top-level map (JSON style)', () => {
    expect(plain('{\n  "port": 4222,\n  "nested": {"a": ["x", "y"]}\n}\n')).toEqual({
      port: 4222,
      nested: { a: ['x', 'y'] },
    });
    // nats-server quirk kept: an integer right before `]` does not end the array.
    expect(err('{ "a": [1, 2, 3] }').code).toBe('CONF_SYNTAX');
    expect(plain('{ "a": [1, 2, 3 ] }')).toEqual({ a: [1, 2, 3] });
  });

  it('a later duplicate key replaces the earlier value', () => {
    expect(plain('a: 1\nb: 2\na: 3')).toEqual({ a: 3, b: 2 });
  });
});

describe('positions', () => {
  it('keys and values carry file, 1-based line and column', () => {
    const t = tree('port: 4222\n  auth {\n    user: "bob"\n  }\nlist: [ a, "b" ]');
    expect(t.value.get('port')!.pos).toEqual({ file: 'main.conf', line: 1, col: 1 });
    expect(t.value.get('port')!.node.pos).toEqual({ file: 'main.conf', line: 1, col: 7 });
    const auth = t.value.get('auth')!;
    expect(auth.pos).toEqual({ file: 'main.conf', line: 2, col: 3 });
    expect(auth.node.pos).toEqual({ file: 'main.conf', line: 2, col: 8 });
    const user = (auth.node as ConfMap).value.get('user')!;
    expect(user.pos).toEqual({ file: 'main.conf', line: 3, col: 5 });
    expect(user.node.pos).toEqual({ file: 'main.conf', line: 3, col: 12 });
    const list = node(t, 'list');
    expect(list.kind === 'array' && list.value.map((n) => n.pos?.col)).toEqual([9, 13]);
  });

  it('lexer errors: nats-server text, our file/line/col', () => {
    const e = err('port: 4222\nauthorization { user: a b }');
    expect(e.code).toBe('CONF_SYNTAX');
    expect(e.message).toBe(
      `Parse error on line 2: 'Expected a map value terminator "," or a map terminator "}", but got 'b' instead.'`,
    );
    expect([e.file, e.line, e.col]).toEqual(['main.conf', 2, 25]);
    expect(e.toString()).toBe(`main.conf:2:25: ${e.message}`);
  });

  it('an error on a newline is reported on the next line, like nats-server', () => {
    const e = err('port =\n4222');
    expect(e.message).toBe("Parse error on line 2: 'Expected value but found new line'");
    expect(e.line).toBe(2);
  });
});

describe('variables', () => {
  it('resolve in enclosing maps, innermost first, only keys defined above', () => {
    expect(plain('x = 1\na { x = 2, y = $x }\nb { y = $x }')).toEqual({ x: 1, a: { x: 2, y: 2 }, b: { y: 1 } });
    expect(err('a = $b\nb = 1').message).toBe("variable reference for 'b' on line 1 can not be found");
  });

  it('a referenced entry is marked as used, the value takes the reference position', () => {
    const t = tree('x = 5\ny = $x');
    expect(t.value.get('x')!.usedAsVariable).toBe(true);
    expect(t.value.get('y')!.usedAsVariable).toBe(false);
    expect(t.value.get('y')!.node.pos).toEqual({ file: 'main.conf', line: 2, col: 5 });
  });

  it('maps and arrays can be referenced', () => {
    expect(plain('P = { publish: ">" }\nu = { permissions: $P }\nL = [a, b]\nm = $L')).toEqual({
      P: { publish: '>' },
      u: { permissions: { publish: '>' } },
      L: ['a', 'b'],
      m: ['a', 'b'],
    });
  });

  it('fall back to the environment, whose value is parsed as a config value', () => {
    expect(plain('a: $SIZE\nb: $NAME\nc: $LIST', { SIZE: '512KB', NAME: 'hello', LIST: '[1, 2 ]' })).toEqual({
      a: 512 * 1024,
      b: 'hello',
      c: [1, 2],
    });
    const t = tree('a: $SIZE', { SIZE: '5' });
    expect(t.value.get('a')!.node.pos).toEqual({ file: 'main.conf', line: 1, col: 4 });
  });

  it('environment values may reference other variables; cycles are detected', () => {
    expect(plain('a: $A', { A: '$B', B: '7' })).toEqual({ a: 7 });
    const e = err('a: $A', { A: '$B', B: '$A' });
    expect(e.code).toBe('CONF_VARIABLE');
    expect(e.message).toBe(
      "variable reference for 'A' on line 1 could not be parsed: variable reference for 'B' on line 1 could not be parsed: variable reference for 'A' on line 1 could not be parsed: variable reference cycle for 'A'",
    );
    expect(err('a: $A', { A: '$A' }).message).toContain("variable reference cycle for 'A'");
  });

  it('an unparsable environment value is reported', () => {
    expect(err('a: $P', { P: '[1' }).message).toBe(
      `variable reference for 'P' on line 1 could not be parsed: Parse error on line 1: 'Expected an array value terminator "," or an array terminator "]", but got '\u0000' instead.'`,
    );
  });

  it('an unquoted $2a$ bcrypt hash is a literal; a quoted $x is a string', () => {
    expect(plain('p: $2a$11$abc/def\nq: "$x"')).toEqual({ p: '$2a$11$abc/def', q: '$x' });
  });
});

describe('include', () => {
  it('merges the included keys where the include appears, also inside blocks', () => {
    const files = { 'conf/inc.conf': 'b: 2\nc: { d: 3 }\n', 'conf/sub/auth.conf': 'user: u\n' };
    const res = parseConfig('a: 1\ninclude inc.conf\nauth { include "sub/auth.conf"; password: p }', 'conf/main.conf', {
      env: {},
      readFile: (p) => {
        const x = (files as Record<string, string>)[p];
        if (x === undefined) throw Object.assign(new Error('x'), { code: 'ENOENT' });
        return x;
      },
    });
    expect(res.errors).toEqual([]);
    expect(toPlain(res.tree!)).toEqual({ a: 1, b: 2, c: { d: 3 }, auth: { user: 'u', password: 'p' } });
    expect(res.tree!.value.get('b')!.pos).toEqual({ file: 'conf/inc.conf', line: 1, col: 1 });
  });

  it('missing files and errors inside includes name the include', () => {
    const e = err('include missing.conf');
    expect(e.code).toBe('CONF_INCLUDE');
    expect(e.message).toBe("error parsing include file 'missing.conf', open missing.conf: no such file or directory");
    const e2 = err('include bad.conf', {}, { 'bad.conf': 'a: 1\nb: [\n' });
    expect(e2.message).toMatch(/^error parsing include file 'bad.conf', Parse error on line 3: /);
    expect([e2.file, e2.line]).toEqual(['bad.conf', 3]);
  });

  it('include cycles are reported instead of recursing', () => {
    const e = err('include a.conf', {}, { 'a.conf': 'include b.conf\n', 'b.conf': 'include a.conf\n' });
    expect(e.message).toBe(
      "error parsing include file 'a.conf', error parsing include file 'b.conf', error parsing include file 'a.conf', include cycle: main.conf -> a.conf -> b.conf -> a.conf",
    );
  });

  it('an included file does not see the variables of the including file', () => {
    expect(err('x = 1\ninclude b.conf', {}, { 'b.conf': 'y: $x' }).message).toBe(
      "error parsing include file 'b.conf', variable reference for 'x' on line 1 can not be found",
    );
  });
});

describe('lexer corner cases kept from nats-server', () => {
  it('1m is an integer, 1ms a string, 1m30s a parse error', () => {
    expect(plain('a: 1m\nb: 1ms')).toEqual({ a: 1_000_000, b: '1ms' });
    expect(err('a: 1m30s').message).toBe(
      "Parse error on line 1: 'Expected a top-level value to end with a new line, comment or EOF, but got '3' instead.'",
    );
  });

  it('[1] fails while [1k] and [ 1 ] work', () => {
    expect(err('a = [1]').code).toBe('CONF_SYNTAX');
    expect(plain('a = [1k]\nb = [ 1 ]\nc = [1 ]')).toEqual({ a: ['1k'], b: [1], c: [1] });
  });

  it('a key without a value is an error (nats-server main), except a closing } in JSON style', () => {
    expect(err('port: 1\nfoo').message).toBe('config is invalid (main.conf:2:1)');
    expect(err('a { foo }').message).toBe('config is invalid (main.conf:1:5)');
    expect(plain('{ "a": 1 }\n}')).toEqual({ a: 1 });
  });

  it('emits an EOF or ERROR token last, never throws', () => {
    for (const text of ['', 'a', '"', '{', '[', 'a: (', 'a: "\\', '\u0000', 'a: 1\u0000b']) {
      const toks = lex(text);
      const last = toks[toks.length - 1]!;
      expect([TokenType.EOF, TokenType.ERROR]).toContain(last.type);
    }
  });
});
