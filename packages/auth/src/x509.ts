/**
 * Just enough X.509 (DER) to map a client certificate to a user (TLS `verify_and_map`):
 * the subject Name and the subjectAltName emails, DNS names and URIs. Pure; never throws
 * (`parsePeerCertificate` returns null for anything it cannot read).
 *
 * The subject is kept as its RDN sequence (attribute OID, ASN.1 string tag, decoded value), so
 * tls-map.ts can render it exactly as Go's `pkix` and nats-server's `ldap` package do.
 */

export interface Atv {
  /** Dotted OID, e.g. "2.5.4.3". */
  oid: string;
  /** ASN.1 tag of the value. */
  tag: number;
  /** Decoded value when it is one of the string types Go decodes into a string, else null. */
  value: string | null;
}

export interface PeerCertificate {
  /** Subject RDN sequence in certificate order; each RDN is a SET of attributes. */
  subject: Atv[][];
  emails: string[];
  dnsNames: string[];
  uris: string[];
}

interface Tlv {
  tag: number;
  start: number; // content start
  end: number; // content end
  next: number; // offset after this TLV
}

function readTlv(b: Uint8Array, off: number, limit: number): Tlv | null {
  if (off + 2 > limit) return null;
  const tag = b[off]!;
  if ((tag & 0x1f) === 0x1f) return null; // high tag numbers are not used here
  let len = b[off + 1]!;
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i]!;
    p += n;
  }
  if (p + len > limit) return null;
  return { tag, start: p, end: p + len, next: p + len };
}

function children(b: Uint8Array, t: Tlv): Tlv[] | null {
  const out: Tlv[] = [];
  let p = t.start;
  while (p < t.end) {
    const c = readTlv(b, p, t.end);
    if (c === null) return null;
    out.push(c);
    p = c.next;
  }
  return out;
}

function oidString(b: Uint8Array, t: Tlv): string | null {
  if (t.tag !== 0x06 || t.end <= t.start) return null;
  const parts: number[] = [];
  let v = 0;
  let first = true;
  for (let i = t.start; i < t.end; i++) {
    const c = b[i]!;
    v = v * 128 + (c & 0x7f);
    if ((c & 0x80) === 0) {
      if (first) {
        const x = v < 40 ? 0 : v < 80 ? 1 : 2;
        parts.push(x, v - x * 40);
        first = false;
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

const LATIN1 = new TextDecoder('latin1');
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF16 = new TextDecoder('utf-16be', { fatal: true });

/** Decodes the ASN.1 string types Go turns into a Go string (asn1 parseField on interface{}). */
function asn1String(b: Uint8Array, t: Tlv): string | null {
  const bytes = b.subarray(t.start, t.end);
  try {
    switch (t.tag) {
      case 0x0c: // UTF8String
        return UTF8.decode(bytes);
      case 0x13: // PrintableString
      case 0x12: // NumericString
      case 0x16: // IA5String
        return LATIN1.decode(bytes);
      case 0x14: // T61String (Go maps bytes to runes 1:1)
        return LATIN1.decode(bytes);
      case 0x1e: // BMPString
        return UTF16.decode(bytes);
      default:
        return null;
    }
  } catch {
    return null;
  }
}

function parseName(b: Uint8Array, name: Tlv): Atv[][] | null {
  if (name.tag !== 0x30) return null;
  const rdns = children(b, name);
  if (rdns === null) return null;
  const out: Atv[][] = [];
  for (const set of rdns) {
    if (set.tag !== 0x31) return null;
    const atvs = children(b, set);
    if (atvs === null) return null;
    const rdn: Atv[] = [];
    for (const seq of atvs) {
      if (seq.tag !== 0x30) return null;
      const parts = children(b, seq);
      if (parts === null || parts.length !== 2) return null;
      const oid = oidString(b, parts[0]!);
      if (oid === null) return null;
      rdn.push({ oid, tag: parts[1]!.tag, value: asn1String(b, parts[1]!) });
    }
    out.push(rdn);
  }
  return out;
}

function parseSan(b: Uint8Array, octets: Tlv, cert: PeerCertificate): boolean {
  const seq = readTlv(b, octets.start, octets.end);
  if (seq === null || seq.tag !== 0x30) return false;
  const names = children(b, seq);
  if (names === null) return false;
  for (const n of names) {
    const text = LATIN1.decode(b.subarray(n.start, n.end));
    if (n.tag === 0x81) cert.emails.push(text);
    else if (n.tag === 0x82) cert.dnsNames.push(text);
    else if (n.tag === 0x86) cert.uris.push(text);
  }
  return true;
}

/** Reads a DER certificate; null when it is not one. */
export function parsePeerCertificate(der: Uint8Array): PeerCertificate | null {
  const certT = readTlv(der, 0, der.length);
  if (certT === null || certT.tag !== 0x30) return null;
  const top = children(der, certT);
  if (top === null || top.length < 1 || top[0]!.tag !== 0x30) return null;
  const tbs = children(der, top[0]!);
  if (tbs === null) return null;
  let i = 0;
  if (tbs[i]?.tag === 0xa0) i++; // version
  // serialNumber, signature, issuer, validity, subject
  const subjectT = tbs[i + 4];
  if (subjectT === undefined) return null;
  const subject = parseName(der, subjectT);
  if (subject === null) return null;
  const cert: PeerCertificate = { subject, emails: [], dnsNames: [], uris: [] };
  for (let k = i + 5; k < tbs.length; k++) {
    const t = tbs[k]!;
    if (t.tag !== 0xa3) continue;
    const extsSeq = readTlv(der, t.start, t.end);
    if (extsSeq === null || extsSeq.tag !== 0x30) return null;
    const exts = children(der, extsSeq);
    if (exts === null) return null;
    for (const ext of exts) {
      const parts = children(der, ext);
      if (parts === null || parts.length < 2) return null;
      if (oidString(der, parts[0]!) !== '2.5.29.17') continue;
      const octets = parts[parts.length - 1]!;
      if (octets.tag !== 0x04 || !parseSan(der, octets, cert)) return null;
    }
  }
  return cert;
}
