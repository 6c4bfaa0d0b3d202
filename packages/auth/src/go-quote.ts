/**
 * Go's `%q` / `strconv.Quote` for the texts nats-server builds with it: permission violations
 * (`Permissions Violation for Publish to "x"`) and log lines (`User "bob"`).
 *
 * Input is a byte string: one char per byte (char codes 0–255), which is how the server holds
 * subjects decoded from the wire with latin1. A string with any char above 0xff is taken as
 * ordinary text and UTF-8 encoded first. Bytes are then decoded as UTF-8 the way Go does:
 * printable runes are kept, `"` and `\` are escaped, control characters become `\n`, `\x01`…,
 * non-printable runes `\u00a0`…, and bytes that are not valid UTF-8 become `\xff`.
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const HEX = '0123456789abcdef';

function toBytes(s: string): Uint8Array {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) return new TextEncoder().encode(s);
  }
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function hex2(b: number): string {
  return `\\x${HEX[b >> 4]}${HEX[b & 15]}`;
}

/** Decodes one UTF-8 rune at `i`: [rune, width]; rune -1 means an invalid byte (width 1). */
function decodeRune(b: Uint8Array, i: number): [number, number] {
  const c0 = b[i]!;
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number): number => {
    const c = b[i + k];
    return c !== undefined && (c & 0xc0) === 0x80 ? c & 0x3f : -1;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    return c1 < 0 ? [-1, 1] : [((c0 & 0x1f) << 6) | c1, 2];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 < 0 || c2 < 0) return [-1, 1];
    const r = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
    if (r < 0x800 || (r >= 0xd800 && r <= 0xdfff)) return [-1, 1];
    return [r, 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return [-1, 1];
    const r = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    if (r < 0x10000 || r > 0x10ffff) return [-1, 1];
    return [r, 4];
  }
  return [-1, 1];
}

/** `strconv.Quote` of a byte string (see module doc). */
export function goQuote(s: string): string {
  // Fast path: printable ASCII without quote or backslash.
  let simple = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      simple = false;
      break;
    }
  }
  if (simple) return `"${s}"`;
  const b = toBytes(s);
  let out = '"';
  let i = 0;
  while (i < b.length) {
    const [r, w] = decodeRune(b, i);
    if (r < 0) {
      out += hex2(b[i]!);
      i += 1;
      continue;
    }
    i += w;
    if (r === 0x22) out += '\\"';
    else if (r === 0x5c) out += '\\\\';
    else if (r >= 0x20 && r < 0x7f) out += String.fromCharCode(r);
    else if (r >= 0x80 && PRINTABLE.test(String.fromCodePoint(r))) out += String.fromCodePoint(r);
    else if (r === 0x07) out += '\\a';
    else if (r === 0x08) out += '\\b';
    else if (r === 0x0c) out += '\\f';
    else if (r === 0x0a) out += '\\n';
    else if (r === 0x0d) out += '\\r';
    else if (r === 0x09) out += '\\t';
    else if (r === 0x0b) out += '\\v';
    else if (r < 0x20 || r === 0x7f) out += hex2(r);
    else if (r < 0x10000) out += `\\u${r.toString(16).padStart(4, '0')}`;
    else out += `\\U${r.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** `-ERR` text for a denied publish: `Permissions Violation for Publish to "<subject>"`. */
export function pubViolationText(subject: string): string {
  return `Permissions Violation for Publish to ${goQuote(subject)}`;
}

/** `-ERR` text for a denied subscription, with the queue variant when `queue` is not null/empty. */
export function subViolationText(subject: string, queue: string | null): string {
  return queue
    ? `Permissions Violation for Subscription to ${goQuote(subject)} using queue ${goQuote(queue)}`
    : `Permissions Violation for Subscription to ${goQuote(subject)}`;
}

/** `-ERR` text for a reply subject with a reserved prefix. */
export function replyViolationText(reply: string): string {
  return `Permissions Violation for Publish with Reply of ${goQuote(reply)}`;
}

/** Log line nats-server writes for a denied publish: `Publish Violation - User "a", Subject "b"`. */
export function pubViolationLog(authUser: string, subject: string): string {
  return `Publish Violation - ${authUser}, Subject ${goQuote(subject)}`;
}

/** Log line for a denied subscription (client.go `subPermissionViolation`). */
export function subViolationLog(authUser: string, subject: string, queue: string | null, sid: string): string {
  return queue
    ? `Subscription Violation - ${authUser}, Subject ${goQuote(subject)}, Queue: ${goQuote(queue)}, SID ${sid}`
    : `Subscription Violation - ${authUser}, Subject ${goQuote(subject)}, SID ${sid}`;
}
