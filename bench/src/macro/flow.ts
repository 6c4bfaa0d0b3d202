/**
 * Runs one publish/subscribe flow against one server: subscribers first (each confirmed by a
 * PONG, so their interest is registered), then publishers, a common start signal, publishers
 * finish with PING/PONG, subscribers are polled until they have everything (or stall), and the
 * merged verifier reports decide pass/fail. Times come from CLOCK_MONOTONIC in every process.
 */
import { CoreWatch, type Machine } from './environment.js';
import type { Transport } from './nats-conn.js';
import { HOST, type ServerProcess } from './server-process.js';
import { type DeliveryExpectation, DeliveryMode, type DeliveryModeValue, verifyDeliveries } from './verifier.js';
import { killAll, WorkerHandle } from './worker-handle.js';
import type { CpuSample, Endpoint, FromWorker } from './worker-messages.js';

export interface FlowPlan {
  transport: Transport;
  payloadSize: number;
  /** Messages each publisher sends. */
  perPublisher: number;
  /** One entry per publisher process: the subjects it cycles through. */
  publishers: Array<{ subjects: string[] }>;
  /** One entry per subscriber process. */
  subscribers: Array<{
    subs: Array<{ subject: string; queue: string | null }>;
    mode: DeliveryModeValue;
    label: string;
  }>;
  /** Harness self-test: every subscriber drops one message. */
  injectDrop?: boolean;
}

export interface FlowResult {
  /** Start of the first publish to the last delivery (or the last PONG when nobody subscribes). */
  seconds: number;
  published: number;
  delivered: number;
  failures: string[];
  /** Load-generator CPU time / wall time (1.0 = one core saturated). */
  generatorCpu: number;
  /** Server CPU time / wall time. */
  serverCpu: number;
  /** Largest share of either core used by other processes meanwhile (noise). */
  foreignCpu: number;
  /** Each worker's CPU time / the flow's wall time, e.g. { cpuPub0: 0.21, cpuSub0: 0.64 }. */
  workerCpu: Record<string, number>;
}

const READY_MS = 20_000;
const PUBLISH_MS = 600_000;
const STALL_MS = 2_000;
const POLL_MS = 20;

export function endpointOf(server: ServerProcess, transport: Transport): Endpoint {
  const port = transport === 'ws' ? server.config.wsPort : server.config.port;
  if (port === null) throw new Error('websocket port not configured');
  return { host: HOST, port, transport };
}

