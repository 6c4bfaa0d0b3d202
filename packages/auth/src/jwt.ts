/**
 * NATS JWT decoding and validation (nats-io/jwt v2: decoder.go, header.go, claims.go,
 * user_claims.go, account_claims.go, operator_claims.go, types.go, signingkeys.go).
 *
 * `decodeJwt` never throws: it returns the typed claims or an error text. The signature is
 * verified with nkeys (Ed25519 by the issuer key) over the ASCII bytes of `header.claims`
 * (v2) or of the claims part only (v1, legacy, claims with a top-level `type`).
 *
 * Claims are read with Go `encoding/json` type rules (a string where a number belongs is an
 * error; unknown keys are ignored; absent numbers are 0 — which is why a v2 user JWT without
 * `subs` means "zero subscriptions"). Validation (`validateUser`, `validateAccount`) reports
 * the blocking issues nats-server checks with `IsBlocking(true)`: time claims, subjects,
 * CIDRs, time ranges, time zone names, signing keys, imports/exports.
 */
import { decodeBase64RawUrl } from './base64.js';
import { parseCidr } from './cidr.js';
import {
  isValidPublicAccountKey,
  isValidPublicOperatorKey,
  isValidPublicUserKey,
  utf8Bytes,
  verifyNkeySignature,
} from './nkey.js';
import { isSubsetMatchTokens, tokenize } from './subjects.js';
import { isValidTimeZone, parseClock } from './times.js';

/** Largest token accepted (bytes of text). */
export const MAX_JWT_LENGTH = 1024 * 1024;
export const NO_LIMIT = -1;

export interface ClaimsData {
  aud: string;
  exp: number;
  jti: string;
  iat: number;
  iss: string;
  name: string;
  nbf: number;
  sub: string;
}

export interface JwtPermission {
  allow: string[] | null;
  deny: string[] | null;
}
export interface JwtResponsePermission {
  max: number;
  /** Nanoseconds (Go time.Duration). */
  ttl: number;
}
export interface JwtPermissions {
  pub: JwtPermission;
  sub: JwtPermission;
  resp: JwtResponsePermission | null;
}
export interface TimeRange {
  start: string;
  end: string;
}
/** User permission + limits block (also the template of a scoped signing key). */
export interface UserPermissionLimits extends JwtPermissions {
  src: string[];
  times: TimeRange[];
  times_location: string;
  subs: number;
  data: number;
  payload: number;
  bearer_token: boolean;
  allowed_connection_types: string[];
}

/** The `nats` part of a user JWT. */
export interface UserNats extends UserPermissionLimits {
  tags: string[];
  issuer_account: string;
}

export interface UserClaims extends ClaimsData {
  type: 'user';
  version: number;
  nats: UserNats;
  /** True when no permission or limit field is set (required for scoped-key users). */
  emptyPermissions: boolean;
}

export interface JwtImport {
  name: string;
  subject: string;
  account: string;
  token: string;
  to: string;
  local_subject: string;
  /** 'stream' | 'service' | '' (unknown, reported by validation). */
  type: string;
  share: boolean;
}
export interface JwtExport {
  name: string;
  subject: string;
  type: string;
  token_req: boolean;
  revocations: Record<string, number>;
  /** 'Singleton' | 'Stream' | 'Chunked' | '' */
  response_type: string;
  /** Nanoseconds. */
  response_threshold: number;
  account_token_position: number;
  advertise: boolean;
}
export interface UserScope {
  kind: 'user_scope';
  key: string;
  role: string;
  template: UserPermissionLimits;
}
export interface AccountJwtLimits {
  subs: number;
  data: number;
  payload: number;
  imports: number;
  exports: number;
  wildcards: boolean;
  disallow_bearer: boolean;
  conn: number;
  leaf: number;
}
export interface AccountClaims extends ClaimsData {
  type: 'account';
  version: number;
  tags: string[];
  imports: JwtImport[];
  exports: JwtExport[];
  limits: AccountJwtLimits;
  /** key -> scope (null for a plain signing key). */
  signing_keys: Map<string, UserScope | null>;
  revocations: Record<string, number>;
  default_permissions: JwtPermissions;
  mappings: Record<string, unknown>;
}
export interface OperatorClaims extends ClaimsData {
  type: 'operator';
  version: number;
  tags: string[];
  signing_keys: string[];
  account_server_url: string;
  operator_service_urls: string[];
  system_account: string;
  assert_server_version: string;
  strict_signing_key_usage: boolean;
}
export interface ActivationClaims extends ClaimsData {
  type: 'activation';
  version: number;
  subject: string;
  kind: string;
  issuer_account: string;
}
export interface GenericClaims extends ClaimsData {
  type: string;
  version: number;
}

