/**
 * The resolved account model: every account, its limits, exports and imports in a form the
 * server can route with (opts.go `parseAccounts`, accounts.go `AddStreamImport`,
 * `AddServiceImport`, `checkStreamImportAuthorized`, `UpdateAccountClaims`).
 *
 * Accounts come from `accounts {}` in config, or (operator mode) from account JWTs. Either
 * way they end up as `ResolvedAccount`s; imports are checked against the exporter's exports
 * and stored as ready-to-route entries:
 *  - stream import: messages the exporter publishes on `from` are delivered to the importer's
 *    subscribers on `to` (rewritten by `transform` when the subjects differ by wildcards);
 *  - service import: a publish in the importer on `from` goes to the exporter's subscribers on
 *    `to`; replies travel back (the server owns reply mapping).
 * All subjects are wire-form byte strings.
 */
import type { AccountOptions, ExportOptions, ImportOptions, Permissions } from '@starling/conf';
import { type AuthProblem, AuthProblemCode } from './errors.js';
import { goQuote } from './go-quote.js';
import {
  type AccountClaims,
  type ActivationClaims,
  decodeJwt,
  isRevoked,
  type JwtImport,
  type JwtPermissions,
  timeIssues,
} from './jwt.js';
import { isValidPublicAccountKey } from './nkey.js';
import {
  compileTransform,
  isSubsetMatchTokens,
  isValidConfigSubject,
  type SubjectTransform,
  subjectIsLiteral,
  subjectIsSubsetMatch,
  subjectsCollide,
  tokenize,
  toWire,
} from './subjects.js';

export const GLOBAL_ACCOUNT = '$G';
export const DEFAULT_SYSTEM_ACCOUNT = '$SYS';

export type ResponseType = 'single' | 'stream' | 'chunked';

export interface ExportAuth {
  /** Accounts allowed to import; null = public. An empty list = an activation token is required. */
  approved: readonly string[] | null;
  tokenRequired: boolean;
  /** 1-based token of the subject that must equal the importing account's name (0 = unused). */
  accountTokenPosition: number;
}

export interface StreamExport extends ExportAuth {
  subject: string;
  /** JWT export revocations of activation tokens: importer key (or "*") -> unix seconds. */
  revocations?: Readonly<Record<string, number>>;
}
export interface ServiceExport extends ExportAuth {
  subject: string;
  revocations?: Readonly<Record<string, number>>;
  responseType: ResponseType;
  /** Milliseconds, null = default (2 minutes in nats-server). */
  responseThresholdMs: number | null;
}

export interface StreamImport {
  /** Exporting account name. */
  account: string;
  /** Subject pattern in the exporter. */
  from: string;
  /** Subject (pattern) the importer's subscribers see. */
  to: string;
  /** Set when `from` has wildcards and `to` differs: apply with `applyTransform`. */
  transform: SubjectTransform | null;
  /** Deliver with the published subject unchanged (`from` has wildcards and `to === from`). */
  usePub: boolean;
}

export interface ServiceImport {
  /** Exporting account name. */
  account: string;
  /** Subject importer clients publish requests on. */
  from: string;
  /** Subject the request is delivered on in the exporter. */
  to: string;
  /** Set when the subjects differ by wildcards: maps `from` -> `to`. */
  transform: SubjectTransform | null;
  usePub: boolean;
  responseType: ResponseType;
  share: boolean;
}

export interface AccountLimitsResolved {
  /** -1 = unlimited; 0 = none (a JWT account without limits allows no connection, as nats-server). */
  maxConnections: number;
  maxSubscriptions: number;
  maxPayload: number;
  maxLeafnodes: number;
  maxData: number;
  disallowBearer: boolean;
}

export interface AccountJwtInfo {
  /** The account JWT as given. */
  token: string;
  issuer: string;
  /** Unix seconds, 0 = none. */
  expires: number;
  notBefore: number;
  tags: readonly string[];
  /** Signing keys (the account key itself included unless the operator is strict); value = scope or null. */
  signingKeys: ReadonlyMap<string, import('./jwt.js').UserScope | null>;
  revocations: Readonly<Record<string, number>>;
  claims: AccountClaims;
}

