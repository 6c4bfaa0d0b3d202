// The -ERR catalogue of a core server and which errors close (client-protocol §1, §5, §6, §11).
import { type CaseGroup, closed, err, expect, info, nothing, QUIET, send } from '../src/case.js';

const UNKNOWN = 'Unknown Protocol Operation';

const unknownOp = (what: string, bytes: string) => ({
  name: `${what} → -ERR '${UNKNOWN}', close`,
  ref: 'client-protocol §1, §11',
  steps: [info(), send(`${QUIET}${bytes}`), err(UNKNOWN), closed()],
});

const silentClose = (what: string, bytes: string, connect = QUIET) => ({
  name: `${what} → silent close (no -ERR)`,
  ref: 'client-protocol §11',
  steps: [info(), send(`${connect}${bytes}`), closed()],
});

export const errorsGroup: CaseGroup = {
  name: 'errors',
  cases: [
    unknownOp('an unknown op', 'FOO bar\r\n'),
    unknownOp('an unknown first letter', 'X\r\n'),
    unknownOp('a client-sent MSG', 'MSG foo 1 0\r\n\r\n'),
    // 2.9.10 quirk: a client-sent HMSG line is accepted by the parser but its arguments are never
    // parsed for a client, so its payload is taken as empty: it must be followed by a bare CRLF
    // (then it is swallowed); payload bytes there are a protocol error.
    unknownOp('a client-sent HMSG followed by payload bytes', 'HMSG foo 1 2 2\r\nab\r\n'),
    {
      name: '[2.9 quirk] a client-sent HMSG line followed by a bare CRLF is swallowed: nothing delivered, +OK in verbose',
      steps: [
        info(),
        send('CONNECT {"verbose":true}\r\nSUB foo 1\r\nHMSG foo 1 5 5\r\n\r\nHMSG x\r\n\r\nPING\r\n'),
        expect('+OK\r\n+OK\r\n+OK\r\n+OK\r\nPONG\r\n'),
        nothing(50),
      ],
    },
    unknownOp('an empty line (CRLF alone)', '\r\n'),
    unknownOp('a blank before the op', ' PING\r\n'),
    unknownOp('a client-sent LS+', 'LS+ foo\r\n'),
    unknownOp('a client-sent RS+', 'RS+ $G foo\r\n'),
    unknownOp('a client-sent A+', 'A+ foo\r\n'),
    unknownOp('a payload longer than its size', 'PUB foo 2\r\nabc\r\n'),
    unknownOp('a payload ended by a bare LF', 'PUB foo 3\r\nabc\n'),
    unknownOp('a payload ended by a bare CR + other byte', 'PUB foo 3\r\nabc\rX'),
    unknownOp('PUB with no blank after the op', 'PUBfoo 0\r\n\r\n'),
    unknownOp('SUB with no blank after the op', 'SUBfoo 1\r\n'),
    unknownOp('a truncated op name followed by LF', 'PU\r\n'),
    {
      name: 'ops before the bad one are fully processed',
      steps: [
        info(),
        send(`${QUIET}SUB e.pre 1\r\nPUB e.pre 1\r\nx\r\nBAD\r\n`),
        expect('MSG e.pre 1 1\r\nx\r\n'),
        err(UNKNOWN),
        closed(),
      ],
    },
    {
      name: 'a client-sent -ERR closes the connection silently',
      ref: 'client-protocol §1',
      steps: [info(), send(`${QUIET}-ERR 'oops'\r\n`), closed()],
    },
    silentClose('PUB with one argument', 'PUB foo\r\n'),
    silentClose('PUB with four arguments', 'PUB foo a b 1\r\n'),
    silentClose('PUB with a negative size', 'PUB foo -1\r\n'),
    silentClose('PUB with a non-numeric size', 'PUB foo abc\r\n'),
    silentClose('PUB with no arguments', 'PUB \r\n'),
    silentClose('SUB with one argument', 'SUB foo\r\n'),
    silentClose('SUB with four arguments', 'SUB foo q 1 extra\r\n'),
    silentClose('UNSUB with no arguments', 'UNSUB \r\n'),
    silentClose('UNSUB with three arguments', 'UNSUB 1 2 3\r\n'),
    silentClose('bad PUB arguments before CONNECT', 'PUB foo\r\n', ''),
    ...(
      [
        ['an empty token', 'e.a..b'],
        ['a leading dot', '.e'],
        ['a trailing dot', 'e.'],
        ['a token after >', 'e.>.x'],
        ['a lone dot', '.'],
      ] as const
    ).map(([what, subject]) => ({
      name: `SUB with ${what} (${subject}) → -ERR 'Invalid Subject', connection kept`,
      ref: 'client-protocol §6',
      steps: [info(), send(`${QUIET}SUB ${subject} 1\r\nPING\r\n`), err('Invalid Subject'), expect('PONG\r\n')],
    })),
    {
      name: 'a SUB refused as Invalid Subject creates no subscription (its sid stays free)',
      steps: [
        info(),
        send(`${QUIET}SUB e.b. 1\r\nSUB e.b 1\r\nPUB e.b 0\r\n\r\nPING\r\n`),
        err('Invalid Subject'),
        expect('MSG e.b 1 0\r\n\r\nPONG\r\n'),
      ],
    },
    ...(
      [
        ['_R_.', '_R_.abc'],
        ['$JS.ACK.', '$JS.ACK.stream.x'],
        ['_GR_.', '_GR_.x.y'],
      ] as const
    ).map(([prefix, reply]) => ({
      name: `reply subject with reserved prefix ${prefix} → -ERR Permissions Violation, dropped, connection kept`,
      ref: 'client-protocol §5',
      steps: [
        info(),
        send(`${QUIET}SUB e.r 1\r\nPUB e.r ${reply} 0\r\n\r\nPING\r\n`),
        err(`Permissions Violation for Publish with Reply of "${reply}"`),
        expect('PONG\r\n'),
        nothing(30),
      ],
    })),
    {
      name: 'reply "$JS.ACK." of exactly 8 bytes is not reserved',
      ref: 'client-protocol §5',
      steps: [
        info(),
        send(`${QUIET}SUB e.s 1\r\nPUB e.s $JS.ACK. 0\r\n\r\nPING\r\n`),
        expect('MSG e.s 1 $JS.ACK. 0\r\n\r\nPONG\r\n'),
      ],
    },
    {
      name: 'reply "_R_" without the dot is not reserved',
      steps: [
        info(),
        send(`${QUIET}SUB e.t 1\r\nPUB e.t _R_ 0\r\n\r\nPING\r\n`),
        expect('MSG e.t 1 _R_ 0\r\n\r\nPONG\r\n'),
      ],
    },
    {
      name: 'publishing to a _GR_. subject → -ERR Permissions Violation for Publish to, dropped',
      ref: 'client-protocol §5',
      steps: [
        info(),
        send(`${QUIET}SUB _GR_.> 1\r\nPUB _GR_.x 0\r\n\r\nPING\r\n`),
        err('Permissions Violation for Publish to "_GR_.x"'),
        expect('PONG\r\n'),
        nothing(30),
      ],
    },
    {
      name: 'permission-error subjects are Go %q-quoted (embedded quote and backslash escaped)',
      ref: 'client-protocol §11',
      steps: [
        info(),
        send(`${QUIET}PUB e.q _R_."a\\b 0\r\n\r\nPING\r\n`),
        err('Permissions Violation for Publish with Reply of "_R_.\\"a\\\\b"'),
        expect('PONG\r\n'),
      ],
    },
  ],
};
