// Accounts from config (auth §8): isolation, users sharing an account, `$G` versus named accounts,
// stream exports/imports (prefix, to, public/private), service exports/imports (`to` mapping,
// `_R_.` reply subjects, single/stream responses, Nats-Request-Info), account connection limits,
// and the import/export startup errors. Every case pinned on nats-server 2.9.10.
import { type CaseContext, type CaseGroup, closed, err, info, send } from '../src/case.js';
import { startTarget } from '../src/targets.js';
import { type WireClient, WireError } from '../src/wire.js';

// One config shared by most cases (one server per target). A exports; B imports; C is alone;
// `g` lives in the global account `$G`.
const ACCOUNTS = `accounts {
  A: {
    users: [ {user: a, password: a}, {user: a2, password: a2} ]
    exports: [
      {stream: "ev.>"}
      {stream: "one.x"}
      {stream: "priv.>", accounts: [B]}
      {service: "svc.echo"}
      {service: "svc.single"}
      {service: "svc.stream", response_type: stream}
      {service: "svc.nobody"}
    ]
  }
  B: {
    users: [ {user: b, password: b} ]
    imports: [
      {stream: {account: A, subject: "ev.>"}, prefix: "fromA"}
      {stream: {account: A, subject: "one.x"}, to: "mapped.y"}
      {stream: {account: A, subject: "priv.>"}}
      {service: {account: A, subject: "svc.echo"}, to: "echo"}
      {service: {account: A, subject: "svc.single"}}
      {service: {account: A, subject: "svc.stream"}}
      {service: {account: A, subject: "svc.nobody"}}
    ]
  }
  C: { users: [ {user: c, password: c} ] }
}
authorization { users: [ {user: g, password: g} ] }
`;

/** The reply subject a responder in the exporting account sees: `_R_.` + 6 + `.` + 6 base62 chars. */
const R_REPLY = /^_R_\.[0-9A-Za-z]{6}\.[0-9A-Za-z]{6}$/;
/** The header block 2.9.10 adds to a service-import request for a headers-capable responder. */
const REQ_INFO_B = /^NATS\/1\.0\r\nNats-Request-Info: \{"acc":"B","rtt":\d+\}\r\n\r\n$/;

const login = (ctx: CaseContext, user: string, extra: Record<string, unknown> = {}): Promise<WireClient> =>
  ctx.client({ verbose: false, user, pass: user, ...extra });

/** Round trip on each connection: anything delivered to it would arrive before its PONG. */
async function quiet(...cs: WireClient[]): Promise<void> {
  for (const c of cs) await c.ping();
}

/** The next frame must be a MSG (or HMSG when `hmsg`); returns it. */
async function nextMsg(c: WireClient, hmsg = false) {
  const f = await c.nextFrame();
  if (f.op !== (hmsg ? 'HMSG' : 'MSG'))
    throw new WireError(`expected ${hmsg ? 'HMSG' : 'MSG'}, got ${JSON.stringify(f.raw)}`);
  return f as Extract<typeof f, { op: 'MSG' | 'HMSG' }>;
}

/** A startup that must fail with `text` somewhere in the server's output. */
async function startupError(ctx: CaseContext, config: string, text: string): Promise<void> {
  let started = false;
  try {
    const t = await startTarget(ctx.kind, { config, readyTimeoutMs: 5000 });
    started = true;
    await t.stop();
  } catch (e) {
    if (!(e as Error).message.includes(text)) {
      throw new WireError(`startup failed, but without ${JSON.stringify(text)}:\n${(e as Error).message}`);
    }
  }
  if (started) throw new WireError(`server started; expected the startup error ${JSON.stringify(text)}`);
}