export type AnyClaims = UserClaims | AccountClaims | OperatorClaims | ActivationClaims | GenericClaims;

export type DecodeResult<T> = { ok: true; claims: T } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------
// Go-like typed reading of a JSON object

class TypeErr extends Error {}

type Obj = Record<string, unknown>;

function goType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}
function fail(field: string, v: unknown, want: string): never {
  throw new TypeErr(`json: cannot unmarshal ${goType(v)} into Go struct field ${field} of type ${want}`);
}
function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(o: Obj, k: string): string {
  const v = o[k];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') fail(k, v, 'string');
  return v;
}
function int(o: Obj, k: string, dflt = 0): number {
  const v = o[k];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(k, v, 'int64');
  return v;
}
function bool(o: Obj, k: string): boolean {
  const v = o[k];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') fail(k, v, 'bool');
  return v;
}
function strList(o: Obj, k: string): string[] | null {
  const v = o[k];
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) fail(k, v, '[]string');
  for (const e of v) if (typeof e !== 'string') fail(k, e, 'string');
  return v as string[];
}
function obj(o: Obj, k: string): Obj {
  const v = o[k];
  if (v === undefined || v === null) return {};
  if (!isObj(v)) fail(k, v, 'struct');
  return v;
}
function int64Map(o: Obj, k: string): Record<string, number> {
  const m = obj(o, k);
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(m)) {
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(k, v, 'int64');
    out[key] = v;
  }
  return out;
}
/** A list that may also be given as one comma-separated string (jwt CIDRList). */
function cidrList(o: Obj, k: string): string[] {
  const v = o[k];
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    const out: string[] = [];
    for (const part of v.toLowerCase().split(',')) {
      const t = part.trim();
      if (t !== '' && !out.includes(t)) out.push(t);
    }
    return out;
  }
  const l = strList(o, k);
  return l ?? [];
}

function readClaimsData(o: Obj): ClaimsData {
  return {
    aud: str(o, 'aud'),
    exp: int(o, 'exp'),
    jti: str(o, 'jti'),
    iat: int(o, 'iat'),
    iss: str(o, 'iss'),
    name: str(o, 'name'),
    nbf: int(o, 'nbf'),
    sub: str(o, 'sub'),
  };
}

