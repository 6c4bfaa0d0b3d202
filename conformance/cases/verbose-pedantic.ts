// +OK placement (verbose) and pedantic publish-subject checks (client-protocol §10, §13).
import { type CaseGroup, err, expect, info, nothing, send } from '../src/case.js';

const V = 'CONNECT {"verbose":true}\r\n';
const VP = 'CONNECT {"verbose":true,"pedantic":true}\r\n';
const P = 'CONNECT {"verbose":false,"pedantic":true}\r\n';
const OK = '+OK\r\n';

export const verbosePedanticGroup: CaseGroup = {
  name: 'verbose-pedantic',
  cases: [
    {
      name: '+OK after CONNECT, SUB, PUB and UNSUB; never after PING or PONG',
      ref: 'client-protocol §10',
      steps: [
        info(),
        send(`${V}SUB vp.a 1\r\nPUB vp.b 0\r\n\r\nUNSUB 1\r\nPONG\r\nPING\r\n`),
        expect(`${OK}${OK}${OK}${OK}PONG\r\n`),
        nothing(50),
      ],
    },
    {
      name: '+OK after HPUB',
      steps: [
        info(),
        send('CONNECT {"verbose":true,"headers":true}\r\nHPUB vp.h 12 12\r\nNATS/1.0\r\n\r\n\r\nPING\r\n'),
        expect(`${OK}${OK}PONG\r\n`),
      ],
    },
    {
      name: "a PUB's +OK precedes the MSG it echoes back to the publisher",
      steps: [info(), send(`${V}SUB vp.e 1\r\nPUB vp.e 1\r\nx\r\n`), expect(`${OK}${OK}${OK}MSG vp.e 1 1\r\nx\r\n`)],
    },
    {
      name: '+OK for an UNSUB of an unknown sid',
      ref: 'client-protocol §6, §10',
      steps: [info(), send(`${V}UNSUB 99\r\nUNSUB 98 5\r\nPING\r\n`), expect(`${OK}${OK}${OK}PONG\r\n`)],
    },
    {
      name: '+OK for a SUB that reuses a sid (a no-op)',
      ref: 'client-protocol §6, §10',
      steps: [info(), send(`${V}SUB vp.c 1\r\nSUB vp.d 1\r\nPING\r\n`), expect(`${OK}${OK}${OK}PONG\r\n`)],
    },
    {
      name: 'no +OK after a SUB that got -ERR Invalid Subject',
      ref: 'client-protocol §10',
      steps: [info(), send(`${V}SUB vp.. 1\r\nPING\r\n`), expect(`${OK}-ERR 'Invalid Subject'\r\nPONG\r\n`)],
    },
    {
      name: 'pedantic + verbose: -ERR Invalid Publish Subject, then +OK, and the message is still routed',
      ref: 'client-protocol §10, §13',
      steps: [
        info(),
        send(`${VP}SUB vp.> 1\r\nPUB vp.* 1\r\nx\r\nPING\r\n`),
        expect(`${OK}${OK}-ERR 'Invalid Publish Subject'\r\n${OK}MSG vp.* 1 1\r\nx\r\nPONG\r\n`),
      ],
    },
    ...(
      [
        ['a * token', 'ped.*'],
        ['a > token', 'ped.>'],
        ['a lone >', '>'],
        ['a lone *', '*'],
        ['an empty middle token', 'ped..x'],
        ['a leading dot', '.ped'],
        ['a trailing dot', 'ped.'],
      ] as const
    ).map(([what, subject]) => ({
      name: `pedantic rejects ${what} in a PUB subject (${subject}) and keeps the connection`,
      ref: 'client-protocol §13',
      steps: [info(), send(`${P}PUB ${subject} 0\r\n\r\nPING\r\n`), err('Invalid Publish Subject'), expect('PONG\r\n')],
    })),
    {
      name: 'pedantic accepts literal tokens containing * or > (a*b, a>)',
      ref: 'client-protocol §13',
      steps: [info(), send(`${P}PUB ped.a*b 0\r\n\r\nPUB ped.a> 0\r\n\r\nPING\r\n`), expect('PONG\r\n')],
    },
    {
      name: 'pedantic:false performs no PUB subject check',
      steps: [
        info(),
        send('CONNECT {"verbose":false,"pedantic":false}\r\nPUB np.* 0\r\n\r\nPUB np..x 0\r\n\r\nPING\r\n'),
        expect('PONG\r\n'),
      ],
    },
    {
      name: 'pedantic does not change SUB validation (same -ERR Invalid Subject)',
      steps: [info(), send(`${P}SUB foo.>.bar 1\r\nPING\r\n`), err('Invalid Subject'), expect('PONG\r\n')],
    },
    {
      name: 'no +OK after a publish with a reserved reply prefix (permission violation)',
      ref: 'client-protocol §5, §10',
      steps: [
        info(),
        send(`${V}PUB vp.r _R_.x 0\r\n\r\nPING\r\n`),
        expect(`${OK}-ERR 'Permissions Violation for Publish with Reply of "_R_.x"'\r\nPONG\r\n`),
      ],
    },
  ],
};
