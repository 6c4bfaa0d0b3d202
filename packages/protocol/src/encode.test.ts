import { StarlingError } from '@starling/errors';
import { describe, expect, it } from 'vitest';
import { errTextOf } from './decode.js';
import {
  writeConnect,
  writeErr,
  writeHmsg,
  writeHmsgRange,
  writeHpub,
  writeInfo,
  writeLmsg,
  writeLsMinus,
  writeLsPlus,
  writeMsg,
  writeMsgFromOp,
  writeMsgRange,
  writeOk,
  writePeerMsgFromOp,
  writePing,
  writePong,
  writePub,
  writeRmsg,
  writeRouteLmsg,
  writeRouteLsMinus,
  writeRouteLsPlus,
  writeRsMinus,
  writeRsPlus,
  writeSub,
  writeUnsub,
} from './encode.js';
import { Op, type OpArgs, ParserMode, type ParserModeValue } from './op-args.js';
import { OutBuffer } from './out-buffer.js';
import { Parser } from './parser.js';
import { parseWhole, type Rec } from './parser.test-util.js';
import * as wire from './wire-constants.js';

const { CLIENT, SERVER, LEAF, ROUTE } = ParserMode;

function enc(f: (out: OutBuffer) => void): string {
  const out = new OutBuffer(64);
  f(out);
  return out.detach().toString('latin1');
}

function roundTrip(mode: ParserModeValue, bytes: string): Rec {
  const ev = parseWhole(mode, bytes);
  expect(ev).toHaveLength(1);
  expect('err' in ev[0]!).toBe(false);
  return ev[0] as Rec;
}

const b = (s: string) => Buffer.from(s, 'latin1');

/** Parses `input` in `mode` and runs f on the first op (while its views are valid). */
function withOp(mode: ParserModeValue, input: string, f: (a: OpArgs) => void): void {
  let done = false;
  const p = new Parser(mode, {
    onOp(a) {
      if (!done) f(a);
      done = true;
      return true;
    },
    onParseError(code, off) {
      throw new Error(`parse error ${code} at ${off}`);
    },
  });
  p.parse(b(input));
  expect(done).toBe(true);
}

describe('fixed ops', () => {
  it('PING PONG +OK and the pre-encoded constants', () => {
    expect(enc(writePing)).toBe('PING\r\n');
    expect(enc(writePong)).toBe('PONG\r\n');
    expect(enc(writeOk)).toBe('+OK\r\n');
    expect(wire.PING.toString()).toBe('PING\r\n');
    expect(wire.PONG.toString()).toBe('PONG\r\n');
    expect(wire.OK.toString()).toBe('+OK\r\n');
    expect(roundTrip(SERVER, enc(writePing)).op).toBe(Op.PING);
    expect(roundTrip(CLIENT, enc(writePong)).op).toBe(Op.PONG);
    expect(roundTrip(SERVER, enc(writeOk)).op).toBe(Op.OK);
  });

  it('INFO has a space before CRLF and UTF-8 JSON', () => {
    const json = JSON.stringify({ server_id: 'N1', server_name: 'zürich', max_payload: 1048576 });
    const s = enc((o) => writeInfo(o, json));
    expect(s).toBe(`INFO ${Buffer.from(json).toString('latin1')} \r\n`);
    const r = roundTrip(SERVER, s);
    expect(r.op).toBe(Op.INFO);
    expect(JSON.parse(Buffer.from(r.rest, 'latin1').toString('utf8'))).toEqual(JSON.parse(json));
  });

  it('CONNECT', () => {
    const s = enc((o) => writeConnect(o, '{"verbose":false}'));
    expect(s).toBe('CONNECT {"verbose":false}\r\n');
    expect(roundTrip(CLIENT, s).rest).toBe('{"verbose":false}');
  });

  it("-ERR '<text>'", () => {
    const s = enc((o) => writeErr(o, 'Unknown Protocol Operation'));
    expect(s).toBe("-ERR 'Unknown Protocol Operation'\r\n");
    withOp(SERVER, s, (a) => expect(errTextOf(a)).toBe('Unknown Protocol Operation'));
  });
});

