/**
 * @starling/auth — the shared, pure auth engine: CONNECT credentials -> principal (user,
 * account, permissions, limits, expiry) or a typed failure; the account model with exports and
 * imports; permission checks with per-connection caches. See docs/auth.md.
 */
export {
  type AccountJwtInfo,
  type AccountLimitsResolved,
  AccountModel,
  addServiceImport,
  addStreamImport,
  DEFAULT_SYSTEM_ACCOUNT,
  type ExportAuth,
  GLOBAL_ACCOUNT,
  permissionsFromJwt,
  ResolvedAccount,
  type ResponseType,
  type ServiceExport,
  type ServiceImport,
  type StreamExport,
  type StreamImport,
} from './accounts.js';
export { decodeBase64RawUrl, decodeBase64Std, decodeSignature, encodeBase64RawUrl } from './base64.js';
export { type Cidr, cidrContains, parseCidr, parseIp, sourceAllowed } from './cidr.js';
export {
  ALL_CONN_KINDS_MASK,
  CONN_KIND_NAMES,
  ConnKind,
  type ConnTypeMask,
  connKindFromName,
  connKindName,
  connTypeAllowed,
  connTypeNames,
  isConnKind,
  parseConnTypes,
} from './conn-kind.js';
export {
  type AuthContext,
  AuthEngine,
  type AuthEngineBuild,
  type AuthEngineExtras,
  type ConnectFields,
  type CookieValues,
  type ListenerAuth,
  type TlsPeer,
} from './engine.js';
export {
  AuthConfigError,
  AuthFailureCode,
  type AuthProblem,
  AuthProblemCode,
  type AuthProblemStage,
  CLOSED_AUTH_EXPIRED,
  CLOSED_AUTH_FAILURE,
  CLOSED_CREDENTIALS_REVOKED,
  ERR_ACCOUNT_AUTH_EXPIRED,
  ERR_AUTHORIZATION_VIOLATION,
  ERR_USER_AUTH_EXPIRED,
  ERR_USER_AUTH_REVOKED,
  formatAuthProblem,
} from './errors.js';
export {
  goQuote,
  pubViolationLog,
  pubViolationText,
  replyViolationText,
  subViolationLog,
  subViolationText,
} from './go-quote.js';
export {
  type AccountClaims,
  type AnyClaims,
  type DecodeResult,
  decodeAccountJwt,
  decodeJwt,
  decodeOperatorJwt,
  decodeUserJwt,
  isRevoked,
  MAX_JWT_LENGTH,
  type OperatorClaims,
  parseDecoratedJwt,
  type UserClaims,
  validateAccount,
  validateUser,
} from './jwt.js';
export {
  isValidPublicAccountKey,
  isValidPublicOperatorKey,
  isValidPublicSigningKey,
  isValidPublicUserKey,
  verifyNkeySignature,
} from './nkey.js';
export { comparePasswords, isBcrypt } from './password.js';
export {
  ClientPermissions,
  CompiledPermissions,
  compilePermissions,
  DEFAULT_ALLOW_RESPONSE_EXPIRATION_MS,
  DEFAULT_ALLOW_RESPONSE_MAX_MSGS,
  PermEntry,
  type ResponseLimits,
  ResponsePermissionTracker,
} from './permissions.js';
export {
  type AuthFailure,
  AuthMethod,
  type AuthResult,
  type ConnectionLimits,
  Principal,
  type UserJwtInfo,
} from './principal.js';
export { applyTransform, compileTransform, type SubjectTransform, toWire, transformTokenize } from './subjects.js';
export { checkTimes, isValidTimeZone } from './times.js';
export { type PeerCertificate, parsePeerCertificate } from './x509.js';
