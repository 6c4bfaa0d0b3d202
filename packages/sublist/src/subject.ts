/**
 * Subject utilities with nats-server's rules (sublist.go).
 *
 * Subjects are JS strings decoded from wire bytes with latin1, so every byte is one char and
 * any char except `.` is token content (UTF-8 sequences appear as several chars > 0x7f and
 * are ordinary token content). A token is a wildcard only when it is exactly `*` (one token)
 * or exactly `>` (one or more tokens, last position only); `a*b` and `a>` are literal tokens.
 *
 * Everything here scans by index: no `split`, no arrays, no closures.
 */

/** `.` */
export const TSEP = 0x2e;
/** `*`, the partial (one token) wildcard. */
export const PWC = 0x2a;
/** `>`, the full (one or more tokens) wildcard. */
export const FWC = 0x3e;

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const FF = 0x0c;
const CR = 0x0d;

/**
 * A valid subscription subject (what `SUB` accepts; nats-server `Sublist.Insert`): not empty, no
 * empty token (no leading, trailing or double dot), and no token after a `>` wildcard.
 * Whitespace is not checked here: the wire parser already split on it.
 */
export function isValidSubject(subject: string): boolean {
  const len = subject.length;
  if (len === 0) return false;
  let start = 0;
  for (;;) {
    let end = subject.indexOf('.', start);
    if (end < 0) end = len;
    if (end === start) return false;
    if (end === start + 1 && subject.charCodeAt(start) === FWC) return end === len;
    if (end === len) return true;
    start = end + 1;
  }
}

/**
 * A valid subject in configuration (permissions, exports, imports, mappings; nats-server
 * `IsValidSubject`): {@link isValidSubject} and no space, tab, CR, LF or form feed anywhere.
 */
export function isValidConfigSubject(subject: string): boolean {
  if (!isValidSubject(subject)) return false;
  for (let i = 0; i < subject.length; i++) {
    const c = subject.charCodeAt(i);
    if (c === SPACE || c === TAB || c === LF || c === CR || c === FF) return false;
  }
  return true;
}

/**
 * A valid literal subject (nats-server `IsValidLiteralSubject`): not empty, no empty token, and
 * no token that is exactly `*` or `>`.
 */
export function isValidLiteralSubject(subject: string): boolean {
  const len = subject.length;
  if (len === 0) return false;
  let start = 0;
  for (;;) {
    let end = subject.indexOf('.', start);
    if (end < 0) end = len;
    if (end === start) return false;
    if (end === start + 1) {
      const c = subject.charCodeAt(start);
      if (c === PWC || c === FWC) return false;
    }
    if (end === len) return true;
    start = end + 1;
  }
}

/**
 * The pedantic `PUB`/`HPUB` check (client.go: `Pedantic && !IsValidLiteralSubject` →
 * `-ERR 'Invalid Publish Subject'`): no empty token and no `*`/`>` token. Same rule as
 * {@link isValidLiteralSubject}; a separate name so call sites say what they check.
 */
export function isValidPublishSubject(subject: string): boolean {
  return isValidLiteralSubject(subject);
}

/**
 * True when no token is exactly `*` or `>` (nats-server `subjectIsLiteral`). Does not check
 * validity: `foo..bar` is "literal".
 */
export function subjectIsLiteral(subject: string): boolean {
  const len = subject.length;
  for (let i = 0; i < len; i++) {
    const c = subject.charCodeAt(i);
    if (
      (c === PWC || c === FWC) &&
      (i === 0 || subject.charCodeAt(i - 1) === TSEP) &&
      (i + 1 === len || subject.charCodeAt(i + 1) === TSEP)
    ) {
      return false;
    }
  }
  return true;
}

/**
 * A queue group name as it can appear on the wire: not empty and no whitespace (space, tab, CR,
 * LF, form feed). The protocol does not otherwise restrict queue names (`a.b`, `*`, UTF-8 are
 * all accepted by nats-server). Config permission entries `"subject queue"` are stricter:
 * nats-server main checks the queue part with `IsValidSubject`, i.e. {@link isValidConfigSubject}.
 */
export function isValidQueue(queue: string): boolean {
  const len = queue.length;
  if (len === 0) return false;
  for (let i = 0; i < len; i++) {
    const c = queue.charCodeAt(i);
    if (c === SPACE || c === TAB || c === LF || c === CR || c === FF) return false;
  }
  return true;
}

/** Number of tokens: 0 for the empty string, otherwise the number of dots plus one. */
export function tokenCount(subject: string): number {
  const len = subject.length;
  if (len === 0) return 0;
  let n = 1;
  let i = subject.indexOf('.');
  while (i >= 0) {
    n++;
    i = subject.indexOf('.', i + 1);
  }
  return n;
}

