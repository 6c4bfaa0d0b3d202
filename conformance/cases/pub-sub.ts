// PUB / SUB / MSG byte layout, matching, separators, payload bytes, ordering (client-protocol §5–§7, §13, §15).
import { type CaseGroup, expect, info, nothing, QUIET, send } from '../src/case.js';
import { type Frame, WireError } from '../src/wire.js';

const sids = (frames: Frame[]): string =>
  frames
    .map((f) => (f.op === 'MSG' || f.op === 'HMSG' ? f.sid : f.op))
    .sort()
    .join(',');

export const pubSubGroup: CaseGroup = {
  name: 'pub-sub',
  cases: [
    {
      name: 'PUB → MSG <subject> <sid> <size>',
      ref: 'client-protocol §7',
      steps: [
        info(),
        send(`${QUIET}SUB ps.a 1\r\nPUB ps.a 5\r\nhello\r\nPING\r\n`),
        expect('MSG ps.a 1 5\r\nhello\r\nPONG\r\n'),
      ],
    },
    {
      name: 'PUB with reply → MSG <subject> <sid> <reply> <size>',
      steps: [
        info(),
        send(`${QUIET}SUB ps.b 9\r\nPUB ps.b reply.to 5\r\nhello\r\nPING\r\n`),
        expect('MSG ps.b 9 reply.to 5\r\nhello\r\nPONG\r\n'),
      ],
    },
    {
      name: 'empty payload',
      steps: [info(), send(`${QUIET}SUB ps.c 1\r\nPUB ps.c 0\r\n\r\nPING\r\n`), expect('MSG ps.c 1 0\r\n\r\nPONG\r\n')],
    },
    {
      name: 'the MSG size token is copied verbatim from the PUB line (leading zeros survive)',
      ref: 'client-protocol §7',
      steps: [
        info(),
        send(`${QUIET}SUB ps.d 1\r\nPUB ps.d 005\r\nhello\r\nPING\r\n`),
        expect('MSG ps.d 1 005\r\nhello\r\nPONG\r\n'),
      ],
    },
    {
      name: 'sid is an opaque token echoed as sent',
      steps: [
        info(),
        send(`${QUIET}SUB ps.e my-Sid_01.x\r\nPUB ps.e 1\r\nx\r\nPING\r\n`),
        expect('MSG ps.e my-Sid_01.x 1\r\nx\r\nPONG\r\n'),
      ],
    },
    {
      name: 'payload may contain CR, LF and CRLF; it is never scanned',
      steps: [
        info(),
        send(`${QUIET}SUB ps.f 1\r\nPUB ps.f 7\r\n\r\nPING\n\r\nPING\r\n`),
        expect('MSG ps.f 1 7\r\n\r\nPING\n\r\nPONG\r\n'),
      ],
    },
    {
      name: 'binary payload bytes 0x00–0xFF pass through unchanged',
      async run(ctx) {
        const c = await ctx.client();
        let payload = '';
        for (let i = 0; i < 256; i++) payload += String.fromCharCode(i);
        c.send(`SUB ps.bin 1\r\nPUB ps.bin 256\r\n${payload}\r\nPING\r\n`);
        await c.expect(`MSG ps.bin 1 256\r\n${payload}\r\nPONG\r\n`);
      },
    },
    {
      name: 'UTF-8 and other non-blank bytes are valid subject bytes',
      ref: 'client-protocol §13',
      async run(ctx) {
        const c = await ctx.client();
        const subj = Buffer.from('grüße.$x._y.日本', 'utf8').toString('latin1');
        c.send(`SUB ${subj} 1\r\nPUB ${subj} 1\r\nx\r\nPING\r\n`);
        await c.expect(`MSG ${subj} 1 1\r\nx\r\nPONG\r\n`);
      },
    },
    {
      name: 'runs of spaces and tabs separate arguments',
      ref: 'client-protocol §1',
      steps: [
        info(),
        send(`${QUIET}SUB \t ps.g \t 7 \r\nPUB\tps.g\t \treply\t 2\t\r\nhi\r\nPING\r\n`),
        expect('MSG ps.g 7 reply 2\r\nhi\r\nPONG\r\n'),
      ],
    },
    {
      name: 'a control line may end in a bare LF',
      ref: 'client-protocol §1',
      steps: [
        info(),
        send('CONNECT {"verbose":false}\nSUB ps.h 1\nPUB ps.h 2\nhi\r\nPING\n'),
        expect('MSG ps.h 1 2\r\nhi\r\nPONG\r\n'),
      ],
    },
    {
      name: 'messages cross connections: subscriber on A, publisher on B',
      async run(ctx) {
        const a = await ctx.client();
        const b = await ctx.client();
        a.send('SUB ps.cross 1\r\n');
        await a.ping();
        b.send('PUB ps.cross r 3\r\nabc\r\n');
        await b.ping();
        await a.expect('MSG ps.cross 1 r 3\r\nabc\r\n');
        await b.expectNothing(30);
      },
    },
    {
      name: '* matches one token, > one or more; each matching sub gets its own copy',
      ref: 'client-protocol §7, §13',
      async run(ctx) {
        const c = await ctx.client();
        c.send('SUB w.* 1\r\nSUB w.> 2\r\nSUB > 3\r\nSUB w.a 4\r\nSUB w.a.b 5\r\nSUB *.*.* 6\r\nSUB w 7\r\n');
        c.send('PUB w.a 1\r\nx\r\n');
        const got = await c.frames(4);
        if (sids(got) !== '1,2,3,4') throw new WireError(`w.a reached sids ${sids(got)}`);
        for (const f of got) if (f.op !== 'MSG' || f.subject !== 'w.a') throw new WireError(`bad frame ${f.raw}`);
        c.send('PUB w.a.b 1\r\nx\r\n');
        const got2 = await c.frames(4);
        if (sids(got2) !== '2,3,5,6') throw new WireError(`w.a.b reached sids ${sids(got2)}`);
        c.send('PUB w 1\r\nx\r\n');
        const got3 = await c.frames(2);
        if (sids(got3) !== '3,7') throw new WireError(`w reached sids ${sids(got3)}`);
        await c.ping();
      },
    },
    {
      name: 'a*b and a> are literal tokens, not wildcards',
      ref: 'client-protocol §13',
      steps: [
        info(),
        send(
          `${QUIET}SUB lit.a*b 1\r\nSUB lit.a> 2\r\nPUB lit.axb 1\r\nx\r\nPUB lit.a*b 1\r\ny\r\nPUB lit.a> 1\r\nz\r\nPING\r\n`,
        ),
        expect('MSG lit.a*b 1 1\r\ny\r\nMSG lit.a> 2 1\r\nz\r\nPONG\r\n'),
      ],
    },
    {
      name: 'non-pedantic PUB of a * token is a literal token: reaches foo.* and foo.>, not foo.bar',
      ref: 'client-protocol §13',
      async run(ctx) {
        const c = await ctx.client({ verbose: false, pedantic: false });
        c.send('SUB np.bar 1\r\nSUB np.* 2\r\nSUB np.> 3\r\nPUB np.* 1\r\nx\r\n');
        const got = await c.frames(2);
        if (sids(got) !== '2,3') throw new WireError(`np.* reached sids ${sids(got)}`);
        await c.ping();
      },
    },
    {
      name: 'non-pedantic PUB with an empty token matches nothing, not even >',
      ref: 'client-protocol §13',
      steps: [
        info(),
        send(
          'CONNECT {"verbose":false,"pedantic":false}\r\nSUB empty.*.x 1\r\nSUB empty.> 2\r\nPUB empty..x 1\r\nx\r\n',
        ),
        send('PING\r\n'),
        expect('PONG\r\n'),
        nothing(50),
      ],
    },
    {
      name: 'one publisher to one subscriber keeps publish order (500 messages)',
      ref: 'client-protocol §15',
      async run(ctx) {
        const sub = await ctx.client();
        const pub = await ctx.client();
        sub.send('SUB ps.order 1\r\n');
        await sub.ping();
        let out = '';
        let want = '';
        for (let i = 0; i < 500; i++) {
          const p = String(i);
          out += `PUB ps.order ${p.length}\r\n${p}\r\n`;
          want += `MSG ps.order 1 ${p.length}\r\n${p}\r\n`;
        }
        pub.send(out);
        await sub.expect(want, 5000);
      },
    },
    {
      name: 'request/reply over raw protocol: the reply subject carries the answer back',
      async run(ctx) {
        const requester = await ctx.client();
        const responder = await ctx.client();
        responder.send('SUB svc.echo 1\r\n');
        await responder.ping();
        requester.send('SUB inbox.r1 5\r\nPUB svc.echo inbox.r1 4\r\nping\r\n');
        await responder.expect('MSG svc.echo 1 inbox.r1 4\r\nping\r\n');
        responder.send('PUB inbox.r1 4\r\npong\r\n');
        await requester.expect('MSG inbox.r1 5 4\r\npong\r\n');
      },
    },
  ],
};