describe('client ops round-trip', () => {
  it('PUB / HPUB / SUB / UNSUB', () => {
    expect(enc((o) => writePub(o, 'foo', null, b('abc')))).toBe('PUB foo 3\r\nabc\r\n');
    expect(
      roundTrip(
        CLIENT,
        enc((o) => writePub(o, 'foo.bar', '_INBOX.1', b('hi'))),
      ),
    ).toMatchObject({
      op: Op.PUB,
      subject: 'foo.bar',
      reply: '_INBOX.1',
      payload: 'hi',
    });
    const h = 'NATS/1.0\r\nA: b\r\n\r\n';
    const hs = enc((o) => writeHpub(o, 'h', 'r', h.length, b(`${h}body`)));
    expect(hs).toBe(`HPUB h r ${h.length} ${h.length + 4}\r\n${h}body\r\n`);
    expect(roundTrip(CLIENT, hs)).toMatchObject({ hdr: h.length, size: h.length + 4, payload: `${h}body` });
    expect(enc((o) => writeSub(o, 'foo.*', 'q', '7'))).toBe('SUB foo.* q 7\r\n');
    expect(
      roundTrip(
        CLIENT,
        enc((o) => writeSub(o, 'foo', null, '8')),
      ),
    ).toMatchObject({ sid: '8', queue: null });
    expect(enc((o) => writeUnsub(o, '7'))).toBe('UNSUB 7\r\n');
    expect(
      roundTrip(
        CLIENT,
        enc((o) => writeUnsub(o, '7', 10)),
      ),
    ).toMatchObject({ op: Op.UNSUB, sid: '7', maxMsgs: 10 });
  });

  it('binary payloads survive', () => {
    const payload = Buffer.from(Array.from({ length: 256 }, (_, k) => k));
    const r = roundTrip(
      CLIENT,
      enc((o) => writePub(o, 'bin', null, payload)),
    );
    expect(Buffer.from(r.payload!, 'latin1').equals(payload)).toBe(true);
  });

  it('string forms reject bad tokens with a typed error', () => {
    for (const bad of ['', 'a b', 'a\tb', 'a\r', 'a\n', 'ünï\u0100']) {
      expect(() => enc((o) => writePub(o, bad, null, b('')))).toThrow(StarlingError);
    }
    try {
      enc((o) => writeSub(o, 'foo', null, 'a b'));
      expect.unreachable();
    } catch (e) {
      expect((e as StarlingError).code).toBe('ERR_PROTOCOL_INVALID_TOKEN');
    }
  });
});

describe('MSG / HMSG', () => {
  it('string forms', () => {
    expect(enc((o) => writeMsg(o, 'foo', '1', null, b('abc')))).toBe('MSG foo 1 3\r\nabc\r\n');
    expect(enc((o) => writeMsg(o, 'foo', b('22'), 'r', b('')))).toBe('MSG foo 22 r 0\r\n\r\n');
    expect(
      roundTrip(
        SERVER,
        enc((o) => writeMsg(o, 'a.b', '9', 'rep', b('xyz'))),
      ),
    ).toMatchObject({
      subject: 'a.b',
      sid: '9',
      reply: 'rep',
      payload: 'xyz',
    });
    const hs = enc((o) => writeHmsg(o, 'foo', '1', null, 12, b('NATS/1.0\r\n\r\nhi')));
    expect(hs).toBe('HMSG foo 1 12 14\r\nNATS/1.0\r\n\r\nhi\r\n');
    expect(roundTrip(SERVER, hs)).toMatchObject({ op: Op.HMSG, hdr: 12, size: 14 });
  });

  it('writeMsgRange copies tokens verbatim and can compute the size', () => {
    const line = b('PUB foo.bar _INBOX.9 0005');
    const sid = b('42');
    const s = enc((o) => writeMsgRange(o, line, 4, 11, sid, 12, 20, 21, 25, b('hello')));
    expect(s).toBe('MSG foo.bar 42 _INBOX.9 0005\r\nhello\r\n');
    expect(enc((o) => writeMsgRange(o, line, 4, 11, sid, -1, -1, -1, -1, b('xhellox'), 1, 6))).toBe(
      'MSG foo.bar 42 5\r\nhello\r\n',
    );
    expect(roundTrip(SERVER, s)).toMatchObject({ subject: 'foo.bar', sid: '42', reply: '_INBOX.9', sizeTok: '0005' });
  });

  it('writeHmsgRange copies both size tokens verbatim', () => {
    const line = b('HPUB foo r 0012 00014');
    const s = enc((o) => writeHmsgRange(o, line, 5, 8, b('1'), 9, 10, 11, 15, 16, 21, b('NATS/1.0\r\n\r\nhi')));
    expect(s).toBe('HMSG foo 1 r 0012 00014\r\nNATS/1.0\r\n\r\nhi\r\n');
    expect(roundTrip(SERVER, s)).toMatchObject({ hdr: 12, size: 14, reply: 'r' });
  });

  it('writeMsgFromOp: nats-server msgHeader rules (client-protocol.md §7 ✔ examples)', () => {
    const sid = b('1');
    // size tokens echoed verbatim
    withOp(CLIENT, 'HPUB foo r 0012 00014\r\nNATS/1.0\r\n\r\nhi\r\n', (a) => {
      expect(enc((o) => writeMsgFromOp(o, a, sid, true))).toBe('HMSG foo 1 r 0012 00014\r\nNATS/1.0\r\n\r\nhi\r\n');
      // a subscriber without headers gets MSG, header block stripped, size recomputed
      expect(enc((o) => writeMsgFromOp(o, a, sid, false))).toBe('MSG foo 1 r 2\r\nhi\r\n');
    });
    withOp(CLIENT, 'PUB foo 003\r\nabc\r\n', (a) => {
      expect(enc((o) => writeMsgFromOp(o, a, b('77'), true))).toBe('MSG foo 77 003\r\nabc\r\n');
    });
    // HPUB with header size 0 is delivered as plain MSG (nats-server ✔)
    withOp(CLIENT, 'HPUB foo 0 3\r\nabc\r\n', (a) => {
      expect(enc((o) => writeMsgFromOp(o, a, sid, true))).toBe('MSG foo 1 3\r\nabc\r\n');
    });
  });

  it('writeMsgFromOp works for ops assembled across chunks', () => {
    const out = new OutBuffer(64);
    const p = new Parser(CLIENT, {
      onOp(a) {
        writeMsgFromOp(out, a, b('5'), true);
        return true;
      },
      onParseError() {
        throw new Error('unexpected');
      },
    });
    const data = b('PUB foo.bar reply 11\r\nhello world\r\n');
    for (let k = 0; k < data.length; k++) p.parse(Buffer.from(data.subarray(k, k + 1)));
    expect(out.detach().toString()).toBe('MSG foo.bar 5 reply 11\r\nhello world\r\n');
  });
});

