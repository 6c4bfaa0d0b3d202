// Permissions beyond auth-basic (auth §7, client-protocol §10, §11): allow_responses (max,
// expires, with and without a publish allow list), default_permissions (authorization-level and
// account-level, whole-object replacement), wildcard publish denies, deny-over-allow, the usual
// `_INBOX.>` request/reply grants, queue-qualified denies, delivery-time filtering for wildcard and
// queue subscribers, and what verbose mode sends around violations. Pinned on nats-server 2.9.10.
import { type CaseContext, type CaseGroup, expect, info, send } from '../src/case.js';
import { type WireClient, WireError } from '../src/wire.js';

const PERMS = `authorization {
  default_permissions: { publish: ["def.>", "req.>"], subscribe: ["def.>", "_INBOX.>"] }
  users: [
    {user: svc2, password: s, permissions: { subscribe: ["req.>"], allow_responses: { max: 2, expires: "500ms" } } }
    {user: svc1, password: s, permissions: { subscribe: ["req.>"], allow_responses: true } }
    {user: svcp, password: s, permissions: { publish: ["pubok.>"], subscribe: ["req.>", "pubok.>"], allow_responses: true } }
    {user: req, password: r}
    {user: free, password: f, permissions: { publish: { deny: ["*.secret", "admin.>"] } } }
    {user: mixed, password: m, permissions: { publish: { allow: ["a.>"], deny: ["a.b", "a.*.c"] } } }
    {user: x, password: x, permissions: { subscribe: { deny: ["secret.>"] } } }
    {user: y, password: y, permissions: { publish: ">", subscribe: ">" } }
    {user: q, password: q, permissions: { subscribe: { deny: ["work.> blue.*", "jobs.* q1"] } } }
    {user: requester, password: r, permissions: { publish: ["svc.>"], subscribe: ["_INBOX.>"] } }
    {user: responder, password: r, permissions: { publish: ["_INBOX.>"], subscribe: ["svc.>"] } }
    {user: v, password: v, permissions: { publish: ["v.>"], subscribe: ["v.>"] } }
  ]
}
`;

const ACCOUNT_DEFAULTS = `authorization { default_permissions: { publish: ["gd.>"] } }
accounts {
  P: {
    default_permissions: { publish: ["pd.>"], subscribe: ["pd.>"] }
    users: [ {user: pa, password: pa}, {user: pb, password: pb, permissions: { publish: ["own.>"] } } ]
  }
  Q: { users: [ {user: qa, password: qa} ] }
}
`;

const pubDenied = (s: string): string => `-ERR 'Permissions Violation for Publish to "${s}"'\r\n`;
const subDenied = (s: string, q?: string): string =>
  `-ERR 'Permissions Violation for Subscription to "${s}"${q === undefined ? '' : ` using queue "${q}"`}'\r\n`;

const as = (ctx: CaseContext, user: string, pass: string, extra: Record<string, unknown> = {}): Promise<WireClient> =>
  ctx.client({ verbose: false, user, pass, ...extra });

/** A request from `req` on `subject` with reply `reply`, as delivered to `svc` (sid 1). */
async function deliverRequest(req: WireClient, svc: WireClient, subject: string, reply: string): Promise<void> {
  req.send(`PUB ${subject} ${reply} 1\r\nq\r\nPING\r\n`);
  await req.expect('PONG\r\n');
  await svc.expect(`MSG ${subject} 1 ${reply} 1\r\nq\r\n`);
}

