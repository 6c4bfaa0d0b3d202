// CONNECT: defaults applied under the JSON, unknown keys, bad JSON, protocol, no_responders,
// account keys, ops before CONNECT (client-protocol §2, §4).
import { type CaseGroup, closed, err, expect, info, nothing, QUIET, send } from '../src/case.js';

export const connectGroup: CaseGroup = {
  name: 'connect',
  cases: [
    {
      name: 'CONNECT {} defaults verbose:true → +OK',
      ref: 'client-protocol §4',
      steps: [info(), send('CONNECT {}\r\n'), expect('+OK\r\n'), nothing(50)],
    },
    {
      name: 'CONNECT {} defaults pedantic:true → Invalid Publish Subject for a wildcard PUB',
      ref: 'client-protocol §4, §13',
      steps: [
        info(),
        send('CONNECT {"verbose":false}\r\nPUB foo.* 0\r\n\r\nPING\r\n'),
        err('Invalid Publish Subject'),
        expect('PONG\r\n'),
      ],
    },
    {
      name: 'CONNECT {} defaults echo:true → own messages come back',
      ref: 'client-protocol §4',
      steps: [
        info(),
        send('CONNECT {"verbose":false}\r\nSUB echo.default 1\r\nPUB echo.default 2\r\nhi\r\nPING\r\n'),
        expect('MSG echo.default 1 2\r\nhi\r\nPONG\r\n'),
      ],
    },
    {
      name: 'verbose:false suppresses +OK',
      steps: [info(), send(`${QUIET}SUB a 1\r\nUNSUB 1\r\nPUB a 0\r\n\r\nPING\r\n`), expect('PONG\r\n'), nothing(50)],
    },
    {
      name: 'unknown CONNECT keys are ignored',
      ref: 'client-protocol §4',
      steps: [
        info(),
        send('CONNECT {"verbose":false,"foo":1,"bar":{"x":[1,2,null]},"lang":"x","version":"9"}\r\nPING\r\n'),
        expect('PONG\r\n'),
      ],
    },
    {
      name: 'CONNECT with invalid JSON closes silently',
      ref: 'client-protocol §4',
      steps: [info(), send('CONNECT {verbose:false\r\n'), closed()],
    },
    {
      name: 'CONNECT with a JSON type mismatch closes silently',
      ref: 'client-protocol §4',
      steps: [info(), send('CONNECT {"verbose":"yes"}\r\n'), closed()],
    },
    {
      name: 'CONNECT with no JSON at all closes silently',
      ref: 'client-protocol §4',
      steps: [info(), send('CONNECT\r\n'), closed()],
    },
    {
      name: 'CONNECT may be followed directly by the JSON (no blank)',
      ref: 'client-protocol §1',
      steps: [info(), send('CONNECT{"verbose":false}\r\nPING\r\n'), expect('PONG\r\n')],
    },
    {
      name: 'lower-case connect works',
      steps: [info(), send('connect {}\r\nping\r\n'), expect('+OK\r\nPONG\r\n')],
    },
    {
      name: 'protocol 0 and 1 are accepted',
      async run(ctx) {
        await ctx.client({ verbose: false, protocol: 0 });
        await ctx.client({ verbose: false, protocol: 1 });
        await ctx.client({ protocol: 1 });
      },
    },
    {
      name: 'protocol 2 → -ERR invalid client protocol, close',
      ref: 'client-protocol §4',
      steps: [info(), send('CONNECT {"protocol":2}\r\n'), err('invalid client protocol'), closed()],
    },
    {
      name: 'protocol -1 → -ERR invalid client protocol, close',
      ref: 'client-protocol §4',
      steps: [info(), send('CONNECT {"protocol":-1}\r\n'), err('invalid client protocol'), closed()],
    },
    {
      name: 'no_responders without headers → -ERR, close',
      ref: 'client-protocol §4',
      steps: [
        info(),
        send('CONNECT {"no_responders":true}\r\n'),
        err('no responders requires headers support'),
        closed(),
      ],
    },
    {
      name: 'no_responders with headers is accepted',
      steps: [info(), send('CONNECT {"no_responders":true,"headers":true}\r\n'), expect('+OK\r\n')],
    },
    {
      name: '"account" in CONNECT → Authorization Violation, close',
      ref: 'client-protocol §4',
      steps: [info(), send('CONNECT {"account":"A"}\r\n'), err('Authorization Violation'), closed()],
    },
    {
      name: '"new_account" in CONNECT → Authorization Violation, close',
      ref: 'client-protocol §4',
      steps: [info(), send('CONNECT {"new_account":true}\r\n'), err('Authorization Violation'), closed()],
    },
    {
      name: 'credentials sent to a server without auth are ignored',
      ref: 'auth §1',
      steps: [
        info(),
        send('CONNECT {"verbose":false,"user":"x","pass":"y","auth_token":"t"}\r\nPING\r\n'),
        expect('PONG\r\n'),
      ],
    },
    {
      name: 'a jwt outside operator mode is discarded',
      ref: 'client-protocol §4',
      steps: [info(), send('CONNECT {"verbose":false,"jwt":"not.a.jwt"}\r\nPING\r\n'), expect('PONG\r\n')],
    },
    {
      name: 'without auth, ops before CONNECT are accepted with default verbose +OK',
      ref: 'client-protocol §2.4',
      steps: [
        info(),
        send('SUB pre.connect 1\r\nPUB pre.connect 2\r\nhi\r\nPING\r\n'),
        expect('+OK\r\n+OK\r\nMSG pre.connect 1 2\r\nhi\r\nPONG\r\n'),
      ],
    },
    {
      name: 'a second CONNECT is processed; [2.9] subscriptions survive it',
      ref: 'client-protocol §2.6',
      steps: [
        info(),
        send(`${QUIET}SUB twice 1\r\nCONNECT {"verbose":true}\r\nPUB twice 1\r\nx\r\nPING\r\n`),
        expect('+OK\r\n+OK\r\nMSG twice 1 1\r\nx\r\nPONG\r\n'),
      ],
    },
    {
      name: 'a second CONNECT applies its JSON over the current options, not the defaults',
      steps: [info(), send(`${QUIET}CONNECT {}\r\nSUB again 1\r\nPING\r\n`), expect('PONG\r\n'), nothing(50)],
    },
  ],
};
