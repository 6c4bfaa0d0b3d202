/**
 * Operator (JWT) mode keys: `operator`, `resolver`, `resolver_preload`, `trusted_keys`
 * (opts.go, jwt.go `readOperatorJWT`).
 */
import { decodeJwt, JWT_PREFIX, parseDecoratedJwt } from './jwt.js';
import type { LoadContext } from './load-context.js';
import { isValidPublicNkey } from './nkeys.js';
import type { ResolverOptions, SourcePos } from './options-types.js';
import { fileErrorText } from './parser.js';
import type { ConfEntry } from './tree.js';
import { goTypeName } from './tree.js';

/** The server version operator JWTs are checked against (`assert_server_version`). */
export const SERVER_VERSION = '2.9.10';

export interface OperatorInfo {
  /** The undecorated JWT. */
  jwt: string;
  /** Operator public key (`sub`). */
  subject: string;
  systemAccount: string | null;
  accountServerUrl: string | null;
  assertServerVersion: string | null;
  pos: SourcePos | null;
}

function natsClaims(claims: Record<string, unknown>): Record<string, unknown> {
  return typeof claims.nats === 'object' && claims.nats !== null ? (claims.nats as Record<string, unknown>) : claims;
}
function optString(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * `operator: <file or JWT>` or a list of them. A value is read as a file first (relative to
 * the working directory, like nats-server); if that fails and it looks like a JWT it is used
 * inline. Decorated files (`-----BEGIN NATS OPERATOR JWT-----`) are undecorated.
 */
export function loadOperators(ctx: LoadContext, e: ConfEntry): OperatorInfo[] {
  const n = e.node;
  let items: string[];
  if (n.kind === 'string') items = [n.value];
  else if (n.kind === 'array' && n.value.every((x) => x.kind === 'string')) {
    items = n.value.map((x) => (x.kind === 'string' ? x.value : ''));
  } else {
    ctx.error('CONF_OPERATOR', `error parsing operators: unsupported type ${goTypeName(n)}`, e.pos);
    return [];
  }
  const out: OperatorInfo[] = [];
  for (const item of items) {
    const fail = (msg: string) => ctx.error('CONF_OPERATOR', `error parsing operator JWT: ${msg}`, e.pos);
    let contents: string | null = null;
    if (ctx.readFile !== null) {
      try {
        contents = ctx.readFile(item);
      } catch (err) {
        if (!item.startsWith(JWT_PREFIX)) {
          fail(fileErrorText(item, err));
          continue;
        }
      }
    }
    if (contents === null) {
      if (!item.startsWith(JWT_PREFIX)) {
        fail(`open ${item}: no such file or directory`);
        continue;
      }
      contents = item;
    }
    const jwt = parseDecoratedJwt(contents).trim();
    const decoded = decodeJwt(jwt, ['operator']);
    if (typeof decoded === 'string') {
      fail(decoded);
      continue;
    }
    if (decoded.type !== 'operator') {
      fail('not operator claim');
      continue;
    }
    const nats = natsClaims(decoded.claims);
    out.push({
      jwt,
      subject: decoded.subject,
      systemAccount: optString(nats.system_account),
      accountServerUrl: optString(nats.account_server_url),
      assertServerVersion: optString(nats.assert_server_version),
      pos: e.pos,
    });
  }
  return out;
}

const RESOLVER_ERROR =
  'error parsing account resolver, should be MEM or  URL("url") or a map containing dir and type state=[FULL|CACHE])';

/** `resolver: MEMORY` / `MEM` / `URL("…")` / `{ type: full|cache, dir: … }`. */
export function loadResolver(ctx: LoadContext, e: ConfEntry): ResolverOptions | null {
  const n = e.node;
  if (n.kind === 'string') {
    if (/(MEM|MEMORY)\s*/i.test(n.value)) return { type: 'MEMORY', url: null, dir: null };
    const m = /(?:URL)(?:\(\s*"?([^\s"]*)"?\s*\))?\s*/i.exec(n.value);
    if (m !== null) return { type: 'URL', url: m[1] ?? '', dir: null };
    ctx.error('CONF_OPERATOR', RESOLVER_ERROR, e.pos);
    return null;
  }
  if (n.kind !== 'map') {
    ctx.error('CONF_OPERATOR', `error parsing operator resolver, wrong type ${goTypeName(n)}`, e.pos);
    return null;
  }
  let dir = '';
  let type = '';
  let allowDelete = false;
  let ttl = false;
  let interval = false;
  const before = ctx.errors.length;
  for (const c of n.value.values()) {
    // Like nats-server, keys other than these are ignored in a resolver map.
    switch (c.key) {
      case 'dir':
        dir = ctx.str(c) ?? '';
        break;
      case 'type':
        type = ctx.str(c) ?? '';
        break;
      case 'allow_delete':
        allowDelete = ctx.bool(c) ?? false;
        break;
      case 'limit':
        ctx.int(c);
        break;
      case 'ttl':
        ttl = (ctx.durationString(c, 'ttl') ?? 0) !== 0;
        break;
      case 'interval':
        interval = (ctx.durationString(c, 'interval') ?? 0) !== 0;
        break;
      case 'timeout':
        ctx.durationString(c, 'timeout');
        break;
    }
  }
  if (ctx.errors.length > before) return null;
  if (dir === '') {
    ctx.error('CONF_OPERATOR', 'dir has no value and needs to point to a directory', e.pos);
    return null;
  }
  const kind = type.toUpperCase();
  if (kind === 'CACHE') {
    if (interval) ctx.error('CONF_OPERATOR', 'CACHE does not accept sync', e.pos);
    if (allowDelete) ctx.error('CONF_OPERATOR', 'CACHE does not accept allow_delete', e.pos);
    return { type: 'CACHE', url: null, dir };
  }
  if (kind === 'FULL') {
    if (ttl) ctx.error('CONF_OPERATOR', 'FULL does not accept ttl', e.pos);
    return { type: 'FULL', url: null, dir };
  }
  ctx.error('CONF_OPERATOR', RESOLVER_ERROR, e.pos);
  return null;
}

/** `resolver_preload { <account public key>: <account JWT> }`. */
export function loadPreload(ctx: LoadContext, e: ConfEntry): Record<string, string> {
  const out: Record<string, string> = {};
  const n = e.node;
  if (n.kind !== 'map') {
    ctx.error('CONF_OPERATOR', 'preload should be a map of account_public_key:account_jwt', e.pos);
    return out;
  }
  for (const c of n.value.values()) {
    if (c.node.kind !== 'string') {
      ctx.error('CONF_OPERATOR', 'preload map value should be a string JWT', c.pos);
      continue;
    }
    const d = decodeJwt(c.node.value, ['operator']);
    if (typeof d === 'string' || d.type !== 'account') {
      ctx.error('CONF_OPERATOR', 'invalid account JWT', c.pos);
      continue;
    }
    out[c.key] = c.node.value;
  }
  return out;
}

/** `trusted_keys: O… | [O…, …]` (each must be an operator public key). */
export function loadTrustedKeys(ctx: LoadContext, e: ConfEntry): string[] {
  const n = e.node;
  let keys: string[];
  if (n.kind === 'string') keys = [n.value];
  else if (n.kind === 'array') {
    keys = [];
    for (const el of n.value) {
      if (el.kind === 'string') keys.push(el.value);
      else
        ctx.error(
          'CONF_OPERATOR',
          `error parsing trusted: unsupported type in array ${goTypeName(el)}`,
          el.pos ?? e.pos,
        );
    }
  } else {
    ctx.error('CONF_OPERATOR', `error parsing trusted: unsupported type ${goTypeName(n)}`, e.pos);
    return [];
  }
  for (const k of keys) {
    if (!isValidPublicNkey(k, 'operator')) {
      ctx.error('CONF_OPERATOR', `trust key ${JSON.stringify(k)} required to be a valid public operator nkey`, e.pos);
    }
  }
  return keys;
}

/** jwt.go: an operator may require a minimum server version. */
export function checkOperatorVersion(op: OperatorInfo): string | null {
  const want = op.assertServerVersion;
  if (want === null) return null;
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(want);
  if (m === null) return `operator ${op.subject} expects version ${want} got error instead: invalid version`;
  const [major, minor, update] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [sMajor, sMinor, sUpdate] = SERVER_VERSION.split('.').map(Number) as [number, number, number];
  if (major > sMajor) return `operator ${op.subject} expected major version ${major} > server major version ${sMajor}`;
  if (major < sMajor) return null;
  if (minor > sMinor) return `operator ${op.subject} expected minor version ${minor} > server minor version ${sMinor}`;
  if (minor < sMinor) return null;
  if (update > sUpdate)
    return `operator ${op.subject} expected update version ${update} > server update version ${sUpdate}`;
  return null;
}
