// PING/PONG, case-insensitive ops, line endings, trailing bytes (client-protocol §1, §9).
import { type CaseGroup, expect, info, nothing, QUIET, send } from '../src/case.js';

export const pingPongGroup: CaseGroup = {
  name: 'ping-pong',
  cases: [
    { name: 'PING → PONG', steps: [info(), send(`${QUIET}PING\r\n`), expect('PONG\r\n'), nothing(30)] },
    {
      name: 'PING before CONNECT (no auth) → PONG',
      ref: 'client-protocol §9',
      steps: [info(), send('PING\r\n'), expect('PONG\r\n')],
    },
    {
      name: '[2.9] protocol 1: the first PING gets only a PONG (no INFO when nothing changed)',
      ref: 'client-protocol §3',
      steps: [info(), send('CONNECT {"verbose":false,"protocol":1}\r\nPING\r\n'), expect('PONG\r\n'), nothing(100)],
    },
    {
      name: 'several PINGs in one write → as many PONGs',
      steps: [info(), send(`${QUIET}PING\r\nPING\r\nPING\r\n`), expect('PONG\r\nPONG\r\nPONG\r\n'), nothing(30)],
    },
    {
      name: 'ping with a bare LF',
      ref: 'client-protocol §1',
      steps: [info(), send(`${QUIET}ping\n`), expect('PONG\r\n')],
    },
    {
      name: 'bytes after PING up to the LF are ignored (PINGxyz, PING + blank)',
      ref: 'client-protocol §1',
      steps: [info(), send(`${QUIET}PINGxyz\r\nPING \r\nPING\tfoo bar\r\n`), expect('PONG\r\nPONG\r\nPONG\r\n')],
    },
    {
      name: 'a client PONG (with or without trailing bytes) gets no answer',
      steps: [info(), send(`${QUIET}PONG\r\nPONGabc\r\npong\n`), nothing(50), send('PING\r\n'), expect('PONG\r\n')],
    },
    {
      name: 'a client +OK is ignored',
      ref: 'client-protocol §1',
      steps: [info(), send(`${QUIET}+OK\r\n+ok\r\nPING\r\n`), expect('PONG\r\n'), nothing(30)],
    },
    {
      name: 'op names are case-insensitive (sub, Pub, uNsUb, pInG)',
      ref: 'client-protocol §1',
      steps: [
        info(),
        send('cOnNeCt {"verbose":false}\r\nsub ci.a 1\r\nPub ci.a 1\r\nx\r\nuNsUb 1\r\npub ci.a 1\r\ny\r\npInG\r\n'),
        expect('MSG ci.a 1 1\r\nx\r\nPONG\r\n'),
      ],
    },
    {
      name: 'hpub is case-insensitive too',
      steps: [
        info(),
        send(
          'CONNECT {"verbose":false,"headers":true}\r\nSUB ci.h 1\r\nhPuB ci.h 12 12\r\nNATS/1.0\r\n\r\n\r\nPING\r\n',
        ),
        expect('HMSG ci.h 1 12 12\r\nNATS/1.0\r\n\r\n\r\nPONG\r\n'),
      ],
    },
    {
      name: 'SUB and UNSUB arguments tolerate a trailing blank before CRLF',
      steps: [
        info(),
        send(`${QUIET}SUB tb.a 1 \r\nPUB tb.a 0 \r\n\r\nUNSUB 1 \r\nPUB tb.a 0\r\n\r\nPING\r\n`),
        expect('MSG tb.a 1 0\r\n\r\nPONG\r\n'),
      ],
    },
  ],
};
