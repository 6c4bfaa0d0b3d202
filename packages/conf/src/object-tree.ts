/**
 * Plain JavaScript options (embedding: `new Server({ port: 4222, max_payload: '1MB' })`) to
 * the same tree a config file produces, with `pos: null` everywhere, so both go through the
 * one loader. `undefined` and `null` values mean "not set".
 */
import { ConfigProblem } from './errors.js';
import { MAX_NESTING_DEPTH } from './parser.js';
import type { ConfEntry, ConfMap, ConfNode } from './tree.js';

export interface ObjectTreeResult {
  tree: ConfMap;
  errors: ConfigProblem[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function objectToTree(input: Record<string, unknown>): ObjectTreeResult {
  const errors: ConfigProblem[] = [];
  const bad = (path: string, what: string) =>
    errors.push(
      new ConfigProblem('CONF_TYPE', `invalid value for "${path}": unsupported JavaScript value (${what})`, null),
    );

  const ancestors = new Set<object>();
  const convert = (v: unknown, path: string): ConfNode | null => {
    if (typeof v === 'object' && v !== null) {
      if (ancestors.has(v)) {
        bad(path, 'circular reference');
        return null;
      }
      if (ancestors.size >= MAX_NESTING_DEPTH) {
        bad(path, `nested deeper than ${MAX_NESTING_DEPTH} levels`);
        return null;
      }
      ancestors.add(v);
      try {
        return convertObject(v, path);
      } finally {
        ancestors.delete(v);
      }
    }
    switch (typeof v) {
      case 'string':
        return { kind: 'string', value: v, pos: null };
      case 'boolean':
        return { kind: 'bool', value: v, pos: null };
      case 'bigint':
        if (v > 2n ** 63n - 1n || v < -(2n ** 63n)) {
          bad(path, `integer ${v} out of range`);
          return null;
        }
        return { kind: 'integer', value: Number(v), raw: String(v), pos: null };
      case 'number':
        if (Number.isInteger(v)) return { kind: 'integer', value: v, raw: String(v), pos: null };
        if (Number.isFinite(v)) return { kind: 'float', value: v, pos: null };
        bad(path, String(v));
        return null;
      default:
        bad(path, typeof v);
        return null;
    }
  };

  const convertObject = (v: object, path: string): ConfNode | null => {
    if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) {
        bad(path, 'invalid Date');
        return null;
      }
      return { kind: 'datetime', value: v, pos: null };
    }
    if (Array.isArray(v)) {
      const value: ConfNode[] = [];
      v.forEach((el, i) => {
        const n = convert(el, `${path}[${i}]`);
        if (n !== null) value.push(n);
      });
      return { kind: 'array', value, pos: null };
    }
    if (v instanceof Map) {
      return convertMap(
        [...v.entries()].map(([k, x]) => [String(k), x]),
        path,
      );
    }
    if (isPlainObject(v)) return convertMap(Object.entries(v), path);
    bad(path, Object.getPrototypeOf(v)?.constructor?.name ?? 'object');
    return null;
  };

  const convertMap = (entries: Array<[string, unknown]>, path: string): ConfMap => {
    const value = new Map<string, ConfEntry>();
    for (const [k, x] of entries) {
      if (x === undefined || x === null) continue;
      const n = convert(x, path === '' ? k : `${path}.${k}`);
      if (n !== null) value.set(k, { key: k, pos: null, node: n, usedAsVariable: false });
    }
    return { kind: 'map', value, pos: null };
  };

  return { tree: convertMap(Object.entries(input), ''), errors };
}
