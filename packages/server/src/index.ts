export { isStarlingError, StarlingError } from '@starling/errors';
export { ERR_TEXT } from '@starling/protocol';
export { Account, GLOBAL_ACCOUNT, SYSTEM_ACCOUNT } from './account.js';
export { ClosedReason, type ClosedReasonText } from './closed-reason.js';
export type { ClosedConnection } from './closed-ring.js';
export { type ConnectOptions, defaultConnectOptions } from './connect-options.js';
export { Connection, ConnState } from './connection.js';
export { NATS_COMPAT_VERSION } from './info.js';
export { InProcessStream } from './listeners/in-process.js';
export { type Logger, type LoggerOptions, NatsLogger, NullLogger } from './logger.js';
export {
  MONITOR_ERRORS,
  MonitorError,
  type MonitorHandle,
  type MonitorOptions,
  startMonitoring,
} from './monitor/index.js';
export { OptionsError, optionsFromConfigFile, resolveServerOptions, type ServerOptionsInput } from './options.js';
export { Server, type ServerDeps, type ServerEvents, type ServerStats } from './server.js';
export { type AuthOutcome, AuthSetupError, type ListenerCredentials, ServerAuth } from './server-auth.js';
export { Subscription } from './subscription.js';
export { TimerWheel, WheelTimer } from './timer-wheel.js';
export { ConnKind, type ConnKindValue, type Wire } from './wire.js';
