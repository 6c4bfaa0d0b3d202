/**
 * The INFO line, with nats-server's key order (Go struct order) and omitempty rules, so
 * `INFO {…} \r\n` is byte-for-byte what nats-server sends apart from ids and addresses.
 * The server-wide part is rendered once per change; per connection only the tail differs.
 */

/** The protocol features level Starling speaks; clients gate features on this version. */
export const NATS_COMPAT_VERSION = '2.9.10';
export const PROTO = 1;

export interface ServerInfo {
  server_id: string;
  server_name: string;
  version: string;
  proto: number;
  git_commit: string | null;
  go: string;
  host: string;
  port: number;
  headers: boolean;
  auth_required: boolean;
  tls_required: boolean;
  tls_verify: boolean;
  tls_available: boolean;
  max_payload: number;
  connect_urls: string[];
  ws_connect_urls: string[];
  ldm: boolean;
}

export interface ClientInfoTail {
  max_payload: number;
  client_id: number;
  client_ip: string;
  nonce: string | null;
}

/**
 * Renders INFO for one connection. `max_payload` may be lowered per connection (JWT limits),
 * so it is part of the tail arguments.
 */
export function renderInfo(s: ServerInfo, c: ClientInfoTail): string {
  let j = `{"server_id":${JSON.stringify(s.server_id)},"server_name":${JSON.stringify(s.server_name)}`;
  j += `,"version":${JSON.stringify(s.version)},"proto":${s.proto}`;
  if (s.git_commit) j += `,"git_commit":${JSON.stringify(s.git_commit)}`;
  j += `,"go":${JSON.stringify(s.go)},"host":${JSON.stringify(s.host)},"port":${s.port}`;
  j += `,"headers":${s.headers}`;
  if (s.auth_required) j += ',"auth_required":true';
  if (s.tls_required) j += ',"tls_required":true';
  if (s.tls_verify) j += ',"tls_verify":true';
  if (s.tls_available) j += ',"tls_available":true';
  j += `,"max_payload":${c.max_payload}`;
  j += `,"client_id":${c.client_id},"client_ip":${JSON.stringify(c.client_ip)}`;
  if (c.nonce !== null) j += `,"nonce":${JSON.stringify(c.nonce)}`;
  if (s.connect_urls.length > 0) j += `,"connect_urls":${JSON.stringify(s.connect_urls)}`;
  if (s.ws_connect_urls.length > 0) j += `,"ws_connect_urls":${JSON.stringify(s.ws_connect_urls)}`;
  if (s.ldm) j += ',"ldm":true';
  return `${j}}`;
}
