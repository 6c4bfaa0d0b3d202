/**
 * Subject helpers used while building the auth and account model (not on the message path).
 *
 * Subjects inside the server are byte strings (wire bytes decoded with latin1, one char per
 * byte). Subjects from configuration and JWTs are ordinary (UTF-8) text, so everything the
 * engine hands to the server is converted with {@link toWire} first; for ASCII it is a no-op.
 */

/** UTF-8 text -> the server's latin1 byte-string form. */
export function toWire(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return Buffer.from(s, 'utf8').toString('latin1');
  }
  return s;
}

export function tokenize(s: string): string[] {
  return s.split('.');
}

/** Valid in configuration (nats-server `IsValidSubject`): no empty token, `>` last, no whitespace. */
export function isValidConfigSubject(subject: string): boolean {
  if (subject.length === 0 || /[ \t\n\r\f]/.test(subject)) return false;
  const toks = tokenize(subject);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.length === 0) return false;
    if (t === '>' && i !== toks.length - 1) return false;
  }
  return true;
}

/** No token is exactly `*` or `>`. */
export function subjectIsLiteral(subject: string): boolean {
  for (const t of tokenize(subject)) if (t === '*' || t === '>') return false;
  return true;
}

export function subjectHasWildcard(subject: string): boolean {
  return !subjectIsLiteral(subject);
}

/**
 * nats-server `isSubsetMatchTokenized`: is the (possibly wildcard) subject `tokens` fully covered
 * by the pattern `test`? A `*` in `tokens` is only covered by a `*` in `test`.
 */
export function isSubsetMatchTokens(tokens: readonly string[], test: readonly string[]): boolean {
  for (let i = 0; i < test.length; i++) {
    if (i >= tokens.length) return false;
    const t2 = test[i]!;
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
  return tokens.length === test.length;
}

/** `subject` (wildcards allowed) is a subset of the pattern `test`. */
export function subjectIsSubsetMatch(subject: string, test: string): boolean {
  return isSubsetMatchTokens(tokenize(subject), tokenize(test));
}

/** Can some literal subject match both patterns? (nats-server `SubjectsCollide`) */
export function subjectsCollide(a: string, b: string): boolean {
  if (a === b) return true;
  const t1 = tokenize(a);
  const t2 = tokenize(b);
  const l1 = subjectIsLiteral(a);
  const l2 = subjectIsLiteral(b);
  if (l1 && l2) return false;
  if (l1) return isSubsetMatchTokens(t1, t2);
  if (l2) return isSubsetMatchTokens(t2, t1);
  const f1 = t1[t1.length - 1] === '>';
  const f2 = t2[t2.length - 1] === '>';
  if (!f1 && !f2 && t1.length !== t2.length) return false;
  if ((t1.length < t2.length && !f1) || (t2.length < t1.length && !f2)) return false;
  const stop = Math.min(t1.length, t2.length);
  for (let i = 0; i < stop; i++) {
    const x = t1[i]!;
    const y = t2[i]!;
    if (x === '*' || x === '>' || y === '*' || y === '>') continue;
    if (x !== y) return false;
  }
  return true;
}

/**
 * A subject rewrite from an import: `from` is the exporter's pattern, `to` the importer's
 * subject where `$N` / `{{wildcard(N)}}` (or, when there are no references, each `*` in order)
 * takes the Nth `*` token of the published subject and a trailing `>` takes the rest.
 */
export interface SubjectTransform {
  /** Exporter-side pattern (wire form). */
  readonly from: string;
  /** Importer-side pattern, references turned back into `*` (wire form). */
  readonly to: string;
  /** Destination tokens: a literal string, or a 1-based reference to a `*` of `from` (number), or -1 for `>`. */
  readonly dest: ReadonlyArray<string | number>;
}

const WILDCARD_FN_RE = /^\{\{\s*wildcard\s*\((.*)\)\s*\}\}$/i;

/** nats-server `transformTokenize`: each `*` token becomes `$1`, `$2`, … in order. */
export function transformTokenize(subject: string): string {
  let i = 1;
  return tokenize(subject)
    .map((t) => (t === '*' ? `$${i++}` : t))
    .join('.');
}

function isValidSubjectNoSpace(s: string): boolean {
  if (s.length === 0) return false;
  const toks = tokenize(s);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.length === 0 || (t === '>' && i !== toks.length - 1)) return false;
  }
  return true;
}