export class ResolvedAccount {
  readonly name: string;
  /** JWT `name` claim, or null. */
  readonly nameTag: string | null;
  system: boolean;
  readonly limits: AccountLimitsResolved;
  readonly streamExports: StreamExport[];
  readonly serviceExports: ServiceExport[];
  readonly streamImports: StreamImport[];
  readonly serviceImports: ServiceImport[];
  /** Subject mappings as configured (not interpreted here). */
  readonly mappings: Record<string, unknown>;
  readonly defaultPermissions: Permissions | null;
  readonly jwt: AccountJwtInfo | null;
  /** Config `nkey` of the account (public A… key), or null. */
  readonly nkey: string | null;
  /** Some JWT imports could not be resolved (nats-server keeps the account, marked incomplete). */
  incomplete: boolean;

  constructor(
    name: string,
    init: {
      nameTag?: string | null;
      limits?: Partial<AccountLimitsResolved>;
      mappings?: Record<string, unknown>;
      defaultPermissions?: Permissions | null;
      jwt?: AccountJwtInfo | null;
      nkey?: string | null;
    } = {},
  ) {
    this.name = name;
    this.nameTag = init.nameTag ?? null;
    this.system = false;
    this.limits = {
      maxConnections: -1,
      maxSubscriptions: -1,
      maxPayload: -1,
      maxLeafnodes: -1,
      maxData: -1,
      disallowBearer: false,
      ...init.limits,
    };
    this.streamExports = [];
    this.serviceExports = [];
    this.streamImports = [];
    this.serviceImports = [];
    this.mappings = init.mappings ?? {};
    this.defaultPermissions = init.defaultPermissions ?? null;
    this.jwt = init.jwt ?? null;
    this.nkey = init.nkey ?? null;
    this.incomplete = false;
  }

  /** accounts.go `checkAuth`: may `importer` import this export for `subject`? */
  private authorized(
    ea: StreamExport | ServiceExport,
    importer: string,
    tokens: readonly string[] | null,
    activation: ActivationCheck | null,
  ): boolean {
    if (ea.approved === null && !ea.tokenRequired && ea.accountTokenPosition === 0) return true;
    if (ea.accountTokenPosition > 0) {
      return (
        tokens !== null && ea.accountTokenPosition <= tokens.length && tokens[ea.accountTokenPosition - 1] === importer
      );
    }
    if (ea.tokenRequired) return activation?.(this, ea) ?? false;
    return ea.approved?.includes(importer) ?? false;
  }

  private approved(
    list: readonly (StreamExport | ServiceExport)[],
    importer: string,
    subject: string,
    activation: ActivationCheck | null,
  ): boolean {
    if (list.length === 0) return false;
    const exact = list.find((e) => e.subject === subject);
    if (exact !== undefined) return this.authorized(exact, importer, null, activation);
    const tokens = tokenize(subject);
    for (const e of list) {
      if (isSubsetMatchTokens(tokens, tokenize(e.subject))) return this.authorized(e, importer, tokens, activation);
    }
    return false;
  }

  /** May `importer` import the stream `subject` (accounts.go `checkStreamImportAuthorized`)? */
  streamImportAuthorized(importer: string, subject: string, activation: ActivationCheck | null = null): boolean {
    return isValidConfigSubject(subject) && this.approved(this.streamExports, importer, subject, activation);
  }

  /** May `importer` import the service `subject` (accounts.go `checkServiceImportAuthorized`)? */
  serviceImportAuthorized(importer: string, subject: string, activation: ActivationCheck | null = null): boolean {
    return this.approved(this.serviceExports, importer, subject, activation);
  }

  /** The service export covering `subject` (exact first, then wildcard), or null. */
  serviceExportFor(subject: string): ServiceExport | null {
    const exact = this.serviceExports.find((e) => e.subject === subject);
    if (exact !== undefined) return exact;
    const tokens = tokenize(subject);
    return this.serviceExports.find((e) => isSubsetMatchTokens(tokens, tokenize(e.subject))) ?? null;
  }

  private hasStreamExportMatching(to: string): boolean {
    return this.streamExports.some((e) => subjectIsSubsetMatch(to, e.subject));
  }