function readPermission(o: Obj, k: string): JwtPermission {
  const p = obj(o, k);
  return { allow: strList(p, 'allow'), deny: strList(p, 'deny') };
}
function readPermissions(o: Obj): JwtPermissions {
  const r = o.resp;
  let resp: JwtResponsePermission | null = null;
  if (r !== undefined && r !== null) {
    if (!isObj(r)) fail('resp', r, 'ResponsePermission');
    resp = { max: int(r, 'max'), ttl: int(r, 'ttl') };
  }
  return { pub: readPermission(o, 'pub'), sub: readPermission(o, 'sub'), resp };
}
function readTimes(o: Obj): TimeRange[] {
  const v = o.times;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail('times', v, '[]TimeRange');
  return v.map((e) => {
    if (!isObj(e)) fail('times', e, 'TimeRange');
    return { start: str(e, 'start'), end: str(e, 'end') };
  });
}
function readUserPermissionLimits(o: Obj, limitDefault: number): UserPermissionLimits {
  return {
    ...readPermissions(o),
    src: cidrList(o, 'src'),
    times: readTimes(o),
    times_location: str(o, 'times_location'),
    subs: int(o, 'subs', limitDefault),
    data: int(o, 'data', limitDefault),
    payload: int(o, 'payload', limitDefault),
    bearer_token: bool(o, 'bearer_token'),
    allowed_connection_types: strList(o, 'allowed_connection_types') ?? [],
  };
}
function permissionFieldsEmpty(o: Obj): boolean {
  const keys = [
    'pub',
    'sub',
    'resp',
    'src',
    'times',
    'times_location',
    'subs',
    'data',
    'payload',
    'bearer_token',
    'allowed_connection_types',
  ];
  for (const k of keys) {
    const v = o[k];
    if (v === undefined || v === null || v === '' || v === 0 || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (isObj(v) && (k === 'pub' || k === 'sub')) {
      const a = v.allow;
      const d = v.deny;
      const empty = (x: unknown) => x === undefined || x === null || (Array.isArray(x) && x.length === 0);
      if (empty(a) && empty(d)) continue;
    }
    return false;
  }
  return true;
}

function readTags(o: Obj, k = 'tags'): string[] {
  return strList(o, k) ?? [];
}

function readUser(o: Obj, version: number): UserClaims {
  const cd = readClaimsData(o);
  const n = obj(o, 'nats');
  if (version === 1) {
    // v1: type/tags/issuer_account at the top level; limits default to unlimited.
    const upl = readUserPermissionLimits(n, NO_LIMIT);
    return {
      ...cd,
      type: 'user',
      version: 1,
      nats: { ...upl, tags: readTags(o), issuer_account: str(o, 'issuer_account') },
      emptyPermissions: permissionFieldsEmpty(n),
    };
  }
  return {
    ...cd,
    type: 'user',
    version,
    nats: { ...readUserPermissionLimits(n, 0), tags: readTags(n), issuer_account: str(n, 'issuer_account') },
    emptyPermissions: permissionFieldsEmpty(n),
  };
}

function readImport(e: unknown): JwtImport {
  if (!isObj(e)) fail('imports', e, 'Import');
  return {
    name: str(e, 'name'),
    subject: str(e, 'subject'),
    account: str(e, 'account'),
    token: str(e, 'token'),
    to: str(e, 'to'),
    local_subject: str(e, 'local_subject'),
    type: exportType(e, 'type'),
    share: bool(e, 'share'),
  };
}
function exportType(e: Obj, k: string): string {
  const t = str(e, k);
  if (t !== '' && t !== 'stream' && t !== 'service') throw new TypeErr(`unknown export type "${t}"`);
  return t;
}
function readExport(e: unknown): JwtExport {
  if (!isObj(e)) fail('exports', e, 'Export');
  return {
    name: str(e, 'name'),
    subject: str(e, 'subject'),
    type: exportType(e, 'type'),
    token_req: bool(e, 'token_req'),
    revocations: int64Map(e, 'revocations'),
    response_type: str(e, 'response_type'),
    response_threshold: int(e, 'response_threshold'),
    account_token_position: int(e, 'account_token_position'),
    advertise: bool(e, 'advertise'),
  };
}
function list<T>(o: Obj, k: string, read: (e: unknown) => T): T[] {
  const v = o[k];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(k, v, 'array');
  return v.map(read);
}
function readSigningKeys(o: Obj, version: number): Map<string, UserScope | null> {
  const m = new Map<string, UserScope | null>();
  const v = o.signing_keys;
  if (v === undefined || v === null) return m;
  if (!Array.isArray(v)) fail('signing_keys', v, 'SigningKeys');
  for (const e of v) {
    if (typeof e === 'string') m.set(e, null);
    else if (version >= 2 && isObj(e)) {
      if (e.kind !== 'user_scope') throw new TypeErr(`unknown signing key scope "${String(e.type)}"`);
      const key = str(e, 'key');
      m.set(key, {
        kind: 'user_scope',
        key,
        role: str(e, 'role'),
        template: readUserPermissionLimits(obj(e, 'template'), NO_LIMIT),
      });
    } else if (version < 2) fail('signing_keys', e, 'string');
  }
  return m;
}

function readAccount(o: Obj, version: number): AccountClaims {
  const cd = readClaimsData(o);
  const n = obj(o, 'nats');
  const l = obj(n, 'limits');
  return {
    ...cd,
    type: 'account',
    version,
    tags: version === 1 ? readTags(o) : readTags(n),
    imports: list(n, 'imports', readImport),
    exports: list(n, 'exports', readExport),
    limits: {
      subs: int(l, 'subs'),
      data: int(l, 'data'),
      payload: int(l, 'payload'),
      imports: int(l, 'imports'),
      exports: int(l, 'exports'),
      wildcards: bool(l, 'wildcards'),
      disallow_bearer: bool(l, 'disallow_bearer'),
      conn: int(l, 'conn'),
      leaf: int(l, 'leaf'),
    },
    signing_keys: readSigningKeys(n, version),
    revocations: int64Map(n, 'revocations'),
    default_permissions:
      version === 1
        ? { pub: emptyPerm(), sub: emptyPerm(), resp: null }
        : readPermissions(obj(n, 'default_permissions')),
    mappings: version === 1 ? {} : obj(n, 'mappings'),
  };
}
function emptyPerm(): JwtPermission {
  return { allow: null, deny: null };
}

function readOperator(o: Obj, version: number): OperatorClaims {
  const cd = readClaimsData(o);
  const n = obj(o, 'nats');
  return {
    ...cd,
    type: 'operator',
    version,
    tags: version === 1 ? readTags(o) : readTags(n),
    signing_keys: strList(n, 'signing_keys') ?? [],
    account_server_url: str(n, 'account_server_url'),
    operator_service_urls: strList(n, 'operator_service_urls') ?? [],
    system_account: str(n, 'system_account'),
    assert_server_version: str(n, 'assert_server_version'),
    strict_signing_key_usage: bool(n, 'strict_signing_key_usage'),
  };
}

function readActivation(o: Obj, version: number): ActivationClaims {
  const cd = readClaimsData(o);
  const n = obj(o, 'nats');
  return {
    ...cd,
    type: 'activation',
    version,
    subject: str(n, 'subject'),
    kind: str(n, 'kind'),
    issuer_account: version === 1 ? str(o, 'issuer_account') : str(n, 'issuer_account'),
  };
}

// ---------------------------------------------------------------------------------------------
// Decoding

const DECODER = new TextDecoder('utf-8', { fatal: false });

function parseJsonObject(bytes: Uint8Array): Obj | string {
  let v: unknown;
  try {
    v = JSON.parse(DECODER.decode(bytes));
  } catch (e) {
    return (e as Error).message;
  }
  if (!isObj(v)) return `json: cannot unmarshal ${goType(v)} into Go value of type struct`;
  return v;
}

/** Header check (jwt header.go): typ is JWT (any case), alg is ed25519 or ed25519-nkey (any case). */
function checkHeader(part: string): string | null {
  const raw = decodeBase64RawUrl(part);
  if (raw === null) return 'illegal base64 data in header';
  const h = parseJsonObject(raw);
  if (typeof h === 'string') return h;
  let typ: string;
  let alg: string;
  try {
    typ = str(h, 'typ');
    alg = str(h, 'alg');
  } catch (e) {
    return (e as Error).message;
  }
  if (typ.toUpperCase() !== 'JWT') return `not supported type "${typ}"`;
  const a = alg.toLowerCase();
  if (a !== 'ed25519' && a !== 'ed25519-nkey') return `unexpected "${alg}" algorithm`;
  return null;
}

const EXPECTED_ISSUER: Record<string, ((k: unknown) => boolean)[]> = {
  user: [isValidPublicAccountKey],
  account: [isValidPublicAccountKey, isValidPublicOperatorKey],
  operator: [isValidPublicOperatorKey],
  activation: [isValidPublicAccountKey],
};

/**
 * Decodes and verifies any NATS JWT (jwt `Decode`). The issuer's signature must verify and
 * the issuer key must have the role the claim type expects.
 */
export function decodeJwt(token: unknown): DecodeResult<AnyClaims> {
  if (typeof token !== 'string') return { ok: false, error: 'JWT is not a string' };
  if (token.length > MAX_JWT_LENGTH) return { ok: false, error: 'JWT too large' };
  const chunks = token.split('.');
  if (chunks.length !== 3) return { ok: false, error: 'expected 3 chunks' };
  const [h, c, s] = chunks as [string, string, string];
  const herr = checkHeader(h);
  if (herr !== null) return { ok: false, error: herr };
  const cbytes = decodeBase64RawUrl(c);
  if (cbytes === null) return { ok: false, error: 'illegal base64 data in claims' };
  const o = parseJsonObject(cbytes);
  if (typeof o === 'string') return { ok: false, error: o };
  let claims: AnyClaims;
  let version: number;
  try {
    const topType = str(o, 'type');
    const n = obj(o, 'nats');
    const natsType = str(n, 'type');
    version = topType !== '' ? 1 : int(n, 'version');
    const kind = topType !== '' ? topType : natsType;
    if (version > 2) return { ok: false, error: 'JWT was generated by a newer version ' };
    switch (kind) {
      case 'operator':
      case 'account':
      case 'user':
      case 'activation':
        if (version !== 1 && version !== 2) {
          return { ok: false, error: `library supports version 2 or less - received ${version}` };
        }
        claims =
          kind === 'user'
            ? readUser(o, version)
            : kind === 'account'
              ? readAccount(o, version)
              : kind === 'operator'
                ? readOperator(o, version)
                : readActivation(o, version);
        break;
      case 'cluster':
        return { ok: false, error: 'ClusterClaims are not supported' };
      case 'server':
        return { ok: false, error: 'ServerClaims are not supported' };
      default:
        claims = { ...readClaimsData(o), type: kind, version };
    }
  } catch (e) {
    if (e instanceof TypeErr) return { ok: false, error: e.message };
    return { ok: false, error: String(e) };
  }
  const sig = decodeBase64RawUrl(s);
  if (sig === null) return { ok: false, error: 'illegal base64 data in signature' };
  const signed = version <= 1 ? c : token.slice(0, h.length + 1 + c.length);
  if (!verifyNkeySignature(claims.iss, utf8Bytes(signed), sig)) {
    return { ok: false, error: `claim failed V${version <= 1 ? 1 : 2} signature verification` };
  }
  const expected = EXPECTED_ISSUER[claims.type];
  if (expected !== undefined && !expected.some((f) => f(claims.iss))) {
    return { ok: false, error: 'unable to validate expected prefixes' };
  }
  return { ok: true, claims };
}

export function decodeUserJwt(token: unknown): DecodeResult<UserClaims> {
  const r = decodeJwt(token);
  if (!r.ok) return r;
  return r.claims.type === 'user'
    ? { ok: true, claims: r.claims as UserClaims }
    : { ok: false, error: 'not user claim' };
}
export function decodeAccountJwt(token: unknown): DecodeResult<AccountClaims> {
  const r = decodeJwt(token);
  if (!r.ok) return r;
  return r.claims.type === 'account'
    ? { ok: true, claims: r.claims as AccountClaims }
    : { ok: false, error: 'not account claim' };
}
export function decodeOperatorJwt(token: unknown): DecodeResult<OperatorClaims> {
  const r = decodeJwt(token);
  if (!r.ok) return r;
  return r.claims.type === 'operator'
    ? { ok: true, claims: r.claims as OperatorClaims }
    : { ok: false, error: 'not operator claim' };
}

/**
 * Extracts the JWT from a "decorated" creds/operator file (`-----BEGIN NATS OPERATOR JWT-----`
 * block), or returns the trimmed text when it is not decorated (jwt `ParseDecoratedJWT`).
 */
export function parseDecoratedJwt(text: string): string {
  const m = /-{3,}[^\n]*BEGIN[^\n]*-{3,}\s*\n([\s\S]*?)\n\s*-{3,}[^\n]*END/.exec(text);
  return (m ? m[1]! : text).trim();
}

// ---------------------------------------------------------------------------------------------
// Validation (blocking issues only)

/** Time checks (claims.go `ClaimsData.Validate`), with `nowSec` in Unix seconds. */
export function timeIssues(c: ClaimsData, nowSec: number): string[] {
  const out: string[] = [];
  if (c.exp > 0 && nowSec > c.exp) out.push('claim is expired');
  if (c.nbf > 0 && c.nbf > nowSec) out.push('claim is not yet valid');
  return out;
}

function subjectIssues(subject: string, out: string[]): void {
  if (subject === '') out.push('subject cannot be empty');
  if (subject.includes(' ')) out.push(`subject "${subject}" cannot have spaces`);
}

function permissionIssues(p: JwtPermissions, out: string[]): void {
  const check = (entries: string[] | null, permitQueue: boolean) => {
    for (const e of entries ?? []) {
      const tk = e.split(' ');
      if (tk.length === 1) subjectIssues(tk[0]!, out);
      else if (tk.length === 2) {
        subjectIssues(tk[0]!, out);
        subjectIssues(tk[1]!, out);
        if (!permitQueue) out.push(`Permission Subject "${e}" is not allowed to contain queue`);
      } else out.push(`Permission Subject "${e}" contains too many spaces`);
    }
  };
  check(p.sub.allow, true);
  check(p.sub.deny, true);
  check(p.pub.allow, false);
  check(p.pub.deny, false);
}

function limitIssues(l: UserPermissionLimits, out: string[]): void {
  for (const c of l.src) if (parseCidr(c) === null) out.push(`invalid cidr "${c}" in user src limits`);
  for (const t of l.times) {
    if (t.start === '') out.push('time ranges start must contain a start');
    else if (parseClock(t.start) === null) out.push(`start in time range is invalid "${t.start}"`);
    if (t.end === '') out.push('time ranges end must contain an end');
    else if (parseClock(t.end) === null) out.push(`end in time range is invalid "${t.end}"`);
  }
  if (l.times_location !== '' && !isValidTimeZone(l.times_location)) {
    out.push(`could not parse iana time zone by name: unknown time zone ${l.times_location}`);
  }
}

/** Blocking issues of a user JWT (user_claims.go `Validate`), time checks included. */
export function validateUser(u: UserClaims, nowSec: number): string[] {
  const out = timeIssues(u, nowSec);
  permissionIssues(u.nats, out);
  limitIssues(u.nats, out);
  if (u.nats.issuer_account !== '' && !isValidPublicAccountKey(u.nats.issuer_account)) {
    out.push('account_id is not an account public key');
  }
  return out;
}

function hasWildcards(s: string): boolean {
  return s.endsWith('.>') || s.includes('.*.') || s.endsWith('.*') || s.startsWith('*.') || s === '*' || s === '>';
}

function exportIssues(exports: JwtExport[], out: string[]): void {
  const byKind: Record<string, string[]> = { stream: [], service: [] };
  for (const e of exports) {
    if (e.type !== 'stream' && e.type !== 'service') out.push(`invalid export type: "${e.type}"`);
    if (e.type === 'service' && !['', 'Singleton', 'Stream', 'Chunked'].includes(e.response_type)) {
      out.push(`invalid response type for service: "${e.response_type}"`);
    }
    if (e.type === 'stream' && e.response_type !== '')
      out.push(`invalid response type for stream: "${e.response_type}"`);
    if (e.response_threshold < 0) out.push('negative response threshold is invalid');
    if (e.response_threshold > 0 && e.type !== 'service') out.push('response threshold only valid for services');
    subjectIssues(e.subject, out);
    if (e.account_token_position > 0) {
      const toks = tokenize(e.subject);
      if (!hasWildcards(e.subject)) {
        out.push(`Account Token Position can only be used with wildcard subjects: ${e.subject}`);
      } else if (e.account_token_position > toks.length) {
        out.push(`Account Token Position ${e.account_token_position} exceeds length of subject '${e.subject}'`);
      } else if (toks[e.account_token_position - 1] !== '*') {
        out.push(
          `Account Token Position ${e.account_token_position} matches '${toks[e.account_token_position - 1]}' but must match a * in: ${e.subject}`,
        );
      }
    }
    (byKind[e.type === 'service' ? 'service' : 'stream'] as string[]).push(e.subject);
  }
  for (const [kind, subs] of Object.entries(byKind)) {
    for (let i = 0; i < subs.length; i++) {
      for (let j = 0; j < subs.length; j++) {
        if (i !== j && isSubsetMatchTokens(tokenize(subs[i]!), tokenize(subs[j]!))) {
          out.push(`${kind} export subject "${subs[j]}" already exports "${subs[i]}"`);
        }
      }
    }
  }
}

function importIssues(imports: JwtImport[], out: string[]): void {
  for (const i of imports) {
    if (i.type !== 'stream' && i.type !== 'service') out.push(`invalid import type: "${i.type}"`);
    if (i.account === '') out.push('account to import from is not specified');
    subjectIssues(i.subject, out);
    if (i.local_subject !== '' && i.to !== '') out.push('Local Subject replaces To');
    if (i.share && i.type !== 'service')
      out.push(`sharing information (for latency tracking) is only valid for services: "${i.subject}"`);
  }
}

/** Blocking issues of an account JWT (account_claims.go `Validate`), time checks included. */
export function validateAccount(a: AccountClaims, nowSec: number): string[] {
  const out = timeIssues(a, nowSec);
  importIssues(a.imports, out);
  exportIssues(a.exports, out);
  permissionIssues(a.default_permissions, out);
  // Note: these apply even when the JWT has no `limits` at all (Go zero values), as in jwt v2.
  const lim = a.limits;
  if (lim.imports !== NO_LIMIT && a.imports.length > lim.imports) {
    out.push('the account contains more imports than allowed by the operator');
  }
  if (lim.exports !== NO_LIMIT) {
    if (a.exports.length > lim.exports) out.push('the account contains more exports than allowed by the operator');
    if (!lim.wildcards && a.exports.some((e) => hasWildcards(e.subject))) {
      out.push('the account contains wildcard exports that are not allowed by the operator');
    }
  }
  for (const [k, scope] of a.signing_keys) {
    if (scope !== null) {
      if (!isValidPublicAccountKey(scope.key)) out.push(`${scope.key} is not an account public key`);
    } else if (!isValidPublicAccountKey(k)) out.push(`"${k}" is not a valid account signing key`);
  }
  return out;
}

/** Blocking issues of an operator JWT (time checks excluded: nats-server only decodes it). */
export function validateOperator(o: OperatorClaims): string[] {
  const out: string[] = [];
  if (!isValidPublicOperatorKey(o.sub)) out.push('operator subject is not an operator public key');
  for (const k of o.signing_keys) {
    if (!isValidPublicOperatorKey(k)) out.push(`${k} is not an operator public key`);
  }
  if (o.system_account !== '' && !isValidPublicAccountKey(o.system_account)) {
    out.push(`${o.system_account} is not an account public key`);
  }
  return out;
}

/** Is `pubKey` revoked for a JWT issued at `iat` (accounts.go `isRevoked`)? */
export function isRevoked(revocations: Record<string, number>, pubKey: string, iat: number): boolean {
  const t = revocations[pubKey];
  if (t !== undefined && t >= iat) return true;
  const all = revocations['*'];
  return all !== undefined && all >= iat;
}

export { isValidPublicUserKey };
