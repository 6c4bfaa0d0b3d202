// Naive reference implementations for the tests, written independently of the package code:
// everything splits strings into token arrays and compares whole tokens.

export interface TestSub {
  readonly subject: string;
  readonly queue: string | null;
  readonly id: number;
}

/** mulberry32: a small seeded PRNG so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<E>(rand: () => number, items: readonly E[]): E {
  return items[Math.floor(rand() * items.length)]!;
}

/** Does `pattern` match `literal`, where literal `*`/`>` tokens are plain tokens? */
export function naiveMatch(pattern: string, literal: string): boolean {
  const p = pattern.split('.');
  const s = literal.split('.');
  if (s.some((t) => t === '')) return false;
  if (p.some((t) => t === '')) return false;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return i === p.length - 1 && s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

/** Every literal subject over `alphabet` with 1..maxLen tokens. */
export function allLiterals(alphabet: readonly string[], maxLen: number): string[] {
  const out: string[] = [];
  let level: string[] = [...alphabet];
  for (let len = 1; len <= maxLen; len++) {
    out.push(...level);
    const next: string[] = [];
    for (const prefix of level) for (const t of alphabet) next.push(`${prefix}.${t}`);
    level = next;
  }
  return out;
}

function witnesses(a: string, b: string): string[] {
  const alphabet = new Set<string>(['Zfresh']);
  for (const t of [...a.split('.'), ...b.split('.')]) if (t !== '*' && t !== '>') alphabet.add(t);
  const maxLen = Math.max(a.split('.').length, b.split('.').length) + 1;
  return allLiterals([...alphabet], maxLen);
}

/** Oracle: every literal matched by `sub` (over a sufficient finite universe) is matched by `pattern`. */
export function naiveSubset(sub: string, pattern: string): boolean {
  return witnesses(sub, pattern).every((l) => !naiveMatch(sub, l) || naiveMatch(pattern, l));
}

/** Oracle: some literal (over a sufficient finite universe) is matched by both. */
export function naiveCollide(a: string, b: string): boolean {
  return witnesses(a, b).some((l) => naiveMatch(a, l) && naiveMatch(b, l));
}

/** A random valid subscription subject over `tokens`, `*` and `>` (last only). */
export function randomPattern(rand: () => number, tokens: readonly string[], maxLen: number): string {
  const len = 1 + Math.floor(rand() * maxLen);
  const out: string[] = [];
  for (let i = 0; i < len; i++) {
    const r = rand();
    if (i === len - 1 && r < 0.15) out.push('>');
    else if (r < 0.35) out.push('*');
    else out.push(pick(rand, tokens));
  }
  return out.join('.');
}

/** A random literal subject; may contain literal `*`/`>` tokens and, rarely, an empty token. */
export function randomLiteral(rand: () => number, tokens: readonly string[], maxLen: number): string {
  const len = 1 + Math.floor(rand() * maxLen);
  const out: string[] = [];
  for (let i = 0; i < len; i++) {
    const r = rand();
    if (r < 0.03) out.push('*');
    else if (r < 0.05) out.push('>');
    else if (r < 0.06) out.push('');
    else out.push(pick(rand, tokens));
  }
  return out.join('.');
}

/** A result in canonical form: sorted ids of plain subs, and `queue:[sorted ids]` groups sorted by queue. */
export function canon(r: { psubs: readonly TestSub[]; qsubs: readonly (readonly TestSub[])[] }): {
  p: number[];
  q: string[];
} {
  const p = r.psubs.map((s) => s.id).sort((x, y) => x - y);
  const q = r.qsubs
    .map((g) => {
      const names = new Set(g.map((s) => s.queue));
      if (names.size !== 1 || g.length === 0) throw new Error(`bad queue group ${JSON.stringify(g)}`);
      return `${g[0]!.queue}:${g
        .map((s) => s.id)
        .sort((x, y) => x - y)
        .join(',')}`;
    })
    .sort();
  return { p, q };
}

/** The expected result of matching `literal` against a list of subscriptions, in canonical form. */
export function naiveResult(
  subs: Iterable<TestSub>,
  literal: string,
  matches = naiveMatch,
): { p: number[]; q: string[] } {
  const psubs: TestSub[] = [];
  const groups = new Map<string, TestSub[]>();
  for (const s of subs) {
    if (!matches(s.subject, literal)) continue;
    if (s.queue === null) psubs.push(s);
    else {
      let g = groups.get(s.queue);
      if (g === undefined) {
        g = [];
        groups.set(s.queue, g);
      }
      g.push(s);
    }
  }
  return canon({ psubs, qsubs: [...groups.values()] });
}
