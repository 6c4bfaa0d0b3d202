/**
 * Subject rules as nats-server applies them to config values (sublist.go): tokens split on
 * `.`, none empty, `>` only last, and no whitespace inside a token.
 */

const WS = /[\t\n\f\r ]/;

export function isValidSubject(subject: string): boolean {
  if (subject === '') return false;
  let sawFwc = false;
  for (const t of subject.split('.')) {
    if (t.length === 0 || sawFwc) return false;
    if (t.length > 1) {
      if (WS.test(t)) return false;
      continue;
    }
    if (t === '>') sawFwc = true;
    else if (WS.test(t)) return false;
  }
  return true;
}

/** Valid and without `*`/`>` tokens. */
export function isValidLiteralSubject(subject: string): boolean {
  if (!isValidSubject(subject)) return false;
  for (const t of subject.split('.')) if (t === '*' || t === '>') return false;
  return true;
}

/**
 * True when every subject matched by `subject` is also matched by `test` (both may contain
 * wildcards): `foo.*` is a subset of `>`, `*.*` and `foo.*`, but not of `foo.bar`.
 */
export function isSubsetMatch(subject: string, test: string): boolean {
  const tokens = subject.split('.');
  const testTokens = test.split('.');
  for (let i = 0; i < testTokens.length; i++) {
    if (i >= tokens.length) return false;
    const t2 = testTokens[i]!;
    if (t2.length === 0) return false;
    if (t2 === '>') return true;
    const t1 = tokens[i]!;
    if (t1.length === 0 || t1 === '>') return false;
    if (t1 === '*') {
      if (t2 !== '*') return false;
      continue;
    }
    if (t2 !== '*' && t1 !== t2) return false;
  }
  return tokens.length === testTokens.length;
}
