/**
 * TLS `verify_and_map`: which configured user a client certificate names
 * (nats-server auth.go `checkClientTLSCertSubject`, internal/ldap dn.go, Go crypto/x509/pkix).
 *
 * Order: each email SAN, each DNS SAN, each URI SAN as a user name; then the subject as a
 * distinguished name compared with every user name parsed as a DN (exact RDN order first, then
 * any order); then the Go `pkix` string of the subject with `DC=` components appended; then
 * the plain Go `pkix` string (`CN=alice,OU=Eng,O=Acme,C=US`). The first candidate naming a user
 * whose connection types allow this connection wins.
 */
import type { Atv, PeerCertificate } from './x509.js';

/** pkix attributeTypeNames (Go crypto/x509/pkix). */
const PKIX_NAMES: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.17': 'POSTALCODE',
};
/** nats-server internal/ldap attributeTypeNames (adds DC). */
const LDAP_NAMES: Record<string, string> = { ...PKIX_NAMES, '0.9.2342.19200300.100.1.25': 'DC' };
const DC_OID = '0.9.2342.19200300.100.1.25';

/** Go `RDNSequence.String` value escaping. */
function escapeValue(v: string): string {
  let out = '';
  for (let k = 0; k < v.length; k++) {
    const c = v[k]!;
    let esc = false;
    switch (c) {
      case ',':
      case '+':
      case '"':
      case '\\':
      case '<':
      case '>':
      case ';':
        esc = true;
        break;
      case ' ':
        esc = k === 0 || k === v.length - 1;
        break;
      case '#':
        esc = k === 0;
        break;
    }
    out += esc ? `\\${c}` : c;
  }
  return out;
}

/**
 * Go `cert.Subject.ToRDNSequence().String()`: the parsed standard attributes re-ordered as
 * C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER (multi-valued ones in one RDN, only the
 * last CN and SERIALNUMBER kept), printed last-first. Other attributes (DC, emailAddress…) are
 * dropped, which is why nats-server appends the DCs separately.
 */
export function goSubjectString(subject: readonly Atv[][]): string {
  const fields: Record<string, string[]> = {};
  let cn: string | null = null;
  let serial: string | null = null;
  for (const rdn of subject) {
    for (const atv of rdn) {
      if (atv.value === null) continue;
      const name = PKIX_NAMES[atv.oid];
      if (name === undefined) continue;
      if (name === 'CN') cn = atv.value;
      else if (name === 'SERIALNUMBER') serial = atv.value;
      else {
        let list = fields[name];
        if (list === undefined) {
          list = [];
          fields[name] = list;
        }
        list.push(atv.value);
      }
    }
  }
  const seq: string[][] = [];
  const add = (name: string, values: string[] | undefined) => {
    if (values && values.length > 0) seq.push(values.map((v) => `${name}=${escapeValue(v)}`));
  };
  add('C', fields.C);
  add('ST', fields.ST);
  add('L', fields.L);
  add('STREET', fields.STREET);
  add('POSTALCODE', fields.POSTALCODE);
  add('O', fields.O);
  add('OU', fields.OU);
  if (cn !== null && cn.length > 0) add('CN', [cn]);
  if (serial !== null && serial.length > 0) add('SERIALNUMBER', [serial]);
  return seq
    .reverse()
    .map((rdn) => rdn.join('+'))
    .join(',');
}

/** nats-server `getTLSAuthDCs`: `DC=a,DC=b` in certificate order, or "". */
export function tlsAuthDCs(subject: readonly Atv[][]): string {
  const out: string[] = [];
  for (const rdn of subject)
    for (const atv of rdn) if (atv.oid === DC_OID && atv.value !== null) out.push(`DC=${atv.value}`);
  return out.join(',');
}

