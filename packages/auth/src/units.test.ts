// Small units: connection kinds, CIDRs, time ranges, passwords.
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr, parseIp, sourceAllowed } from './cidr.js';
import {
  CONN_KIND_NAMES,
  ConnKind,
  connKindFromName,
  connKindName,
  connTypeAllowed,
  connTypeNames,
  parseConnTypes,
} from './conn-kind.js';
import {
  clearBcryptCache,
  comparePasswords,
  constantTimeEqual,
  isBcrypt,
  PasswordCheck,
  quickCompare,
} from './password.js';
import { checkTimes, isValidTimeZone, parseClock } from './times.js';

describe('connection kinds (auth.md §5)', () => {
  it('names and parsing', () => {
    expect(CONN_KIND_NAMES).toEqual([
      'STANDARD',
      'WEBSOCKET',
      'LEAFNODE',
      'LEAFNODE_WS',
      'MQTT',
      'MQTT_WS',
      'IN_PROCESS',
    ]);
    expect(connKindName(ConnKind.MQTT_WS)).toBe('MQTT_WS');
    expect(connKindName(42)).toBe('UNKNOWN');
    expect(connKindFromName('websocket')).toBe(ConnKind.WEBSOCKET);
    expect(connKindFromName('nope')).toBe(-1);
    const p = parseConnTypes(['websocket', 'Mqtt', 'foo']);
    expect(p.unknown).toEqual(['FOO']);
    expect(connTypeNames(p.mask)).toEqual(['WEBSOCKET', 'MQTT']);
    expect(parseConnTypes([]).mask).toBe(0);
  });
  it('an empty mask allows every kind', () => {
    for (let k = 0; k < 7; k++) expect(connTypeAllowed(0, k)).toBe(true);
    const m = parseConnTypes(['LEAFNODE_WS']).mask;
    for (let k = 0; k < 7; k++) expect(connTypeAllowed(m, k)).toBe(k === ConnKind.LEAFNODE_WS);
  });
});

describe('CIDR (Go net rules)', () => {
  it('parses', () => {
    expect(parseIp('10.0.0.1')).toEqual(new Uint8Array([10, 0, 0, 1]));
    expect(parseIp('010.0.0.1')).toBeNull();
    expect(parseIp('256.0.0.1')).toBeNull();
    expect(parseIp('::ffff:10.0.0.1')).toEqual(new Uint8Array([10, 0, 0, 1]));
    expect(parseIp('fe80::1%eth0')).toBeNull();
    expect(parseIp('1::2::3')).toBeNull();
    expect(parseIp('::')).toHaveLength(16);
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('10.0.0.0')).toBeNull();
    expect(parseCidr('2001:db8::/129')).toBeNull();
  });
  it('contains', () => {
    const c = parseCidr('10.1.2.3/16')!;
    expect(cidrContains(c, parseIp('10.1.200.1')!)).toBe(true);
    expect(cidrContains(c, parseIp('10.2.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('1.2.3.4')!)).toBe(true);
    expect(cidrContains(parseCidr('::/0')!, parseIp('1.2.3.4')!)).toBe(false);
    expect(sourceAllowed([], 'whatever')).toBe(true);
    expect(sourceAllowed(['bad'], '1.2.3.4')).toBe(false);
  });
});

describe('times', () => {
  const noon = Date.UTC(2026, 5, 1, 12, 0, 0);
  it('clock parsing (Go layout 15:04:05)', () => {
    expect(parseClock('9:05:00')).toEqual({ h: 9, m: 5, s: 0, ms: 0 });
    expect(parseClock('09:5:00')).toBeNull();
    expect(parseClock('24:00:00')).toBeNull();
    expect(parseClock('12:00:00.250')).toEqual({ h: 12, m: 0, s: 0, ms: 250 });
  });
  it('zones', () => {
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Local')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Nowhere/City')).toBe(false);
    expect(isValidTimeZone('../etc/passwd')).toBe(false);
  });
  it('ranges in a zone with daylight saving (New York is UTC-4 in June)', () => {
    const r = checkTimes([{ start: '07:30:00', end: '08:30:00' }], 'America/New_York', noon);
    expect(r).toEqual({ allowed: true, validForMs: 30 * 60_000 });
    expect(checkTimes([{ start: '08:30:00', end: '09:00:00' }], 'America/New_York', noon).allowed).toBe(false);
  });
  it('Local uses the supplied local zone', () => {
    expect(checkTimes([{ start: '13:00:00', end: '15:00:00' }], 'Local', noon, 'Europe/Paris').allowed).toBe(true);
    expect(checkTimes([{ start: '13:00:00', end: '15:00:00' }], '', noon, 'UTC').allowed).toBe(false);
  });
  it('midnight crossing admits only from today start (nats-server behaviour)', () => {
    const oneAm = Date.UTC(2026, 5, 1, 1, 0, 0);
    expect(checkTimes([{ start: '22:00:00', end: '02:00:00' }], 'UTC', oneAm).allowed).toBe(false);
    const elevenPm = Date.UTC(2026, 5, 1, 23, 0, 0);
    expect(checkTimes([{ start: '22:00:00', end: '02:00:00' }], 'UTC', elevenPm)).toEqual({
      allowed: true,
      validForMs: 3 * 3600_000,
    });
  });
  it('no ranges: allowed with no expiry; a bad range refuses', () => {
    expect(checkTimes([], '', noon)).toEqual({ allowed: true, validForMs: 0 });
    expect(checkTimes([{ start: 'x', end: '1:00:00' }], 'UTC', noon).allowed).toBe(false);
  });
});

describe('passwords', () => {
  it('bcrypt detection', () => {
    expect(isBcrypt('$2a$10$abc')).toBe(true);
    expect(isBcrypt('$2x$10$abc')).toBe(true);
    expect(isBcrypt('$2c$10$abc')).toBe(false);
    expect(isBcrypt('2a$10$abc')).toBe(false);
  });
  it('constant-time plaintext compare and the bcrypt cache', () => {
    expect(constantTimeEqual('a', 'a')).toBe(true);
    expect(constantTimeEqual('a', 'ab')).toBe(false);
    expect(quickCompare('plain', 'plain')).toBe(PasswordCheck.MATCH);
    const h = bcrypt.hashSync('pw', 4);
    clearBcryptCache();
    expect(quickCompare(h, 'pw')).toBe(PasswordCheck.NEEDS_BCRYPT);
    expect(comparePasswords(h, 'pw')).toBe(true);
    expect(quickCompare(h, 'pw')).toBe(PasswordCheck.MATCH);
    expect(quickCompare(h, 'other')).toBe(PasswordCheck.NEEDS_BCRYPT);
    expect(comparePasswords(h, 'other')).toBe(false);
    // $2x$ hashes are checked like $2a$ (Go bcrypt ignores the minor letter).
    expect(comparePasswords(`$2x$${h.slice(4)}`, 'pw')).toBe(true);
    expect(comparePasswords('$2a$04$short', 'pw')).toBe(false);
  });
});
