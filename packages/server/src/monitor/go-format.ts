/**
 * The value formats nats-server's monitoring JSON uses, so a reader (or a tool written for
 * nats-server) sees the same text: Go's `time.Time` (RFC 3339 with nanoseconds, UTC),
 * `time.Duration.String()`, the compact uptime form (`1d2h3m4s`), `json.MarshalIndent` with
 * Go's HTML-safe string escaping, and the `strconv` parse errors query parameters produce.
 */
import { goQuote } from '@starling/protocol';

/**
 * Epoch milliseconds as Go's RFC3339Nano text. A fractional part is kept to the microsecond
 * (a double holding epoch ms has about 0.2 µs of precision; finer digits would be noise).
 */
export function goTime(ms: number): string {
  let whole = Math.floor(ms);
  let us = Math.round((ms - whole) * 1000);
  if (us === 1000) {
    whole += 1;
    us = 0;
  }
  const d = new Date(whole);
  const ns = (whole % 1000) * 1_000_000 + us * 1000;
  const base = d.toISOString().slice(0, 19);
  if (ns === 0) return `${base}Z`;
  return `${base}.${String(ns).padStart(9, '0').replace(/0+$/, '')}Z`;
}

/** Now, with the sub-millisecond precision `performance` gives (Go's `time.Now()` has ns). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** nats-server's `myUptime`: whole seconds as `1y2d3h4m5s`, leading zero units dropped. */
export function goUptime(ms: number): string {
  const tsecs = Math.max(0, Math.floor(ms / 1000));
  const tmins = Math.floor(tsecs / 60);
  const thrs = Math.floor(tmins / 60);
  const tdays = Math.floor(thrs / 24);
  const tyrs = Math.floor(tdays / 365);
  if (tyrs > 0) return `${tyrs}y${tdays % 365}d${thrs % 24}h${tmins % 60}m${tsecs % 60}s`;
  if (tdays > 0) return `${tdays}d${thrs % 24}h${tmins % 60}m${tsecs % 60}s`;
  if (thrs > 0) return `${thrs}h${tmins % 60}m${tsecs % 60}s`;
  if (tmins > 0) return `${tmins}m${tsecs % 60}s`;
  return `${tsecs}s`;
}

/** Go's `time.Duration.String()` for a duration in nanoseconds (`0s`, `140µs`, `1.493227ms`, `2m3.5s`). */
export function goDuration(ns: number): string {
  let n = Math.round(ns);
  if (n === 0) return '0s';
  const neg = n < 0;
  if (neg) n = -n;
  let out: string;
  if (n < 1_000) out = `${n}ns`;
  else if (n < 1_000_000) out = `${fraction(n, 1_000)}µs`;
  else if (n < 1_000_000_000) out = `${fraction(n, 1_000_000)}ms`;
  else {
    const secsNs = n % 60_000_000_000;
    const totalMin = Math.floor(n / 60_000_000_000);
    const h = Math.floor(totalMin / 60);
    const m = totalMin % 60;
    const s = `${fraction(secsNs, 1_000_000_000)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

/** `n / unit` with the remainder as trimmed decimal digits (Go prints no trailing zeros). */
function fraction(n: number, unit: number): string {
  const whole = Math.floor(n / unit);
  const rem = n % unit;
  if (rem === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rem).padStart(digits, '0').replace(/0+$/, '')}`;
}

/** Milliseconds as integer nanoseconds (how Go marshals a `time.Duration` field). */
export function msToNs(ms: number): number {
  return Math.round(ms * 1_000_000);
}

const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
  '\\b': '\\u0008',
  '\\f': '\\u000c',
  '\\\\': '\\\\',
};

/**
 * Go's `json.MarshalIndent(v, "", "  ")`: two-space indent, and Go's string escaping on top of
 * JSON.stringify's (`<`, `>`, `&`, U+2028/2029 as `\u…`; `\b`/`\f` as `\u0008`/`\u000c`).
 * Key order is the object's insertion order: callers build objects in Go struct order.
 */
export function goJsonIndent(value: unknown): string {
  return goEscape(JSON.stringify(value, null, 2));
}

/** Go's `json.Marshal` (compact), e.g. for /healthz. */
export function goJson(value: unknown): string {
  return goEscape(JSON.stringify(value));
}

function goEscape(json: string): string {
  // Escaped backslashes are matched first so `\\b` (a backslash, then b) is left alone.
  return json.replace(/\\\\|\\[bf]|[<>&\u2028\u2029]/g, (m) => GO_ESCAPES[m] ?? m);
}

const NON_ASCII = /[\x80-\xff]/;

/**
 * Subjects, queues and sids are kept as latin1 strings (one char per wire byte). Go marshals
 * the raw bytes as UTF-8 text (invalid sequences become U+FFFD), and so do we.
 */
export function wireText(s: string): string {
  return NON_ASCII.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

// ---------------------------------------------------------------- strconv-compatible parsing

/** A query parameter that failed to parse; `message` is nats-server's exact text. */
export class QueryError extends Error {}

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go `strconv.ParseBool` behind nats-server's `decodeBool`; empty/missing = false. */
export function decodeBool(q: URLSearchParams, param: string): boolean {
  const str = q.get(param);
  if (str === null || str === '') return false;
  if (GO_TRUE.has(str)) return true;
  if (GO_FALSE.has(str)) return false;
  throw new QueryError(
    `Error decoding boolean for '${param}': strconv.ParseBool: parsing ${goQuote(str)}: invalid syntax`,
  );
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

/** Go `strconv.Atoi` behind `decodeInt`; empty/missing = 0. Values beyond ±2^53 saturate. */
export function decodeInt(q: URLSearchParams, param: string): number {
  const str = q.get(param);
  if (str === null || str === '') return 0;
  if (!/^[+-]?[0-9]+$/.test(str)) {
    throw new QueryError(`Error decoding int for '${param}': strconv.Atoi: parsing ${goQuote(str)}: invalid syntax`);
  }
  const v = BigInt(str);
  if (v > INT64_MAX || v < INT64_MIN) {
    throw new QueryError(
      `Error decoding int for '${param}': strconv.Atoi: parsing ${goQuote(str)}: value out of range`,
    );
  }
  return Number(v);
}

/** Go `strconv.ParseUint(s, 10, 64)` behind `decodeUint64`; empty/missing = 0. */
export function decodeUint64(q: URLSearchParams, param: string): number {
  const str = q.get(param);
  if (str === null || str === '') return 0;
  if (!/^[0-9]+$/.test(str)) {
    throw new QueryError(
      `Error decoding uint64 for '${param}': strconv.ParseUint: parsing ${goQuote(str)}: invalid syntax`,
    );
  }
  const v = BigInt(str);
  if (v > UINT64_MAX) {
    throw new QueryError(
      `Error decoding uint64 for '${param}': strconv.ParseUint: parsing ${goQuote(str)}: value out of range`,
    );
  }
  return Number(v);
}
