/**
 * Error codes of @starling/conf. Every code is documented in docs/errors.md (a test checks it).
 *
 * A config problem is never thrown by the parser or the loader: they collect `ConfigProblem`s
 * (errors and warnings) and return them together, like nats-server's `processConfigErr`.
 * `ConfigError` exists for callers that prefer an exception (`assertNoConfigErrors`).
 */
import { StarlingError } from '@starling/errors';
import type { SourcePos } from './options-types.js';

/** code -> what it means (the message itself is nats-server's text, built where it is found). */
export const CONF_ERRORS = {
  CONF_SYNTAX: "lexer/parser error, `Parse error on line N: '<message>'`",
  CONF_FILE: 'a config file (or include) could not be read, `open <path>: no such file or directory`',
  CONF_INCLUDE: "an included file failed, `error parsing include file '<path>', <cause>`",
  CONF_VARIABLE: 'a `$VAR` reference was not found, did not parse, or forms a cycle',
  CONF_VALUE: 'a literal is malformed (integer out of range, unknown size suffix, bad datetime)',
  CONF_UNKNOWN_FIELD: 'unknown key, `unknown field "<key>"`',
  CONF_TYPE: 'a value has the wrong type for its key',
  CONF_INVALID: 'a value is not acceptable for its key (bad listen address, out-of-range number, …)',
  CONF_DURATION: 'a duration string does not parse (Go time.ParseDuration syntax)',
  CONF_AUTH: 'authorization block conflicts (user/pass with token or users, duplicates, timeout)',
  CONF_USER: 'a user entry is invalid (no user, bad nkey, bad connection types)',
  CONF_PERMISSIONS: 'a permissions block is invalid (bad subject, unknown key, bad allow_responses)',
  CONF_ACCOUNTS: 'accounts, exports or imports are invalid',
  CONF_TLS: 'a tls block is invalid (unknown key, bad cipher, missing or unreadable files)',
  CONF_OPERATOR: 'operator / resolver / trusted keys / preload problems (operator mode)',
  CONF_WEBSOCKET: 'a websocket block fails validation',
  CONF_LIMITS: 'limits out of range or inconsistent (`max_payload (X) cannot be higher than max_pending (Y)`)',
  CONF_LAME_DUCK: 'lame duck duration / grace period rules',
  CONF_SERVER_NAME: 'server name cannot contain spaces',
  CONF_NO_AUTH_USER: 'no_auth_user names no configured user, or is used with operators',
  CONF_WARN_DURATION:
    'warning: a duration given as a bare number of seconds, `invalid use of field "x": x should be converted to a duration`',
  CONF_WARN_TIMEOUT: 'warning: an auth timeout above 60 s (often an unquoted `1m`)',
  CONF_INVALID_CONFIG: 'thrown by `assertNoConfigErrors`: the config has errors (all listed)',
} as const;
export type ConfErrorCode = keyof typeof CONF_ERRORS;

export type ProblemSeverity = 'error' | 'warning';

/**
 * One config error or warning. `file`, `line` and `col` (1-based) point at the key (or array
 * element) the problem is about; all three are `null` for options given as a plain object.
 */
export class ConfigProblem {
  readonly code: ConfErrorCode;
  readonly severity: ProblemSeverity;
  readonly message: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly col: number | null;

  constructor(code: ConfErrorCode, message: string, pos: SourcePos | null, severity: ProblemSeverity = 'error') {
    this.code = code;
    this.severity = severity;
    this.message = message;
    this.file = pos === null ? null : pos.file;
    this.line = pos === null ? null : pos.line;
    this.col = pos === null ? null : pos.col;
  }

  /** nats-server's form: `<file>:<line>:<col>: <message>`, or just the message without a position. */
  toString(): string {
    return this.file === null ? this.message : `${this.file}:${this.line}:${this.col}: ${this.message}`;
  }
}

/** Thrown by `assertNoConfigErrors`; lists warnings first then errors, like nats-server. */
export class ConfigError extends StarlingError {
  readonly errors: readonly ConfigProblem[];
  readonly warnings: readonly ConfigProblem[];

  constructor(errors: readonly ConfigProblem[], warnings: readonly ConfigProblem[] = []) {
    super('CONF_INVALID_CONFIG', [...warnings, ...errors].map((p) => p.toString()).join('\n'));
    this.name = 'ConfigError';
    this.errors = errors;
    this.warnings = warnings;
  }
}

/** Throws `ConfigError` when `result.errors` is not empty; returns the result otherwise. */
export function assertNoConfigErrors<
  T extends { errors: readonly ConfigProblem[]; warnings: readonly ConfigProblem[] },
>(result: T): T {
  if (result.errors.length > 0) throw new ConfigError(result.errors, result.warnings);
  return result;
}
