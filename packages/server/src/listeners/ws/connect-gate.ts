/**
 * After a handshake-authenticated upgrade, the client's first op must be a CONNECT whose
 * credentials either match what the upgrade request carried or are omitted — so a connection
 * can never switch to another identity than the one checked before the 101. The gate holds
 * the first line back (copied: uWS neuters its buffers) until it is complete, checks it, then
 * hands everything to the Connection and gets out of the way.
 */
import type { ListenerCredentials } from '../../server-auth.js';

/** null when the first line may proceed, else the reason (logged, never sent). */
export function checkFirstLine(line: string, creds: ListenerCredentials): string | null {
  const m = /^connect[ \t]+/i.exec(line);
  if (m === null) return 'first operation after a handshake-authenticated upgrade must be CONNECT';
  let json: unknown;
  try {
    json = JSON.parse(line.slice(m[0].length).replace(/\r$/, ''));
  } catch {
    return null; // the Connection answers malformed JSON itself (silent close, as nats-server)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  const pairs: [string, string | null][] = [
    ['user', creds.user],
    ['pass', creds.pass],
    ['auth_token', creds.token],
    ['jwt', creds.jwt],
    ['nkey', null],
  ];
  for (const [field, expected] of pairs) {
    const v = o[field];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') return null; // wrong type: the Connection closes it
    if (v !== expected) return `CONNECT "${field}" differs from the credentials of the upgrade request`;
  }
  return null;
}

export class ConnectGate {
  private held: Buffer | null = null;
  private readonly limit: number;

  /** `limit`: bytes to hold at most (max_control_line and some); past it the Connection decides. */
  constructor(limit: number) {
    this.limit = limit;
  }

  /**
   * Feeds a chunk. Returns `{ pass: buf }` to hand `buf` on (the gate is done), `{ refuse }`
   * to refuse the connection, or null while the first line is still incomplete.
   */
  feed(
    chunk: Buffer,
    creds: ListenerCredentials,
  ): { pass: Buffer; refuse: null } | { pass: null; refuse: string } | null {
    const data = this.held === null ? chunk : Buffer.concat([this.held, chunk]);
    const nl = data.indexOf(0x0a);
    if (nl < 0) {
      if (data.length > this.limit) {
        this.held = null;
        return { pass: data, refuse: null };
      }
      // Keep a copy: the chunk's memory is reused once the callback returns.
      this.held = data === chunk ? Buffer.from(chunk) : data;
      return null;
    }
    this.held = null;
    const why = checkFirstLine(data.toString('utf8', 0, nl), creds);
    if (why !== null) return { pass: null, refuse: why };
    return { pass: data, refuse: null };
  }
}
