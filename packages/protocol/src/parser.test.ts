import { describe, expect, it } from 'vitest';
import { MAX_ARGS, Op, type OpArgs, ParseError, ParserMode, type ParserModeValue } from './op-args.js';
import { Parser } from './parser.js';
import {
  type ErrRec,
  type Event,
  mutate,
  normalize,
  parseChunks,
  parseChunksScribbled,
  parseWhole,
  type Rec,
  Recorder,
  Rng,
  randomSplits,
  referenceParse,
  splitAt,
  validStream,
} from './parser.test-util.js';

const { CLIENT, SERVER, LEAF, ROUTE } = ParserMode;

function ops(events: Event[]): Rec[] {
  return events.filter((e): e is Rec => !('err' in e));
}
function errs(events: Event[]): ErrRec[] {
  return events.filter((e): e is ErrRec => 'err' in e);
}
function only(events: Event[]): Rec {
  expect(errs(events)).toEqual([]);
  expect(events).toHaveLength(1);
  return events[0] as Rec;
}
function errorOf(mode: ParserModeValue, data: string, opts = {}): ErrRec {
  const e = errs(parseWhole(mode, data, opts));
  expect(e).toHaveLength(1);
  return e[0]!;
}

/** Whole, byte-at-a-time, every 2-way split, and seeded random splits all give the same events. */
function expectSplitInvariant(mode: ParserModeValue, data: string, opts = {}, seed = 1): Event[] {
  const buf = Buffer.from(data, 'latin1');
  const whole = normalize(parseWhole(mode, buf, opts));
  const bytes: Buffer[] = [];
  for (let k = 0; k < buf.length; k++) bytes.push(buf.subarray(k, k + 1));
  expect(normalize(parseChunksScribbled(mode, bytes, opts))).toEqual(whole);
  // every split point (sampled for long inputs: the first/last 300 and every 61st)
  for (let k = 0; k <= buf.length; k++) {
    if (buf.length > 3000 && k > 300 && k < buf.length - 300 && k % 61 !== 0) continue;
    expect(normalize(parseChunksScribbled(mode, splitAt(buf, [k]), opts)), `split at ${k}`).toEqual(whole);
  }
  const rng = new Rng(seed);
  for (let r = 0; r < 50; r++) {
    const pts = randomSplits(rng, buf.length, 8);
    expect(normalize(parseChunksScribbled(mode, splitAt(buf, pts), opts)), `splits ${pts}`).toEqual(whole);
  }
  return whole;
}

