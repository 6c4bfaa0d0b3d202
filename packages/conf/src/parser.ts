/**
 * nats.conf parser: tokens -> a tree of maps, arrays and scalars, every node with file, line
 * and column. Resolves `$VAR` references (enclosing maps, innermost first and only keys
 * defined above, then the environment, whose value is parsed as a config value; cycles are
 * detected) and `include <path>` (relative to the including file, merged where it appears).
 *
 * Pure: files are read through an injected `readFile`, the environment is an injected map.
 * It never throws on bad input: the first problem stops parsing and is returned.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigProblem } from './errors.js';
import { lex, type Token, TokenType } from './lexer.js';
import type { SourcePos } from './options-types.js';
import type { ConfArray, ConfEntry, ConfMap, ConfNode } from './tree.js';
import { withPos } from './tree.js';

export interface ParseOptions {
  /** Reads a file as UTF-8 text (includes, and the config file itself). Default: node:fs. */
  readFile?: (path: string) => string;
  /** Environment for `$VAR` fallback. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ParseResult {
  /** The top-level map, or `null` when parsing failed. */
  tree: ConfMap | null;
  /** Empty on success; otherwise the one problem that stopped parsing. */
  errors: ConfigProblem[];
}

/** Includes nested deeper than this are reported instead of followed. */
const MAX_INCLUDE_DEPTH = 32;
/** Maps and arrays nested deeper than this are reported (keeps every later walk shallow). */
export const MAX_NESTING_DEPTH = 512;

interface Shared {
  readFile: (path: string) => string;
  env: Readonly<Record<string, string | undefined>>;
  /** Environment variables being expanded right now (cycle detection). */
  envRefs: Set<string>;
  /** Files being included right now (cycle detection). */
  includeStack: string[];
}

export function defaultReadFile(path: string): string {
  return readFileSync(path, 'utf8');
}

function sharedFrom(options: ParseOptions | undefined): Shared {
  return {
    readFile: options?.readFile ?? defaultReadFile,
    env: options?.env ?? process.env,
    envRefs: new Set(),
    includeStack: [],
  };
}

/** Parses config text. `file` names it in positions and anchors relative includes. */
export function parseConfig(text: string, file: string | null = null, options?: ParseOptions): ParseResult {
  const shared = sharedFrom(options);
  if (file !== null) shared.includeStack.push(file);
  return new Parser(text, file, shared).parse();
}

/** Reads and parses a config file. A missing file is `open <path>: no such file or directory`. */
export function parseConfigFile(path: string, options?: ParseOptions): ParseResult {
  const shared = sharedFrom(options);
  let text: string;
  try {
    text = shared.readFile(path);
  } catch (err) {
    return { tree: null, errors: [new ConfigProblem('CONF_FILE', fileErrorText(path, err), null)] };
  }
  shared.includeStack.push(path);
  return new Parser(text, path, shared).parse();
}

/** Go's wording for a failed file read (`open x: no such file or directory`). */
export function fileErrorText(path: string, err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return `open ${path}: no such file or directory`;
    case 'EACCES':
    case 'EPERM':
      return `open ${path}: permission denied`;
    case 'EISDIR':
      return `read ${path}: is a directory`;
    case 'ENOTDIR':
      return `open ${path}: not a directory`;
  }
  const msg = err instanceof Error ? err.message : String(err);
  return `open ${path}: ${msg}`;
}

/** Converts offsets to 1-based line/column. */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  pos(file: string | null, offset: number): SourcePos {
    const line = this.line(offset);
    return { file: file ?? '', line, col: offset - this.starts[line - 1]! + 1 };
  }
}

interface Frame {
  node: ConfMap | ConfArray;
  /** Number of pending keys when this frame opened (more at close = a key without value). */
  keyDepth: number;
}

interface PendingKey {
  key: string;
  pos: SourcePos;
}

