/**
 * Everything error-shaped in @starling/protocol:
 *  - ERR_TEXT: every wire `-ERR` text of nats-server 2.9.10, byte for byte (client-protocol.md §11,
 *    leafnode.md §5), and ERR_LINE: the same pre-encoded as `-ERR '<text>'\r\n`;
 *  - builders for the texts that carry a subject (Go `%q` quoting, see goQuote);
 *  - PARSE_ERROR_REACTION: what a connection does for each parser error code;
 *  - PROTOCOL_ERRORS: the typed StarlingError codes this package throws (programming errors only;
 *    the parser never throws on input).
 *
 * Strings that end up on the wire are "byte strings": one char per byte (latin1). Constant texts are
 * ASCII; texts built from subjects use the subject's bytes (subjects are decoded as latin1).
 */
import { ParseError, type ParseErrorCode } from './op-args.js';

/** Wire `-ERR` texts (without the quotes and the `-ERR` prefix). */
export const ERR_TEXT = {
  UNKNOWN_PROTOCOL_OPERATION: 'Unknown Protocol Operation',
  AUTHORIZATION_VIOLATION: 'Authorization Violation',
  AUTHENTICATION_TIMEOUT: 'Authentication Timeout',
  USER_AUTHENTICATION_EXPIRED: 'User Authentication Expired',
  ACCOUNT_AUTHENTICATION_EXPIRED: 'Account Authentication Expired',
  USER_AUTHENTICATION_REVOKED: 'User Authentication Revoked',
  MAX_PAYLOAD_VIOLATION: 'Maximum Payload Violation',
  MAX_CONTROL_LINE_EXCEEDED: 'maximum control line exceeded',
  MAX_CONNECTIONS_EXCEEDED: 'maximum connections exceeded',
  MAX_ACCOUNT_CONNECTIONS_EXCEEDED: 'maximum account active connections exceeded',
  MAX_SUBSCRIPTIONS_EXCEEDED: 'maximum subscriptions exceeded',
  INVALID_CLIENT_PROTOCOL: 'invalid client protocol',
  NO_RESPONDERS_REQUIRES_HEADERS: 'no responders requires headers support',
  STALE_CONNECTION: 'Stale Connection',
  SECURE_CONNECTION_TLS_REQUIRED: 'Secure Connection - TLS Required',
  INVALID_SUBJECT: 'Invalid Subject',
  INVALID_PUBLISH_SUBJECT: 'Invalid Publish Subject',
  CONNECTION_THROTTLING: 'Connection throttling is active. Please try again later.',
  FAILED_ACCOUNT_REGISTRATION: 'Failed Account Registration',
  // leafnode accept side (leafnode.md §5)
  LEAF_CLIENT_ON_LEAF_PORT: 'attempted to connect to leaf node port',
  LEAF_CLUSTER_NAME_SPACES: 'cluster name cannot contain spaces',
  LEAF_SAME_CLUSTER_NAME: 'remote leafnode has same cluster name',
  LEAF_DUPLICATE_CONNECTION: 'Duplicate Remote LeafNode Connection',
  LEAF_STALE_CONNECTION: 'Stale Leaf Node Connection - Closing',
} as const;
export type ErrTextKey = keyof typeof ERR_TEXT;

/** `-ERR '<text>'\r\n` for a byte-string text. */
export function errLine(text: string): Buffer {
  return Buffer.from(`-ERR '${text}'\r\n`, 'latin1');
}

/** Every ERR_TEXT pre-encoded as a full `-ERR` line. Shared: never write into these buffers. */
export const ERR_LINE: Readonly<Record<ErrTextKey, Buffer>> = Object.freeze(
  Object.fromEntries(Object.entries(ERR_TEXT).map(([k, v]) => [k, errLine(v)])) as Record<ErrTextKey, Buffer>,
);

// ---- Go %q -------------------------------------------------------------------------------------

const HEX = '0123456789abcdef';
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function hex(v: number, digits: number): string {
  let s = '';
  for (let k = digits - 1; k >= 0; k--) s += HEX[(v >>> (k * 4)) & 15];
  return s;
}

function cont(b: number | undefined): boolean {
  return b !== undefined && b >= 0x80 && b <= 0xbf;
}

/**
 * Go `%q` (strconv.Quote) of a byte string: double quotes around it; `"` and `\` backslashed;
 * \a \b \f \n \r \t \v; other control bytes and bytes that are not valid UTF-8 as `\xNN`;
 * valid non-printable runes as `\uNNNN`/`\UNNNNNNNN`; printable runes kept as their UTF-8 bytes.
 * Input and output are byte strings (one char per byte), e.g. a subject decoded as latin1.
 */
