/**
 * Go `time.ParseDuration` and `time.Duration.String` semantics, for config durations
 * ("2m", "1m30s", "500ms", "1.5h", "-1s"; a bare "0" is allowed) and nats-server's messages.
 */

const NS_PER_UNIT: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_NS = 2n ** 63n - 1n;

/** Go's time-package quoting of a duration text inside error messages. */
export function goTimeQuote(s: string): string {
  let out = '"';
  const enc = new TextEncoder();
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const b of enc.encode(ch)) out += `\\x${b.toString(16).padStart(2, '0')}`;
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return `${out}"`;
}

export type DurationResult = { ok: true; ns: bigint } | { ok: false; error: string };

/** Parses a Go duration string to nanoseconds; the error text is Go's (`time: invalid duration "x"`). */
export function parseGoDuration(text: string): DurationResult {
  const invalid = (): DurationResult => ({ ok: false, error: `time: invalid duration ${goTimeQuote(text)}` });
  let s = text;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, ns: 0n };
  if (s === '') return invalid();
  let total = 0n;
  while (s !== '') {
    const c = s[0]!;
    if (!(c === '.' || (c >= '0' && c <= '9'))) return invalid();
    const intMatch = /^[0-9]*/.exec(s)![0];
    const pre = intMatch.length > 0;
    let v = pre ? BigInt(intMatch) : 0n;
    if (v > MAX_NS) return invalid();
    s = s.slice(intMatch.length);
    let frac = 0n;
    let scale = 1n;
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      const fracMatch = /^[0-9]*/.exec(s)![0];
      post = fracMatch.length > 0;
      // Go keeps at most the digits that fit; extra digits only lose precision.
      const kept = fracMatch.slice(0, 18);
      frac = kept === '' ? 0n : BigInt(kept);
      scale = 10n ** BigInt(kept.length);
      s = s.slice(fracMatch.length);
    }
    if (!pre && !post) return invalid();
    let i = 0;
    while (i < s.length && s[i] !== '.' && !(s[i]! >= '0' && s[i]! <= '9')) i++;
    if (i === 0) return { ok: false, error: `time: missing unit in duration ${goTimeQuote(text)}` };
    const unitText = s.slice(0, i);
    s = s.slice(i);
    const unit = NS_PER_UNIT[unitText];
    if (unit === undefined) {
      return { ok: false, error: `time: unknown unit ${goTimeQuote(unitText)} in duration ${goTimeQuote(text)}` };
    }
    if (v > MAX_NS / unit) return invalid();
    v *= unit;
    if (frac > 0n) v += (frac * unit) / scale;
    total += v;
    if (total > MAX_NS) return invalid();
  }
  return { ok: true, ns: neg ? -total : total };
}

/** Nanoseconds to milliseconds (fractional when below a millisecond). */
export function nsToMs(ns: bigint): number {
  return Number(ns) / 1e6;
}

function fmtFrac(v: bigint, digits: number): string {
  // v has `digits` fractional digits; trim trailing zeros.
  const unit = 10n ** BigInt(digits);
  const whole = v / unit;
  let frac = (v % unit).toString().padStart(digits, '0').replace(/0+$/, '');
  if (frac !== '') frac = `.${frac}`;
  return `${whole}${frac}`;
}

/** Go's `time.Duration.String()` (`2m0s`, `1h0m0s`, `1.5s`, `500ms`, `0s`). */
export function formatGoDuration(nsIn: bigint): string {
  if (nsIn === 0n) return '0s';
  const neg = nsIn < 0n;
  const ns = neg ? -nsIn : nsIn;
  let out: string;
  if (ns < 1_000_000_000n) {
    if (ns < 1_000n) out = `${ns}ns`;
    else if (ns < 1_000_000n) out = `${fmtFrac(ns, 3)}µs`;
    else out = `${fmtFrac(ns, 6)}ms`;
  } else {
    const h = ns / 3_600_000_000_000n;
    const rem = ns % 3_600_000_000_000n;
    const m = rem / 60_000_000_000n;
    const sNs = rem % 60_000_000_000n;
    const secs = `${fmtFrac(sNs, 9)}s`;
    if (h > 0n) out = `${h}h${m}m${secs}`;
    else if (m > 0n) out = `${m}m${secs}`;
    else out = secs;
  }
  return neg ? `-${out}` : out;
}

/** Milliseconds to Go's duration text (for messages about values already in ms). */
export function formatMs(ms: number): string {
  return formatGoDuration(BigInt(Math.round(ms * 1e6)));
}