describe('client ops, whole', () => {
  it('CONNECT with blanks, and directly followed by JSON', () => {
    expect(only(parseWhole(CLIENT, 'CONNECT {"verbose":false}\r\n')).rest).toBe('{"verbose":false}');
    expect(only(parseWhole(CLIENT, 'CONNECT \t {"a":1}\r\n')).rest).toBe('{"a":1}');
    expect(only(parseWhole(CLIENT, 'CONNECT{"a":1}\r\n')).rest).toBe('{"a":1}');
    expect(only(parseWhole(CLIENT, 'connect {}\n')).rest).toBe('{}');
  });

  it('CONNECT: the first byte after the blanks starts the argument even if it is LF (nats-server ✔)', () => {
    // nats-server 2.9.10 answers PONG to "CONNECT\n{...}\r\nPING\r\n": the JSON is "\n{...}".
    const ev = parseWhole(CLIENT, 'CONNECT\n{"verbose":false}\r\nPING\r\n');
    expect(ops(ev).map((r) => r.op)).toEqual([Op.CONNECT, Op.PING]);
    expect(ops(ev)[0]!.rest).toBe('\n{"verbose":false}');
    // "CONNECT\r\n": the argument is "\r" (nats-server then fails the JSON and closes)
    expect(only(parseWhole(CLIENT, 'CONNECT\r\n')).rest).toBe('\r');
  });

  it('PUB with and without reply, tabs, trailing blanks', () => {
    const r = only(parseWhole(CLIENT, 'PUB foo.bar 5\r\nhello\r\n'));
    expect(r).toMatchObject({ op: Op.PUB, subject: 'foo.bar', reply: null, size: 5, sizeTok: '5', payload: 'hello' });
    const r2 = only(parseWhole(CLIENT, 'PUB\tfoo\t_INBOX.1\t\t3   \r\nabc\r\n'));
    expect(r2).toMatchObject({ subject: 'foo', reply: '_INBOX.1', size: 3, payload: 'abc', hdr: -1 });
  });

  it('PUB size 0, leading zeros kept verbatim, 9 digits max (nats-server ✔)', () => {
    expect(only(parseWhole(CLIENT, 'PUB foo 0\r\n\r\n'))).toMatchObject({ size: 0, payload: '' });
    expect(only(parseWhole(CLIENT, 'PUB foo 000000003\r\nabc\r\n'))).toMatchObject({ size: 3, sizeTok: '000000003' });
    expect(errorOf(CLIENT, 'PUB foo 0000000003\r\nabc\r\n')).toEqual({ err: ParseError.BAD_ARGS, at: 19 });
  });

  it('PUB payload bytes are never interpreted (CR, LF, op names inside)', () => {
    const p = 'PUB x 2\r\n\r\n\r\n';
    expect(only(parseWhole(CLIENT, `PUB foo ${p.length}\r\n${p}\r\n`)).payload).toBe(p);
  });

  it('a CR inside a PUB line belongs to the token (nats-server ✔: subject "foo\\r")', () => {
    expect(only(parseWhole(CLIENT, 'PUB foo\r 3\r\nabc\r\n'))).toMatchObject({ subject: 'foo\r', size: 3 });
  });

  it('the byte before LF is dropped when a CR was seen in the argument (nats-server drop rule ✔)', () => {
    // SUB foo 1\r2\n → sid "1" (the "2" is dropped, the CR separates)
    expect(only(parseWhole(CLIENT, 'SUB foo 1\r2\n'))).toMatchObject({ subject: 'foo', sid: '1', queue: null });
    // PUB foo\r 3x\n → "foo\r 3": size 3
    expect(only(parseWhole(CLIENT, 'PUB foo\r 3x\nabc\r\n'))).toMatchObject({ subject: 'foo\r', size: 3 });
  });

  it('PUB whose argument starts with LF: subject "\\nfoo" (nats-server ✔ delivers MSG \\nfoo)', () => {
    expect(only(parseWhole(CLIENT, 'PUB \nfoo 3\r\nabc\r\n'))).toMatchObject({ subject: '\nfoo', size: 3 });
  });

  it('HPUB with header and total sizes', () => {
    const h = 'NATS/1.0\r\nA: b\r\n\r\n';
    const r = only(parseWhole(CLIENT, `HPUB foo r ${h.length} ${h.length + 2}\r\n${h}hi\r\n`));
    expect(r).toMatchObject({ op: Op.HPUB, subject: 'foo', reply: 'r', hdr: h.length, size: h.length + 2 });
    expect(r.payload).toBe(`${h}hi`);
    expect(only(parseWhole(CLIENT, 'HPUB foo 0012 00014\r\nNATS/1.0\r\n\r\nhi\r\n'))).toMatchObject({
      hdr: 12,
      hdrTok: '0012',
      size: 14,
      sizeTok: '00014',
    });
    expect(only(parseWhole(CLIENT, 'HPUB foo 0 3\r\nabc\r\n'))).toMatchObject({ hdr: 0, size: 3 });
  });

  it('SUB / UNSUB forms', () => {
    expect(only(parseWhole(CLIENT, 'SUB foo 1\r\n'))).toMatchObject({
      op: Op.SUB,
      subject: 'foo',
      sid: '1',
      queue: null,
    });
    expect(only(parseWhole(CLIENT, 'sub foo.* workers 22\r\n'))).toMatchObject({ queue: 'workers', sid: '22' });
    expect(only(parseWhole(CLIENT, 'UNSUB 22\r\n'))).toMatchObject({ op: Op.UNSUB, sid: '22', maxMsgs: -1 });
    expect(only(parseWhole(CLIENT, 'UNSUB 22 5\r\n'))).toMatchObject({ maxMsgs: 5 });
    // non-numeric / zero max means "remove now" (nats-server ✔ unsubscribes at once)
    expect(only(parseWhole(CLIENT, 'UNSUB 22 x\r\n'))).toMatchObject({ maxMsgs: 0 });
    expect(only(parseWhole(CLIENT, 'UNSUB 22 0\r\n'))).toMatchObject({ maxMsgs: 0 });
  });

  it('PING, PONG, +OK ignore everything up to LF; INFO and -ERR from a client are parsed', () => {
    const ev = parseWhole(CLIENT, "PINGxyz\r\nPONG zz\r\n+OKabc\r\nping\nINFO {}\r\n-ERR  'boom'\r\n");
    expect(ops(ev).map((r) => r.op)).toEqual([Op.PING, Op.PONG, Op.OK, Op.PING, Op.INFO, Op.ERR]);
    expect(ops(ev)[5]!.rest).toBe("'boom'");
  });

  it('op names are case-insensitive', () => {
    const ev = parseWhole(
      CLIENT,
      'cOnNeCt {}\r\npUb a 1\r\nx\r\nhPuB a 0 0\r\n\r\nSuB a 1\r\nuNsUb 1\r\npInG\r\npOnG\r\n+oK\r\n',
    );
    expect(errs(ev)).toEqual([]);
    expect(ops(ev).map((r) => r.op)).toEqual([Op.CONNECT, Op.PUB, Op.HPUB, Op.SUB, Op.UNSUB, Op.PING, Op.PONG, Op.OK]);
  });

  it('many ops in one chunk', () => {
    let s = '';
    for (let k = 0; k < 1000; k++) s += `PUB s.${k} ${String(k).length}\r\n${k}\r\n`;
    const ev = parseWhole(CLIENT, s);
    expect(ev).toHaveLength(1000);
    expect((ev[999] as Rec).payload).toBe('999');
    expect((ev[500] as Rec).subject).toBe('s.500');
  });
});

