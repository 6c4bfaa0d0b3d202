/**
 * `tls { … }` blocks (opts.go `parseTLS`, `GenTLSConfig`). Messages are nats-server's; unlike
 * nats-server (which stops at the first TLS problem) every problem is reported.
 */
import { DEFAULT_TLS_HANDSHAKE_FIRST_FALLBACK_MS, defaultTlsOptions } from './defaults.js';
import { nsToMs, parseGoDuration } from './duration.js';
import type { LoadContext } from './load-context.js';
import type { TlsOptions } from './options-types.js';
import { fileErrorText } from './parser.js';
import type { ConfEntry } from './tree.js';
import { goTypeName } from './tree.js';

/** Go's crypto/tls cipher suite names accepted by nats-server (ciphersuites.go). */
export const TLS_CIPHER_SUITES: readonly string[] = [
  'TLS_RSA_WITH_RC4_128_SHA',
  'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_RC4_128_SHA',
  'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
];
export const TLS_CURVES: readonly string[] = ['X25519', 'CurveP256', 'CurveP384', 'CurveP521'];

/** TLS keys nats-server knows but Starling does not provide (Windows cert store, OCSP, SNI certs). */
const TLS_UNSUPPORTED = new Set([
  'cert_store',
  'cert_match_by',
  'cert_match',
  'ca_certs_match',
  'cert_match_skip_invalid',
  'ocsp_peer',
  'certs',
  'certificates',
  'allow_insecure_cipher_suites',
]);

/** Every key a tls block may hold (for blocks only validated by name). */
export const TLS_KEYS: ReadonlySet<string> = new Set([
  'cert_file',
  'key_file',
  'ca_file',
  'insecure',
  'verify',
  'verify_and_map',
  'verify_cert_and_check_known_urls',
  'cipher_suites',
  'curve_preferences',
  'timeout',
  'connection_rate_limit',
  'pinned_certs',
  'handshake_first',
  'first',
  'immediate',
  'min_version',
  ...TLS_UNSUPPORTED,
]);

const PIN_RE = /^[A-Fa-f0-9]{64}$/;

/**
 * Reads a tls block. `where` prefixes unsupported keys (`tls`, `websocket.tls`).
 * `clientCtx` is true for listeners that accept clients (then
 * `verify_cert_and_check_known_urls` is refused, as in nats-server).
 */
