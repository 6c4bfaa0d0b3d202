/**
 * The parsed config tree. Every node and every map key knows where it came from
 * (`pos`: file, 1-based line and column), or `pos: null` when it was built from a plain
 * JavaScript object (embedding).
 */
import type { SourcePos } from './options-types.js';

export interface ConfString {
  kind: 'string';
  value: string;
  pos: SourcePos | null;
}
export interface ConfInteger {
  kind: 'integer';
  /** The value with the unit suffix applied (`1k` = 1000, `1kb` = 1024). */
  value: number;
  /** The literal as written (`1MB`), for messages. */
  raw: string;
  pos: SourcePos | null;
}
export interface ConfFloat {
  kind: 'float';
  value: number;
  pos: SourcePos | null;
}
export interface ConfBool {
  kind: 'bool';
  value: boolean;
  pos: SourcePos | null;
}
export interface ConfDatetime {
  kind: 'datetime';
  value: Date;
  pos: SourcePos | null;
}
export interface ConfArray {
  kind: 'array';
  value: ConfNode[];
  pos: SourcePos | null;
}
export interface ConfMap {
  kind: 'map';
  /** Keys as written (case kept), in file order; a later duplicate replaces the value in place. */
  value: Map<string, ConfEntry>;
  pos: SourcePos | null;
}
export type ConfNode = ConfString | ConfInteger | ConfFloat | ConfBool | ConfDatetime | ConfArray | ConfMap;

export interface ConfEntry {
  key: string;
  /** Position of the key (nats-server reports map-entry problems at the key). */
  pos: SourcePos | null;
  node: ConfNode;
  /** Set when a `$variable` referenced this entry: an unknown key that is only a variable is fine. */
  usedAsVariable: boolean;
}

/** Go's name for the type of a parsed value, as nats-server prints it with `%T`. */
export function goTypeName(node: ConfNode): string {
  switch (node.kind) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int64';
    case 'float':
      return 'float64';
    case 'bool':
      return 'bool';
    case 'datetime':
      return 'time.Time';
    case 'array':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
  }
}

/** A plain JavaScript view of a node (maps become objects, datetimes `Date`s). */
export function toPlain(node: ConfNode): unknown {
  switch (node.kind) {
    case 'array':
      return node.value.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, e] of node.value) out[k] = toPlain(e.node);
      return out;
    }
    default:
      return node.value;
  }
}

/** Go's `%v` rendering of a value, used in a few nats-server messages (`got foo`). */
export function goValueString(node: ConfNode): string {
  switch (node.kind) {
    case 'array':
      return `[${node.value.map(goValueString).join(' ')}]`;
    case 'map':
      return `map[${[...node.value.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, e]) => `${k}:${goValueString(e.node)}`)
        .join(' ')}]`;
    case 'datetime':
      return node.value.toISOString().replace('T', ' ').replace('.000Z', ' +0000 UTC');
    default:
      return String(node.value);
  }
}

/** A copy of `node` carrying another position (a `$VAR` value takes the reference's position). */
export function withPos(node: ConfNode, pos: SourcePos | null): ConfNode {
  return { ...node, pos } as ConfNode;
}
