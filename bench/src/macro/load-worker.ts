/**
 * Entry point of one load-generator process (spawned pinned to the generator core). It plays one
 * role — publisher, subscriber, responder, requester or a crowd of idle connections — driven by
 * the orchestrator over IPC. Hot paths: pre-built chunks out, the protocol parser in, counting and
 * verification per message with no allocation beyond the parser's payload view.
 */
import type { OpArgs } from '@starling/protocol';
import { NatsConn } from './nats-conn.js';
import { payloadTemplate } from './payload.js';
import { PubStream } from './pub-stream.js';
import { SeqVerifier } from './verifier.js';
import type {
  ConnsRole,
  CpuSample,
  FromWorker,
  PubRole,
  RequesterRole,
  ResponderRole,
  Role,
  SubRole,
  ToWorker,
} from './worker-messages.js';

const REPLY_TIMEOUT_MS = 10_000;

function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function send(msg: FromWorker): void {
  process.send?.(msg);
}

/** Measures this process's CPU time from `start()` on. */
class CpuMeter {
  private cpu0: NodeJS.CpuUsage;
  private wall0: number;
  constructor() {
    this.cpu0 = process.cpuUsage();
    this.wall0 = nowMicros();
  }
  start(): void {
    this.cpu0 = process.cpuUsage();
    this.wall0 = nowMicros();
  }
  sample(): CpuSample {
    const d = process.cpuUsage(this.cpu0);
    return { cpuMicros: d.user + d.system, wallMicros: nowMicros() - this.wall0 };
  }
}

type Handler = (msg: ToWorker) => void | Promise<void>;

let onMessage: Handler = () => {};

process.on('message', (msg: ToWorker) => {
  if (msg.type === 'init') {
    start(msg.role).catch((err: unknown) => fatal(err));
    return;
  }
  Promise.resolve(onMessage(msg)).catch((err: unknown) => fatal(err));
});
process.on('disconnect', () => process.exit(0));

function fatal(err: unknown): void {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  setTimeout(() => process.exit(1), 50);
}

async function start(role: Role): Promise<void> {
  switch (role.kind) {
    case 'pub':
      return publisher(role);
    case 'sub':
      return subscriber(role);
    case 'responder':
      return responder(role);
    case 'requester':
      return requester(role);
    case 'conns':
      return conns(role);
  }
}

async function publisher(role: PubRole): Promise<void> {
  const stream = new PubStream({ ...role.stream, ws: role.endpoint.transport === 'ws' });
  const conn = await NatsConn.open({ ...role.endpoint, setup: '', onMsg: () => {} });
  const meter = new CpuMeter();
  onMessage = async (msg) => {
    if (msg.type !== 'go') return;
    meter.start();
    const t0 = nowMicros();
    for (let chunk = stream.next(); chunk !== null; chunk = stream.next()) {
      if (!conn.writeRaw(chunk)) await conn.drain();
      if (conn.error !== null) throw new Error(conn.error);
    }
    await conn.ping();
    if (conn.error !== null) throw new Error(conn.error);
    const tEnd = nowMicros();
    send({ type: 'published', t0, tEnd, cpu: meter.sample(), sent: stream.position });
  };
  send({ type: 'ready' });
}

async function subscriber(role: SubRole): Promise<void> {
  const verifier = new SeqVerifier(role.mode, role.publishers, role.perPublisher, role.payloadSize);
  let tFirst = 0;
  let tLast = 0;
  let sampled: CpuSample | null = null;
  const expected = role.publishers * role.perPublisher;
  const meter = new CpuMeter();
  let dropNext = role.injectDrop ? 2 : 0;
  const onMsg = (a: OpArgs): void => {
    if (dropNext > 0 && --dropNext === 0) return;
    verifier.accept(a.payloadBuf!, a.payloadStart, a.payloadEnd);
  };
  let setup = '';
  role.subs.forEach((s, i) => {
    setup += `SUB ${s.subject}${s.queue === null ? '' : ` ${s.queue}`} ${i + 1}\r\n`;
  });
  const conn = await NatsConn.open({ ...role.endpoint, setup, onMsg });
  // Stamp arrival times once per socket read (after the parser ran), not per message.
  let totalAtLastRead = 0;
  conn.afterRead = () => {
    const total = verifier.total;
    if (total === totalAtLastRead) return;
    const t = nowMicros();
    if (totalAtLastRead === 0) tFirst = t;
    totalAtLastRead = total;
    tLast = t;
    if (total >= expected && sampled === null) sampled = meter.sample();
  };
  onMessage = (msg) => {
    if (msg.type === 'go') {
      meter.start();
    } else if (msg.type === 'status') {
      send({ type: 'status', total: verifier.total, tFirst, tLast, error: conn.error });
    } else if (msg.type === 'finish') {
      const cpu = sampled ?? meter.sample();
      send({ type: 'sub-report', report: verifier.report(), tFirst, tLast, cpu, error: conn.error });
    }
  };
  send({ type: 'ready' });
}

