// @starling/protocol — the NATS wire parser, encoders and -ERR texts.

export {
  accountOf,
  argOf,
  errTextOf,
  originOf,
  payloadString,
  queueOf,
  queuesOf,
  replyOf,
  restOf,
  sidOf,
  subjectOf,
} from './decode.js';
export * from './encode.js';
export {
  ERR_LINE,
  ERR_TEXT,
  type ErrTextKey,
  errLine,
  goQuote,
  PARSE_ERROR_REACTION,
  type ParseErrorReaction,
  PROTOCOL_ERRORS,
  permPublishText,
  permReplyText,
  permSubscribeSidText,
  permSubscribeText,
  permSubscribeTokensText,
  toByteString,
} from './errors.js';
export {
  createOpArgs,
  MAX_ARGS,
  Op,
  type OpArgs,
  type OpCode,
  ParsedOp,
  ParseError,
  type ParseErrorCode,
  ParserMode,
  type ParserModeValue,
} from './op-args.js';
export { OUT_BUFFER_MAX, OutBuffer } from './out-buffer.js';
export {
  DEFAULT_MAX_CONTROL_LINE,
  DEFAULT_MAX_PAYLOAD,
  Parser,
  type ParserHandler,
  type ParserOptions,
  parseSize,
} from './parser.js';
export * as wire from './wire-constants.js';
export { CRLF, OK, PING, PONG } from './wire-constants.js';
