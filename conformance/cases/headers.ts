// HPUB / HMSG, header stripping, and the 503 no-responders status (client-protocol §5, §7, §8).
import { type CaseGroup, closed, expect, info, nothing, send } from '../src/case.js';

const H = 'CONNECT {"verbose":false,"headers":true}\r\n';
const NR = 'CONNECT {"verbose":false,"headers":true,"no_responders":true}\r\n';
const HDR = 'NATS/1.0\r\nA: B\r\n\r\n'; // 18 bytes
const NO_RESPONDERS = (reply: string, sid: string): string => `HMSG ${reply} ${sid} 16 16\r\nNATS/1.0 503\r\n\r\n\r\n`;

export const headersGroup: CaseGroup = {
  name: 'headers',
  cases: [
    {
      name: 'HPUB → HMSG <subject> <sid> <hdr> <total>',
      ref: 'client-protocol §5, §7',
      steps: [
        info(),
        send(`${H}SUB h.a 1\r\nHPUB h.a 18 20\r\n${HDR}hi\r\nPING\r\n`),
        expect(`HMSG h.a 1 18 20\r\n${HDR}hi\r\nPONG\r\n`),
      ],
    },
    {
      name: 'HPUB with reply → HMSG <subject> <sid> <reply> <hdr> <total>',
      steps: [
        info(),
        send(`${H}SUB h.b 2\r\nHPUB h.b rep 18 18\r\n${HDR}\r\nPING\r\n`),
        expect(`HMSG h.b 2 rep 18 18\r\n${HDR}\r\nPONG\r\n`),
      ],
    },
    {
      name: 'HMSG size tokens are copied verbatim (leading zeros survive)',
      ref: 'client-protocol §7',
      steps: [
        info(),
        send(`${H}SUB h.c 1\r\nHPUB h.c r 0018 00020\r\n${HDR}hi\r\nPING\r\n`),
        expect(`HMSG h.c 1 r 0018 00020\r\n${HDR}hi\r\nPONG\r\n`),
      ],
    },
    {
      name: 'a subscriber without headers:true gets MSG with the header block stripped and the size recomputed',
      ref: 'client-protocol §7',
      async run(ctx) {
        const plain = await ctx.client({ verbose: false });
        const hdr = await ctx.client({ verbose: false, headers: true });
        plain.send('SUB h.d 1\r\n');
        await plain.ping();
        hdr.send(`SUB h.d 2\r\nHPUB h.d r 18 23\r\n${HDR}hello\r\nPING\r\n`);
        await hdr.expect(`HMSG h.d 2 r 18 23\r\n${HDR}hello\r\nPONG\r\n`);
        await plain.expect('MSG h.d 1 r 5\r\nhello\r\n');
      },
    },
    {
      name: 'stripping also applies with leading-zero size tokens',
      async run(ctx) {
        const plain = await ctx.client({ verbose: false });
        const hdr = await ctx.client({ verbose: false, headers: true });
        plain.send('SUB h.d0 1\r\n');
        await plain.ping();
        hdr.send(`HPUB h.d0 0018 00023\r\n${HDR}hello\r\nPING\r\n`);
        await hdr.expect('PONG\r\n');
        await plain.expect('MSG h.d0 1 5\r\nhello\r\n');
      },
    },
    {
      name: 'HPUB with header size 0 is delivered as a plain MSG',
      ref: 'client-protocol §5',
      steps: [
        info(),
        send(`${H}SUB h.e 1\r\nHPUB h.e 0 5\r\nhello\r\nPING\r\n`),
        expect('MSG h.e 1 5\r\nhello\r\nPONG\r\n'),
      ],
    },
    {
      name: 'header bytes are not validated',
      ref: 'client-protocol §5',
      steps: [
        info(),
        send(`${H}SUB h.f 1\r\nHPUB h.f 5 5\r\nXYZ\r\n\r\nPING\r\n`),
        expect('HMSG h.f 1 5 5\r\nXYZ\r\n\r\nPONG\r\n'),
      ],
    },
    {
      name: 'HPUB without headers:true in CONNECT closes silently',
      ref: 'client-protocol §5',
      steps: [info(), send(`CONNECT {"verbose":false}\r\nHPUB h.g 18 18\r\n${HDR}\r\n`), closed()],
    },
    {
      name: 'HPUB before any CONNECT closes silently (headers default false)',
      steps: [info(), send(`HPUB h.g 18 18\r\n${HDR}\r\n`), closed()],
    },
    {
      name: 'HPUB with header size > total closes silently',
      ref: 'client-protocol §5',
      steps: [info(), send(`${H}HPUB h.h 20 18\r\n`), closed()],
    },
    {
      name: 'HPUB with one size only closes silently',
      steps: [info(), send(`${H}HPUB h.i 18\r\n`), closed()],
    },
    {
      name: 'HPUB with too many arguments closes silently',
      steps: [info(), send(`${H}HPUB h.i a b 1 2\r\n`), closed()],
    },
    {
      name: 'no_header_support: HPUB closes silently even with headers:true',
      config: 'no_header_support: true\n',
      steps: [info(), send(`${H}HPUB h.j 18 18\r\n${HDR}\r\n`), closed()],
    },
    {
      name: '503: [2.9] HMSG <reply> <sid> 16 16 with a bare NATS/1.0 503 header',
      ref: 'client-protocol §8',
      steps: [
        info(),
        send(`${NR}SUB nr.inbox.1 9\r\nPUB nr.nobody nr.inbox.1 0\r\n\r\nPING\r\n`),
        expect(`${NO_RESPONDERS('nr.inbox.1', '9')}PONG\r\n`),
      ],
    },
    {
      name: '503 also answers an HPUB request',
      steps: [
        info(),
        send(`${NR}SUB nr.inbox.2 1\r\nHPUB nr.nobody nr.inbox.2 18 20\r\n${HDR}hi\r\nPING\r\n`),
        expect(`${NO_RESPONDERS('nr.inbox.2', '1')}PONG\r\n`),
      ],
    },
    {
      name: '503 goes to a wildcard reply subscription, with the concrete reply subject',
      steps: [
        info(),
        send(`${NR}SUB nr.wild.> 3\r\nPUB nr.nobody nr.wild.abc 0\r\n\r\nPING\r\n`),
        expect(`${NO_RESPONDERS('nr.wild.abc', '3')}PONG\r\n`),
      ],
    },
    {
      name: 'no 503 without a reply subject',
      steps: [info(), send(`${NR}SUB nr.x 1\r\nPUB nr.nobody 0\r\n\r\nPING\r\n`), expect('PONG\r\n'), nothing(50)],
    },
    {
      name: 'no 503 when the publisher has no subscription on the reply subject',
      ref: 'client-protocol §8',
      steps: [info(), send(`${NR}PUB nr.nobody nr.inbox.none 0\r\n\r\nPING\r\n`), expect('PONG\r\n'), nothing(50)],
    },
    {
      name: 'no 503 when the only subscription on the reply subject is a queue subscription',
      ref: 'client-protocol §8',
      steps: [
        info(),
        send(`${NR}SUB nr.inbox.q q 1\r\nPUB nr.nobody nr.inbox.q 0\r\n\r\nPING\r\n`),
        expect('PONG\r\n'),
        nothing(50),
      ],
    },
    {
      name: 'no 503 without no_responders in CONNECT',
      steps: [
        info(),
        send(`${H}SUB nr.inbox.3 1\r\nPUB nr.nobody nr.inbox.3 0\r\n\r\nPING\r\n`),
        expect('PONG\r\n'),
        nothing(50),
      ],
    },
    {
      name: 'no 503 when someone receives the request',
      async run(ctx) {
        const responder = await ctx.client();
        responder.send('SUB nr.svc 1\r\n');
        await responder.ping();
        const req = await ctx.client({ verbose: false, headers: true, no_responders: true });
        req.send('SUB nr.inbox.4 1\r\nPUB nr.svc nr.inbox.4 2\r\nhi\r\n');
        await req.ping();
        await responder.expect('MSG nr.svc 1 nr.inbox.4 2\r\nhi\r\n');
        await req.expectNothing(50);
      },
    },
    {
      name: 'a request received by the publisher itself (echo) is not a no-responders case',
      steps: [
        info(),
        send(`${NR}SUB nr.self 1\r\nSUB nr.inbox.5 2\r\nPUB nr.self nr.inbox.5 0\r\n\r\nPING\r\n`),
        expect('MSG nr.self 1 nr.inbox.5 0\r\n\r\nPONG\r\n'),
      ],
    },
  ],
};
