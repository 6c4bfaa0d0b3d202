/** nats-server's `-ERR` texts, byte for byte (client-protocol.md §11). */
export const ERR = {
  UNKNOWN_OP: 'Unknown Protocol Operation',
  AUTH_VIOLATION: 'Authorization Violation',
  AUTH_TIMEOUT: 'Authentication Timeout',
  USER_AUTH_EXPIRED: 'User Authentication Expired',
  ACCOUNT_AUTH_EXPIRED: 'Account Authentication Expired',
  USER_AUTH_REVOKED: 'User Authentication Revoked',
  MAX_PAYLOAD: 'Maximum Payload Violation',
  MAX_CONTROL_LINE: 'maximum control line exceeded',
  MAX_CONNECTIONS: 'maximum connections exceeded',
  MAX_ACCOUNT_CONNECTIONS: 'maximum account active connections exceeded',
  MAX_SUBSCRIPTIONS: 'maximum subscriptions exceeded',
  BAD_CLIENT_PROTOCOL: 'invalid client protocol',
  NO_RESPONDERS_REQUIRES_HEADERS: 'no responders requires headers support',
  STALE_CONNECTION: 'Stale Connection',
  TLS_REQUIRED: 'Secure Connection - TLS Required',
  INVALID_SUBJECT: 'Invalid Subject',
  INVALID_PUBLISH_SUBJECT: 'Invalid Publish Subject',
} as const;

/** `-ERR '<text>'\r\n` */
export function errLine(text: string): string {
  return `-ERR '${text}'\r\n`;
}

/** Go's `%q` for the subjects inside permission errors: double quotes and Go escapes. */
export function quoteGo(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}