  /** accounts.go `checkStreamImportsForCycles`. */
  streamImportCycle(model: AccountModel, to: string, visited: Set<string>): boolean {
    if (!this.hasStreamExportMatching(to)) return false;
    for (const si of this.streamImports) {
      if (!subjectsCollide(to, si.to)) continue;
      if (visited.has(si.account)) return true;
      visited.add(this.name);
      const next = subjectIsSubsetMatch(si.to, to) ? si.to : to;
      const acc = model.get(si.account);
      if (acc?.streamImportCycle(model, next, visited)) return true;
    }
    return false;
  }

  /** accounts.go `checkServiceImportsForCycles`. */
  serviceImportCycle(model: AccountModel, from: string, visited: Set<string>): boolean {
    for (const si of this.serviceImports) {
      if (!subjectsCollide(from, si.to)) continue;
      if (visited.has(si.account)) return true;
      visited.add(this.name);
      const next = subjectIsSubsetMatch(si.from, from) ? si.from : from;
      const acc = model.get(si.account);
      if (acc?.serviceImportCycle(model, next, visited)) return true;
    }
    return false;
  }
}

/** Checks an import's activation token against the exporter and the export it falls under. */
export type ActivationCheck = (exporter: ResolvedAccount, ex: StreamExport | ServiceExport) => boolean;

/** All accounts known to the engine. */
export class AccountModel {
  readonly accounts = new Map<string, ResolvedAccount>();
  /** Name of the system account, or null (`no_system_account`). */
  systemAccount: string | null = null;

  constructor() {
    this.accounts.set(GLOBAL_ACCOUNT, new ResolvedAccount(GLOBAL_ACCOUNT));
  }

  get global(): ResolvedAccount {
    return this.accounts.get(GLOBAL_ACCOUNT)!;
  }

  get(name: string): ResolvedAccount | undefined {
    return this.accounts.get(name);
  }

