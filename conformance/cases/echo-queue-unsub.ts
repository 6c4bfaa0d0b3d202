// echo:false, queue groups, UNSUB and auto-unsubscribe, duplicate sids (client-protocol §6, §7, §15).
import { type CaseGroup, expect, info, nothing, QUIET, send } from '../src/case.js';
import { type Frame, WireError } from '../src/wire.js';

const msgSid = (f: Frame): string => {
  if (f.op !== 'MSG') throw new WireError(`expected MSG, got ${f.raw}`);
  return f.sid;
};

export const echoGroup: CaseGroup = {
  name: 'echo',
  cases: [
    {
      name: 'echo:false: own publishes are not delivered to own subs, others still get them',
      ref: 'client-protocol §15',
      async run(ctx) {
        const me = await ctx.client({ verbose: false, echo: false });
        const other = await ctx.client();
        other.send('SUB echo.a 1\r\n');
        await other.ping();
        me.send('SUB echo.a 1\r\nPUB echo.a 1\r\nx\r\n');
        await me.ping();
        await other.expect('MSG echo.a 1 1\r\nx\r\n');
        await me.expectNothing(50);
      },
    },
    {
      name: 'echo:false still delivers messages published by other connections',
      async run(ctx) {
        const me = await ctx.client({ verbose: false, echo: false });
        const other = await ctx.client();
        me.send('SUB echo.b 1\r\n');
        await me.ping();
        other.send('PUB echo.b 1\r\ny\r\n');
        await other.ping();
        await me.expect('MSG echo.b 1 1\r\ny\r\n');
      },
    },
    {
      name: 'echo:false is honoured with protocol 0',
      ref: 'client-protocol §4',
      steps: [
        info(),
        send('CONNECT {"verbose":false,"echo":false,"protocol":0}\r\nSUB echo.c 1\r\nPUB echo.c 0\r\n\r\nPING\r\n'),
        expect('PONG\r\n'),
        nothing(50),
      ],
    },
    {
      name: 'echo:false also skips own queue subscriptions',
      steps: [
        info(),
        send('CONNECT {"verbose":false,"echo":false}\r\nSUB echo.d q 1\r\nPUB echo.d 0\r\n\r\nPING\r\n'),
        expect('PONG\r\n'),
        nothing(50),
      ],
    },
  ],
};

export const queueGroup: CaseGroup = {
  name: 'queue',
  cases: [
    {
      name: 'SUB with a queue group: MSG layout is the same as a plain sub',
      steps: [
        info(),
        send(`${QUIET}SUB q.a grp 4\r\nPUB q.a r 2\r\nhi\r\nPING\r\n`),
        expect('MSG q.a 4 r 2\r\nhi\r\nPONG\r\n'),
      ],
    },
    {
      name: 'each message goes to exactly one member; 400 messages spread roughly evenly over 2 members',
      ref: 'client-protocol §7',
      async run(ctx) {
        const m1 = await ctx.client();
        const m2 = await ctx.client();
        const pub = await ctx.client();
        m1.send('SUB q.b workers 1\r\n');
        m2.send('SUB q.b workers 2\r\n');
        await m1.ping();
        await m2.ping();
        pub.send('PUB q.b 1\r\nx\r\n'.repeat(400));
        await pub.ping();
        // Flush both members: a PONG proves everything queued before it has arrived.
        m1.send('PING\r\n');
        m2.send('PING\r\n');
        const count = async (c: typeof m1): Promise<number> => {
          let n = 0;
          for (;;) {
            const f = await c.nextFrame();
            if (f.op === 'PONG') return n;
            msgSid(f);
            n++;
          }
        };
        const [n1, n2] = await Promise.all([count(m1), count(m2)]);
        if (n1 + n2 !== 400) throw new WireError(`members got ${n1} + ${n2} messages, want 400 in total`);
        if (n1 < 120 || n2 < 120) throw new WireError(`uneven distribution ${n1}/${n2}`);
      },
    },
    {
      name: 'three members on one connection: one copy per message, all members used',
      async run(ctx) {
        const c = await ctx.client();
        c.send('SUB q.c g 1\r\nSUB q.c g 2\r\nSUB q.c g 3\r\n');
        c.send('PUB q.c 0\r\n\r\n'.repeat(300));
        const frames = await c.frames(300, 5000);
        await c.ping();
        const per = new Map<string, number>();
        for (const f of frames) per.set(msgSid(f), (per.get(msgSid(f)) ?? 0) + 1);
        if ([...per.values()].some((n) => n < 50) || per.size !== 3) {
          throw new WireError(`distribution ${JSON.stringify(Object.fromEntries(per))}`);
        }
      },
    },
    {
      name: 'a plain sub and each distinct queue group each get one copy',
      async run(ctx) {
        const c = await ctx.client();
        c.send('SUB q.d 1\r\nSUB q.d g1 2\r\nSUB q.d g1 3\r\nSUB q.d g2 4\r\nPUB q.d 0\r\n\r\n');
        const got = (await c.frames(3)).map(msgSid).sort();
        await c.ping();
        if (got[0] !== '1' || !['2', '3'].includes(got[1]!) || got[2] !== '4') {
          throw new WireError(`sids ${got.join(',')}`);
        }
      },
    },
    {
      name: 'queue group names are not validated (any token)',
      ref: 'client-protocol §6',
      steps: [
        info(),
        send(`${QUIET}SUB q.e a.*.> 1\r\nPUB q.e 0\r\n\r\nPING\r\n`),
        expect('MSG q.e 1 0\r\n\r\nPONG\r\n'),
      ],
    },
    {
      name: 'queue group _sys_ is refused as a subscription permission violation',
      ref: 'client-protocol §6',
      steps: [
        info(),
        send(`${QUIET}SUB q.f _sys_ 1\r\nPUB q.f 0\r\n\r\nPING\r\n`),
        expect(`-ERR 'Permissions Violation for Subscription to "q.f" using queue "_sys_"'\r\nPONG\r\n`),
      ],
    },
  ],
};

