/**
 * Shared state and typed value readers for the options loader. Readers never throw: a wrong
 * type records a problem at the key's position and returns `null`.
 */
import { formatGoDuration, nsToMs, parseGoDuration } from './duration.js';
import { type ConfErrorCode, ConfigProblem } from './errors.js';
import type { SourcePos, UnsupportedBlock } from './options-types.js';
import { integerLiteral } from './parser.js';
import type { ConfEntry, ConfMap, ConfNode } from './tree.js';
import { goTypeName, toPlain } from './tree.js';

export interface LoadContextOptions {
  /** Reads files named in the config (operator JWTs, TLS files). `null` skips those checks. */
  readFile: ((path: string) => string) | null;
}

export class LoadContext {
  readonly errors: ConfigProblem[] = [];
  readonly warnings: ConfigProblem[] = [];
  readonly unsupported: UnsupportedBlock[] = [];
  /** Position of each top-level key seen, by canonical name (for cross-field messages). */
  readonly topPos = new Map<string, SourcePos | null>();
  readonly readFile: ((path: string) => string) | null;

  constructor(options: LoadContextOptions) {
    this.readFile = options.readFile;
  }

  error(code: ConfErrorCode, message: string, pos: SourcePos | null): void {
    this.errors.push(new ConfigProblem(code, message, pos));
  }
  warning(code: ConfErrorCode, message: string, pos: SourcePos | null): void {
    this.warnings.push(new ConfigProblem(code, message, pos, 'warning'));
  }

  /** `unknown field "x"`, unless the key is only used as a `$variable`. */
  unknown(e: ConfEntry): void {
    if (!e.usedAsVariable) this.error('CONF_UNKNOWN_FIELD', `unknown field "${e.key}"`, e.pos);
  }

  /** Records a parsed-but-not-provided setting; the server warns naming each one. */
  addUnsupported(key: string, e: ConfEntry | { node: ConfNode; pos: SourcePos | null }): void {
    this.unsupported.push({ key, value: toPlain(e.node), pos: e.pos });
  }

  typeError(e: ConfEntry, expected: string): void {
    this.error('CONF_TYPE', `invalid value for "${e.key}": expected ${expected}, got ${describe(e.node)}`, e.pos);
  }

  // --- typed readers -------------------------------------------------------------------

  str(e: ConfEntry): string | null {
    if (e.node.kind === 'string') return e.node.value;
    this.typeError(e, 'a string');
    return null;
  }

  bool(e: ConfEntry): boolean | null {
    if (e.node.kind === 'bool') return e.node.value;
    this.typeError(e, 'a boolean');
    return null;
  }

  /**
   * An integer. Options given as a plain object may also use size strings (`'1MB'`, `'64k'`),
   * read with the config-file integer rules.
   */
  int(e: ConfEntry): number | null {
    const n = e.node;
    if (n.kind === 'integer') return n.value;
    if (n.kind === 'string' && n.pos === null) {
      const v = integerLiteral(n.value.trim());
      if (typeof v === 'number') return v;
      this.error('CONF_TYPE', `invalid value for "${e.key}": ${v}`, e.pos);
      return null;
    }
    this.typeError(e, 'an integer');
    return null;
  }

  /** A number of seconds (integer or float), returned in milliseconds. */
  seconds(e: ConfEntry): number | null {
    if (e.node.kind === 'integer' || e.node.kind === 'float') return e.node.value * 1000;
    this.typeError(e, 'a number of seconds');
    return null;
  }

  /**
   * A duration: a Go duration string (`"2m"`, `"1m30s"`), or a bare integer meaning seconds
   * with nats-server's warning. Returns milliseconds.
   */
  duration(e: ConfEntry, field: string): number | null {
    const n = e.node;
    if (n.kind === 'string') {
      const d = parseGoDuration(n.value);
      if (!d.ok) {
        this.error('CONF_DURATION', `error parsing ${field}: ${d.error}`, e.pos);
        return null;
      }
      return nsToMs(d.ns);
    }
    if (n.kind === 'integer') {
      this.warning(
        'CONF_WARN_DURATION',
        `invalid use of field "${field}": ${field} should be converted to a duration`,
        e.pos,
      );
      return n.value * 1000;
    }
    this.typeError(e, 'a duration string');
    return null;
  }

  /** A strict duration string (no bare-number form), in ms; `null` after reporting. */
  durationString(e: ConfEntry, field: string): number | null {
    if (e.node.kind !== 'string') {
      this.typeError(e, 'a duration string');
      return null;
    }
    const d = parseGoDuration(e.node.value);
    if (!d.ok) {
      this.error('CONF_DURATION', `error parsing ${field}: ${d.error}`, e.pos);
      return null;
    }
    return nsToMs(d.ns);
  }

  /** A string or a list of strings (nats-server `parseStringArray`). */
  strList(e: ConfEntry, fieldName: string): string[] | null {
    const n = e.node;
    if (n.kind === 'string') return [n.value];
    if (n.kind === 'array') {
      const out: string[] = [];
      for (const el of n.value) {
        if (el.kind === 'string') out.push(el.value);
        else
          this.error(
            'CONF_TYPE',
            `error parsing ${fieldName}: unsupported type in array ${goTypeName(el)}`,
            el.pos ?? e.pos,
          );
      }
      return out;
    }
    this.error('CONF_TYPE', `error parsing ${fieldName}: unsupported type ${goTypeName(n)}`, e.pos);
    return null;
  }

  /** The map value of an entry, or `null` after reporting `message`. */
  map(e: ConfEntry, message?: string): ConfMap | null {
    if (e.node.kind === 'map') return e.node;
    if (message !== undefined) this.error('CONF_TYPE', message, e.pos);
    else this.typeError(e, 'a map');
    return null;
  }
}

/** A short description of a value for type errors: `string "abc"`, `integer 5`, `map`. */
export function describe(n: ConfNode): string {
  switch (n.kind) {
    case 'string':
      return `string ${JSON.stringify(n.value)}`;
    case 'integer':
      return `integer ${n.raw}`;
    case 'float':
      return `float ${n.value}`;
    case 'bool':
      return `boolean ${n.value}`;
    case 'datetime':
      return `datetime ${n.value.toISOString()}`;
    case 'array':
      return 'an array';
    case 'map':
      return 'a map';
  }
}

/** Go's `%v` for a float64 (shortest digits; exponent form below 1e-4 and from 1e6, like `%g`). */
export function goFloatV(n: number): string {
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 6) return goExp(n);
  return String(n);
}
function goExp(n: number): string {
  const [mant, e] = n.toExponential().split('e') as [string, string];
  const sign = e.startsWith('-') ? '-' : '+';
  const digits = e.replace(/^[+-]/, '').padStart(2, '0');
  return `${mant}e${sign}${digits}`;
}

/** Go's `%q` of a string slice: `["A" "B"]`. */
export function goQuoteList(items: readonly string[]): string {
  return `[${items.map((s) => JSON.stringify(s)).join(' ')}]`;
}

export { formatGoDuration };