export async function runFlow(server: ServerProcess, machine: Machine, plan: FlowPlan): Promise<FlowResult> {
  const endpoint = endpointOf(server, plan.transport);
  const publishers = plan.publishers.length;
  const workers: WorkerHandle[] = [];
  try {
    const subs = plan.subscribers.map(
      (s, i) =>
        new WorkerHandle(
          machine,
          {
            kind: 'sub',
            endpoint,
            subs: s.subs,
            mode: s.mode,
            publishers,
            perPublisher: plan.perPublisher,
            payloadSize: plan.payloadSize,
            injectDrop: plan.injectDrop === true,
          },
          `subscriber ${i} (${s.label})`,
        ),
    );
    workers.push(...subs);
    await Promise.all(subs.map((w) => w.next('ready', READY_MS)));
    const pubs = plan.publishers.map(
      (p, i) =>
        new WorkerHandle(
          machine,
          {
            kind: 'pub',
            endpoint,
            stream: {
              pubId: i,
              subjects: p.subjects,
              reply: null,
              payloadSize: plan.payloadSize,
              count: plan.perPublisher,
              ws: false,
            },
          },
          `publisher ${i}`,
        ),
    );
    workers.push(...pubs);
    await Promise.all(pubs.map((w) => w.next('ready', READY_MS)));

    const watch = new CoreWatch(() => server.cpuSeconds());
    for (const w of subs) w.send({ type: 'go' });
    const published = await Promise.all(pubs.map((w) => w.ask({ type: 'go' }, 'published', PUBLISH_MS)));
    const expectations = groupExpectations(plan, subs);
    await waitForDeliveries(expectations);
    const core = watch.stop();
    const reports = await Promise.all(subs.map((w) => w.ask({ type: 'finish' }, 'sub-report', READY_MS)));

    const failures: string[] = [];
    const byWorker = new Map<WorkerHandle, Extract<FromWorker, { type: 'sub-report' }>>();
    subs.forEach((w, i) => {
      const r = reports[i]!;
      byWorker.set(w, r);
      if (r.error !== null) failures.push(`${w.name}: ${r.error}`);
    });
    const delivery: DeliveryExpectation[] = expectations.map((e) => ({
      label: e.label,
      reports: e.members.map((w) => byWorker.get(w)!.report),
      perPublisher: plan.perPublisher,
      publishers,
    }));
    failures.push(...verifyDeliveries(delivery));
    if (!server.alive) failures.push(`${server.target.label} died during the run\n${server.output.trim()}`);
    if (failures.some((f) => f.includes('closed by the server'))) {
      // Say why, when the server's log does (nats-server logs "Slow Consumer Detected").
      const why = server.output
        .split('\n')
        .filter((l) => /slow consumer|closed|error/i.test(l))
        .slice(-2);
      if (why.length > 0) failures.push(`server log: ${why.join(' | ').trim()}`);
    }

    const t0 = Math.min(...published.map((p) => p.t0));
    const tEnd = subs.length > 0 ? Math.max(...reports.map((r) => r.tLast)) : Math.max(...published.map((p) => p.tEnd));
    const wall = Math.max(1, tEnd - t0);
    const cpus: CpuSample[] = [...published.map((p) => p.cpu), ...reports.map((r) => r.cpu)];
    const genCpu = cpus.reduce((sum, c) => sum + c.cpuMicros, 0);
    const delivered = reports.reduce((sum, r) => sum + r.report.total, 0);
    const workerCpu: Record<string, number> = {};
    published.forEach((p, i) => {
      workerCpu[`cpuPub${i}`] = p.cpu.cpuMicros / wall;
    });
    reports.forEach((r, i) => {
      workerCpu[`cpuSub${i}`] = r.cpu.cpuMicros / wall;
    });
    return {
      workerCpu,
      seconds: wall / 1e6,
      published: published.reduce((sum, p) => sum + p.sent, 0),
      delivered,
      failures,
      generatorCpu: genCpu / wall,
      serverCpu: core.server,
      foreignCpu: Math.max(core.foreign, core.generatorCore - genCpu / wall),
    };
  } finally {
    killAll(workers);
  }
}

interface GroupExpectation {
  label: string;
  members: WorkerHandle[];
  /** Messages the whole group must receive. */
  expected: number;
}

/** Plain subscribers stand alone; queue members (SHARE mode) with the same label form one group. */
function groupExpectations(plan: FlowPlan, subs: readonly WorkerHandle[]): GroupExpectation[] {
  const total = plan.perPublisher * plan.publishers.length;
  const groups = new Map<string, GroupExpectation>();
  const out: GroupExpectation[] = [];
  plan.subscribers.forEach((s, i) => {
    const w = subs[i]!;
    if (s.mode === DeliveryMode.SHARE) {
      let g = groups.get(s.label);
      if (!g) {
        g = { label: s.label, members: [], expected: total };
        groups.set(s.label, g);
        out.push(g);
      }
      g.members.push(w);
    } else {
      out.push({ label: w.name, members: [w], expected: total });
    }
  });
  return out;
}

/** Polls subscriber counts until every group has its messages or nothing moved for STALL_MS. */
async function waitForDeliveries(groups: readonly GroupExpectation[]): Promise<void> {
  let lastSum = -1;
  let lastChange = Date.now();
  for (;;) {
    let done = true;
    let sum = 0;
    for (const g of groups) {
      const statuses = await Promise.all(g.members.map((w) => w.ask({ type: 'status' }, 'status', READY_MS)));
      let got = 0;
      for (const s of statuses) got += s.total;
      sum += got;
      if (got < g.expected) done = false;
    }
    if (done) return;
    if (sum !== lastSum) {
      lastSum = sum;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > STALL_MS) {
      return;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