/**
 * Does `pattern` (a subscription subject, wildcards allowed) match `subject`?
 *
 * `subject` is taken as a literal: a `*` or `>` token in it is an ordinary token, which `*` and
 * `>` in the pattern accept like any other. This is exactly how nats-server routes a
 * non-pedantic `PUB foo.*` and how it checks subscribe permissions ("the subscription subject is
 * matched as a literal", auth.md §7: allow `foo.*` admits `SUB foo.>`). False when `pattern` is
 * not a valid subscription subject or `subject` has an empty token.
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  return isValidSubject(pattern) && hasNoEmptyToken(subject) && matchLiteral(subject, pattern);
}

function hasNoEmptyToken(subject: string): boolean {
  const len = subject.length;
  if (len === 0) return false;
  let start = 0;
  for (;;) {
    let end = subject.indexOf('.', start);
    if (end < 0) end = len;
    if (end === start) return false;
    if (end === len) return true;
    start = end + 1;
  }
}

/** `a[ai, ai+n) === b[bi, bi+n)`, without slicing. */
function regionEquals(a: string, ai: number, b: string, bi: number, n: number): boolean {
  for (let k = 0; k < n; k++) {
    if (a.charCodeAt(ai + k) !== b.charCodeAt(bi + k)) return false;
  }
  return true;
}

/**
 * Trusting core of {@link subjectMatches}: `pattern` must be a valid subscription subject and
 * `literal` must have no empty token. Used by the sublist's cache maintenance, where both hold.
 * Walks both strings token by token by index.
 */
export function matchLiteral(literal: string, pattern: string): boolean {
  const ll = literal.length;
  const pl = pattern.length;
  let li = 0;
  let pi = 0;
  for (;;) {
    // current pattern token [pi, pe)
    let pe = pattern.indexOf('.', pi);
    if (pe < 0) pe = pl;
    let le = literal.indexOf('.', li);
    if (le < 0) le = ll;
    if (pe === pi + 1) {
      const c = pattern.charCodeAt(pi);
      if (c === FWC) return true; // `>` is last and the literal has at least one token here
      if (c !== PWC && !(le === li + 1 && literal.charCodeAt(li) === c)) return false;
    } else if (pe - pi !== le - li || !regionEquals(pattern, pi, literal, li, pe - pi)) {
      return false;
    }
    if (pe === pl) return le === ll;
    if (le === ll) return false;
    pi = pe + 1;
    li = le + 1;
  }
}

/**
 * Is every subject matched by `subject` also matched by `pattern`? Both may contain wildcards
 * (nats-server `subjectIsSubsetMatch`): `foo.bar` ⊆ `foo.*` ⊆ `foo.>` ⊆ `>`, `foo.*` ⊄ `foo.bar`,
 * `foo.>` ⊄ `foo.*`. False when either is not a valid subscription subject.
 *
 * Note: nats-server's *subscribe permission* check is not a subset test — it matches the
 * subscription subject as a literal ({@link subjectMatches}), so allow `foo.*` admits
 * `SUB foo.>` although `foo.>` ⊄ `foo.*`. The subset test is what nats-server uses to decide
 * whether a wildcard subscription covers a deny entry (then it filters at delivery time) and
 * what {@link Sublist.reverseMatch} uses.
 */
export function subjectIsSubsetOf(subject: string, pattern: string): boolean {
  return isValidSubject(subject) && isValidSubject(pattern) && coversOrCollides(subject, pattern, true);
}

/**
 * Could some literal subject be matched by both `a` and `b` (nats-server `SubjectsCollide`)?
 * False when either is not a valid subscription subject.
 */
export function subjectsCollide(a: string, b: string): boolean {
  return isValidSubject(a) && isValidSubject(b) && coversOrCollides(a, b, false);
}

/**
 * The token walk of {@link subjectIsSubsetOf} (`subset`: is every match of `a` a match of `b`?)
 * and {@link subjectsCollide} (`!subset`: could one subject match both?); both valid. They
 * differ only where `a` has a wildcard: for a subset, `a`'s `>` needs `b`'s `>` and `a`'s `*`
 * needs `b`'s `*` or `>`; for a collision either wildcard on either side will do.
 */
function coversOrCollides(a: string, b: string, subset: boolean): boolean {
  const al = a.length;
  const bl = b.length;
  let ai = 0;
  let bi = 0;
  for (;;) {
    let ae = a.indexOf('.', ai);
    if (ae < 0) ae = al;
    let be = b.indexOf('.', bi);
    if (be < 0) be = bl;
    const ac = ae === ai + 1 ? a.charCodeAt(ai) : 0;
    const bc = be === bi + 1 ? b.charCodeAt(bi) : 0;
    if (bc === FWC) return true; // `>` covers whatever `a` has from here on (at least one token)
    if (ac === FWC) return !subset; // a collision, but `a` reaches longer subjects than `b` can
    if (ac === PWC) {
      if (subset && bc !== PWC) return false;
    } else if (bc !== PWC && (ae - ai !== be - bi || !regionEquals(a, ai, b, bi, ae - ai))) {
      return false;
    }
    if (ae === al || be === bl) return ae === al && be === bl;
    ai = ae + 1;
    bi = be + 1;
  }
}
