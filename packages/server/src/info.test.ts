import { describe, expect, it } from 'vitest';
import { renderInfo, type ServerInfo } from './info.js';

const base: ServerInfo = {
  server_id: 'NABC',
  server_name: 'NABC',
  version: '2.9.10',
  proto: 1,
  git_commit: null,
  go: 'node',
  host: '0.0.0.0',
  port: 4222,
  headers: true,
  auth_required: false,
  tls_required: false,
  tls_verify: false,
  tls_available: false,
  max_payload: 1048576,
  connect_urls: [],
  ws_connect_urls: [],
  ldm: false,
};

describe('INFO rendering', () => {
  it('uses nats-server key order and omits empty optional keys', () => {
    const j = renderInfo(base, { max_payload: 1048576, client_id: 4, client_ip: '127.0.0.1', nonce: null });
    expect(j).toBe(
      '{"server_id":"NABC","server_name":"NABC","version":"2.9.10","proto":1,"go":"node","host":"0.0.0.0","port":4222,"headers":true,"max_payload":1048576,"client_id":4,"client_ip":"127.0.0.1"}',
    );
  });

  it('places auth_required, tls flags, nonce and ldm where nats-server does', () => {
    const j = renderInfo(
      { ...base, auth_required: true, tls_required: true, ldm: true, connect_urls: ['a:1'] },
      { max_payload: 10, client_id: 1, client_ip: '::1', nonce: 'abc' },
    );
    expect(Object.keys(JSON.parse(j))).toEqual([
      'server_id',
      'server_name',
      'version',
      'proto',
      'go',
      'host',
      'port',
      'headers',
      'auth_required',
      'tls_required',
      'max_payload',
      'client_id',
      'client_ip',
      'nonce',
      'connect_urls',
      'ldm',
    ]);
  });
});