  /** Importers of each account's streams/services, for the server's interest propagation. */
  importersOf(exporter: string): ResolvedAccount[] {
    const out: ResolvedAccount[] = [];
    for (const a of this.accounts.values()) {
      if (a.streamImports.some((i) => i.account === exporter) || a.serviceImports.some((i) => i.account === exporter)) {
        out.push(a);
      }
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Adding imports (shared by config and JWT paths). Return an error text or null.

/** accounts.go `AddStreamImportWithClaim` (prefix) / `AddMappedStreamImportWithClaim` (to). */
export function addStreamImport(
  model: AccountModel,
  importer: ResolvedAccount,
  exporter: ResolvedAccount,
  fromText: string,
  opts: { prefix?: string | null; to?: string | null; activation?: ActivationCheck | null },
): string | null {
  const from = toWire(fromText);
  if (!exporter.streamImportAuthorized(importer.name, from, opts.activation ?? null))
    return 'stream import not authorized';
  let to: string;
  if (opts.prefix) {
    let prefix = toWire(opts.prefix);
    if (!subjectIsLiteral(prefix)) return 'stream import prefix can not contain wildcard tokens';
    if (!prefix.endsWith('.')) prefix += '.';
    to = prefix + from;
  } else {
    to = opts.to ? toWire(opts.to) : from;
  }
  if (exporter.streamImportCycle(model, to, new Set([importer.name]))) return 'import forms a cycle';
  let transform: SubjectTransform | null = null;
  let usePub = false;
  if (!subjectIsLiteral(from)) {
    if (to === from) usePub = true;
    else {
      const t = compileTransform(from, to);
      if (typeof t === 'string') {
        return `failed to create mapping transform for stream import subject "${fromText}" to "${opts.to ?? to}": ${t}`;
      }
      transform = t;
      to = t.to;
    }
  }
  if (importer.streamImports.some((si) => si.account === exporter.name && si.from === from)) {
    return 'stream import already exists';
  }
  importer.streamImports.push({ account: exporter.name, from, to, transform, usePub });
  return null;
}

/** accounts.go `addServiceImportWithClaim`: `fromText` local, `toText` in the exporter. */
export function addServiceImport(
  model: AccountModel,
  importer: ResolvedAccount,
  exporter: ResolvedAccount,
  fromText: string,
  toText: string | null,
  share = false,
  activation: ActivationCheck | null = null,
): string | null {
  const from = toWire(fromText);
  const to = toText ? toWire(toText) : from;
  if (!isValidConfigSubject(from) || !isValidConfigSubject(to)) return 'invalid subject';
  if (!exporter.serviceImportAuthorized(importer.name, to, activation)) return 'service import not authorized';
  if (exporter.serviceImportCycle(model, from, new Set([importer.name]))) return 'import forms a cycle';
  const dup = importer.serviceImports.find((si) => si.from === from);
  if (dup !== undefined) {
    return `duplicate service import subject "${fromText}", previously used in import for account "${dup.account}", subject "${dup.to}"`;
  }
  let transform: SubjectTransform | null = null;
  let usePub = false;
  let toPattern = to;
  if (!subjectIsLiteral(to)) {
    if (to === from) usePub = true;
    else {
      const t = compileTransform(from, to);
      if (typeof t === 'string') {
        return `failed to create mapping transform for service import subject "${fromText}" to "${toText}": ${t}`;
      }
      transform = t;
      toPattern = t.to;
    }
  }
  const se = exporter.serviceExportFor(to);
  importer.serviceImports.push({
    account: exporter.name,
    from,
    to: toPattern,
    transform,
    usePub,
    responseType: se?.responseType ?? 'single',
    share,
  });
  return null;
}

// ---------------------------------------------------------------------------------------------
// Config accounts

function problem(
  code: AuthProblem['code'],
  message: string,
  pos: AuthProblem['pos'],
  stage: AuthProblem['stage'],
): AuthProblem {
  return { code, message, pos, stage };
}

function limitsFromConfig(a: AccountOptions): Partial<AccountLimitsResolved> {
  const l = a.limits;
  if (l === null) return {};
  // Taken literally as nats-server does (opts.go parseAccountLimits): 0 means zero.
  const v = (x: number | null) => (x === null ? -1 : x);
  return {
    maxConnections: v(l.max_connections),
    maxSubscriptions: v(l.max_subscriptions),
    maxPayload: v(l.max_payload),
    maxLeafnodes: v(l.max_leafnodes),
  };
}

function exportAuth(e: ExportOptions): ExportAuth {
  return {
    approved: e.accounts,
    tokenRequired: e.accounts !== null && e.accounts.length === 0,
    accountTokenPosition: 0,
  };
}

/**
 * Builds the accounts of `accounts {}` into `model`, collecting problems with nats-server's
 * texts. Exports are added first, then imports (as nats-server does, so that authorization
 * checks see every export).
 */
export function addConfigAccounts(
  model: AccountModel,
  accounts: readonly AccountOptions[],
  problems: AuthProblem[],
): void {
  const seen = new Set<string>();
  for (const a of accounts) {
    if (a.name === GLOBAL_ACCOUNT) {
      problems.push(problem(AuthProblemCode.RESERVED_ACCOUNT, `"${a.name}" is a Reserved Account`, a.pos, 'parse'));
      continue;
    }
    if (seen.has(a.name)) {
      problems.push(problem(AuthProblemCode.DUPLICATE_ACCOUNT, `Duplicate Account Entry: ${a.name}`, a.pos, 'parse'));
      continue;
    }
    seen.add(a.name);
    if (a.nkey !== null && !isValidPublicAccountKey(a.nkey)) {
      problems.push(
        problem(
          AuthProblemCode.BAD_ACCOUNT_NKEY,
          `Not a valid public nkey for an account: ${goQuote(a.nkey)}`,
          a.pos,
          'parse',
        ),
      );
    }
    model.accounts.set(
      a.name,
      new ResolvedAccount(a.name, {
        limits: limitsFromConfig(a),
        mappings: a.mappings,
        defaultPermissions: a.default_permissions,
        nkey: a.nkey,
      }),
    );
  }
  // Exports.
  for (const a of accounts) {
    const acc = model.get(a.name);
    if (acc === undefined || a.name === GLOBAL_ACCOUNT) continue;
    for (const e of a.exports) {
      const kind = e.kind === 'service' ? 'service' : 'stream';
      let ok = true;
      for (const an of e.accounts ?? []) {
        if (!model.accounts.has(an) || an === GLOBAL_ACCOUNT) {
          problems.push(
            problem(
              AuthProblemCode.EXPORT_ACCOUNT_NOT_DEFINED,
              `"${an}" account not defined for ${kind} export`,
              a.pos,
              'parse',
            ),
          );
          ok = false;
        }
      }
      if (!ok) continue;
      if (!isValidConfigSubject(e.subject)) {
        problems.push(
          problem(
            AuthProblemCode.BAD_EXPORT,
            `Error adding ${kind} export "${e.subject}": invalid subject`,
            a.pos,
            'parse',
          ),
        );
        continue;
      }
      const subject = toWire(e.subject);
      if (e.kind === 'service') {
        const existing = acc.serviceExports.findIndex((x) => x.subject === subject);
        const entry: ServiceExport = {
          subject,
          ...exportAuth(e),
          responseType: e.response_type,
          responseThresholdMs: e.threshold,
        };
        if (existing >= 0) acc.serviceExports[existing] = entry;
        else acc.serviceExports.push(entry);
      } else {
        const existing = acc.streamExports.findIndex((x) => x.subject === subject);
        const entry: StreamExport = { subject, ...exportAuth(e) };
        if (existing >= 0) acc.streamExports[existing] = entry;
        else acc.streamExports.push(entry);
      }
    }
  }
  // Imports: streams first, then services (opts.go order).
  const imports: Array<{ acc: ResolvedAccount; opt: AccountOptions; imp: ImportOptions }> = [];
  for (const a of accounts) {
    const acc = model.get(a.name);
    if (acc === undefined || a.name === GLOBAL_ACCOUNT) continue;
    for (const imp of a.imports) imports.push({ acc, opt: a, imp });
  }
  for (const kind of ['stream', 'service'] as const) {
    for (const { acc, opt, imp } of imports) {
      if (imp.kind !== kind) continue;
      const exporter = model.get(imp.account);
      if (exporter === undefined || imp.account === GLOBAL_ACCOUNT) {
        problems.push(
          problem(
            AuthProblemCode.IMPORT_ACCOUNT_NOT_DEFINED,
            `"${imp.account}" account not defined for ${kind} import`,
            opt.pos,
            'parse',
          ),
        );
        continue;
      }
      let err: string | null;
      if (imp.kind === 'stream') {
        err = addStreamImport(model, acc, exporter, imp.subject, { prefix: imp.prefix, to: imp.to });
      } else {
        err = addServiceImport(model, acc, exporter, imp.to ?? imp.subject, imp.subject);
      }
      if (err !== null) {
        problems.push(
          problem(AuthProblemCode.BAD_IMPORT, `Error adding ${kind} import "${imp.subject}": ${err}`, opt.pos, 'parse'),
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// JWT accounts

function responseTypeFromJwt(t: string): ResponseType {
  return t === 'Stream' ? 'stream' : t === 'Chunked' ? 'chunked' : 'single';
}

/** JWT permissions -> config-shaped permissions (nats-server `buildPermissionsFromJwt`); null when empty. */
export function permissionsFromJwt(p: JwtPermissions): Permissions | null {
  const has = (x: string[] | null) => x !== null && x.length > 0;
  const pub = has(p.pub.allow) || has(p.pub.deny) ? { allow: p.pub.allow, deny: p.pub.deny } : null;
  const sub = has(p.sub.allow) || has(p.sub.deny) ? { allow: p.sub.allow, deny: p.sub.deny } : null;
  const resp = p.resp === null ? null : { max: p.resp.max, expires: Math.trunc(p.resp.ttl / 1e6) };
  if (pub === null && sub === null && resp === null) return null;
  return { publish: pub, subscribe: sub, allow_responses: resp };
}

/**
 * A `ResolvedAccount` from verified account claims (`UpdateAccountClaims`): limits taken
 * literally (0 = zero, -1 = unlimited), signing keys (plus the account key unless `strict`),
 * exports. Imports are added by {@link resolveJwtImports} once every account is known.
 */
export function accountFromJwt(token: string, c: AccountClaims, strict: boolean): ResolvedAccount {
  const signingKeys = new Map(c.signing_keys);
  if (!strict) signingKeys.set(c.sub, null);
  const acc = new ResolvedAccount(c.sub, {
    nameTag: c.name === '' ? null : c.name,
    limits: {
      maxConnections: c.limits.conn,
      maxSubscriptions: c.limits.subs,
      maxPayload: c.limits.payload,
      maxLeafnodes: c.limits.leaf,
      maxData: c.limits.data,
      disallowBearer: c.limits.disallow_bearer,
    },
    mappings: c.mappings,
    defaultPermissions: permissionsFromJwt(c.default_permissions),
    jwt: {
      token,
      issuer: c.iss,
      expires: c.exp,
      notBefore: c.nbf,
      tags: c.tags,
      signingKeys,
      revocations: c.revocations,
      claims: c,
    },
  });
  for (const e of c.exports) {
    const subject = toWire(e.subject);
    const auth: ExportAuth & { revocations: Record<string, number> } = {
      approved: e.token_req ? [] : null,
      tokenRequired: e.token_req,
      accountTokenPosition: e.account_token_position,
      revocations: e.revocations,
    };
    if (e.type === 'service') {
      acc.serviceExports.push({
        subject,
        ...auth,
        responseType: responseTypeFromJwt(e.response_type),
        responseThresholdMs: e.response_threshold > 0 ? Math.trunc(e.response_threshold / 1e6) : null,
      });
    } else if (e.type === 'stream') {
      acc.streamExports.push({ subject, ...auth });
    }
  }
  return acc;
}

/**
 * Adds the imports of every JWT account (`UpdateAccountClaims` import loop). Imports that
 * cannot be resolved leave the account `incomplete` and produce a warning, as nats-server
 * logs them and carries on.
 */
export function resolveJwtImports(model: AccountModel, problems: AuthProblem[], nowSec: number): void {
  for (const acc of model.accounts.values()) {
    const c = acc.jwt?.claims;
    if (!c) continue;
    for (const i of c.imports) {
      const exporter = model.get(i.account);
      const activation = i.token === '' ? null : activationCheck(i, acc.name, nowSec);
      let err: string | null;
      if (exporter === undefined || exporter.jwt === null) err = 'account missing';
      else if (i.type === 'stream') {
        err =
          i.local_subject !== ''
            ? addStreamImport(model, acc, exporter, i.subject, { to: i.local_subject, activation })
            : addStreamImport(model, acc, exporter, i.subject, { prefix: i.to === '' ? null : i.to, activation });
      } else if (i.type === 'service') {
        err =
          i.local_subject !== ''
            ? addServiceImport(model, acc, exporter, i.local_subject, i.subject, i.share, activation)
            : addServiceImport(model, acc, exporter, i.subject, i.to === '' ? null : i.to, i.share, activation);
      } else err = `invalid import type "${i.type}"`;
      if (err !== null) {
        acc.incomplete = true;
        problems.push({
          code: AuthProblemCode.ACCOUNT_JWT_IMPORT,
          message: `Error adding ${i.type} import "${i.subject}" from account ${i.account} to account ${acc.name}: ${err}`,
          pos: null,
          stage: 'validate',
        });
      }
    }
  }
}

/**
 * accounts.go `checkActivation` for an import's activation token: issued by the exporter (or
 * one of its signing keys, naming it as issuer_account), to the importing account, for a
 * subject covering the import, of the import's type, not expired and not revoked by the export.
 */
function activationCheck(i: JwtImport, importer: string, nowSec: number): ActivationCheck {
  return (exporter, ex) => {
    const r = decodeJwt(i.token);
    if (!r.ok || r.claims.type !== 'activation') return false;
    const act = r.claims as ActivationClaims;
    if (act.sub !== importer) return false;
    if (act.iss !== exporter.name) {
      if (act.issuer_account !== exporter.name || !exporter.jwt?.signingKeys.has(act.iss)) return false;
    }
    if (act.kind !== i.type) return false;
    const subj = i.type === 'service' && i.to !== '' ? i.to : i.subject;
    if (!isSubsetMatchTokens(tokenize(subj), tokenize(act.subject))) return false;
    if (timeIssues(act, nowSec).length > 0 || (act.exp !== 0 && act.exp <= nowSec)) return false;
    if (ex.revocations && isRevoked(ex.revocations, act.sub, act.iat)) return false;
    return true;
  };
}