describe('leafnode ops round-trip', () => {
  it('LS+ / LS-', () => {
    expect(enc((o) => writeLsPlus(o, 'foo.>'))).toBe('LS+ foo.>\r\n');
    expect(enc((o) => writeLsPlus(o, 'svc.echo', 'workers', 2))).toBe('LS+ svc.echo workers 2\r\n');
    expect(
      roundTrip(
        LEAF,
        enc((o) => writeLsPlus(o, 'svc', 'q', 3)),
      ),
    ).toMatchObject({ subject: 'svc', queue: 'q', weight: 3 });
    expect(enc((o) => writeLsMinus(o, 'svc.only', 'workers'))).toBe('LS- svc.only workers\r\n');
    expect(
      roundTrip(
        LEAF,
        enc((o) => writeLsMinus(o, 'news.>')),
      ),
    ).toMatchObject({ op: Op.LS_MINUS, subject: 'news.>' });
  });

  it('LMSG forms (leafnode.md §9 observed lines)', () => {
    expect(enc((o) => writeLmsg(o, 'foo', 'reply.1', null, b('hello')))).toBe('LMSG foo reply.1 5\r\nhello\r\n');
    expect(enc((o) => writeLmsg(o, 'bar', null, ['grp'], b('abc')))).toBe('LMSG bar | grp 3\r\nabc\r\n');
    expect(enc((o) => writeLmsg(o, 'svc.only', '_INBOX.r1', ['workers'], b('abcd')))).toBe(
      'LMSG svc.only + _INBOX.r1 workers 4\r\nabcd\r\n',
    );
    const h = b('NATS/1.0\r\n\r\nhi');
    const hs = enc((o) => writeLmsg(o, 'svc.only', '_INBOX.r2', ['workers'], h, 12));
    expect(hs).toBe('HMSG svc.only + _INBOX.r2 workers 12 14\r\nNATS/1.0\r\n\r\nhi\r\n');
    expect(roundTrip(LEAF, hs)).toMatchObject({ reply: '_INBOX.r2', queues: ['workers'], hdr: 12, size: 14 });
    expect(
      roundTrip(
        LEAF,
        enc((o) => writeLmsg(o, 'a', null, ['q1', 'q2'], b('x'))),
      ),
    ).toMatchObject({
      reply: null,
      queues: ['q1', 'q2'],
      payload: 'x',
    });
  });
});