describe('server/leaf/route ops', () => {
  it('MSG / HMSG in SERVER mode', () => {
    expect(only(parseWhole(SERVER, 'MSG foo 1 3\r\nabc\r\n'))).toMatchObject({
      subject: 'foo',
      sid: '1',
      size: 3,
      reply: null,
    });
    expect(only(parseWhole(SERVER, 'MSG foo 1 r 3\r\nabc\r\n'))).toMatchObject({ reply: 'r' });
    expect(only(parseWhole(SERVER, 'HMSG foo 1 12 14\r\nNATS/1.0\r\n\r\nhi\r\n'))).toMatchObject({
      op: Op.HMSG,
      sid: '1',
      hdr: 12,
      size: 14,
      reply: null,
    });
    expect(only(parseWhole(SERVER, 'HMSG foo 1 r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n'))).toMatchObject({ reply: 'r' });
    expect(only(parseWhole(SERVER, 'INFO {"server_id":"N"} \r\n'))).toMatchObject({
      op: Op.INFO,
      rest: '{"server_id":"N"} ',
    });
    expect(only(parseWhole(SERVER, "-ERR 'Stale Connection'\r\n")).rest).toBe("'Stale Connection'");
  });

  it('leaf LS+ / LS- (leafnode.md §9)', () => {
    expect(only(parseWhole(LEAF, 'LS+ foo.>\r\n'))).toMatchObject({
      op: Op.LS_PLUS,
      subject: 'foo.>',
      queue: null,
      weight: 1,
    });
    expect(only(parseWhole(LEAF, 'LS+ svc.echo workers 2\r\n'))).toMatchObject({ queue: 'workers', weight: 2 });
    expect(only(parseWhole(LEAF, 'LS+ svc.echo workers x\r\n'))).toMatchObject({ weight: -1 });
    expect(errorOf(LEAF, 'LS+ svc.echo workers\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(only(parseWhole(LEAF, 'LS- news.>\r\n'))).toMatchObject({ op: Op.LS_MINUS, subject: 'news.>', queue: null });
    expect(only(parseWhole(LEAF, 'LS- svc.echo workers\r\n'))).toMatchObject({ queue: 'workers' });
  });

  it('leaf LMSG and HMSG with reply and queue forms (observed transcripts)', () => {
    expect(only(parseWhole(LEAF, 'LMSG foo reply.1 5\r\nhello\r\n'))).toMatchObject({
      subject: 'foo',
      reply: 'reply.1',
      size: 5,
    });
    expect(only(parseWhole(LEAF, 'LMSG bar | grp 3\r\nabc\r\n'))).toMatchObject({
      reply: null,
      queues: ['grp'],
      size: 3,
    });
    expect(only(parseWhole(LEAF, 'LMSG svc.only + _INBOX.r1 workers 4\r\nabcd\r\n'))).toMatchObject({
      reply: '_INBOX.r1',
      queues: ['workers'],
    });
    expect(only(parseWhole(LEAF, 'LMSG s | q1 q2 q3 1\r\nx\r\n')).queues).toEqual(['q1', 'q2', 'q3']);
    expect(only(parseWhole(LEAF, 'LMSG s + r 1\r\nx\r\n'))).toMatchObject({ reply: 'r', queues: [] });
    // 3 tokens: "|" is a reply, as in nats-server
    expect(only(parseWhole(LEAF, 'LMSG s | 1\r\nx\r\n'))).toMatchObject({ reply: '|', queues: [] });
    expect(errorOf(LEAF, 'LMSG s * q 1\r\nx\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(LEAF, 'LMSG s ++ q 1\r\nx\r\n').err).toBe(ParseError.BAD_ARGS);
    const h = 'NATS/1.0\r\n\r\nhi';
    expect(only(parseWhole(LEAF, `HMSG svc.only + _INBOX.r2 workers 12 14\r\n${h}\r\n`))).toMatchObject({
      op: Op.HMSG,
      reply: '_INBOX.r2',
      queues: ['workers'],
      hdr: 12,
      size: 14,
      account: null,
    });
    expect(only(parseWhole(LEAF, `HMSG foo 12 14\r\n${h}\r\n`))).toMatchObject({ reply: null, hdr: 12, queues: [] });
    expect(errorOf(LEAF, `HMSG foo 15 14\r\n${h}\r\n`).err).toBe(ParseError.BAD_ARGS);
  });

  it('route RS+ / RS- / RMSG / HMSG / LS± / LMSG (routes.md §3)', () => {
    expect(only(parseWhole(ROUTE, 'RS+ $G orders.*\r\n'))).toMatchObject({
      op: Op.RS_PLUS,
      account: '$G',
      subject: 'orders.*',
    });
    expect(only(parseWhole(ROUTE, 'RS+ $G orders.new q1 1\r\n'))).toMatchObject({ queue: 'q1', weight: 1 });
    expect(only(parseWhole(ROUTE, 'RS- $G orders.new q1\r\n'))).toMatchObject({
      op: Op.RS_MINUS,
      account: '$G',
      queue: 'q1',
    });
    expect(only(parseWhole(ROUTE, 'RMSG $G orders.new + reply.x q1 3\r\nabc\r\n'))).toMatchObject({
      account: '$G',
      subject: 'orders.new',
      reply: 'reply.x',
      queues: ['q1'],
      size: 3,
    });
    expect(only(parseWhole(ROUTE, 'RMSG $G foo 3\r\nabc\r\n'))).toMatchObject({ reply: null, queues: [] });
    expect(only(parseWhole(ROUTE, 'HMSG $G orders.old 12 14\r\nNATS/1.0\r\n\r\nhi\r\n'))).toMatchObject({
      account: '$G',
      subject: 'orders.old',
      hdr: 12,
      size: 14,
    });
    expect(only(parseWhole(ROUTE, 'LS+ leafc $G foo q 3\r\n'))).toMatchObject({
      op: Op.LS_PLUS,
      origin: 'leafc',
      account: '$G',
      subject: 'foo',
      queue: 'q',
      weight: 3,
    });
    expect(only(parseWhole(ROUTE, 'LS- $G foo\r\n'))).toMatchObject({ op: Op.LS_MINUS, account: '$G', subject: 'foo' });
    expect(only(parseWhole(ROUTE, 'LMSG leafc $G foo | q1 q2 0 3\r\nabc\r\n'))).toMatchObject({
      origin: 'leafc',
      account: '$G',
      subject: 'foo',
      queues: ['q1', 'q2'],
      hdr: 0,
      size: 3,
    });
    expect(errorOf(ROUTE, 'LMSG leafc $G foo 3\r\nabc\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(ROUTE, 'RMSG $G 3\r\nabc\r\n').err).toBe(ParseError.BAD_ARGS);
  });

  it('the queue list may be as long as MAX_ARGS allows, one more token is BAD_ARGS', () => {
    const qs = (n: number) => Array.from({ length: n }, (_, k) => `q${k}`).join(' ');
    const fits = MAX_ARGS - 4; // account subject | … size
    expect(only(parseWhole(ROUTE, `RMSG $G s | ${qs(fits)} 1\r\nx\r\n`)).queues).toHaveLength(fits);
    expect(errorOf(ROUTE, `RMSG $G s | ${qs(fits + 1)} 1\r\nx\r\n`).err).toBe(ParseError.BAD_ARGS);
  });
});

describe('mode legality: an op the peer may not send is UNKNOWN_OP at the deciding byte', () => {
  const cases: [ParserModeValue, string, number][] = [
    [CLIENT, 'MSG foo 1 3\r\n', 0],
    [CLIENT, 'LS+ foo\r\n', 0],
    [CLIENT, 'RS+ $G foo\r\n', 0],
    [CLIENT, 'A+ foo\r\n', 0],
    [CLIENT, 'LMSG foo 1\r\n', 0],
    [SERVER, 'PUB foo 1\r\n', 1],
    [SERVER, 'SUB foo 1\r\n', 0],
    [SERVER, 'UNSUB 1\r\n', 0],
    [SERVER, 'CONNECT {}\r\n', 0],
    [SERVER, 'HPUB foo 0 0\r\n', 1],
    [SERVER, 'LS+ foo\r\n', 0],
    [LEAF, 'PUB foo 1\r\n', 1],
    [LEAF, 'MSG foo 1 1\r\n', 0],
    [LEAF, 'RS+ $G foo\r\n', 0],
    [LEAF, 'SUB foo 1\r\n', 0],
    [ROUTE, 'MSG foo 1 1\r\n', 0],
    [ROUTE, 'PUB foo 1\r\n', 1],
    [ROUTE, 'HPUB foo 0 1\r\n', 1],
  ];
  for (const [mode, data, at] of cases) {
    it(`mode ${mode}: ${JSON.stringify(data)} → UNKNOWN_OP at ${at}`, () => {
      expect(parseWhole(mode, data)).toEqual([{ err: ParseError.UNKNOWN_OP, at }]);
    });
  }

  it('[2.9 quirk] a client HMSG line is accepted without reading its sizes; only a bare CRLF may follow', () => {
    const ok = parseWhole(CLIENT, 'HMSG foo 1 3 3\r\n\r\nPING\r\n');
    expect(errs(ok)).toEqual([]);
    expect(ok.length).toBe(2);
    // Payload bytes after it are not a payload: the terminator check fails at the first of them.
    expect(errs(parseWhole(CLIENT, 'HMSG foo 1 5 5\r\nhello\r\n'))).toEqual([{ err: ParseError.UNKNOWN_OP, at: 16 }]);
  });

  it('HPUB is refused at the end of its line (before the payload) when headers are off', () => {
    const events: unknown[] = [];
    const p = new Parser(CLIENT, {
      onOp: (a) => {
        events.push(a.op);
        return true;
      },
      onParseError: (code, at) => {
        events.push({ err: code, at });
      },
    });
    p.headers = false;
    p.parse(Buffer.from('PING\r\nHPUB a 12 14\r\nNATS/1.0\r\n\r\nhi\rX'));
    expect(events).toEqual([Op.PING, { err: ParseError.BAD_ARGS, at: 19 }]);
  });

  it('msgLineHook: onMsgLine sees each PUB/HPUB line before its payload arrives', () => {
    const events: string[] = [];
    const p = new Parser(CLIENT, {
      onOp: (a) => {
        events.push(`op:${a.op}`);
        return true;
      },
      onParseError: () => {
        events.push('err');
      },
      onMsgLine: (a) => {
        events.push(`line:${a.buf.toString('latin1', a.subjectStart, a.subjectEnd)}:${a.payloadBuf === null}`);
        return true;
      },
    });
    p.msgLineHook = true;
    p.parse(Buffer.from('PUB a.b 3\r\nab'));
    expect(events).toEqual(['line:a.b:true']);
    p.parse(Buffer.from('c\r\nSUB x 1\r\n'));
    expect(events).toEqual(['line:a.b:true', `op:${Op.PUB}`, `op:${Op.SUB}`]);
  });

  it('stoppedAt: after onOp returns false, the rest of the chunk can be fed again unchanged', () => {
    const stream = 'PING\r\nSUB a 1\r\nPUB a 2\r\nhi\r\nPONG\r\n';
    const whole: number[] = [];
    const ref = new Parser(CLIENT, {
      onOp: (a) => {
        whole.push(a.op);
        return true;
      },
      onParseError: () => {},
    });
    ref.parse(Buffer.from(stream));
    // Stop after every op in turn, then resume from stoppedAt: same ops, same order.
    for (let stopAfter = 0; stopAfter < whole.length; stopAfter++) {
      for (const split of [stream.length, 9, 23]) {
        const seen: number[] = [];
        let n = 0;
        let stop = true;
        const p = new Parser(CLIENT, {
          onOp: (a) => {
            seen.push(a.op);
            return !(stop && n++ === stopAfter);
          },
          onParseError: () => seen.push(-1),
        });
        const feed = (chunk: Buffer): void => {
          p.parse(chunk);
          if (p.stoppedAt >= 0) {
            stop = false;
            feed(chunk.subarray(p.stoppedAt));
          }
        };
        const buf = Buffer.from(stream);
        feed(buf.subarray(0, split));
        feed(buf.subarray(split));
        expect(seen).toEqual(whole);
      }
    }
  });

  it('legal ops per mode', () => {
    expect(errs(parseWhole(SERVER, 'PING\r\nPONG\r\n+OK\r\n-ERR x\r\nINFO {}\r\nMSG a 1 0\r\n\r\n'))).toEqual([]);
    expect(
      errs(parseWhole(LEAF, 'CONNECT {}\r\nINFO {}\r\nLS+ a\r\nLS- a\r\nLMSG a 0\r\n\r\nHMSG a 0 0\r\n\r\n')),
    ).toEqual([]);
    expect(
      errs(
        parseWhole(
          ROUTE,
          'CONNECT {}\r\nRS+ $G a\r\nRS- $G a\r\nRMSG $G a 0\r\n\r\nHMSG $G a 0 0\r\n\r\nLS+ o $G a\r\n',
        ),
      ),
    ).toEqual([]);
  });

  it('mode may change between ops (from inside onOp)', () => {
    const r = new Recorder(CLIENT);
    r.onOpHook = (a: OpArgs) => {
      if (a.op === Op.CONNECT) r.parser.mode = LEAF;
    };
    r.feed(Buffer.from('CONNECT {}\r\nLS+ foo\r\n'));
    expect(ops(r.events).map((e) => e.op)).toEqual([Op.CONNECT, Op.LS_PLUS]);
  });
});

describe('errors and their offsets', () => {
  it('unknown first byte and bad op letters', () => {
    expect(errorOf(CLIENT, 'XYZ\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 0 });
    expect(errorOf(CLIENT, 'PUBX foo 3\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 3 });
    expect(errorOf(CLIENT, 'PING\r\nPX\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 7 });
    expect(errorOf(CLIENT, 'CONNEXT {}\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 5 });
    expect(errorOf(CLIENT, '\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 0 });
    expect(errorOf(CLIENT, ' PING\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 0 });
  });

  it('a blank is required after PUB HPUB SUB UNSUB -ERR and the peer ops (nats-server ✔ "PUB\\r\\n")', () => {
    expect(errorOf(CLIENT, 'PUB\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 3 });
    expect(errorOf(CLIENT, 'SUBfoo 1\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 3 });
    expect(errorOf(CLIENT, 'UNSUB\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 5 });
    expect(errorOf(CLIENT, 'HPUB\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 4 });
    expect(errorOf(CLIENT, '-ERRfoo\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 4 });
    expect(errorOf(SERVER, 'MSG\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 3 });
    expect(errorOf(LEAF, 'LS+foo\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 3 });
    expect(errorOf(ROUTE, 'RMSG\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 4 });
  });

  it('payload not followed by exactly CRLF → UNKNOWN_OP at the offending byte (nats-server ✔)', () => {
    expect(errorOf(CLIENT, 'PUB foo 3\r\nabcd\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 14 });
    expect(errorOf(CLIENT, 'PUB foo 3\r\nabc\nPING\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 14 });
    expect(errorOf(CLIENT, 'PUB foo 3\r\nabc\rX')).toEqual({ err: ParseError.UNKNOWN_OP, at: 15 });
    expect(errorOf(CLIENT, 'PUB foo 3\r\nab\r\n')).toEqual({ err: ParseError.UNKNOWN_OP, at: 14 });
  });

  it('wrong argument counts and bad sizes → BAD_ARGS at the LF', () => {
    expect(errorOf(CLIENT, 'PUB foo\r\n')).toEqual({ err: ParseError.BAD_ARGS, at: 8 });
    expect(errorOf(CLIENT, 'PUB foo r x 3\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(CLIENT, 'PUB foo -3\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(CLIENT, 'PUB foo 3a\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(CLIENT, 'PUB foo 0x10\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(CLIENT, 'HPUB foo 3\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(CLIENT, 'HPUB foo 4 3\r\nabc\r\n')).toEqual({ err: ParseError.BAD_ARGS, at: 13 });
    expect(errorOf(CLIENT, 'HPUB foo x 3\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(CLIENT, 'SUB foo\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(CLIENT, 'SUB foo q 1 x\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(CLIENT, 'UNSUB\t\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(CLIENT, 'UNSUB 1 2 3\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(SERVER, 'MSG foo 3\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(SERVER, 'HMSG foo 1 3\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(ROUTE, 'RS+ $G\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(ROUTE, 'RS+ $G foo q\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(ROUTE, 'RS- $G\r\n').err).toBe(ParseError.BAD_ARGS);
    expect(errorOf(LEAF, 'LS- a b c\r\n').err).toBe(ParseError.BAD_ARGS);
  });

  it('after an error the parser is dead until reset(), then parses correctly again', () => {
    const r = new Recorder(CLIENT);
    r.feed(Buffer.from('XPING\r\n'));
    r.feed(Buffer.from('PING\r\n'));
    expect(r.events).toEqual([{ err: ParseError.UNKNOWN_OP, at: 0 }]);
    expect(r.parser.dead).toBe(true);
    r.parser.reset();
    r.events = [];
    r.base = 0;
    r.feed(Buffer.from('PUB foo 3\r\nabc\r\n'));
    expect(only(r.events)).toMatchObject({ subject: 'foo', payload: 'abc' });
  });

  it('reset() in the middle of a split op forgets it', () => {
    const r = new Recorder(CLIENT);
    r.feed(Buffer.from('PUB foo 10\r\nabc'));
    r.parser.reset();
    r.feed(Buffer.from('PING\r\n'));
    expect(ops(r.events).map((e) => e.op)).toEqual([Op.PING]);
  });

  it('onOp returning false stops the chunk at once', () => {
    const r = new Recorder(CLIENT);
    r.stopAfter = 2;
    r.feed(Buffer.from('PING\r\nPUB a 1\r\nx\r\nPING\r\nPING\r\n'));
    expect(r.events).toHaveLength(2);
  });
});

describe('limits', () => {
  const arg = (n: number) => `${'a'.repeat(n - 2)} 1`; // SUB argument of exactly n bytes

  it('control line: exactly at the limit is fine, one over fails (nats-server ✔ 4096/4097)', () => {
    expect(only(parseWhole(CLIENT, `SUB ${arg(4096)}\r\n`)).sid).toBe('1');
    expect(errorOf(CLIENT, `SUB ${arg(4097)}\r\n`)).toEqual({ err: ParseError.MAX_CONTROL_LINE, at: 4 + 4097 + 1 });
    // the dropped byte does not count: CR + LF
    expect(errs(parseWhole(CLIENT, `SUB ${arg(4096)}\r\n`))).toEqual([]);
    // …but a bare-LF line with a CR inside drops its last byte instead (nats-server ✔ errors on this)
    expect(errorOf(CLIENT, `SUB ${arg(4096)}\rx\n`).err).toBe(ParseError.MAX_CONTROL_LINE);
    // blanks after the op do not count
    expect(errs(parseWhole(CLIENT, `SUB      ${arg(4096)}\r\n`))).toEqual([]);
  });

  it('control line limit with a custom maxControlLine, split and unsplit', () => {
    const opts = { maxControlLine: 10 };
    expectSplitInvariant(CLIENT, `SUB ${arg(10)}\r\nPING\r\n`, opts);
    const ev = expectSplitInvariant(CLIENT, `SUB ${arg(11)}\r\nPING\r\n`, opts);
    expect(ev).toEqual([{ err: ParseError.MAX_CONTROL_LINE, at: -1 }]);
    expectSplitInvariant(CLIENT, `CONNECT ${'x'.repeat(10)}\r\n`, opts);
    expect(expectSplitInvariant(CLIENT, `CONNECT ${'x'.repeat(11)}\r\n`, opts)).toEqual([
      { err: ParseError.MAX_CONTROL_LINE, at: -1 },
    ]);
  });

  it('an endless control line is caught when a chunk ends mid-argument (nats-server ✔)', () => {
    const r = new Recorder(CLIENT);
    r.feed(Buffer.from('SUB '));
    for (let k = 0; k < 100 && r.events.length === 0; k++) r.feed(Buffer.alloc(100, 0x61));
    expect(r.events).toEqual([{ err: ParseError.MAX_CONTROL_LINE, at: 4 + 4100 }]);
    expect(r.parser.scratchCapacity).toBeLessThanOrEqual(4096 + 2);
    // exactly the limit without LF yet is not an error (nats-server ✔)
    const r2 = new Recorder(CLIENT);
    r2.feed(Buffer.from(`SUB ${'a'.repeat(4096)}`));
    expect(r2.events).toEqual([]);
    r2.feed(Buffer.from('a'));
    expect(r2.events).toEqual([{ err: ParseError.MAX_CONTROL_LINE, at: 4 + 4097 }]);
  });

  it('PING lines, blanks and payloads have no control-line limit and use no scratch', () => {
    const r = new Recorder(CLIENT);
    r.feed(Buffer.from('PING'));
    for (let k = 0; k < 100; k++) r.feed(Buffer.alloc(1000, 0x78));
    r.feed(Buffer.from('\r\nPUB'));
    for (let k = 0; k < 100; k++) r.feed(Buffer.alloc(1000, 0x20));
    r.feed(Buffer.from('foo 1\r\nx\r\n'));
    expect(ops(r.events).map((e) => e.op)).toEqual([Op.PING, Op.PUB]);
    expect(r.parser.scratchCapacity).toBeLessThanOrEqual(4098);
  });

  it('max payload: at the limit fine, one over fails before any payload byte (nats-server ✔)', () => {
    const opts = { maxPayload: 8 };
    expect(only(parseWhole(CLIENT, 'PUB foo 8\r\n12345678\r\n', opts)).size).toBe(8);
    expect(parseWhole(CLIENT, 'PUB foo 9\r\n', opts)).toEqual([{ err: ParseError.MAX_PAYLOAD, at: 10 }]);
    expect(parseWhole(CLIENT, 'HPUB foo 2 9\r\n', opts)).toEqual([{ err: ParseError.MAX_PAYLOAD, at: 13 }]);
    expect(parseWhole(SERVER, 'MSG foo 1 9\r\n', opts)[0]).toMatchObject({ err: ParseError.MAX_PAYLOAD });
    expect(parseWhole(ROUTE, 'RMSG $G foo 9\r\n', opts)[0]).toMatchObject({ err: ParseError.MAX_PAYLOAD });
    expect(parseWhole(LEAF, 'LMSG foo 9\r\n', opts)[0]).toMatchObject({ err: ParseError.MAX_PAYLOAD });
    expect(parseWhole(CLIENT, 'PUB foo 1048577\r\n')).toEqual([{ err: ParseError.MAX_PAYLOAD, at: 16 }]);
    expect(parseWhole(CLIENT, 'PUB foo 1048576\r\n')).toEqual([]);
  });

  it('maxPayload and maxControlLine are plain mutable fields', () => {
    const r = new Recorder(CLIENT);
    r.parser.maxPayload = 2;
    r.feed(Buffer.from('PUB a 2\r\nxy\r\n'));
    r.parser.maxPayload = 1;
    r.feed(Buffer.from('PUB a 2\r\nxy\r\n'));
    expect(errs(r.events)).toEqual([{ err: ParseError.MAX_PAYLOAD, at: 13 + 8 }]);
  });

  it('a big payload split across chunks is assembled in one buffer of exactly its size', () => {
    const size = 100_000;
    const payload = Buffer.alloc(size, 0x41);
    const data = Buffer.concat([Buffer.from(`PUB big ${size}\r\n`), payload, Buffer.from('\r\nPING\r\n')]);
    const r = new Recorder(CLIENT);
    let maxPending = 0;
    for (let k = 0; k < data.length; k += 1000) {
      r.feed(Buffer.from(data.subarray(k, k + 1000)));
      maxPending = Math.max(maxPending, r.parser.pendingPayloadCapacity);
    }
    expect(ops(r.events).map((e) => e.op)).toEqual([Op.PUB, Op.PING]);
    expect(ops(r.events)[0]!.payload).toBe(payload.toString('latin1'));
    expect(maxPending).toBe(size);
    expect(r.parser.pendingPayloadCapacity).toBe(0);
  });
});

describe('zero copy', () => {
  it('an op inside one chunk: buf is the chunk, payload a view of it', () => {
    const chunk = Buffer.from('PUB foo 3\r\nabc\r\n');
    let seen: { buf: boolean; payload: boolean; ab: boolean } | null = null;
    const p = new Parser(CLIENT, {
      onOp(a) {
        const pl = a.payload!;
        seen = {
          buf: a.buf === chunk,
          payload: pl.buffer === chunk.buffer,
          ab: pl.byteOffset === chunk.byteOffset + 11,
        };
        return true;
      },
      onParseError() {},
    });
    p.parse(chunk);
    expect(seen).toEqual({ buf: true, payload: true, ab: true });
  });

  it('after parse() returns, the OpArgs holds no reference to the input', () => {
    let kept: OpArgs | null = null;
    const p = new Parser(CLIENT, {
      onOp(a) {
        kept = a;
        return true;
      },
      onParseError() {},
    });
    p.parse(Buffer.from('PUB foo 3\r\nabc\r\n'));
    const a = kept! as OpArgs;
    expect(a.buf.length).toBe(0);
    expect(a.payloadBuf).toBeNull();
    expect(a.payload).toBeNull();
  });

  it('payload ranges are exposed without creating a view', () => {
    const chunk = Buffer.from('PING\r\nPUB foo 3\r\nabc\r\n');
    const got: [Buffer | null, number, number][] = [];
    const p = new Parser(CLIENT, {
      onOp(a) {
        got.push([a.payloadBuf, a.payloadStart, a.payloadEnd]);
        return true;
      },
      onParseError() {},
    });
    p.parse(chunk);
    expect(got[0]).toEqual([null, -1, -1]);
    expect(got[1]![0]).toBe(chunk);
    expect(got[1]!.slice(1)).toEqual([17, 20]);
  });

  it('a line complete in one chunk with its payload in the next: buf still valid (copied at split time)', () => {
    const r = new Recorder(CLIENT);
    const c1 = Buffer.from('PUB foo.bar reply 5\r\nhe');
    r.feed(c1);
    c1.fill(0); // the caller reuses its read buffer
    r.feed(Buffer.from('llo\r\n'));
    expect(only(r.events)).toMatchObject({ subject: 'foo.bar', reply: 'reply', sizeTok: '5', payload: 'hello' });
  });

  it('the same with small and big payloads and line lengths (scratch vs own buffer)', () => {
    for (const size of [0, 1, 50, 4000, 5000, 70_000]) {
      const p = 'z'.repeat(size);
      expectSplitInvariant(CLIENT, `PUB foo 1\r\nx\r\nPUB s.${size} r ${size}\r\n${p}\r\nPING\r\n`.slice(0), {}, size);
    }
  });
});

describe('split invariance', () => {
  const streams: [ParserModeValue, string][] = [
    [
      CLIENT,
      'CONNECT {"verbose":false}\r\nPUB foo 3\r\nabc\r\npub foo.bar r 003\r\nxyz\r\nHPUB h r 2 5\r\nhhabc\r\n' +
        'SUB foo q 1\r\nUNSUB 1 10\r\nPINGxx\r\nPONG\n+OK\r\nPUB \nodd 0\r\n\r\nSUB a 1\r2\nPUB a\r 1\r\nx\r\n',
    ],
    [
      SERVER,
      'INFO {"a":1} \r\nMSG foo 1 3\r\nabc\r\nHMSG foo 1 r 12 14\r\nNATS/1.0\r\n\r\nhi\r\nPING\r\n-ERR \'x\'\r\n',
    ],
    [
      LEAF,
      'CONNECT {}\r\nLS+ a q 2\r\nLS- a q\r\nLMSG a + r q1 q2 3\r\nabc\r\nHMSG a | q 12 12\r\nNATS/1.0\r\n\r\n\r\n',
    ],
    [
      ROUTE,
      'CONNECT {}\r\nRS+ $G a q 2\r\nRS- $G a\r\nRMSG $G a r 3\r\nabc\r\nHMSG $G a + r q 12 14\r\nNATS/1.0\r\n\r\nhi\r\n' +
        'LS+ o $G a\r\nLMSG o $G a 0 1\r\nx\r\n',
    ],
  ];
  for (const [mode, s] of streams) {
    it(`mode ${mode}: every split point gives the same ops`, () => {
      const ev = expectSplitInvariant(mode, s);
      expect(errs(ev)).toEqual([]);
      expect(ev.length).toBeGreaterThanOrEqual(5);
    });
  }

  it('errors are split-invariant too (code and offset)', () => {
    const ev = expectSplitInvariant(CLIENT, 'PING\r\nPUB foo 3\r\nabcX\r\n');
    expect(ev).toHaveLength(2);
    expect(ev[1]).toEqual({ err: ParseError.UNKNOWN_OP, at: 20 });
    expectSplitInvariant(CLIENT, 'SUB foo\r\n');
    expectSplitInvariant(CLIENT, 'PUB foo 0000000001\r\nx\r\n');
    expectSplitInvariant(ROUTE, 'RMSG $G a * q 1\r\nx\r\n');
  });

  it('seeded random valid streams, random splits, in every mode', () => {
    const rng = new Rng(0xc0ffee);
    for (const mode of [CLIENT, SERVER, LEAF, ROUTE]) {
      for (let r = 0; r < 40; r++) {
        const s = validStream(rng, mode, 1 + rng.int(12));
        const buf = Buffer.from(s, 'latin1');
        const whole = parseWhole(mode, buf);
        expect(errs(whole), s).toEqual([]);
        for (let t = 0; t < 10; t++) {
          expect(normalize(parseChunksScribbled(mode, splitAt(buf, randomSplits(rng, buf.length, 10))))).toEqual(
            normalize(whole),
          );
        }
      }
    }
  });
});

describe('differential: parser vs the naive reference parser', () => {
  it('agrees on hand-written edge cases', () => {
    const cases: [ParserModeValue, string][] = [
      [CLIENT, 'PUB \nfoo 3\r\nabc\r\n'],
      [CLIENT, 'SUB foo 1\r2\nSUB\t\tfoo\tq\t2\r\n'],
      [CLIENT, 'CONNECT\n{}\r\n'],
      [CLIENT, 'PUB  foo  bar  3  \r\nabc\r\n'],
      [CLIENT, 'PUB foo 3\rabc\r\n'],
      [CLIENT, 'UNSUB 1 99999999999\r\n'],
      [LEAF, 'LMSG a + 1\r\nx\r\n'],
      [ROUTE, 'LS+ o $G a q\r\n'],
    ];
    for (const [mode, s] of cases) expect(parseWhole(mode, s), JSON.stringify(s)).toEqual(referenceParse(mode, s));
  });

  it('agrees on seeded mutated streams (random edits, errors and their offsets) in every mode', () => {
    const rng = new Rng(99);
    for (const mode of [CLIENT, SERVER, LEAF, ROUTE]) {
      for (let r = 0; r < 1500; r++) {
        const s = mutate(rng, validStream(rng, mode, 1 + rng.int(6)));
        const opts = r % 3 === 0 ? { maxControlLine: 24, maxPayload: 64 } : {};
        expect(parseWhole(mode, s, opts), JSON.stringify(s)).toEqual(
          referenceParse(mode, s, opts.maxControlLine, opts.maxPayload),
        );
      }
    }
  });

  it('agrees on seeded valid streams in every mode', () => {
    const rng = new Rng(7);
    for (const mode of [CLIENT, SERVER, LEAF, ROUTE]) {
      for (let r = 0; r < 300; r++) {
        const s = validStream(rng, mode, 1 + rng.int(8));
        expect(parseWhole(mode, s)).toEqual(referenceParse(mode, s));
      }
    }
  });
});

describe('Parser object', () => {
  it('defaults and options', () => {
    const p = new Parser(CLIENT, { onOp: () => true, onParseError() {} });
    expect(p.maxControlLine).toBe(4096);
    expect(p.maxPayload).toBe(1048576);
    const q = new Parser(SERVER, { onOp: () => true, onParseError() {} }, { maxControlLine: 10, maxPayload: 20 });
    expect([q.maxControlLine, q.maxPayload, q.mode]).toEqual([10, 20, SERVER]);
  });

  it('an empty chunk is a no-op', () => {
    expect(
      parseChunks(CLIENT, [Buffer.alloc(0), Buffer.from('PI'), Buffer.alloc(0), Buffer.from('NG\r\n')]),
    ).toHaveLength(1);
  });
});