/** Go `len(cert.Subject.String()) > 0`: the subject has any attribute Go would print. */
export function subjectNonEmpty(subject: readonly Atv[][]): boolean {
  for (const rdn of subject) {
    for (const atv of rdn) {
      if (PKIX_NAMES[atv.oid] === undefined || atv.value !== null) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// ldap DN (nats-server internal/ldap)

export interface DnAttr {
  type: string;
  value: string;
}
export type Dn = DnAttr[][];

/** ldap `FromRawCertSubject`: RDNs and attributes reversed; null on a type it does not name. */
export function dnFromCertSubject(subject: readonly Atv[][]): Dn | null {
  const out: Dn = [];
  for (let i = subject.length - 1; i >= 0; i--) {
    const rdn = subject[i]!;
    if (rdn.length === 0) continue;
    const attrs: DnAttr[] = [];
    for (let j = rdn.length - 1; j >= 0; j--) {
      const atv = rdn[j]!;
      const type = LDAP_NAMES[atv.oid];
      if (type === undefined || atv.value === null) return null;
      attrs.push({ type, value: atv.value });
    }
    out.push(attrs);
  }
  return out;
}

function hexByte(s: string, i: number): number {
  const h = s.slice(i, i + 2);
  return /^[0-9a-fA-F]{2}$/.test(h) ? Number.parseInt(h, 16) : -1;
}

/** ldap `ParseDN` (RFC 4514 string); null when it does not parse. Works on UTF-8 bytes as Go does. */
export function parseDn(text: string): Dn | null {
  const str = Buffer.from(text, 'utf8');
  const s = str.toString('latin1');
  const dn: Dn = [];
  let rdn: DnAttr[] = [];
  let buf: number[] = [];
  let type = '';
  let escaping = false;
  let trailing = 0;
  const take = (): string => {
    const bytes = buf.slice(0, buf.length - trailing);
    buf = [];
    trailing = 0;
    return Buffer.from(bytes).toString('utf8');
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (escaping) {
      trailing = 0;
      escaping = false;
      if (' "#+,;<=>\\'.includes(ch)) {
        buf.push(code);
        continue;
      }
      if (i + 1 === s.length) return null;
      const b = hexByte(s, i);
      if (b < 0) return null;
      buf.push(b);
      i++;
    } else if (ch === '\\') {
      trailing = 0;
      escaping = true;
    } else if (ch === '=') {
      type = take();
      if (s[i + 1] === '#') return null; // BER encoding not supported
    } else if (ch === ',' || ch === '+') {
      if (type.length === 0) return null;
      rdn.push({ type, value: take() });
      type = '';
      if (ch === ',') {
        dn.push(rdn);
        rdn = [];
      }
    } else if (ch === ' ' && buf.length === 0) {
    } else {
      trailing = ch === ' ' ? trailing + 1 : 0;
      buf.push(code);
    }
  }
  if (buf.length > 0) {
    if (type.length === 0) return null;
    rdn.push({ type, value: take() });
    dn.push(rdn);
  }
  return dn;
}

function attrEqual(a: DnAttr, b: DnAttr): boolean {
  return a.type.toLowerCase() === b.type.toLowerCase() && a.value === b.value;
}
function hasAll(r: DnAttr[], attrs: DnAttr[]): boolean {
  return attrs.every((a) => r.some((m) => attrEqual(m, a)));
}
function rdnEqual(a: DnAttr[], b: DnAttr[]): boolean {
  return a.length === b.length && hasAll(a, b) && hasAll(b, a);
}

/** ldap `DN.Equal`: same RDNs in the same order. */
export function dnEqual(a: Dn, b: Dn): boolean {
  return a.length === b.length && a.every((r, i) => rdnEqual(r, b[i]!));
}

/** ldap `DN.RDNsMatch`: same RDNs in any order. */
export function dnRdnsMatch(a: Dn, b: Dn): boolean {
  if (a.length !== b.length) return false;
  return a.every((ir) => b.some((or) => rdnEqual(ir, or)));
}

/** What the mapping callback is asked, in order. */
export type TlsMapCandidate = { kind: 'name'; name: string; source: string } | { kind: 'dn'; dn: Dn };

/**
 * The candidates nats-server tries for a certificate, in order, or a reason string when the
 * certificate offers nothing (`User required in cert, none found`).
 */
export function tlsMapCandidates(cert: PeerCertificate): TlsMapCandidate[] | string {
  const hasSubject = subjectNonEmpty(cert.subject);
  if (cert.emails.length === 0 && !hasSubject && cert.uris.length === 0) return 'User required in cert, none found';
  const out: TlsMapCandidate[] = [];
  for (const e of cert.emails) out.push({ kind: 'name', name: e, source: 'email' });
  for (const d of cert.dnsNames) out.push({ kind: 'name', name: d, source: 'SAN' });
  for (const u of cert.uris) out.push({ kind: 'name', name: u, source: 'URI' });
  const rdn = goSubjectString(cert.subject);
  const dn = dnFromCertSubject(cert.subject);
  if (dn !== null) out.push({ kind: 'dn', dn });
  const dcs = tlsAuthDCs(cert.subject);
  if (dcs.length > 0) out.push({ kind: 'name', name: `${rdn},${dcs}`, source: 'RDNSequence' });
  out.push({ kind: 'name', name: rdn, source: 'certificate subject' });
  return out;
}
