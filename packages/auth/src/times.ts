/**
 * User JWT `times` / `times_location` (nats-server jwt.go `validateTimes`).
 *
 * Each range is `{start: "HH:MM:SS", end: "HH:MM:SS"}` in wall-clock time of
 * `times_location` (an IANA zone name, `UTC`, or `Local`; empty = the server's local zone).
 * A connection is allowed when, for some range, today's start (in that zone) is before now and
 * the end is after now; when start > end the end is taken on the next day. Note that, as in
 * nats-server, a range crossing midnight only admits from its start today until its end
 * tomorrow (at 01:00 a `22:00`-`02:00` range does not admit). The result also says how long the
 * connection stays valid (until the end of the matching range).
 *
 * Zones are handled with `Intl.DateTimeFormat` (full ICU in Node 20). Time comes in as `now`.
 */

export interface Clock {
  h: number;
  m: number;
  s: number;
  ms: number;
}

/** Parses Go layout "15:04:05": hour 1-2 digits, minutes and seconds 2 digits, optional fraction. */
export function parseClock(s: string): Clock | null {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const se = Number(m[3]);
  if (h > 23 || mi > 59 || se > 59) return null;
  const ms = m[4] ? Math.floor(Number(`0.${m[4]}`) * 1000) : 0;
  return { h, m: mi, s: se, ms };
}

/** The process's local zone name (Go `time.Local`). */
export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      return null;
    }
    if (formatters.size > 256) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

/** Is `name` a zone Go's `time.LoadLocation` would accept (UTC, Local, IANA names)? */
export function isValidTimeZone(name: string): boolean {
  if (name === '' || name === 'UTC' || name === 'Local') return true;
  if (name.includes('..') || name.startsWith('/') || name.includes('\\')) return false;
  return formatter(name) !== null;
}

interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function wallClock(f: Intl.DateTimeFormat, t: number): Wall {
  const w: Wall = { y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0 };
  for (const p of f.formatToParts(t)) {
    switch (p.type) {
      case 'year':
        w.y = Number(p.value);
        break;
      case 'month':
        w.mo = Number(p.value);
        break;
      case 'day':
        w.d = Number(p.value);
        break;
      case 'hour':
        w.h = Number(p.value);
        break;
      case 'minute':
        w.mi = Number(p.value);
        break;
      case 'second':
        w.s = Number(p.value);
        break;
    }
  }
  return w;
}

/** Offset (ms) of the zone at instant `t`: wall clock as UTC minus the instant. */
function offsetAt(f: Intl.DateTimeFormat, t: number): number {
  const w = wallClock(f, t);
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  return asUtc - (t - (((t % 1000) + 1000) % 1000));
}

/** Epoch ms of a wall-clock time in a zone (Go `time.Date` in a location, for normal times). */
function zonedEpoch(f: Intl.DateTimeFormat, y: number, mo: number, d: number, c: Clock): number {
  const guess = Date.UTC(y, mo - 1, d, c.h, c.m, c.s, c.ms);
  const o1 = offsetAt(f, guess);
  const t1 = guess - o1;
  const o2 = offsetAt(f, t1);
  return o2 === o1 ? t1 : guess - o2;
}

export interface TimesCheck {
  allowed: boolean;
  /** When allowed by a range: ms until the range ends; 0 when there are no ranges. */
  validForMs: number;
}

/**
 * Evaluates `times` at `now` (ms). `localZone` is what `Local`/empty means (default: the process
 * zone). Unparseable ranges or zones refuse, as in nats-server.
 */
export function checkTimes(
  times: readonly { start: string; end: string }[],
  location: string,
  now: number,
  localZone: string = processTimeZone(),
): TimesCheck {
  if (times.length === 0) return { allowed: true, validForMs: 0 };
  const zone = location === '' || location === 'Local' ? localZone : location;
  const f = formatter(zone);
  if (f === null) return { allowed: false, validForMs: 0 };
  const today = wallClock(f, now);
  for (const r of times) {
    const start = parseClock(r.start);
    const end = parseClock(r.end);
    if (start === null || end === null) return { allowed: false, validForMs: 0 };
    const startMs = zonedEpoch(f, today.y, today.mo, today.d, start);
    const crossesMidnight =
      start.h * 3600000 + start.m * 60000 + start.s * 1000 + start.ms >
      end.h * 3600000 + end.m * 60000 + end.s * 1000 + end.ms;
    if (startMs < now) {
      // Next calendar day via UTC date arithmetic on the wall date.
      const endDate = new Date(Date.UTC(today.y, today.mo - 1, today.d + (crossesMidnight ? 1 : 0)));
      const endMs = zonedEpoch(f, endDate.getUTCFullYear(), endDate.getUTCMonth() + 1, endDate.getUTCDate(), end);
      if (endMs > now) return { allowed: true, validForMs: endMs - now };
    }
  }
  return { allowed: false, validForMs: 0 };
}