const SUFFIX: Record<string, bigint> = {
  '': 1n,
  k: 1000n,
  kb: 1024n,
  ki: 1024n,
  kib: 1024n,
  m: 1000n ** 2n,
  mb: 1024n ** 2n,
  mi: 1024n ** 2n,
  mib: 1024n ** 2n,
  g: 1000n ** 3n,
  gb: 1024n ** 3n,
  gi: 1024n ** 3n,
  gib: 1024n ** 3n,
  t: 1000n ** 4n,
  tb: 1024n ** 4n,
  ti: 1024n ** 4n,
  tib: 1024n ** 4n,
  p: 1000n ** 5n,
  pb: 1024n ** 5n,
  pi: 1024n ** 5n,
  pib: 1024n ** 5n,
  e: 1000n ** 6n,
  eb: 1024n ** 6n,
  ei: 1024n ** 6n,
  eib: 1024n ** 6n,
};
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const DIGIT_OR_MINUS = /^[\p{Nd}-]*/u;

/**
 * Value of an integer literal with its unit suffix (`1k` = 1000, `1kb` = 1024), or an error
 * text. Exported for the options loader, which accepts `'1MB'` strings in embedded options.
 */
export function integerLiteral(raw: string): number | string {
  const digits = DIGIT_OR_MINUS.exec(raw)![0];
  if (!/^-?[0-9]+$/.test(digits)) return `expected integer, but got '${raw}'`;
  const n = BigInt(digits);
  if (n > INT64_MAX || n < INT64_MIN) return `integer '${raw}' is out of the range`;
  const mult = SUFFIX[raw.slice(digits.length).trim().toLowerCase()];
  // nats-server silently drops a value with an unknown suffix (`1kbb`); we report it.
  if (mult === undefined) return `invalid unit suffix in integer '${raw}'`;
  const v = n * mult;
  if (v > INT64_MAX || v < INT64_MIN) return `integer '${raw}' is out of the range`;
  return Number(v);
}

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

function datetimeLiteral(raw: string): Date | null {
  const m = DATETIME_RE.exec(raw);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCDate() !== d || date.getUTCMonth() !== mo - 1) return null;
  date.setUTCFullYear(y); // years 0000-0099 are not shifted to 19xx
  return date;
}

function repositioned(node: ConfNode, pos: SourcePos | null): ConfNode {
  switch (node.kind) {
    case 'array':
      return { kind: 'array', value: node.value.map((n) => repositioned(n, pos)), pos };
    case 'map': {
      const value = new Map<string, ConfEntry>();
      for (const [k, e] of node.value) value.set(k, { ...e, pos, node: repositioned(e.node, pos) });
      return { kind: 'map', value, pos };
    }
    default:
      return withPos(node, pos);
  }
}

class Parser {
  private readonly text: string;
  private readonly file: string | null;
  private readonly shared: Shared;
  private readonly lines: LineIndex;
  private readonly frames: Frame[] = [];
  private readonly keys: PendingKey[] = [];
  private problem: ConfigProblem | null = null;

  constructor(text: string, file: string | null, shared: Shared) {
    this.text = text;
    this.file = file;
    this.shared = shared;
    this.lines = new LineIndex(text);
  }

  parse(): ParseResult {
    const root: ConfMap = { kind: 'map', value: new Map(), pos: this.lines.pos(this.file, 0) };
    this.frames.push({ node: root, keyDepth: 0 });
    const tokens = lex(this.text);
    for (const tok of tokens) {
      if (tok.type === TokenType.EOF) break;
      this.process(tok);
      if (this.problem !== null) return { tree: null, errors: [this.problem] };
    }
    // A key with no value at the very end (nats-server main rejects it; a lone `}` closing a
    // JSON-style file is fine).
    const dangling = this.keys.find((k) => k.key !== '}');
    if (dangling !== undefined) {
      this.fail('CONF_SYNTAX', `config is invalid (${this.posText(dangling.pos)})`, dangling.pos);
      return { tree: null, errors: [this.problem!] };
    }
    return { tree: root, errors: [] };
  }