export const unsubGroup: CaseGroup = {
  name: 'unsub',
  cases: [
    {
      name: 'UNSUB stops delivery',
      steps: [
        info(),
        send(`${QUIET}SUB u.a 1\r\nPUB u.a 1\r\nx\r\nUNSUB 1\r\nPUB u.a 1\r\ny\r\nPING\r\n`),
        expect('MSG u.a 1 1\r\nx\r\nPONG\r\n'),
      ],
    },
    {
      name: 'UNSUB <sid> 2 removes the sub after two more messages',
      steps: [
        info(),
        send(`${QUIET}SUB u.b 1\r\nUNSUB 1 2\r\n${'PUB u.b 1\r\nx\r\n'.repeat(4)}PING\r\n`),
        expect('MSG u.b 1 1\r\nx\r\nMSG u.b 1 1\r\nx\r\nPONG\r\n'),
      ],
    },
    {
      name: 'UNSUB max counts messages already delivered before the UNSUB',
      ref: 'client-protocol §6',
      steps: [
        info(),
        send(
          `${QUIET}SUB u.c 1\r\n${'PUB u.c 1\r\nx\r\n'.repeat(2)}UNSUB 1 3\r\n${'PUB u.c 1\r\ny\r\n'.repeat(3)}PING\r\n`,
        ),
        expect('MSG u.c 1 1\r\nx\r\nMSG u.c 1 1\r\nx\r\nMSG u.c 1 1\r\ny\r\nPONG\r\n'),
      ],
    },
    {
      name: 'UNSUB max ≤ already delivered removes the sub at once',
      ref: 'client-protocol §6',
      steps: [
        info(),
        send(`${QUIET}SUB u.d 1\r\n${'PUB u.d 1\r\nx\r\n'.repeat(2)}UNSUB 1 2\r\nPUB u.d 1\r\ny\r\nPING\r\n`),
        expect('MSG u.d 1 1\r\nx\r\nMSG u.d 1 1\r\nx\r\nPONG\r\n'),
      ],
    },
    {
      name: 'UNSUB <sid> 0 removes the sub at once',
      ref: 'client-protocol §6',
      steps: [info(), send(`${QUIET}SUB u.e 1\r\nUNSUB 1 0\r\nPUB u.e 1\r\nx\r\nPING\r\n`), expect('PONG\r\n')],
    },
    {
      name: 'UNSUB with a non-numeric max removes the sub at once',
      ref: 'client-protocol §6',
      steps: [info(), send(`${QUIET}SUB u.f 1\r\nUNSUB 1 abc\r\nPUB u.f 1\r\nx\r\nPING\r\n`), expect('PONG\r\n')],
    },
    {
      name: 'UNSUB of an unknown sid is silent without verbose',
      steps: [info(), send(`${QUIET}UNSUB nope\r\nPING\r\n`), expect('PONG\r\n'), nothing(50)],
    },
    {
      name: 'SUB with a reused sid is a silent no-op: the first subscription stays',
      ref: 'client-protocol §6',
      steps: [
        info(),
        send(`${QUIET}SUB u.g 1\r\nSUB u.h 1\r\nPUB u.h 1\r\nh\r\nPUB u.g 1\r\ng\r\nPING\r\n`),
        expect('MSG u.g 1 1\r\ng\r\nPONG\r\n'),
      ],
    },
    {
      name: 'a sid can be reused after UNSUB',
      steps: [
        info(),
        send(`${QUIET}SUB u.i 1\r\nUNSUB 1\r\nSUB u.j 1\r\nPUB u.i 1\r\ni\r\nPUB u.j 1\r\nj\r\nPING\r\n`),
        expect('MSG u.j 1 1\r\nj\r\nPONG\r\n'),
      ],
    },
    {
      name: 'auto-unsubscribe with a queue subscription',
      steps: [
        info(),
        send(`${QUIET}SUB u.k q 1\r\nUNSUB 1 1\r\n${'PUB u.k 1\r\nx\r\n'.repeat(3)}PING\r\n`),
        expect('MSG u.k 1 1\r\nx\r\nPONG\r\n'),
      ],
    },
    {
      name: 'sub limit is per subscription: UNSUB 1 1 leaves sid 2 on the same subject alone',
      steps: [
        info(),
        send(`${QUIET}SUB u.l 1\r\nSUB u.l 2\r\nUNSUB 1 1\r\nPUB u.l 1\r\nx\r\nPUB u.l 1\r\ny\r\nPING\r\n`),
        expect(
          /(MSG u\.l 1 1\r\nx\r\nMSG u\.l 2 1\r\nx\r\n|MSG u\.l 2 1\r\nx\r\nMSG u\.l 1 1\r\nx\r\n)MSG u\.l 2 1\r\ny\r\nPONG\r\n/,
        ),
      ],
    },
  ],
};