/**
 * Builds a transform (nats-server accounts.go `newTransform(from, transformTokenize(to))`) or
 * returns nats-server's error text. Destination references are `$N` or `{{wildcard(N)}}`;
 * a plain `*` in `to` stands for the next wildcard in order. The other mapping functions
 * (partition, split…) belong to subject mappings, not imports, and are refused here.
 */
export function compileTransform(fromText: string, toText: string): SubjectTransform | string {
  const from = toWire(fromText);
  const destText = transformTokenize(toWire(toText));
  const src = tokenize(from);
  const dst = tokenize(destText);
  const npwcs = src.filter((t) => t === '*').length;
  const srcFwc = src[src.length - 1] === '>';
  const dstFwc = dst[dst.length - 1] === '>';
  if (!isValidSubjectNoSpace(from) || !isValidSubjectNoSpace(destText) || dst.includes('*') || srcFwc !== dstFwc) {
    return 'invalid subject';
  }
  const dest: Array<string | number> = [];
  let nphs = 0;
  for (let i = 0; i < dst.length; i++) {
    const t = dst[i]!;
    let ref = -1;
    if (t.length > 1 && t[0] === '$' && /^[+-]?\d+$/.test(t.slice(1))) ref = Number(t.slice(1));
    else if (t.length > 4 && t.startsWith('{{') && t.endsWith('}}')) {
      const m = WILDCARD_FN_RE.exec(t);
      if (m === null) return `invalid mapping destination: unknown function in ${t}`;
      const arg = m[1]!.trim();
      if (arg === '') return `invalid mapping destination: not enough arguments passed to the function in ${t}`;
      if (!/^\d+$/.test(arg))
        return `invalid mapping destination: function argument is invalid or of the wrong type in ${t}`;
      ref = Number(arg);
    }
    if (ref >= 0 || (t.length > 1 && t[0] === '$' && /^[+-]?\d+$/.test(t.slice(1)))) {
      if (npwcs > 0 || srcFwc) {
        if (ref > npwcs || ref < 1) return `invalid mapping destination: wildcard index out of range in ${t}: [${ref}]`;
        nphs++;
        dest.push(ref);
        continue;
      }
    }
    dest.push(t === '>' && i === dst.length - 1 ? -1 : t);
  }
  if ((npwcs > 0 || srcFwc) && nphs < npwcs) {
    return `invalid mapping destination: not using all of the token wildcard(s) in ${destText}`;
  }
  const toPattern = dest.map((d) => (typeof d === 'number' ? (d === -1 ? '>' : '*') : d)).join('.');
  return { from, to: toPattern, dest };
}

/**
 * Applies a transform to a published subject that matches `t.from` (caller's responsibility).
 * Works on wire-form strings.
 */
export function applyTransform(t: SubjectTransform, subject: string): string {
  const src = tokenize(t.from);
  const toks = tokenize(subject);
  // Positions of the `*` wildcards in `from`, and where `>` starts.
  const stars: number[] = [];
  for (let i = 0; i < src.length; i++) if (src[i] === '*') stars.push(i);
  const fwcAt = src[src.length - 1] === '>' ? src.length - 1 : -1;
  const out: string[] = [];
  for (const d of t.dest) {
    if (typeof d === 'string') out.push(d);
    else if (d === -1) out.push(...toks.slice(fwcAt));
    else out.push(toks[stars[d - 1]!] ?? '');
  }
  return out.join('.');
}