  private pos(offset: number): SourcePos {
    return this.lines.pos(this.file, offset);
  }
  private posText(p: SourcePos): string {
    return `${p.file}:${p.line}:${p.col}`;
  }
  private fail(code: ConfigProblem['code'], message: string, pos: SourcePos | null): void {
    if (this.problem === null) this.problem = new ConfigProblem(code, message, pos);
  }

  private process(tok: Token): void {
    switch (tok.type) {
      case TokenType.ERROR: {
        const line = this.lines.line(tok.lineOffset);
        this.fail('CONF_SYNTAX', `Parse error on line ${line}: '${tok.value}'`, this.pos(tok.offset));
        return;
      }
      case TokenType.KEY:
        this.keys.push({ key: tok.value, pos: this.pos(tok.offset) });
        return;
      case TokenType.MAP_START:
      case TokenType.ARRAY_START:
        if (this.frames.length > MAX_NESTING_DEPTH) {
          this.fail(
            'CONF_SYNTAX',
            `maximum nesting depth of ${MAX_NESTING_DEPTH} maps and arrays exceeded`,
            this.pos(tok.offset),
          );
          return;
        }
        if (tok.type === TokenType.ARRAY_START) {
          this.frames.push({
            node: { kind: 'array', value: [], pos: this.pos(tok.offset) },
            keyDepth: this.keys.length,
          });
          return;
        }
        this.frames.push({
          node: { kind: 'map', value: new Map(), pos: this.pos(tok.offset) },
          keyDepth: this.keys.length,
        });
        return;
      case TokenType.MAP_END:
      case TokenType.ARRAY_END: {
        const frame = this.frames.pop()!;
        if (this.keys.length > frame.keyDepth) {
          const k = this.keys[this.keys.length - 1]!;
          this.fail('CONF_SYNTAX', `config is invalid (${this.posText(k.pos)})`, k.pos);
          return;
        }
        this.setValue(frame.node);
        return;
      }
      case TokenType.STRING:
        this.setValue({ kind: 'string', value: tok.value, pos: this.pos(tok.offset) });
        return;
      case TokenType.BOOL: {
        const v = tok.value.toLowerCase();
        this.setValue({ kind: 'bool', value: v === 'true' || v === 'yes' || v === 'on', pos: this.pos(tok.offset) });
        return;
      }
      case TokenType.INTEGER: {
        const v = integerLiteral(tok.value);
        if (typeof v === 'string') {
          this.fail('CONF_VALUE', v, this.pos(tok.offset));
          return;
        }
        this.setValue({ kind: 'integer', value: v, raw: tok.value, pos: this.pos(tok.offset) });
        return;
      }
      case TokenType.FLOAT: {
        const v = /^-?[0-9]+\.[0-9]+$/.test(tok.value) ? Number(tok.value) : Number.NaN;
        if (Number.isNaN(v)) {
          this.fail('CONF_VALUE', `expected float, but got '${tok.value}'`, this.pos(tok.offset));
          return;
        }
        if (!Number.isFinite(v)) {
          this.fail('CONF_VALUE', `float '${tok.value}' is out of the range`, this.pos(tok.offset));
          return;
        }
        this.setValue({ kind: 'float', value: v, pos: this.pos(tok.offset) });
        return;
      }
      case TokenType.DATETIME: {
        const d = datetimeLiteral(tok.value);
        if (d === null) {
          this.fail('CONF_VALUE', `expected Zulu formatted DateTime, but got '${tok.value}'`, this.pos(tok.offset));
          return;
        }
        this.setValue({ kind: 'datetime', value: d, pos: this.pos(tok.offset) });
        return;
      }
      case TokenType.VARIABLE:
        this.variable(tok);
        return;
      case TokenType.INCLUDE:
        this.include(tok);
        return;
    }
  }