export function goQuote(bytes: string): string {
  let out = '"';
  const n = bytes.length;
  let k = 0;
  while (k < n) {
    const b0 = bytes.charCodeAt(k);
    if (b0 < 0x80) {
      k++;
      if (b0 === 0x22) out += '\\"';
      else if (b0 === 0x5c) out += '\\\\';
      else if (b0 >= 0x20 && b0 < 0x7f) out += bytes[k - 1];
      else if (b0 === 7) out += '\\a';
      else if (b0 === 8) out += '\\b';
      else if (b0 === 12) out += '\\f';
      else if (b0 === 10) out += '\\n';
      else if (b0 === 13) out += '\\r';
      else if (b0 === 9) out += '\\t';
      else if (b0 === 11) out += '\\v';
      else out += `\\x${hex(b0, 2)}`;
      continue;
    }
    // Decode one UTF-8 sequence with Go's validity rules (no overlongs, no surrogates, ≤ U+10FFFF).
    const b1 = k + 1 < n ? bytes.charCodeAt(k + 1) : undefined;
    const b2 = k + 2 < n ? bytes.charCodeAt(k + 2) : undefined;
    const b3 = k + 3 < n ? bytes.charCodeAt(k + 3) : undefined;
    let width = 0;
    let rune = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      if (cont(b1)) {
        width = 2;
        rune = ((b0 & 0x1f) << 6) | (b1! & 0x3f);
      }
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      const lo = b0 === 0xe0 ? 0xa0 : 0x80;
      const hi = b0 === 0xed ? 0x9f : 0xbf;
      if (b1 !== undefined && b1 >= lo && b1 <= hi && cont(b2)) {
        width = 3;
        rune = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2! & 0x3f);
      }
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      const lo = b0 === 0xf0 ? 0x90 : 0x80;
      const hi = b0 === 0xf4 ? 0x8f : 0xbf;
      if (b1 !== undefined && b1 >= lo && b1 <= hi && cont(b2) && cont(b3)) {
        width = 4;
        rune = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2! & 0x3f) << 6) | (b3! & 0x3f);
      }
    }
    if (width === 0) {
      out += `\\x${hex(b0, 2)}`;
      k++;
      continue;
    }
    if (PRINTABLE.test(String.fromCodePoint(rune))) out += bytes.slice(k, k + width);
    else if (rune < 0x10000) out += `\\u${hex(rune, 4)}`;
    else out += `\\U${hex(rune, 8)}`;
    k += width;
  }
  return `${out}"`;
}

/** A JS (UTF-16) string → its UTF-8 bytes as a byte string, e.g. to put a JSON-decoded name in a text. */
export function toByteString(str: string): string {
  return Buffer.from(str, 'utf8').toString('latin1');
}

/** `Permissions Violation for Publish to "<subject>"` */
export function permPublishText(subject: string): string {
  return `Permissions Violation for Publish to ${goQuote(subject)}`;
}

/** `Permissions Violation for Publish with Reply of "<reply>"` */
export function permReplyText(reply: string): string {
  return `Permissions Violation for Publish with Reply of ${goQuote(reply)}`;
}

/** `Permissions Violation for Subscription to "<subject>"[ using queue "<queue>"]` */
export function permSubscribeText(subject: string, queue: string | null = null): string {
  const base = `Permissions Violation for Subscription to ${goQuote(subject)}`;
  return queue === null || queue.length === 0 ? base : `${base} using queue ${goQuote(queue)}`;
}

/** `Permissions Violation for Subscription to "<subject>", too many tokens` (max_sub_tokens) */
export function permSubscribeTokensText(subject: string): string {
  return `Permissions Violation for Subscription to ${goQuote(subject)}, too many tokens`;
}

/** `Permissions Violation for Subscription to "<subject>" (sid "<sid>")` (a reload removed the sub) */
export function permSubscribeSidText(subject: string, sid: string): string {
  return `Permissions Violation for Subscription to ${goQuote(subject)} (sid ${goQuote(sid)})`;
}

// ---- parser error reactions -----------------------------------------------------------------

export interface ParseErrorReaction {
  /** The -ERR text to send before closing, or null to close silently. */
  readonly err: string | null;
  /** Pre-encoded `-ERR` line, or null. */
  readonly line: Buffer | null;
  /** Every parse error closes the connection. */
  readonly closes: true;
  /** nats-server's closed-connection reason (as /connz shows it). */
  readonly reason: string;
}

/** What nats-server does for each parser error (parser.go, client.go readLoop). */
export const PARSE_ERROR_REACTION: Readonly<Record<ParseErrorCode, ParseErrorReaction>> = Object.freeze({
  [ParseError.UNKNOWN_OP]: {
    err: ERR_TEXT.UNKNOWN_PROTOCOL_OPERATION,
    line: ERR_LINE.UNKNOWN_PROTOCOL_OPERATION,
    closes: true,
    reason: 'Protocol Violation',
  },
  [ParseError.MAX_CONTROL_LINE]: {
    err: ERR_TEXT.MAX_CONTROL_LINE_EXCEEDED,
    line: ERR_LINE.MAX_CONTROL_LINE_EXCEEDED,
    closes: true,
    reason: 'Maximum Control Line Exceeded',
  },
  [ParseError.MAX_PAYLOAD]: {
    err: ERR_TEXT.MAX_PAYLOAD_VIOLATION,
    line: ERR_LINE.MAX_PAYLOAD_VIOLATION,
    closes: true,
    reason: 'Maximum Message Payload Exceeded',
  },
  [ParseError.BAD_ARGS]: { err: null, line: null, closes: true, reason: 'Protocol Violation' },
} as const);

// ---- typed errors ----------------------------------------------------------------------------

/** StarlingError codes thrown by this package (all are caller bugs, never caused by wire input). */
export const PROTOCOL_ERRORS = {
  OUT_BUFFER_TOO_LARGE: {
    code: 'ERR_PROTOCOL_OUT_BUFFER_TOO_LARGE',
    message: 'OutBuffer would exceed the largest Buffer Node can allocate',
  },
  INVALID_NUMBER: {
    code: 'ERR_PROTOCOL_INVALID_NUMBER',
    message: 'Expected a non-negative safe integer',
  },
  INVALID_TOKEN: {
    code: 'ERR_PROTOCOL_INVALID_TOKEN',
    message: 'A protocol token must be non-empty and contain no space, tab, CR or LF',
  },
} as const;