export function loadTls(ctx: LoadContext, entry: ConfEntry, where: string, clientCtx = true): TlsOptions | null {
  const m = ctx.map(entry, `error parsing tls config, expected a map, got ${goTypeName(entry.node)}`);
  if (m === null) return null;
  const tls = defaultTlsOptions();
  const before = ctx.errors.length;
  const bad = (e: ConfEntry, msg: string) => ctx.error('CONF_TLS', msg, e.pos);
  for (const e of m.value.values()) {
    const key = e.key.toLowerCase();
    const n = e.node;
    switch (key) {
      case 'cert_file':
      case 'key_file':
      case 'ca_file':
        if (n.kind !== 'string') bad(e, `error parsing tls config, expected '${key}' to be filename`);
        else tls[key] = n.value;
        break;
      case 'insecure':
      case 'verify':
      case 'verify_and_map':
      case 'verify_cert_and_check_known_urls': {
        if (n.kind !== 'bool') {
          bad(e, `error parsing tls config, expected '${key}' to be a boolean`);
          break;
        }
        if (key === 'insecure') tls.insecure = n.value;
        else if (key === 'verify') tls.verify = n.value;
        else if (key === 'verify_and_map') {
          tls.verify_and_map = n.value;
          if (n.value) tls.verify = true;
        } else {
          if (n.value && clientCtx) bad(e, 'verify_cert_and_check_known_urls not supported in this context');
          else if (n.value) tls.verify = true;
        }
        break;
      }
      case 'cipher_suites':
      case 'curve_preferences': {
        const known = key === 'cipher_suites' ? TLS_CIPHER_SUITES : TLS_CURVES;
        if (n.kind !== 'array') {
          bad(e, `error parsing tls config, '${key}' should be an array, got ${goTypeName(n)}`);
          break;
        }
        if (n.value.length === 0) {
          bad(e, `error parsing tls config, '${key}' cannot be empty`);
          break;
        }
        const out: string[] = [];
        for (const el of n.value) {
          const name =
            el.kind === 'string' ? el.value : String(el.kind === 'map' || el.kind === 'array' ? '' : el.value);
          if (el.kind !== 'string' || !known.includes(name)) {
            ctx.error(
              'CONF_TLS',
              key === 'cipher_suites' ? `unrecognized cipher ${name}` : `unrecognized curve preference ${name}`,
              el.pos ?? e.pos,
            );
          } else out.push(name);
        }
        if (key === 'cipher_suites') tls.cipher_suites = out;
        else tls.curve_preferences = out;
        break;
      }
      case 'timeout': {
        if (n.kind === 'integer' || n.kind === 'float') tls.timeout = n.value * 1000;
        else if (n.kind === 'string') {
          const d = parseGoDuration(n.value);
          if (d.ok) tls.timeout = nsToMs(d.ns);
          else bad(e, `error parsing tls config, 'timeout' ${d.error}`);
        } else bad(e, "error parsing tls config, 'timeout' wrong type");
        break;
      }
      case 'connection_rate_limit':
        if (n.kind === 'integer') tls.connection_rate_limit = n.value;
        else bad(e, "error parsing tls config, 'connection_rate_limit' wrong type");
        break;
      case 'pinned_certs': {
        if (n.kind !== 'array') {
          bad(
            e,
            "error parsing tls config, expected 'pinned_certs' to be a list of hex-encoded sha256 of DER encoded SubjectPublicKeyInfo",
          );
          break;
        }
        const pins: string[] = [];
        for (const el of n.value) {
          const v = el.kind === 'string' ? el.value.toLowerCase() : '';
          if (!PIN_RE.test(v)) {
            ctx.error(
              'CONF_TLS',
              `error parsing tls config, 'pinned_certs' key ${v} does not look like hex-encoded sha256 of DER encoded SubjectPublicKeyInfo`,
              el.pos ?? e.pos,
            );
          } else if (!pins.includes(v)) pins.push(v);
        }
        tls.pinned_certs = pins;
        break;
      }
      case 'handshake_first':
      case 'first':
      case 'immediate': {
        if (n.kind === 'bool') tls.handshake_first = n.value;
        else if (n.kind === 'string') {
          const v = n.value.toLowerCase();
          if (v === 'true' || v === 'on') tls.handshake_first = true;
          else if (v === 'false' || v === 'off') tls.handshake_first = false;
          else if (v === 'auto' || v === 'auto_fallback') tls.handshake_first = DEFAULT_TLS_HANDSHAKE_FIRST_FALLBACK_MS;
          else {
            const d = parseGoDuration(n.value);
            if (d.ok) tls.handshake_first = nsToMs(d.ns);
            else bad(e, `field "${e.key}"'s value "${n.value}" is invalid`);
          }
        } else bad(e, `field "${e.key}" should be a boolean or a string, got ${goTypeName(n)}`);
        break;
      }
      case 'min_version': {
        if (n.kind !== 'string') {
          bad(e, `error parsing tls config: 'min_version' wrong type: ${String(n.kind === 'map' ? 'map' : n.value)}`);
          break;
        }
        const v = n.value;
        if (v === '1.2' || v === '1.3') tls.min_version = v;
        else if (v === '1.0' || v === '1.1')
          bad(e, `error parsing tls config: unsupported TLS version: TLS 1.${v === '1.0' ? '0' : '1'}`);
        else bad(e, `error parsing tls config: unknown version: ${v}`);
        break;
      }
      default:
        if (TLS_UNSUPPORTED.has(key)) ctx.addUnsupported(`${where}.${key}`, e);
        else if (!e.usedAsVariable) bad(e, `error parsing tls config, unknown field [${JSON.stringify(e.key)}]`);
    }
  }
  if (ctx.errors.length === before) checkTlsFiles(ctx, tls, entry);
  return tls;
}

/**
 * What GenTLSConfig checks while loading: cert and key come together, and the files can be
 * read and look like PEM. Paths are relative to the working directory, as in nats-server.
 */
function checkTlsFiles(ctx: LoadContext, tls: TlsOptions, entry: ConfEntry): void {
  const problem = tlsFileProblem(ctx.readFile, tls);
  if (problem !== null) ctx.error('CONF_TLS', problem, entry.pos);
}

function tlsFileProblem(read: ((path: string) => string) | null, tls: TlsOptions): string | null {
  if (tls.cert_file !== null && tls.key_file === null) return "missing 'key_file' in TLS configuration";
  if (tls.cert_file === null && tls.key_file !== null) return "missing 'cert_file' in TLS configuration";
  if (read === null) return null;
  if (tls.cert_file !== null && tls.key_file !== null) {
    for (const [path, what] of [
      [tls.cert_file, 'certificate'],
      [tls.key_file, 'key'],
    ] as const) {
      let text: string;
      try {
        text = read(path);
      } catch (err) {
        return `error parsing X509 certificate/key pair: ${fileErrorText(path, err)}`;
      }
      const marker =
        what === 'certificate' ? /-----BEGIN [A-Z ]*CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
      if (!marker.test(text)) {
        return `error parsing X509 certificate/key pair: tls: failed to find any PEM data in ${what} input`;
      }
    }
  }
  if (tls.ca_file !== null) {
    let text: string;
    try {
      text = read(tls.ca_file);
    } catch (err) {
      return fileErrorText(tls.ca_file, err);
    }
    if (!/-----BEGIN CERTIFICATE-----/.test(text)) return 'failed to parse root ca certificate';
  }
  return null;
}