  private setValue(node: ConfNode): void {
    const frame = this.frames[this.frames.length - 1]!;
    if (frame.node.kind === 'array') {
      frame.node.value.push(node);
      return;
    }
    const k = this.keys.pop();
    if (k === undefined) {
      this.fail('CONF_SYNTAX', `config is invalid (${node.pos === null ? '' : this.posText(node.pos)})`, node.pos);
      return;
    }
    frame.node.value.set(k.key, { key: k.key, pos: k.pos, node, usedAsVariable: false });
  }

  private variable(tok: Token): void {
    const name = tok.value;
    const pos = this.pos(tok.offset);
    const line = pos.line;
    // An unquoted bcrypt hash ($2a$...) is a literal, not a variable.
    if (name.startsWith('2a$')) {
      this.setValue({ kind: 'string', value: `$${name}`, pos });
      return;
    }
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!.node;
      if (f.kind !== 'map') continue;
      const e = f.value.get(name);
      if (e !== undefined) {
        e.usedAsVariable = true;
        this.setValue(withPos(e.node, pos));
        return;
      }
    }
    if (this.shared.envRefs.has(name)) {
      this.fail(
        'CONF_VARIABLE',
        `variable reference for '${name}' on line ${line} could not be parsed: variable reference cycle for '${name}'`,
        pos,
      );
      return;
    }
    const envValue = this.shared.env[name];
    if (envValue === undefined) {
      this.fail('CONF_VARIABLE', `variable reference for '${name}' on line ${line} can not be found`, pos);
      return;
    }
    // The environment value is parsed as a config value (MYENV=512KB is an integer).
    this.shared.envRefs.add(name);
    const sub = new Parser(`pk=${envValue}`, null, this.shared).parse();
    this.shared.envRefs.delete(name);
    if (sub.tree === null) {
      this.fail(
        'CONF_VARIABLE',
        `variable reference for '${name}' on line ${line} could not be parsed: ${sub.errors[0]!.message}`,
        pos,
      );
      return;
    }
    const v = sub.tree.value.get('pk');
    if (v === undefined) {
      this.fail('CONF_VARIABLE', `variable reference for '${name}' on line ${line} can not be found`, pos);
      return;
    }
    this.setValue(repositioned(v.node, pos));
  }

  private include(tok: Token): void {
    const raw = tok.value;
    const pos = this.pos(tok.offset);
    const path = join(this.file === null ? '.' : dirname(this.file), raw);
    const wrap = (inner: string) => `error parsing include file '${raw}', ${inner}`;
    if (this.shared.includeStack.includes(path)) {
      this.fail('CONF_INCLUDE', wrap(`include cycle: ${[...this.shared.includeStack, path].join(' -> ')}`), pos);
      return;
    }
    if (this.shared.includeStack.length >= MAX_INCLUDE_DEPTH) {
      this.fail('CONF_INCLUDE', wrap(`includes nested deeper than ${MAX_INCLUDE_DEPTH}`), pos);
      return;
    }
    let text: string;
    try {
      text = this.shared.readFile(path);
    } catch (err) {
      this.fail('CONF_INCLUDE', wrap(fileErrorText(path, err)), pos);
      return;
    }
    this.shared.includeStack.push(path);
    const sub = new Parser(text, path, this.shared).parse();
    this.shared.includeStack.pop();
    if (sub.tree === null) {
      const inner = sub.errors[0]!;
      const innerPos = inner.file === null ? pos : { file: inner.file, line: inner.line!, col: inner.col! };
      this.fail('CONF_INCLUDE', wrap(inner.message), innerPos);
      return;
    }
    const frame = this.frames[this.frames.length - 1]!.node;
    if (frame.kind !== 'map') return; // the lexer only emits includes where a key may start
    for (const [k, e] of sub.tree.value) frame.value.set(k, e);
  }
}
