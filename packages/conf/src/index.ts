/**
 * @starling/conf — the nats.conf format (lexer, parser with file:line:col on every value,
 * variables, includes) and the options loader shared by config files and embedding.
 */

export {
  DEFAULT_ALLOW_RESPONSES_EXPIRES_MS,
  DEFAULT_ALLOW_RESPONSES_MAX,
  DEFAULT_AUTH_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_LAME_DUCK_DURATION_MS,
  DEFAULT_LAME_DUCK_GRACE_PERIOD_MS,
  DEFAULT_MAX_CLOSED_CLIENTS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONTROL_LINE,
  DEFAULT_MAX_PAYLOAD,
  DEFAULT_MAX_PENDING,
  DEFAULT_PING_INTERVAL_MS,
  DEFAULT_PING_MAX,
  DEFAULT_PORT,
  DEFAULT_TLS_HANDSHAKE_FIRST_FALLBACK_MS,
  DEFAULT_TLS_TIMEOUT_MS,
  DEFAULT_WRITE_DEADLINE_MS,
  defaultOptions,
  defaultTlsOptions,
  defaultWebsocketOptions,
  emptyAuthorization,
  RANDOM_PORT,
} from './defaults.js';
export { formatGoDuration, formatMs, parseGoDuration } from './duration.js';
export {
  assertNoConfigErrors,
  CONF_ERRORS,
  type ConfErrorCode,
  ConfigError,
  ConfigProblem,
  type ProblemSeverity,
} from './errors.js';
export { Lexer, lex, type Token, TokenType } from './lexer.js';
export { CONNECTION_TYPES, GLOBAL_ACCOUNT } from './load-auth.js';
export {
  effectiveAuthTimeout,
  type LoadFileConfig,
  type LoadOptionsConfig,
  type LoadResult,
  loadConfigFile,
  loadConfigText,
  loadOptions,
  normalizeOptions,
} from './load-options.js';
export { isValidPublicNkey, type NkeyKind } from './nkeys.js';
export * from './options-types.js';
export {
  integerLiteral,
  type ParseOptions,
  type ParseResult,
  parseConfig,
  parseConfigFile,
} from './parser.js';
export {
  type ConfArray,
  type ConfBool,
  type ConfDatetime,
  type ConfEntry,
  type ConfFloat,
  type ConfInteger,
  type ConfMap,
  type ConfNode,
  type ConfString,
  toPlain,
} from './tree.js';
export { allUsers, validateOptions } from './validate.js';