export const authPermissionsGroup: CaseGroup = {
  name: 'auth-permissions',
  cases: [
    // ---- allow_responses ----
    {
      name: 'allow_responses {max: 2}: two replies pass, the third is denied; other publishes are denied',
      ref: 'auth §7',
      config: PERMS,
      async run(ctx) {
        const svc = await as(ctx, 'svc2', 's');
        const req = await as(ctx, 'req', 'r');
        svc.send('SUB req.m2 1\r\n');
        req.send('SUB _INBOX.m2 1\r\n');
        await Promise.all([svc.ping(), req.ping()]);
        await deliverRequest(req, svc, 'req.m2', '_INBOX.m2');
        svc.send(
          'PUB _INBOX.m2 2\r\nr1\r\nPUB _INBOX.m2 2\r\nr2\r\nPUB _INBOX.m2 2\r\nr3\r\nPUB req.m2 1\r\nz\r\nPING\r\n',
        );
        await svc.expect(`${pubDenied('_INBOX.m2')}${pubDenied('req.m2')}PONG\r\n`);
        await req.expect('MSG _INBOX.m2 1 2\r\nr1\r\nMSG _INBOX.m2 1 2\r\nr2\r\n');
        await req.ping();
      },
    },
    {
      name: 'allow_responses {expires: 500ms}: a reply after 700 ms is denied',
      ref: 'auth §7',
      config: PERMS,
      async run(ctx) {
        const svc = await as(ctx, 'svc2', 's');
        const req = await as(ctx, 'req', 'r');
        svc.send('SUB req.exp 1\r\n');
        req.send('SUB _INBOX.exp.> 1\r\n');
        await Promise.all([svc.ping(), req.ping()]);
        await deliverRequest(req, svc, 'req.exp', '_INBOX.exp.late');
        await new Promise((r) => setTimeout(r, 700));
        await deliverRequest(req, svc, 'req.exp', '_INBOX.exp.soon');
        svc.send('PUB _INBOX.exp.late 1\r\nL\r\nPUB _INBOX.exp.soon 1\r\nS\r\nPING\r\n');
        await svc.expect(`${pubDenied('_INBOX.exp.late')}PONG\r\n`);
        await req.expect('MSG _INBOX.exp.soon 1 1\r\nS\r\n');
        await req.ping();
      },
    },
    {
      name: 'allow_responses: true → one reply per request (max 1); a second is denied',
      ref: 'auth §7',
      config: PERMS,
      async run(ctx) {
        const svc = await as(ctx, 'svc1', 's');
        const req = await as(ctx, 'req', 'r');
        svc.send('SUB req.m1 1\r\n');
        req.send('SUB _INBOX.m1 1\r\n');
        await Promise.all([svc.ping(), req.ping()]);
        await deliverRequest(req, svc, 'req.m1', '_INBOX.m1');
        svc.send('PUB _INBOX.m1 2\r\nr1\r\nPUB _INBOX.m1 2\r\nr2\r\nPING\r\n');
        await svc.expect(`${pubDenied('_INBOX.m1')}PONG\r\n`);
        await req.expect('MSG _INBOX.m1 1 2\r\nr1\r\n');
        // A new request grants a new reply.
        await deliverRequest(req, svc, 'req.m1', '_INBOX.m1');
        svc.send('PUB _INBOX.m1 2\r\nr3\r\nPING\r\n');
        await svc.expect('PONG\r\n');
        await req.expect('MSG _INBOX.m1 1 2\r\nr3\r\n');
      },
    },
    {
      name: 'allow_responses: only reply subjects of messages delivered to this connection are granted',
      config: PERMS,
      async run(ctx) {
        const svc = await as(ctx, 'svc1', 's');
        const other = await as(ctx, 'svc1', 's');
        const req = await as(ctx, 'req', 'r');
        other.send('SUB req.only 1\r\n');
        await other.ping();
        // Delivered to `other` only: `svc` may not answer it.
        await deliverRequest(req, other, 'req.only', '_INBOX.only');
        svc.send('PUB _INBOX.only 1\r\nx\r\nPUB _INBOX.never 1\r\nx\r\nPING\r\n');
        await svc.expect(`${pubDenied('_INBOX.only')}${pubDenied('_INBOX.never')}PONG\r\n`);
      },
    },
    {
      name: 'allow_responses with a publish allow list: the list still applies, plus the replies',
      config: PERMS,
      async run(ctx) {
        const svc = await as(ctx, 'svcp', 's');
        const req = await as(ctx, 'req', 'r');
        svc.send('SUB req.pl 1\r\nSUB pubok.> 2\r\n');
        req.send('SUB _INBOX.pl 1\r\n');
        await Promise.all([svc.ping(), req.ping()]);
        await deliverRequest(req, svc, 'req.pl', '_INBOX.pl');
        svc.send('PUB pubok.x 1\r\np\r\nPUB _INBOX.pl 1\r\nr\r\nPUB nope 1\r\nn\r\nPING\r\n');
        await svc.expect(`MSG pubok.x 2 1\r\np\r\n${pubDenied('nope')}PONG\r\n`);
        await req.expect('MSG _INBOX.pl 1 1\r\nr\r\n');
      },
    },

    // ---- default_permissions ----
    {
      name: 'default_permissions apply to a user without permissions of its own',
      ref: 'auth §7',
      config: PERMS,
      steps: [
        info(),
        send(
          'CONNECT {"verbose":false,"user":"req","pass":"r"}\r\nSUB def.a 1\r\nSUB other 2\r\nPUB def.a 1\r\nd\r\nPUB other 1\r\no\r\nPING\r\n',
        ),
        expect(`${subDenied('other')}MSG def.a 1 1\r\nd\r\n${pubDenied('other')}PONG\r\n`),
      ],
    },
    {
      name: 'default_permissions are replaced whole: a user with only publish rules may subscribe to anything',
      config: PERMS,
      steps: [
        info(),
        send(
          'CONNECT {"verbose":false,"user":"free","pass":"f"}\r\nSUB other.> 1\r\nSUB > 2\r\nPUB other.x 1\r\no\r\nPING\r\n',
        ),
        expect(
          /(MSG other\.x 1 1\r\no\r\nMSG other\.x 2 1\r\no\r\n|MSG other\.x 2 1\r\no\r\nMSG other\.x 1 1\r\no\r\n)PONG\r\n/,
        ),
      ],
    },
    {
      name: 'account default_permissions apply to its users without their own; authorization defaults do not reach accounts',
      ref: 'auth §7',
      config: ACCOUNT_DEFAULTS,
      async run(ctx) {
        const ops =
          'PUB pd.x 0\r\n\r\nPUB own.x 0\r\n\r\nPUB gd.x 0\r\n\r\nPUB zz 0\r\n\r\nSUB pd.x 1\r\nSUB zz 2\r\nPING\r\n';
        const pa = await ctx.client({ user: 'pa', pass: 'pa' });
        pa.send(ops);
        await pa.expect(
          `+OK\r\n${pubDenied('own.x')}${pubDenied('gd.x')}${pubDenied('zz')}+OK\r\n${subDenied('zz')}PONG\r\n`,
        );
        const pb = await ctx.client({ user: 'pb', pass: 'pb' });
        pb.send(ops);
        await pb.expect(`${pubDenied('pd.x')}+OK\r\n${pubDenied('gd.x')}${pubDenied('zz')}+OK\r\n+OK\r\nPONG\r\n`);
        const qa = await ctx.client({ user: 'qa', pass: 'qa' });
        qa.send(ops);
        await qa.expect('+OK\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\nPONG\r\n');
      },
    },

    // ---- publish patterns ----
    {
      name: 'publish deny with wildcards: *.secret and admin.> (a.b.secret and admin themselves pass)',
      ref: 'auth §7',
      config: PERMS,
      steps: [
        info(),
        send(
          'CONNECT {"verbose":false,"user":"free","pass":"f"}\r\nSUB > 1\r\n' +
            'PUB a.secret 1\r\n1\r\nPUB a.b.secret 1\r\n2\r\nPUB admin 1\r\n3\r\nPUB admin.x.y 1\r\n4\r\nPUB secret 1\r\n5\r\nPING\r\n',
        ),
        expect(
          `${pubDenied('a.secret')}MSG a.b.secret 1 1\r\n2\r\nMSG admin 1 1\r\n3\r\n${pubDenied('admin.x.y')}MSG secret 1 1\r\n5\r\nPONG\r\n`,
        ),
      ],
    },
    {
      name: 'publish deny wins over allow: allow a.>, deny a.b and a.*.c',
      config: PERMS,
      steps: [
        info(),
        send(
          'CONNECT {"user":"mixed","pass":"m"}\r\nPUB a.x 0\r\n\r\nPUB a.b 0\r\n\r\nPUB a.z.c 0\r\n\r\nPUB a.b.d 0\r\n\r\nPUB b 0\r\n\r\nPING\r\n',
        ),
        expect(`+OK\r\n+OK\r\n${pubDenied('a.b')}${pubDenied('a.z.c')}+OK\r\n${pubDenied('b')}PONG\r\n`),
      ],
    },

    // ---- request/reply with _INBOX.> grants ----
    {
      name: 'request/reply with the usual grants: requester pub svc.> sub _INBOX.>, responder the reverse',
      ref: 'auth §7',
      config: PERMS,
      async run(ctx) {
        const rq = await as(ctx, 'requester', 'r');
        const rs = await as(ctx, 'responder', 'r');
        rq.send('SUB _INBOX.abc.* 1\r\nSUB > 2\r\nSUB _INBOX 3\r\nSUB svc.> 4\r\nPING\r\n');
        await rq.expect(`${subDenied('>')}${subDenied('_INBOX')}${subDenied('svc.>')}PONG\r\n`);
        rs.send('SUB svc.> 1\r\nSUB _INBOX.> 2\r\nPING\r\n');
        await rs.expect(`${subDenied('_INBOX.>')}PONG\r\n`);
        rq.send('PUB svc.time _INBOX.abc.1 3\r\nnow\r\nPING\r\n');
        await rq.expect('PONG\r\n');
        await rs.expect('MSG svc.time 1 _INBOX.abc.1 3\r\nnow\r\n');
        rs.send('PUB _INBOX.abc.1 5\r\n12:00\r\nPUB svc.time 1\r\nx\r\nPING\r\n');
        await rs.expect(`${pubDenied('svc.time')}PONG\r\n`);
        await rq.expect('MSG _INBOX.abc.1 1 5\r\n12:00\r\n');
        rq.send('PUB _INBOX.abc.1 1\r\nx\r\nPING\r\n');
        await rq.expect(`${pubDenied('_INBOX.abc.1')}PONG\r\n`);
      },
    },

    // ---- subscribe denies ----
    {
      name: 'queue-qualified deny entries: "work.> blue.*" and "jobs.* q1", exact texts with using queue',
      ref: 'client-protocol §11',
      config: PERMS,
      steps: [
        info(),
        send(
          'CONNECT {"user":"q","pass":"q"}\r\nSUB work.a blue.1 1\r\nSUB work.a blue 2\r\nSUB work.a blue.1.2 3\r\nSUB work.a 4\r\n' +
            'SUB jobs.x q1 5\r\nSUB jobs.x q2 6\r\nSUB jobs.> q1 7\r\nSUB jobs.* q1 8\r\nSUB jobs.x 9\r\nPING\r\n',
        ),
        expect(
          `+OK\r\n${subDenied('work.a', 'blue.1')}+OK\r\n+OK\r\n+OK\r\n${subDenied('jobs.x', 'q1')}+OK\r\n` +
            `${subDenied('jobs.>', 'q1')}${subDenied('jobs.*', 'q1')}+OK\r\nPONG\r\n`,
        ),
      ],
    },
    {
      name: 'subscribe deny secret.>: SUB > is allowed but secret.* messages are filtered at delivery',
      ref: 'auth §7',
      config: PERMS,
      async run(ctx) {
        const x = await as(ctx, 'x', 'x');
        const y = await as(ctx, 'y', 'y');
        x.send('SUB > 1\r\nSUB secret.* 2\r\nSUB *.sd 3\r\nPING\r\n');
        await x.expect(`${subDenied('secret.*')}PONG\r\n`);
        y.send('PUB secret.sd 1\r\n1\r\nPUB public.sd 1\r\n2\r\nPING\r\n');
        await y.expect('PONG\r\n');
        const got = (await x.frames(2)).map((f) => f.raw).sort();
        const want = ['MSG public.sd 1 1\r\n2\r\n', 'MSG public.sd 3 1\r\n2\r\n'];
        if (JSON.stringify(got) !== JSON.stringify(want)) throw new WireError(`got ${JSON.stringify(got)}`);
        // Its own publishes are filtered the same way.
        x.send('PUB secret.own 1\r\n3\r\nPING\r\n');
        await x.expect('PONG\r\n');
      },
    },
    {
      name: 'queue group with a member that may not receive: every denied-subject message goes to the other member',
      ref: 'auth §7',
      config: PERMS,
      async run(ctx) {
        const x = await as(ctx, 'x', 'x');
        const y = await as(ctx, 'y', 'y');
        const pub = await as(ctx, 'y', 'y');
        // `>` contains the deny entry, so x's delivery-time deny filter is armed (see the next case).
        x.send('SUB > qdg 1\r\n');
        y.send('SUB > qdg 1\r\n');
        await Promise.all([x.ping(), y.ping()]);
        let batch = '';
        for (let i = 0; i < 20; i++) batch += `PUB secret.qd 2\r\n${String(i).padStart(2, '0')}\r\n`;
        pub.send(`${batch}PING\r\n`);
        await pub.expect('PONG\r\n');
        const got = await y.frames(20);
        for (const [i, f] of got.entries()) {
          if (f.raw !== `MSG secret.qd 1 2\r\n${String(i).padStart(2, '0')}\r\n`) throw new WireError(f.raw);
        }
        await x.ping();
      },
    },

    {
      name: 'the delivery-time deny filter is armed only by a wildcard SUB that contains a deny entry, then stays on',
      ref: 'auth §7',
      config: PERMS,
      async run(ctx) {
        const x = await as(ctx, 'x', 'x');
        const y = await as(ctx, 'y', 'y');
        // deny secret.> is not within *.df: 2.9.10 arms no filter, so secret.df IS delivered.
        x.send('SUB *.df 1\r\nPING\r\n');
        await x.expect('PONG\r\n');
        y.send('PUB secret.df 1\r\n1\r\nPING\r\n');
        await y.expect('PONG\r\n');
        await x.expect('MSG secret.df 1 1\r\n1\r\n');
        // SUB > contains secret.>: from now on every delivery to x is filtered, on every sub.
        x.send('SUB > 2\r\nPING\r\n');
        await x.expect('PONG\r\n');
        y.send('PUB secret.df 1\r\n2\r\nPING\r\n');
        await y.expect('PONG\r\n');
        await x.ping();
        // It stays armed after the wildcard sub is gone.
        x.send('UNSUB 2\r\nPING\r\n');
        await x.expect('PONG\r\n');
        y.send('PUB secret.df 1\r\n3\r\nPUB public.df 1\r\n4\r\nPING\r\n');
        await y.expect('PONG\r\n');
        await x.expect('MSG public.df 1 1\r\n4\r\n');
        await x.ping();
      },
    },

    // ---- verbose ----
    {
      name: 'verbose: +OK only for permitted SUB/PUB/HPUB; a denied op gets just its -ERR; UNSUB always +OK',
      ref: 'client-protocol §10',
      config: PERMS,
      steps: [
        info(),
        send(
          'CONNECT {"user":"v","pass":"v","headers":true}\r\nSUB v.a 1\r\nSUB w 2\r\nPUB w 0\r\n\r\nPUB v.a 0\r\n\r\n' +
            'HPUB w 12 12\r\nNATS/1.0\r\n\r\n\r\nHPUB v.a 12 13\r\nNATS/1.0\r\n\r\nh\r\nUNSUB 2\r\nUNSUB 1\r\nPUB v.a 0\r\n\r\nPING\r\n',
        ),
        expect(
          `+OK\r\n+OK\r\n${subDenied('w')}${pubDenied('w')}+OK\r\nMSG v.a 1 0\r\n\r\n${pubDenied('w')}+OK\r\n` +
            'HMSG v.a 1 12 13\r\nNATS/1.0\r\n\r\nh\r\n+OK\r\n+OK\r\n+OK\r\nPONG\r\n',
        ),
      ],
    },
    {
      name: 'a violation keeps the connection and its other subscriptions working',
      config: PERMS,
      steps: [
        info(),
        send(
          'CONNECT {"verbose":false,"user":"v","pass":"v"}\r\nSUB v.k 1\r\nSUB nope 2\r\nPUB nope 0\r\n\r\nPUB v.k 2\r\nok\r\nPING\r\n',
        ),
        expect(`${subDenied('nope')}${pubDenied('nope')}MSG v.k 1 2\r\nok\r\nPONG\r\n`),
      ],
    },
  ],
};