describe('route ops round-trip', () => {
  it('RS+ / RS- (routes.md §3 observed lines)', () => {
    expect(enc((o) => writeRsPlus(o, '$G', 'orders.*'))).toBe('RS+ $G orders.*\r\n');
    expect(enc((o) => writeRsPlus(o, '$G', 'orders.new', 'q1', 1))).toBe('RS+ $G orders.new q1 1\r\n');
    expect(enc((o) => writeRsMinus(o, '$G', 'orders.new', 'q1'))).toBe('RS- $G orders.new q1\r\n');
    expect(
      roundTrip(
        ROUTE,
        enc((o) => writeRsPlus(o, 'A', 's', 'q', 4)),
      ),
    ).toMatchObject({
      account: 'A',
      subject: 's',
      queue: 'q',
      weight: 4,
    });
    expect(
      roundTrip(
        ROUTE,
        enc((o) => writeRsMinus(o, 'A', 's')),
      ),
    ).toMatchObject({ op: Op.RS_MINUS, account: 'A', queue: null });
  });

  it('RMSG / HMSG / route LS± / LMSG', () => {
    expect(enc((o) => writeRmsg(o, '$G', 'orders.new', 'reply.x', ['q1'], b('abc')))).toBe(
      'RMSG $G orders.new + reply.x q1 3\r\nabc\r\n',
    );
    expect(enc((o) => writeRmsg(o, '$G', 'orders.old', null, null, b('NATS/1.0\r\n\r\nhi'), 12))).toBe(
      'HMSG $G orders.old 12 14\r\nNATS/1.0\r\n\r\nhi\r\n',
    );
    expect(
      roundTrip(
        ROUTE,
        enc((o) => writeRmsg(o, 'A', 's', 'r', null, b('xy'))),
      ),
    ).toMatchObject({
      account: 'A',
      subject: 's',
      reply: 'r',
      payload: 'xy',
    });
    expect(enc((o) => writeRouteLsPlus(o, 'leafc', '$G', 'foo', 'q', 2))).toBe('LS+ leafc $G foo q 2\r\n');
    expect(
      roundTrip(
        ROUTE,
        enc((o) => writeRouteLsPlus(o, 'o', 'A', 'f')),
      ),
    ).toMatchObject({ origin: 'o', account: 'A' });
    expect(enc((o) => writeRouteLsMinus(o, '$G', 'foo'))).toBe('LS- $G foo\r\n');
    expect(
      roundTrip(
        ROUTE,
        enc((o) => writeRouteLsMinus(o, 'A', 'f', 'q')),
      ),
    ).toMatchObject({ account: 'A', queue: 'q' });
    const lm = enc((o) => writeRouteLmsg(o, 'leafc', '$G', 'foo', null, ['q'], 0, b('abc')));
    expect(lm).toBe('LMSG leafc $G foo | q 0 3\r\nabc\r\n');
    expect(roundTrip(ROUTE, lm)).toMatchObject({ origin: 'leafc', account: '$G', queues: ['q'], hdr: 0, size: 3 });
  });

  it('writePeerMsgFromOp forwards a client message to a leaf or a route', () => {
    const acc = b('$G');
    withOp(CLIENT, 'PUB svc r 0003\r\nabc\r\n', (a) => {
      expect(enc((o) => writePeerMsgFromOp(o, a, null, null, true))).toBe('LMSG svc r 0003\r\nabc\r\n');
      expect(enc((o) => writePeerMsgFromOp(o, a, null, [b('workers')], true))).toBe(
        'LMSG svc + r workers 0003\r\nabc\r\n',
      );
      expect(enc((o) => writePeerMsgFromOp(o, a, acc, [b('q1'), b('q2')], true))).toBe(
        'RMSG $G svc + r q1 q2 0003\r\nabc\r\n',
      );
    });
    withOp(CLIENT, 'HPUB svc 12 14\r\nNATS/1.0\r\n\r\nhi\r\n', (a) => {
      expect(enc((o) => writePeerMsgFromOp(o, a, acc, [b('q')], true))).toBe(
        'HMSG $G svc | q 12 14\r\nNATS/1.0\r\n\r\nhi\r\n',
      );
      expect(enc((o) => writePeerMsgFromOp(o, a, null, null, false))).toBe('LMSG svc 2\r\nhi\r\n');
      const fwd = enc((o) => writePeerMsgFromOp(o, a, acc, null, true));
      expect(roundTrip(ROUTE, fwd)).toMatchObject({ account: '$G', subject: 'svc', hdr: 12, size: 14 });
    });
  });
});