async function responder(role: ResponderRole): Promise<void> {
  let answered = 0;
  const meter = new CpuMeter();
  const crlf = Buffer.from('\r\n');
  let conn: NatsConn | null = null;
  const onMsg = (a: OpArgs): void => {
    if (a.replyStart < 0) return;
    const head = Buffer.from(
      `PUB ${a.buf.toString('latin1', a.replyStart, a.replyEnd)} ${a.payload!.length}\r\n`,
      'latin1',
    );
    conn!.write(Buffer.concat([head, a.payload!, crlf]));
    answered++;
  };
  conn = await NatsConn.open({ ...role.endpoint, setup: `SUB ${role.subject} 1\r\n`, onMsg });
  onMessage = (msg) => {
    if (msg.type === 'go') meter.start();
    else if (msg.type === 'finish')
      send({ type: 'responder-report', answered, cpu: meter.sample(), error: conn!.error });
  };
  send({ type: 'ready' });
}

async function requester(role: RequesterRole): Promise<void> {
  const inbox = `bench.reply.${process.pid}`;
  const micros = new Float64Array(role.count);
  const request = Buffer.concat([
    Buffer.from(`PUB ${role.subject} ${inbox} ${role.payloadSize}\r\n`, 'latin1'),
    payloadTemplate(0, role.payloadSize),
    Buffer.from('\r\n'),
  ]);
  const seqAt = request.indexOf('\r\n') + 2 + 4;
  let next = 0;
  let sentAt = 0n;
  let mismatches = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  let conn: NatsConn | null = null;
  const fire = (): void => {
    const req = Buffer.from(request);
    req.writeUInt32LE(next, seqAt);
    sentAt = process.hrtime.bigint();
    conn!.write(req);
  };
  const onMsg = (a: OpArgs): void => {
    const t = process.hrtime.bigint();
    if (a.payload!.length !== role.payloadSize || a.payload!.readUInt32LE(4) !== next) mismatches++;
    micros[next] = Number(t - sentAt) / 1000;
    next++;
    if (next < role.count) fire();
    else done();
  };
  conn = await NatsConn.open({ ...role.endpoint, setup: `SUB ${inbox} 1\r\n`, onMsg });
  const meter = new CpuMeter();
  onMessage = async (msg) => {
    if (msg.type !== 'go') return;
    meter.start();
    const t0 = nowMicros();
    fire();
    await Promise.race([
      finished,
      new Promise<void>((_, reject) => {
        // A lost reply would otherwise wait forever: give up after 10 s without progress.
        let seen = -1;
        let since = Date.now();
        const check = setInterval(() => {
          if (next !== seen) {
            seen = next;
            since = Date.now();
          }
          const why = conn!.error ?? (Date.now() - since > REPLY_TIMEOUT_MS ? 'no reply within 10 s' : null);
          if (why !== null) {
            clearInterval(check);
            reject(new Error(`${why} after ${next} of ${role.count} requests`));
          }
        }, 100);
        finished.then(() => clearInterval(check));
      }),
    ]);
    const tEnd = nowMicros();
    send({ type: 'latencies', micros, t0, tEnd, mismatches, cpu: meter.sample() });
  };
  send({ type: 'ready' });
}

async function conns(role: ConnsRole): Promise<void> {
  const open: NatsConn[] = [];
  let failed = 0;
  let firstError: string | null = null;
  const meter = new CpuMeter();
  onMessage = async (msg) => {
    if (msg.type === 'go') {
      meter.start();
      const t0 = nowMicros();
      let started = 0;
      const lane = async (): Promise<void> => {
        while (started < role.count) {
          started++;
          try {
            open.push(await NatsConn.open({ ...role.endpoint, setup: '', onMsg: () => {} }));
          } catch (err) {
            failed++;
            firstError ??= err instanceof Error ? err.message : String(err);
          }
        }
      };
      const lanes: Promise<void>[] = [];
      for (let i = 0; i < Math.min(role.concurrency, role.count); i++) lanes.push(lane());
      await Promise.all(lanes);
      const tEnd = nowMicros();
      send({ type: 'conns-open', t0, tEnd, opened: open.length, failed, firstError, cpu: meter.sample() });
    } else if (msg.type === 'finish') {
      let stillOpen = 0;
      let err: string | null = firstError;
      for (const c of open) {
        if (c.error === null && !c.closed) stillOpen++;
        else err ??= c.error;
      }
      send({ type: 'conns-report', stillOpen, firstError: err });
      for (const c of open) c.close();
    }
  };
  send({ type: 'ready' });
}
