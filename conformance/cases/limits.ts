// max_payload, max_control_line, max_connections, max_subscriptions (client-protocol §1, §2, §6, §11, §14).
import { type CaseGroup, closed, err, expect, info, nothing, QUIET, send } from '../src/case.js';
import { startTarget } from '../src/targets.js';
import { WireError } from '../src/wire.js';

const MCL = 'max_control_line: 32\n';
const A30 = 'a'.repeat(30);
const A31 = 'a'.repeat(31);
const MAX_CL = 'maximum control line exceeded';
const MAX_PAYLOAD = 'Maximum Payload Violation';

export const limitsGroup: CaseGroup = {
  name: 'limits',
  cases: [
    // ---- max_payload ----
    {
      name: 'max_payload: a PUB of exactly max_payload bytes is delivered',
      config: 'max_payload: 100\n',
      steps: [
        info(),
        send(`${QUIET}SUB mp.a 1\r\nPUB mp.a 100\r\n${'x'.repeat(100)}\r\nPING\r\n`),
        expect(`MSG mp.a 1 100\r\n${'x'.repeat(100)}\r\nPONG\r\n`),
      ],
    },
    {
      name: 'max_payload: one byte over → -ERR Maximum Payload Violation and close, before the payload is sent',
      ref: 'client-protocol §1, §11',
      config: 'max_payload: 100\n',
      steps: [info(), send(`${QUIET}PUB mp.b 101\r\n`), err(MAX_PAYLOAD), closed()],
    },
    {
      name: 'max_payload: HPUB total over the limit → -ERR Maximum Payload Violation, close',
      config: 'max_payload: 100\n',
      steps: [
        info(),
        send('CONNECT {"verbose":false,"headers":true}\r\nHPUB mp.c 12 101\r\n'),
        err(MAX_PAYLOAD),
        closed(),
      ],
    },
    {
      name: 'max_payload: HPUB total exactly at the limit is delivered',
      config: 'max_payload: 100\n',
      steps: [
        info(),
        send(
          `CONNECT {"verbose":false,"headers":true}\r\nSUB mp.d 1\r\nHPUB mp.d 12 100\r\nNATS/1.0\r\n\r\n${'y'.repeat(88)}\r\n`,
        ),
        send('PING\r\n'),
        expect(`HMSG mp.d 1 12 100\r\nNATS/1.0\r\n\r\n${'y'.repeat(88)}\r\nPONG\r\n`),
      ],
    },
    {
      name: 'max_payload: the default is 1048576 (1 MiB is accepted, 1 MiB + 1 is not)',
      async run(ctx) {
        const ok = await ctx.client();
        ok.send(`SUB mp.e 1\r\nPUB mp.e 1048576\r\n${'z'.repeat(1048576)}\r\n`);
        const f = await ok.nextFrame(5000);
        if (f.op !== 'MSG' || f.payload.length !== 1048576) throw new WireError(`got ${f.raw.slice(0, 60)}`);
        const bad = await ctx.client();
        bad.send('PUB mp.e 1048577\r\n');
        await bad.expect(`-ERR '${MAX_PAYLOAD}'\r\n`);
        await bad.expectClosed();
      },
    },
    {
      name: 'size tokens: at most 9 characters are parsed; a 9-char token with leading zeros is fine',
      steps: [
        info(),
        send(`${QUIET}SUB mp.f 1\r\nPUB mp.f 000000005\r\nhello\r\nPING\r\n`),
        expect('MSG mp.f 1 000000005\r\nhello\r\nPONG\r\n'),
      ],
    },
    {
      name: 'size tokens: 10 or more characters → silent close, even when the value is small (0000000005)',
      steps: [info(), send(`${QUIET}PUB mp.g 0000000005\r\nhello\r\n`), closed()],
    },
    {
      name: 'size tokens: a 9-digit size over max_payload → Maximum Payload Violation',
      steps: [info(), send(`${QUIET}PUB mp.h 999999999\r\n`), err(MAX_PAYLOAD), closed()],
    },
    {
      name: 'size tokens: HPUB with a 10+ character header size → silent close',
      steps: [info(), send('CONNECT {"verbose":false,"headers":true}\r\nHPUB mp.i 0000000012 14\r\n'), closed()],
    },
    {
      name: 'max_payload may not exceed max_pending: the server refuses to start',
      ref: 'client-protocol §12',
      async run(ctx) {
        let started = false;
        try {
          const t = await startTarget(ctx.kind, { config: 'max_pending: 65536\n', readyTimeoutMs: 5000 });
          started = true;
          await t.stop();
        } catch (e) {
          const msg = (e as Error).message;
          if (!msg.includes('max_payload (1048576) cannot be higher than max_pending (65536)')) {
            throw new WireError(`startup failed, but not with the max_pending message:\n${msg}`);
          }
        }
        if (started) throw new WireError('server started with max_payload > max_pending');
      },
    },

    // ---- max_control_line: only the argument bytes count ----
    {
      name: 'max_control_line: an argument of exactly the limit is accepted',
      ref: 'client-protocol §1',
      config: MCL,
      steps: [
        info(),
        send(`${QUIET}SUB ${A30} 1\r\nPUB ${A30} 1\r\nx\r\nPING\r\n`),
        expect(`MSG ${A30} 1 1\r\nx\r\nPONG\r\n`),
      ],
    },
    {
      name: 'max_control_line: one byte over → -ERR maximum control line exceeded, close',
      ref: 'client-protocol §1, §11',
      config: MCL,
      steps: [info(), send(`${QUIET}SUB ${A31} 1\r\n`), err(MAX_CL), closed()],
    },
    {
      name: 'max_control_line: the blanks between op and argument do not count',
      config: MCL,
      steps: [info(), send(`${QUIET}SUB      \t   ${A30} 1\r\nPING\r\n`), expect('PONG\r\n')],
    },
    {
      name: 'max_control_line: a bare-LF line is counted the same way',
      config: MCL,
      steps: [info(), send(`${QUIET}SUB ${A30} 1\nPING\n`), expect('PONG\r\n')],
    },
    {
      name: 'max_control_line: PUB arguments count subject, reply and size',
      config: MCL,
      steps: [info(), send(`${QUIET}PUB ${'b'.repeat(30)} 10\r\n`), err(MAX_CL), closed()],
    },
    {
      name: 'max_control_line: a never-ending argument is caught without a line end',
      ref: 'client-protocol §1',
      config: MCL,
      steps: [info(), send(`${QUIET}SUB ${'c'.repeat(200)}`), err(MAX_CL), closed()],
    },
    {
      name: 'max_control_line: UNSUB arguments count too',
      config: MCL,
      steps: [info(), send(`${QUIET}UNSUB ${'e'.repeat(33)}\r\n`), err(MAX_CL), closed()],
    },
    {
      name: 'max_control_line: bytes after PING or +OK are not arguments and are not limited',
      config: MCL,
      steps: [
        info(),
        send(`${QUIET}PING${'x'.repeat(100)}\r\n+OK${'y'.repeat(100)}\r\nPING\r\n`),
        expect('PONG\r\nPONG\r\n'),
      ],
    },
    {
      name: 'max_control_line: a CONNECT argument over the limit → -ERR, close',
      config: MCL,
      steps: [info(), send('CONNECT {"verbose":false,"name":"a-rather-long-client-name"}\r\n'), err(MAX_CL), closed()],
    },
    {
      name: 'max_control_line: default 4096 (4096-byte argument accepted, 4097 refused)',
      async run(ctx) {
        const subj = 'd'.repeat(4094);
        const ok = await ctx.client();
        ok.send(`SUB ${subj} 1\r\nPING\r\n`);
        await ok.expect('PONG\r\n');
        const bad = await ctx.client();
        bad.send(`SUB ${subj}d 1\r\n`);
        await bad.expect(`-ERR '${MAX_CL}'\r\n`);
        await bad.expectClosed();
      },
    },

    // ---- max_subscriptions ----
    {
      name: 'max_subscriptions: the next SUB → -ERR maximum subscriptions exceeded, connection kept, sub not created',
      ref: 'client-protocol §6, §11',
      config: 'max_subscriptions: 2\n',
      steps: [
        info(),
        send(`${QUIET}SUB ms.a 1\r\nSUB ms.b 2\r\nSUB ms.c 3\r\nPUB ms.c 0\r\n\r\nPING\r\n`),
        err('maximum subscriptions exceeded'),
        expect('PONG\r\n'),
        nothing(50),
      ],
    },
    {
      name: 'max_subscriptions: no +OK after the refused SUB in verbose mode',
      config: 'max_subscriptions: 2\n',
      steps: [
        info(),
        send('CONNECT {}\r\nSUB ms.a 1\r\nSUB ms.b 2\r\nSUB ms.c 3\r\nPING\r\n'),
        expect("+OK\r\n+OK\r\n+OK\r\n-ERR 'maximum subscriptions exceeded'\r\nPONG\r\n"),
      ],
    },
    {
      name: 'max_subscriptions: after an UNSUB a new SUB fits again',
      config: 'max_subscriptions: 2\n',
      steps: [
        info(),
        send(`${QUIET}SUB ms.a 1\r\nSUB ms.b 2\r\nUNSUB 1\r\nSUB ms.c 3\r\nPUB ms.c 0\r\n\r\nPING\r\n`),
        expect('MSG ms.c 3 0\r\n\r\nPONG\r\n'),
      ],
    },
    {
      name: 'max_subscriptions: the limit is checked before the reused-sid no-op (a reused sid at the limit gets -ERR)',
      config: 'max_subscriptions: 2\n',
      steps: [
        info(),
        send(`${QUIET}SUB ms.a 1\r\nSUB ms.b 2\r\nSUB ms.z 2\r\nPUB ms.b 0\r\n\r\nPING\r\n`),
        err('maximum subscriptions exceeded'),
        expect('MSG ms.b 2 0\r\n\r\nPONG\r\n'),
      ],
    },
    {
      name: 'max_subscriptions is per connection',
      config: 'max_subscriptions: 1\n',
      async run(ctx) {
        const a = await ctx.client();
        const b = await ctx.client();
        a.send('SUB ms.x 1\r\n');
        await a.ping();
        b.send('SUB ms.x 1\r\n');
        await b.ping();
      },
    },

    // ---- max_connections ----
    {
      name: 'max_connections: the connection over the limit gets INFO, then -ERR maximum connections exceeded, then close',
      ref: 'client-protocol §2.2',
      config: 'max_connections: 2\n',
      isolated: true,
      async run(ctx) {
        const a = await ctx.client();
        const b = await ctx.client();
        const c = await ctx.connect();
        await c.expectInfo();
        await c.expect("-ERR 'maximum connections exceeded'\r\n");
        await c.expectClosed();
        await a.ping();
        await b.ping();
        a.close();
        // Once a slot is free a new client gets in.
        for (let i = 0; ; i++) {
          await new Promise((r) => setTimeout(r, 50));
          const d = await ctx.connect();
          await d.expectInfo();
          d.send(`${QUIET}PING\r\n`);
          const line = await d.expectLine();
          if (line === 'PONG\r\n') break;
          if (i > 20) throw new WireError(`no slot after closing a client: ${line}`);
        }
      },
    },
  ],
};