export const authAccountsGroup: CaseGroup = {
  name: 'auth-accounts',
  cases: [
    // ---- isolation ----
    {
      name: 'isolation: the same subject in A, B, C and $G never crosses accounts',
      ref: 'auth §8',
      config: ACCOUNTS,
      async run(ctx) {
        const [a, b, c, g] = await Promise.all([login(ctx, 'a'), login(ctx, 'b'), login(ctx, 'c'), login(ctx, 'g')]);
        for (const x of [a, b, c, g]) x.send('SUB iso.x 1\r\nSUB iso.> 2\r\n');
        await quiet(a, b, c, g);
        // Each publisher gets its own two copies (sids 1 and 2) before its PONG, and nothing else.
        for (const [x, tag] of [
          [a, 'fa'],
          [b, 'fb'],
          [c, 'fc'],
          [g, 'fg'],
        ] as const) {
          x.send(`PUB iso.x 2\r\n${tag}\r\nPING\r\n`);
          const fs = (await x.frames(3)).map((f) => f.raw);
          // The order of two subscriptions on one connection is not defined; the PONG comes last.
          const got = [...fs.slice(0, 2).sort(), fs[2]];
          const want = [`MSG iso.x 1 2\r\n${tag}\r\n`, `MSG iso.x 2 2\r\n${tag}\r\n`, 'PONG\r\n'];
          if (JSON.stringify(got) !== JSON.stringify(want)) throw new WireError(`got ${JSON.stringify(got)}`);
        }
        await quiet(a, b, c, g);
      },
    },
    {
      name: 'users of the same account share its subjects (a publishes, a2 receives, and back)',
      ref: 'auth §8',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a');
        const a2 = await login(ctx, 'a2');
        a.send('SUB share.a 1\r\n');
        a2.send('SUB share.a2 1\r\n');
        await quiet(a, a2);
        a.send('PUB share.a2 2\r\nhi\r\nPING\r\n');
        await a.expect('PONG\r\n');
        await a2.expect('MSG share.a2 1 2\r\nhi\r\n');
        a2.send('PUB share.a 2\r\nyo\r\nPING\r\n');
        await a2.expect('PONG\r\n');
        await a.expect('MSG share.a 1 2\r\nyo\r\n');
      },
    },
    {
      name: '$G users cannot see account traffic with a `>` subscription, nor accounts $G traffic',
      ref: 'auth §8',
      config: ACCOUNTS,
      async run(ctx) {
        const g = await login(ctx, 'g');
        const a = await login(ctx, 'a');
        g.send('SUB > 1\r\n');
        a.send('SUB > 1\r\n');
        await quiet(g, a);
        a.send('PUB gsee.a 1\r\nx\r\nPING\r\n');
        await a.expect('MSG gsee.a 1 1\r\nx\r\nPONG\r\n');
        g.send('PUB gsee.g 1\r\ny\r\nPING\r\n');
        await g.expect('MSG gsee.g 1 1\r\ny\r\nPONG\r\n');
        await quiet(g, a);
      },
    },

    // ---- stream imports ----
    {
      name: 'stream import with prefix: A publishes ev.a.b, B receives fromA.ev.a.b (B ev.a.b sees nothing)',
      ref: 'auth §8',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a');
        const b = await login(ctx, 'b');
        b.send('SUB fromA.ev.> 1\r\nSUB ev.a.b 2\r\n');
        await quiet(b);
        a.send('PUB ev.a.b 5\r\nhello\r\nPING\r\n');
        await a.expect('PONG\r\n');
        await b.expect('MSG fromA.ev.a.b 1 5\r\nhello\r\n');
        await quiet(b);
      },
    },
    {
      name: 'stream import with to: A publishes one.x, B receives it as mapped.y',
      ref: 'auth §8',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a');
        const b = await login(ctx, 'b');
        b.send('SUB mapped.y 1\r\nSUB one.x 2\r\n');
        await quiet(b);
        a.send('PUB one.x 3\r\nabc\r\nPING\r\n');
        await a.expect('PONG\r\n');
        await b.expect('MSG mapped.y 1 3\r\nabc\r\n');
        await quiet(b);
      },
    },
    {
      name: 'stream import keeps the reply subject of the exported message',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a');
        const b = await login(ctx, 'b');
        b.send('SUB fromA.ev.r 1\r\n');
        await quiet(b);
        a.send('PUB ev.r my.reply 1\r\nq\r\nPING\r\n');
        await a.expect('PONG\r\n');
        await b.expect('MSG fromA.ev.r 1 my.reply 1\r\nq\r\n');
      },
    },
    {
      name: 'imports are one-way: B publishing on the imported subjects does not reach A',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a');
        const b = await login(ctx, 'b');
        a.send('SUB ev.> 1\r\nSUB fromA.> 2\r\nSUB one.x 3\r\nSUB mapped.y 4\r\n');
        await quiet(a);
        b.send('PUB fromA.ev.q 1\r\n1\r\nPUB ev.q 1\r\n2\r\nPUB mapped.y 1\r\n3\r\nPUB one.x 1\r\n4\r\nPING\r\n');
        await b.expect('PONG\r\n');
        await quiet(a);
      },
    },
    {
      name: 'private stream export (accounts: [B]): B imports and receives; C and $G do not',
      ref: 'auth §8',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a');
        const b = await login(ctx, 'b');
        const c = await login(ctx, 'c');
        const g = await login(ctx, 'g');
        for (const x of [b, c, g]) x.send('SUB priv.> 1\r\n');
        await quiet(b, c, g);
        a.send('PUB priv.z 2\r\nps\r\nPING\r\n');
        await a.expect('PONG\r\n');
        await b.expect('MSG priv.z 1 2\r\nps\r\n');
        await quiet(b, c, g);
      },
    },
    {
      name: 'startup error: importing a private stream export from a non-listed account',
      ref: 'auth §8',
      run: (ctx) =>
        startupError(
          ctx,
          `accounts {
  A: { users: [ {user: a, password: a} ], exports: [ {stream: "priv.>", accounts: [B]} ] }
  B: { users: [ {user: b, password: b} ] }
  C: { users: [ {user: c, password: c} ], imports: [ {stream: {account: A, subject: "priv.>"}} ] }
}
`,
          'Error adding stream import "priv.>": stream import not authorized',
        ),
    },
    {
      name: 'startup error: importing a private service export from a non-listed account',
      run: (ctx) =>
        startupError(
          ctx,
          `accounts {
  A: { users: [ {user: a, password: a} ], exports: [ {service: "psvc", accounts: [B]} ] }
  B: { users: [ {user: b, password: b} ] }
  C: { users: [ {user: c, password: c} ], imports: [ {service: {account: A, subject: "psvc"}} ] }
}
`,
          'Error adding service import "psvc": service import not authorized',
        ),
    },
    {
      name: 'startup error: importing a subject that was never exported',
      run: (ctx) =>
        startupError(
          ctx,
          `accounts {
  A: { users: [ {user: a, password: a} ] }
  C: { users: [ {user: c, password: c} ], imports: [ {stream: {account: A, subject: "nothing.>"}} ] }
}
`,
          'Error adding stream import "nothing.>": stream import not authorized',
        ),
    },
    {
      name: 'startup error: importing from an account that is not defined',
      run: (ctx) =>
        startupError(
          ctx,
          `accounts {
  A: { users: [ {user: a, password: a} ], exports: [ {stream: "x.>"} ] }
  C: { users: [ {user: c, password: c} ], imports: [ {stream: {account: Z, subject: "x.>"}} ] }
}
`,
          '"Z" account not defined for stream import',
        ),
    },

    // ---- service imports ----
    {
      name: 'service import with to: B requests on echo, A answers on svc.echo via an _R_. reply, B gets it',
      ref: 'auth §8',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a');
        const b = await login(ctx, 'b');
        a.send('SUB svc.echo 1\r\n');
        b.send('SUB rep.> 9\r\n');
        await quiet(a, b);
        b.send('PUB echo rep.1 5\r\nhello\r\nPING\r\n');
        await b.expect('PONG\r\n');
        // A responder without headers support gets a plain MSG (no Nats-Request-Info).
        const m = await nextMsg(a);
        if (m.subject !== 'svc.echo' || m.sid !== '1' || m.payload !== 'hello') throw new WireError(m.raw);
        if (m.reply === null || !R_REPLY.test(m.reply))
          throw new WireError(`reply ${m.reply} is not _R_.xxxxxx.xxxxxx`);
        a.send(`PUB ${m.reply} 2\r\nr1\r\nPING\r\n`);
        await a.expect('PONG\r\n');
        await b.expect('MSG rep.1 9 2\r\nr1\r\n');
        await quiet(b);
      },
    },
    {
      name: 'service import: B cannot reach svc.echo under its exported name when imported with to',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a');
        const b = await login(ctx, 'b');
        a.send('SUB svc.echo 1\r\nSUB echo 2\r\n');
        await quiet(a);
        b.send('PUB svc.echo rep.x 1\r\nz\r\nPING\r\n');
        await b.expect('PONG\r\n');
        await quiet(a);
      },
    },
    {
      name: 'service import: each request gets its own _R_. reply; the responder sees no trace of B',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a');
        const b = await login(ctx, 'b');
        a.send('SUB svc.single 1\r\n');
        b.send('SUB rep.> 9\r\n');
        await quiet(a, b);
        b.send('PUB svc.single rep.a 1\r\n1\r\nPUB svc.single rep.b 1\r\n2\r\nPING\r\n');
        await b.expect('PONG\r\n');
        const m1 = await nextMsg(a);
        const m2 = await nextMsg(a);
        for (const m of [m1, m2]) {
          if (m.reply === null || !R_REPLY.test(m.reply)) throw new WireError(`reply ${m.reply}`);
          if (m.reply.includes('rep.')) throw new WireError(`the requester's reply leaked: ${m.reply}`);
        }
        if (m1.reply === m2.reply) throw new WireError(`two requests share the reply ${m1.reply}`);
        // Answer in the opposite order: each answer reaches its own requester reply.
        a.send(`PUB ${m2.reply} 2\r\nb2\r\nPUB ${m1.reply} 2\r\na1\r\nPING\r\n`);
        await a.expect('PONG\r\n');
        await b.expect('MSG rep.b 9 2\r\nb2\r\nMSG rep.a 9 2\r\na1\r\n');
      },
    },
    {
      name: 'service import (single, the default): a second response to the same request is dropped',
      ref: 'auth §8',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a');
        const b = await login(ctx, 'b');
        a.send('SUB svc.single 1\r\n');
        b.send('SUB rep.> 9\r\n');
        await quiet(a, b);
        b.send('PUB svc.single rep.2 1\r\nx\r\nPING\r\n');
        await b.expect('PONG\r\n');
        const m = await nextMsg(a);
        a.send(`PUB ${m.reply} 2\r\nr1\r\nPUB ${m.reply} 2\r\nr2\r\nPING\r\n`);
        await a.expect('PONG\r\n');
        await b.expect('MSG rep.2 9 2\r\nr1\r\n');
        await quiet(b);
      },
    },
    {
      name: 'service import (response_type stream): every response reaches the requester, headers kept',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a', { headers: true });
        const b = await login(ctx, 'b', { headers: true });
        a.send('SUB svc.stream 1\r\n');
        b.send('SUB rep.> 9\r\n');
        await quiet(a, b);
        b.send('PUB svc.stream rep.3 1\r\nx\r\nPING\r\n');
        await b.expect('PONG\r\n');
        const m = await nextMsg(a, true);
        a.send(
          `PUB ${m.reply} 2\r\nr1\r\nPUB ${m.reply} 2\r\nr2\r\nHPUB ${m.reply} 12 14\r\nNATS/1.0\r\n\r\nr3\r\nPING\r\n`,
        );
        await a.expect('PONG\r\n');
        await b.expect('MSG rep.3 9 2\r\nr1\r\nMSG rep.3 9 2\r\nr2\r\nHMSG rep.3 9 12 14\r\nNATS/1.0\r\n\r\nr3\r\n');
      },
    },
    {
      name: 'service import: a headers-capable responder gets Nats-Request-Info {"acc":"B","rtt":<ns>}',
      ref: 'client-protocol §8',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a', { headers: true });
        const b = await login(ctx, 'b');
        a.send('SUB svc.echo 1\r\n');
        await quiet(a);
        b.send('PUB echo rep.h 5\r\nhello\r\nPING\r\n');
        await b.expect('PONG\r\n');
        const m = await nextMsg(a, true);
        if (!('headers' in m) || !REQ_INFO_B.test(m.headers)) {
          throw new WireError(`headers ${JSON.stringify('headers' in m ? m.headers : '')}`);
        }
        if (m.payload !== 'hello' || m.reply === null || !R_REPLY.test(m.reply)) throw new WireError(m.raw);
      },
    },
    {
      name: "service import: Nats-Request-Info is appended after the requester's own headers",
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a', { headers: true });
        const b = await login(ctx, 'b', { headers: true });
        a.send('SUB svc.echo 1\r\n');
        await quiet(a);
        b.send('HPUB echo rep.h 24 27\r\nNATS/1.0\r\nX-Foo: bar\r\n\r\nabc\r\nPING\r\n');
        await b.expect('PONG\r\n');
        const m = await nextMsg(a, true);
        const h = 'headers' in m ? m.headers : '';
        if (!/^NATS\/1\.0\r\nX-Foo: bar\r\nNats-Request-Info: \{"acc":"B","rtt":\d+\}\r\n\r\n$/.test(h)) {
          throw new WireError(`headers ${JSON.stringify(h)}`);
        }
        // The HMSG sizes count the added header.
        const sizes = /^HMSG svc\.echo 1 \S+ (\d+) (\d+)\r\n/.exec(m.raw);
        if (sizes === null || Number(sizes[1]) !== h.length || Number(sizes[2]) !== h.length + 3) {
          throw new WireError(`sizes in ${JSON.stringify(m.raw.slice(0, 60))}`);
        }
      },
    },
    {
      name: 'service import: one request to a headers and a non-headers responder — HMSG with the header, MSG without',
      config: ACCOUNTS,
      async run(ctx) {
        const ah = await login(ctx, 'a', { headers: true });
        const ap = await login(ctx, 'a2');
        const b = await login(ctx, 'b');
        ah.send('SUB svc.single 1\r\n');
        ap.send('SUB svc.single 1\r\n');
        await quiet(ah, ap);
        b.send('PUB svc.single rep.z 3\r\nabc\r\nPING\r\n');
        await b.expect('PONG\r\n');
        const mh = await nextMsg(ah, true);
        const mp = await nextMsg(ap);
        if (mh.reply !== mp.reply) throw new WireError(`different replies ${mh.reply} / ${mp.reply}`);
        if (!REQ_INFO_B.test('headers' in mh ? mh.headers : '')) throw new WireError(mh.raw);
        if (mp.raw !== `MSG svc.single 1 ${mp.reply} 3\r\nabc\r\n`) throw new WireError(mp.raw);
      },
    },
    {
      name: 'service import: a publish without a reply is still delivered (with Nats-Request-Info, no reply)',
      config: ACCOUNTS,
      async run(ctx) {
        const a = await login(ctx, 'a', { headers: true });
        const b = await login(ctx, 'b');
        a.send('SUB svc.single 1\r\n');
        await quiet(a);
        b.send('PUB svc.single 3\r\nabc\r\nPING\r\n');
        await b.expect('PONG\r\n');
        const m = await nextMsg(a, true);
        if (m.reply !== null || m.payload !== 'abc' || !REQ_INFO_B.test('headers' in m ? m.headers : '')) {
          throw new WireError(m.raw);
        }
      },
    },
    {
      name: 'service import with no responder: 2.9.10 sends no 503 to a no_responders requester (a plain miss does)',
      ref: 'client-protocol §8',
      config: ACCOUNTS,
      async run(ctx) {
        const b = await login(ctx, 'b', { headers: true, no_responders: true });
        b.send('SUB _INBOX.nr 1\r\n');
        await quiet(b);
        // Through the import: the internal import subscription counts as a receiver, so no 503.
        b.send('PUB svc.nobody _INBOX.nr 1\r\nx\r\nPING\r\n');
        await b.expect('PONG\r\n');
        await new Promise((r) => setTimeout(r, 100));
        await quiet(b);
        // A subject nobody at all listens on: the usual 503.
        b.send('PUB not.imported _INBOX.nr 1\r\nx\r\nPING\r\n');
        await b.expect('HMSG _INBOX.nr 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\nPONG\r\n');
      },
    },

    // ---- account limits ----
    {
      name: 'account limits { max_connections: 2 }: the third gets -ERR maximum account active connections exceeded',
      ref: 'client-protocol §11',
      config: `accounts {
  A: { users: [ {user: a, password: a} ], limits: { max_connections: 2 } }
  B: { users: [ {user: b, password: b} ] }
}
`,
      async run(ctx) {
        const a1 = await ctx.client({ user: 'a', pass: 'a' });
        const a2 = await ctx.client({ user: 'a', pass: 'a' });
        const a3 = await ctx.connect();
        await a3.expectInfo();
        a3.send('CONNECT {"user":"a","pass":"a"}\r\nPING\r\n');
        await a3.expect("-ERR 'maximum account active connections exceeded'\r\n");
        await a3.expectClosed();
        // Other accounts are not limited by A's count.
        await ctx.client({ user: 'b', pass: 'b' });
        await a2.ping();
        // A freed slot is usable again.
        a1.close();
        const deadline = Date.now() + 3000;
        for (;;) {
          const a4 = await ctx.connect();
          await a4.expectInfo();
          a4.send('CONNECT {"verbose":false,"user":"a","pass":"a"}\r\nPING\r\n');
          const line = await a4.expectLine();
          if (line === 'PONG\r\n') break;
          if (Date.now() > deadline) throw new WireError(`a freed slot was not reused: ${line}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      },
    },
    {
      name: 'account limits: verbose CONNECT over the limit gets only the -ERR (no +OK)',
      config: `accounts { A: { users: [ {user: a, password: a} ], limits: { max_connections: 1 } } }\n`,
      async run(ctx) {
        await ctx.client({ user: 'a', pass: 'a' });
        const c = await ctx.connect();
        await c.expectInfo();
        c.send('CONNECT {"user":"a","pass":"a"}\r\n');
        await c.expect("-ERR 'maximum account active connections exceeded'\r\n");
        await c.expectClosed();
      },
    },
    {
      name: 'accounts: a user of an account authenticates like any other (wrong password → Authorization Violation)',
      config: ACCOUNTS,
      steps: [info(), send('CONNECT {"user":"a","pass":"b"}\r\n'), err('Authorization Violation'), closed()],
    },
    {
      name: 'accounts: INFO says auth_required when users live only inside accounts',
      config: 'accounts { A: { users: [ {user: a, password: a} ] } }\n',
      async run(ctx) {
        const c = await ctx.connect();
        const { info: i } = await c.expectInfo();
        if (i.auth_required !== true) throw new WireError(`auth_required ${String(i.auth_required)}`);
        c.send('CONNECT {"verbose":false}\r\n');
        await c.expect("-ERR 'Authorization Violation'\r\n");
        await c.expectClosed();
      },
    },
  ],
};
