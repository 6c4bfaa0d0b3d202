/**
 * CONNECT JSON, decoded the way nats-server's Go json.Unmarshal does it: on top of the
 * defaults verbose/pedantic/echo = true; unknown keys ignored; `null` leaves a field as it
 * was; a value of the wrong type (or invalid JSON) is an error (the server closes silently).
 */

export interface ConnectOptions {
  verbose: boolean;
  pedantic: boolean;
  tls_required: boolean;
  auth_token: string | null;
  user: string | null;
  pass: string | null;
  nkey: string | null;
  sig: string | null;
  jwt: string | null;
  name: string | null;
  lang: string | null;
  version: string | null;
  protocol: number;
  echo: boolean;
  headers: boolean;
  no_responders: boolean;
  /** Present (any value) means the client tried to pick an account: Authorization Violation. */
  account: boolean;
  new_account: boolean;
}

export function defaultConnectOptions(): ConnectOptions {
  return {
    verbose: true,
    pedantic: true,
    tls_required: false,
    auth_token: null,
    user: null,
    pass: null,
    nkey: null,
    sig: null,
    jwt: null,
    name: null,
    lang: null,
    version: null,
    protocol: 0,
    echo: true,
    headers: false,
    no_responders: false,
    account: false,
    new_account: false,
  };
}

const BOOL_KEYS = ['verbose', 'pedantic', 'tls_required', 'echo', 'headers', 'no_responders'] as const;
const STRING_KEYS = ['auth_token', 'user', 'pass', 'nkey', 'sig', 'jwt', 'name', 'lang', 'version'] as const;

const KNOWN_KEYS = new Set<string>([...BOOL_KEYS, ...STRING_KEYS, 'protocol', 'account', 'new_account']);

/**
 * Go's json decoder matches object keys to struct fields case-insensitively (an exact match
 * wins), so `{"Verbose":false}` turns verbose off in nats-server. Later keys override earlier
 * ones, as in Go.
 */
function foldKeys(obj: Record<string, unknown>): Record<string, unknown> {
  let folded: Record<string, unknown> | null = null;
  for (const key of Object.keys(obj)) {
    if (KNOWN_KEYS.has(key)) continue;
    const lower = key.toLowerCase();
    if (!KNOWN_KEYS.has(lower)) continue;
    folded ??= {};
    folded[lower] = obj[key];
  }
  if (folded === null) return obj;
  // Rebuild in the original key order so the last occurrence wins, as Go's decoder does.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    const lower = KNOWN_KEYS.has(key) ? key : key.toLowerCase();
    if (KNOWN_KEYS.has(lower)) out[lower] = obj[key];
  }
  return out;
}

/**
 * Applies the CONNECT JSON on top of `into` (defaults for a first CONNECT, the previous
 * values for a later one). Returns false when nats-server's decoder would fail.
 */
export function applyConnectJson(json: string, into: ConnectOptions): boolean {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return false;
  }
  if (raw === null) return true;
  if (typeof raw !== 'object' || Array.isArray(raw)) return false;
  const obj = foldKeys(raw as Record<string, unknown>);
  for (const key of BOOL_KEYS) {
    const v = obj[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') return false;
    into[key] = v;
  }
  for (const key of STRING_KEYS) {
    const v = obj[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return false;
    into[key] = v;
  }
  const p = obj.protocol;
  if (p !== undefined && p !== null) {
    // Go decodes a JSON number into an int only when it is integral and in range.
    if (typeof p !== 'number' || !Number.isInteger(p)) return false;
    into.protocol = p;
  }
  if (obj.account !== undefined && obj.account !== null) {
    if (typeof obj.account !== 'string') return false;
    into.account = true;
  }
  if (obj.new_account !== undefined && obj.new_account !== null) {
    if (typeof obj.new_account !== 'boolean') return false;
    into.new_account = true;
  }
  return true;
}
