/**
 * Scoped signing key templates (nats-server auth.go `processUserPermissionsTemplate`).
 *
 * A user JWT signed by a scoped key gets the scope's template instead of its own permissions.
 * Subject tokens of the form `{{name()}}`, `{{subject()}}`, `{{account-name()}}`,
 * `{{account-subject()}}`, `{{tag(x)}}`, `{{account-tag(x)}}` are replaced; tag functions
 * expand to every value of tags `x:value` (a cartesian product when several are used). Unknown
 * functions make the subject invalid on purpose. Generated invalid subjects are dropped from
 * allow lists and fail the user in deny lists; an allow list emptied by templating becomes a
 * deny of `>`.
 */
import type { UserClaims, UserPermissionLimits } from './jwt.js';
import { isValidConfigSubject } from './subjects.js';

function cartesian(lists: string[][]): string[][] {
  let out: string[][] = [[]];
  for (const l of lists) {
    const next: string[][] = [];
    for (const prefix of out) for (const v of l) next.push([...prefix, v]);
    out = next;
  }
  return out;
}

interface TemplateContext {
  user: UserClaims;
  accountName: string;
  accountTags: readonly string[];
}

function applyTemplate(list: string[] | null, failOnBad: boolean, ctx: TemplateContext): string[] | null | Error {
  if (list === null) return null;
  const isTpl = (tk: string) => tk.startsWith('{{') && tk.endsWith('}}');
  if (!list.some((s) => s.split('.').some(isTpl))) return list;
  const out: string[] = [];
  for (const subject of list) {
    const tokens = subject.split('.');
    const newTokens: (string | null)[] = [];
    const tagValues: string[][] = [];
    for (const tk0 of tokens) {
      let tk: string | null = tk0;
      if (isTpl(tk0)) {
        const op = tk0.slice(2, -2).toLowerCase();
        if (op === 'name()') tk = ctx.user.name;
        else if (op === 'subject()') tk = ctx.user.sub;
        else if (op === 'account-name()') tk = ctx.accountName;
        else if (op === 'account-subject()') tk = ctx.user.nats.issuer_account;
        else if ((op.startsWith('tag(') || op.startsWith('account-tag(')) && op.endsWith(')')) {
          const acct = op.startsWith('account-tag(');
          const name = op.slice(acct ? 'account-tag('.length : 'tag('.length, -1).toLowerCase();
          const tags = acct ? ctx.accountTags : ctx.user.nats.tags;
          const prefix = `${name}:`;
          const values = tags.filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));
          tk = null; // placeholder
          if (values.length > 0) tagValues.push(values);
          else tk = ''; // nothing found: leaves an empty token, which fails validation
        } else tk = ' '; // unknown function: invalid on purpose
      }
      newTokens.push(tk);
    }
    const combos = tagValues.length === 0 ? [[]] : cartesian(tagValues);
    for (const values of combos) {
      let vi = 0;
      const s = newTokens.map((t) => (t === null ? (values[vi++] ?? '') : t)).join('.');
      if (isValidConfigSubject(s)) out.push(s);
      else if (failOnBad) return new Error('generated invalid subject');
    }
  }
  return out;
}

/** The scope template with the user's values filled in, or an Error. */
export function processUserPermissionsTemplate(
  template: UserPermissionLimits,
  user: UserClaims,
  accountName: string,
  accountTags: readonly string[],
): UserPermissionLimits | Error {
  const ctx: TemplateContext = { user, accountName, accountTags };
  const subAllowWasSet = (template.sub.allow?.length ?? 0) > 0;
  const pubAllowWasSet = (template.pub.allow?.length ?? 0) > 0;
  const subAllow = applyTemplate(template.sub.allow, false, ctx);
  if (subAllow instanceof Error) return subAllow;
  const subDeny = applyTemplate(template.sub.deny, true, ctx);
  if (subDeny instanceof Error) return subDeny;
  const pubAllow = applyTemplate(template.pub.allow, false, ctx);
  if (pubAllow instanceof Error) return pubAllow;
  const pubDeny = applyTemplate(template.pub.deny, true, ctx);
  if (pubDeny instanceof Error) return pubDeny;
  const addDenyAll = (deny: string[] | null): string[] => {
    const d = deny ? [...deny] : [];
    if (!d.includes('>')) d.push('>');
    return d;
  };
  return {
    ...template,
    sub: {
      allow: subAllow,
      deny: subAllowWasSet && (subAllow?.length ?? 0) === 0 ? addDenyAll(subDeny) : subDeny,
    },
    pub: {
      allow: pubAllow,
      deny: pubAllowWasSet && (pubAllow?.length ?? 0) === 0 ? addDenyAll(pubDeny) : pubDeny,
    },
  };
}
