/**
 * Connection kinds as the auth engine sees them, and `allowed_connection_types` sets.
 *
 * The names are nats-server's connection type names (jwt `user_claims.go`, client.go
 * `connectionTypeAllowed`): a plain TCP client is STANDARD, a WebSocket client WEBSOCKET, MQTT
 * over TCP MQTT, MQTT over WebSocket MQTT_WS, a leafnode LEAFNODE or LEAFNODE_WS, and an
 * in-process (socketless) connection IN_PROCESS.
 *
 * A set of allowed types is a bit mask (`1 << kind`); `0` means "no restriction", which is
 * what an absent or empty `allowed_connection_types` list means.
 */
import type { ConnectionTypeName } from '@starling/conf';

export const ConnKind = {
  STANDARD: 0,
  WEBSOCKET: 1,
  LEAFNODE: 2,
  LEAFNODE_WS: 3,
  MQTT: 4,
  MQTT_WS: 5,
  IN_PROCESS: 6,
} as const;
export type ConnKind = (typeof ConnKind)[keyof typeof ConnKind];

/** Names indexed by kind. */
export const CONN_KIND_NAMES: readonly ConnectionTypeName[] = [
  'STANDARD',
  'WEBSOCKET',
  'LEAFNODE',
  'LEAFNODE_WS',
  'MQTT',
  'MQTT_WS',
  'IN_PROCESS',
];

/** A bit mask of allowed kinds; 0 = every kind allowed. */
export type ConnTypeMask = number;

/** All defined kinds. */
export const ALL_CONN_KINDS_MASK: ConnTypeMask = (1 << CONN_KIND_NAMES.length) - 1;

export function isConnKind(value: unknown): value is ConnKind {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < CONN_KIND_NAMES.length;
}

/** The nats-server name of a kind (`"STANDARD"`…), or `"UNKNOWN"` for a number that is no kind. */
export function connKindName(kind: number): string {
  return CONN_KIND_NAMES[kind] ?? 'UNKNOWN';
}

/** Kind for a type name, matched case-insensitively as nats-server does (upper-cased); -1 if unknown. */
export function connKindFromName(name: string): number {
  return CONN_KIND_NAMES.indexOf(name.toUpperCase() as ConnectionTypeName);
}

export interface ConnTypeParse {
  mask: ConnTypeMask;
  /** The upper-cased names that are no known type, in input order. */
  unknown: string[];
}

/**
 * Converts a list of names into a mask (nats-server `convertAllowedConnectionTypes`): names are
 * upper-cased; unknown ones are collected. An empty list gives mask 0 (= everything allowed).
 */
export function parseConnTypes(names: readonly string[]): ConnTypeParse {
  let mask = 0;
  const unknown: string[] = [];
  for (const raw of names) {
    const kind = connKindFromName(raw);
    if (kind < 0) unknown.push(raw.toUpperCase());
    else mask |= 1 << kind;
  }
  return { mask, unknown };
}

/** True when `kind` is allowed by `mask` (0 = all). */
export function connTypeAllowed(mask: ConnTypeMask, kind: number): boolean {
  return mask === 0 || (mask & (1 << kind)) !== 0;
}

/** The names in a mask, in kind order (empty for 0 = all). */
export function connTypeNames(mask: ConnTypeMask): ConnectionTypeName[] {
  const out: ConnectionTypeName[] = [];
  for (let k = 0; k < CONN_KIND_NAMES.length; k++) {
    if ((mask & (1 << k)) !== 0) out.push(CONN_KIND_NAMES[k]!);
  }
  return out;
}
