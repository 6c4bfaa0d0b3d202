/**
 * The macro scenarios: what load each drives, how big it is (default / --quick), which numbers it
 * yields, and the floor each ratio must meet. Every runner verifies what it measured; any
 * correctness failure makes the measurement a FAIL instead of a result.
 */
import { CoreWatch, type Machine } from './environment.js';
import { endpointOf, type FlowPlan, runFlow } from './flow.js';
import type { Transport } from './nats-conn.js';
import type { ServerProcess } from './server-process.js';
import { percentileSorted } from './stats.js';
import { DeliveryMode } from './verifier.js';
import { killAll, WorkerHandle } from './worker-handle.js';

/** One number a scenario reports, and how the Starling / nats-server ratio of it is judged. */
export interface MetricDef {
  key: string;
  label: string;
  unit: string;
  higherIsBetter: boolean;
  /** Ratio floor from the issue: >= floor when higher is better, <= floor when lower is better. */
  floor: number | null;
}

export interface Measurement {
  /** Metric key -> value (in the metric's unit). */
  values: Record<string, number>;
  /** Secondary numbers kept in the JSON and the Markdown details. */
  details: Record<string, number>;
  /** Raw series kept in the JSON only (RSS over time, latency percentiles…). */
  series: Record<string, number[]>;
  /** Correctness failures; non-empty = FAIL. */
  failures: string[];
  /** Load-generator CPU / wall time over the measured window (1.0 = one full core). */
  generatorCpu: number;
  serverCpu: number;
  /** Largest share of the server or generator core other processes took in the window (noise). */
  foreignCpu: number;
}

export interface ScenarioContext {
  server: ServerProcess;
  machine: Machine;
  /** Scale factor from --quick / --scale applied to the default counts. */
  quick: boolean;
  scale: number;
  /** Warm-up pass before the measured one (a JIT needs it; a Go binary does not mind). */
  warmup: boolean;
  /** Harness self-test: subscribers drop one message in the measured pass. */
  injectDrop: boolean;
}

export interface Scenario {
  name: string;
  group: string;
  title: string;
  /** What is measured and what is verified, for the report and README. */
  description: string;
  metrics: MetricDef[];
  needsWebsocket: boolean;
  /** Run once per server instead of once per round (memory: 10M messages). */
  singleRound: boolean;
  run(ctx: ScenarioContext): Promise<Measurement>;
}

/** Default and --quick sizes. */
export const SIZES = {
  pub: { full: 5_000_000, quick: 100_000 },
  pubsub_16b: { full: 4_000_000, quick: 50_000 },
  pubsub_1kb: { full: 800_000, quick: 10_000 },
  fanout: { full: 600_000, quick: 10_000 },
  fanin: { full: 400_000, quick: 5_000 },
  queue: { full: 2_000_000, quick: 20_000 },
  wildcard: { full: 2_000_000, quick: 20_000 },
  reqrep: { full: 20_000, quick: 1_000 },
  conns: { full: 10_000, quick: 500 },
  ws_pubsub_16b: { full: 2_000_000, quick: 20_000 },
  ws_pubsub_1kb: { full: 400_000, quick: 5_000 },
  memory: { full: 10_000_000, quick: 100_000 },
} as const;

function count(ctx: ScenarioContext, name: keyof typeof SIZES): number {
  const base = ctx.quick ? SIZES[name].quick : SIZES[name].full;
  return Math.max(1, Math.round(base * ctx.scale));
}

function warmupCount(ctx: ScenarioContext, n: number): number {
  return ctx.warmup ? Math.max(1, Math.min(Math.round(n / 10), 200_000)) : 0;
}

const throughput = (key: string, unit: string, floor: number | null): MetricDef[] => [
  { key, label: unit, unit, higherIsBetter: true, floor },
];

/** Runs a flow twice (warm-up, then measured); warm-up failures count too. */
async function measuredFlow(
  ctx: ScenarioContext,
  make: (perPublisher: number) => FlowPlan,
  perPublisher: number,
  metric: 'published' | 'delivered',
  key: string,
): Promise<Measurement> {
  const failures: string[] = [];
  const warm = warmupCount(ctx, perPublisher);
  if (warm > 0) {
    const w = await runFlow(ctx.server, ctx.machine, make(warm));
    failures.push(...w.failures.map((f) => `warm-up: ${f}`));
  }
  const r = await runFlow(ctx.server, ctx.machine, { ...make(perPublisher), injectDrop: ctx.injectDrop });
  failures.push(...r.failures);
  const n = metric === 'published' ? r.published : r.delivered;
  return {
    values: { [key]: n / r.seconds },
    details: {
      seconds: r.seconds,
      published: r.published,
      delivered: r.delivered,
      warmupPerPublisher: warm,
      ...r.workerCpu,
    },
    series: {},
    failures,
    generatorCpu: r.generatorCpu,
    serverCpu: r.serverCpu,
    foreignCpu: r.foreignCpu,
  };
}

function pubsubPlan(transport: Transport, payloadSize: number) {
  return (n: number): FlowPlan => ({
    transport,
    payloadSize,
    perPublisher: n,
    publishers: [{ subjects: ['bench.pubsub'] }],
    subscribers: [{ subs: [{ subject: 'bench.pubsub', queue: null }], mode: DeliveryMode.ALL, label: 'sub' }],
  });
}

const WILDCARD_SUBJECTS = Array.from({ length: 1000 }, (_, i) => `foo.${i}.bar`);

export const SCENARIOS: Scenario[] = [
  {
    name: 'pub',
    group: 'pub',
    title: 'pub 16 B',
    description:
      '1 publisher, no subscriber, 16 B (5M by default), ends with PING/PONG. Verifies every byte was consumed (PONG after the last PUB) and the server is alive.',
    metrics: throughput('msgs', 'msgs/s', 0.6),
    needsWebsocket: false,
    singleRound: false,
    run: (ctx) =>
      measuredFlow(
        ctx,
        (n) => ({
          transport: 'tcp',
          payloadSize: 16,
          perPublisher: n,
          publishers: [{ subjects: ['bench.pub'] }],
          subscribers: [],
        }),
        count(ctx, 'pub'),
        'published',
        'msgs',
      ),
  },
  {
    name: 'pubsub_16b',
    group: 'pubsub',
    title: 'pubsub 16 B',
    description: '1 publisher → 1 subscriber, 16 B. Verifies exact count and order (sequence numbers in payloads).',
    metrics: throughput('msgs', 'msgs/s', 0.5),
    needsWebsocket: false,
    singleRound: false,
    run: (ctx) => measuredFlow(ctx, pubsubPlan('tcp', 16), count(ctx, 'pubsub_16b'), 'delivered', 'msgs'),
  },
  {
    name: 'pubsub_1kb',
    group: 'pubsub',
    title: 'pubsub 1 KB',
    description: '1 publisher → 1 subscriber, 1024 B payloads. Verifies exact count, order and payload bytes.',
    metrics: throughput('msgs', 'msgs/s', 0.7),
    needsWebsocket: false,
    singleRound: false,
    run: (ctx) => measuredFlow(ctx, pubsubPlan('tcp', 1024), count(ctx, 'pubsub_1kb'), 'delivered', 'msgs'),
  },
  {
    name: 'fanout',
    group: 'fanout',
    title: 'fanout 1→8',
    description:
      '1 publisher → 8 subscriber processes on one subject; deliveries/s. Each subscriber must get every message in order.',
    metrics: throughput('deliveries', 'deliveries/s', 0.6),
    needsWebsocket: false,
    singleRound: false,
    run: (ctx) =>
      measuredFlow(
        ctx,
        (n) => ({
          transport: 'tcp',
          payloadSize: 16,
          perPublisher: n,
          publishers: [{ subjects: ['bench.fanout'] }],
          subscribers: Array.from({ length: 8 }, (_, i) => ({
            subs: [{ subject: 'bench.fanout', queue: null }],
            mode: DeliveryMode.ALL,
            label: `sub ${i}`,
          })),
        }),
        count(ctx, 'fanout'),
        'delivered',
        'deliveries',
      ),
  },
  {
    name: 'fanin',
    group: 'fanin',
    title: 'fanin 8→1',
    description:
      '8 publisher processes → 1 subscriber on one subject; msgs/s. Verifies the exact count per publisher and per-publisher order.',
    metrics: throughput('msgs', 'msgs/s', 0.5),
    needsWebsocket: false,
    singleRound: false,
    run: (ctx) =>
      measuredFlow(
        ctx,
        (n) => ({
          transport: 'tcp',
          payloadSize: 16,
          perPublisher: n,
          publishers: Array.from({ length: 8 }, () => ({ subjects: ['bench.fanin'] })),
          subscribers: [{ subs: [{ subject: 'bench.fanin', queue: null }], mode: DeliveryMode.ALL, label: 'sub' }],
        }),
        count(ctx, 'fanin'),
        'delivered',
        'msgs',
      ),
  },
  {
    name: 'queue',
    group: 'queue',
    title: 'queue 1→4',
    description:
      '1 publisher → 4 members of one queue group; msgs/s. Verifies every message reached exactly one member and each member saw increasing sequence numbers.',
    metrics: throughput('msgs', 'msgs/s', 0.5),
    needsWebsocket: false,
    singleRound: false,
    run: (ctx) =>
      measuredFlow(
        ctx,
        (n) => ({
          transport: 'tcp',
          payloadSize: 16,
          perPublisher: n,
          publishers: [{ subjects: ['bench.queue'] }],
          subscribers: Array.from({ length: 4 }, () => ({
            subs: [{ subject: 'bench.queue', queue: 'workers' }],
            mode: DeliveryMode.SHARE,
            label: 'queue workers',
          })),
        }),
        count(ctx, 'queue'),
        'published',
        'msgs',
      ),
  },
  {
    name: 'wildcard',
    group: 'wildcard',
    title: 'wildcard',
    description:
      '1 publisher cycling 1000 subjects foo.<i>.bar; one subscriber on foo.*.bar, one on foo.>; msgs/s published. Both must get every message in order.',
    metrics: throughput('msgs', 'msgs/s', 0.5),
    needsWebsocket: false,
    singleRound: false,
    run: (ctx) =>
      measuredFlow(
        ctx,
        (n) => ({
          transport: 'tcp',
          payloadSize: 16,
          perPublisher: n,
          publishers: [{ subjects: WILDCARD_SUBJECTS }],
          subscribers: [
            { subs: [{ subject: 'foo.*.bar', queue: null }], mode: DeliveryMode.ALL, label: 'foo.*.bar' },
            { subs: [{ subject: 'foo.>', queue: null }], mode: DeliveryMode.ALL, label: 'foo.>' },
          ],
        }),
        count(ctx, 'wildcard'),
        'published',
        'msgs',
      ),
  },
  {
    name: 'reqrep',
    group: 'reqrep',
    title: 'reqrep latency',
    description:
      'A responder process and a requester process; sequential request/reply, 16 B; round-trip latency by hrtime. Verifies every reply carries its request’s sequence number.',
    metrics: [
      { key: 'p50', label: 'p50 µs', unit: 'µs', higherIsBetter: false, floor: 1.5 },
      { key: 'p99', label: 'p99 µs', unit: 'µs', higherIsBetter: false, floor: null },
      { key: 'p999', label: 'p99.9 µs', unit: 'µs', higherIsBetter: false, floor: null },
    ],
    needsWebsocket: false,
    singleRound: false,
    run: (ctx) => runReqRep(ctx),
  },
  {
    name: 'conns',
    group: 'conns',
    title: 'conns idle',
    description:
      'Idle connections (10,000 by default), each CONNECT + PING/PONG; time to establish all, then server RSS (VmRSS). Verifies all are established and still open at the end.',
    metrics: [
      { key: 'rss', label: 'server RSS MiB', unit: 'MiB', higherIsBetter: false, floor: 1.0 },
      { key: 'establishMs', label: 'establish ms', unit: 'ms', higherIsBetter: false, floor: null },
    ],
    needsWebsocket: false,
    singleRound: false,
    run: (ctx) => runConns(ctx),
  },
  {
    name: 'ws_pubsub_16b',
    group: 'ws_pubsub',
    title: 'ws pubsub 16 B',
    description:
      'pubsub 16 B over the websocket listener (masked binary frames in, server frames decoded). Same verification as pubsub.',
    metrics: throughput('msgs', 'msgs/s', 0.6),
    needsWebsocket: true,
    singleRound: false,
    run: (ctx) => measuredFlow(ctx, pubsubPlan('ws', 16), count(ctx, 'ws_pubsub_16b'), 'delivered', 'msgs'),
  },
  {
    name: 'ws_pubsub_1kb',
    group: 'ws_pubsub',
    title: 'ws pubsub 1 KB',
    description: 'pubsub 1 KB over the websocket listener. Same verification as pubsub.',
    metrics: throughput('msgs', 'msgs/s', 0.6),
    needsWebsocket: true,
    singleRound: false,
    run: (ctx) => measuredFlow(ctx, pubsubPlan('ws', 1024), count(ctx, 'ws_pubsub_1kb'), 'delivered', 'msgs'),
  },
  {
    name: 'memory',
    group: 'memory',
    title: 'memory',
    description:
      'pubsub 16 B (10M by default) with server RSS sampled every 100 ms (and, for a Node server, V8 heap via a preloaded probe); reports peak RSS and growth. Same verification as pubsub.',
    metrics: [
      { key: 'peakRss', label: 'peak RSS MiB', unit: 'MiB', higherIsBetter: false, floor: null },
      { key: 'rssGrowth', label: 'RSS growth MiB', unit: 'MiB', higherIsBetter: false, floor: null },
    ],
    needsWebsocket: false,
    singleRound: true,
    run: (ctx) => runMemory(ctx),
  },
];

const MiB = 1024 * 1024;
const LATENCY_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100];
const READY_MS = 20_000;

async function runReqRep(ctx: ScenarioContext): Promise<Measurement> {
  const endpoint = endpointOf(ctx.server, 'tcp');
  const n = count(ctx, 'reqrep');
  const warm = ctx.warmup ? Math.max(1, Math.round(n / 4)) : 0;
  const workers: WorkerHandle[] = [];
  try {
    const responder = new WorkerHandle(ctx.machine, { kind: 'responder', endpoint, subject: 'bench.req' }, 'responder');
    workers.push(responder);
    await responder.next('ready', READY_MS);
    responder.send({ type: 'go' });
    const failures: string[] = [];
    const ask = async (requests: number) => {
      const requester = new WorkerHandle(
        ctx.machine,
        { kind: 'requester', endpoint, subject: 'bench.req', count: requests, payloadSize: 16 },
        'requester',
      );
      workers.push(requester);
      await requester.next('ready', READY_MS);
      return requester.ask({ type: 'go' }, 'latencies', 600_000);
    };
    if (warm > 0) {
      const w = await ask(warm);
      if (w.mismatches > 0) failures.push(`warm-up: ${w.mismatches} replies did not match their request`);
    }
    responder.send({ type: 'go' }); // restarts the responder's CPU meter for the measured pass
    const watch = new CoreWatch(() => ctx.server.cpuSeconds());
    const result = await ask(n);
    const core = watch.stop();
    const rep = await responder.ask({ type: 'finish' }, 'responder-report', READY_MS);
    if (result.mismatches > 0) failures.push(`${result.mismatches} replies did not match their request`);
    if (rep.error !== null) failures.push(`responder: ${rep.error}`);
    if (rep.answered !== n + warm) failures.push(`responder answered ${rep.answered} of ${n + warm} requests`);
    const sorted = Float64Array.from(result.micros).sort();
    const wall = Math.max(1, result.tEnd - result.t0);
    return {
      values: {
        p50: percentileSorted(sorted, 50),
        p99: percentileSorted(sorted, 99),
        p999: percentileSorted(sorted, 99.9),
      },
      details: {
        requests: n,
        requestsPerSec: n / (wall / 1e6),
        cpuRequester: result.cpu.cpuMicros / wall,
        cpuResponder: rep.cpu.cpuMicros / wall,
        minMicros: sorted[0] ?? Number.NaN,
        maxMicros: sorted[sorted.length - 1] ?? Number.NaN,
      },
      series: {
        percentiles: LATENCY_PERCENTILES,
        micros: LATENCY_PERCENTILES.map((p) => percentileSorted(sorted, p)),
      },
      failures,
      // Requester + responder both run on the generator core.
      generatorCpu: (result.cpu.cpuMicros + rep.cpu.cpuMicros) / wall,
      serverCpu: core.server,
      foreignCpu: Math.max(core.foreign, core.generatorCore - (result.cpu.cpuMicros + rep.cpu.cpuMicros) / wall),
    };
  } finally {
    killAll(workers);
  }
}

async function runConns(ctx: ScenarioContext): Promise<Measurement> {
  const endpoint = endpointOf(ctx.server, 'tcp');
  const n = count(ctx, 'conns');
  const worker = new WorkerHandle(ctx.machine, { kind: 'conns', endpoint, count: n, concurrency: 256 }, 'connections');
  try {
    await worker.next('ready', READY_MS);
    await new Promise((r) => setTimeout(r, 200));
    const rssBefore = ctx.server.rss();
    const watch = new CoreWatch(() => ctx.server.cpuSeconds());
    const opened = await worker.ask({ type: 'go' }, 'conns-open', 600_000);
    const core = watch.stop();
    // Let the server settle (first server PING goes out ~2 s after CONNECT; sample before that).
    await new Promise((r) => setTimeout(r, 500));
    const rss = ctx.server.rss();
    const report = await worker.ask({ type: 'finish' }, 'conns-report', READY_MS);
    const failures: string[] = [];
    if (opened.opened !== n) failures.push(`${n - opened.opened} of ${n} connections failed (${opened.firstError})`);
    if (report.stillOpen !== n)
      failures.push(`${n - report.stillOpen} of ${n} connections were closed (${report.firstError})`);
    if (!ctx.server.alive) failures.push(`${ctx.server.target.label} died during the run`);
    const wall = Math.max(1, opened.tEnd - opened.t0);
    return {
      values: { rss: rss / MiB, establishMs: wall / 1000 },
      details: {
        connections: n,
        rssBeforeMiB: rssBefore / MiB,
        bytesPerConn: (rss - rssBefore) / n,
        connsPerSec: n / (wall / 1e6),
      },
      series: {},
      failures,
      generatorCpu: opened.cpu.cpuMicros / wall,
      serverCpu: core.server,
      foreignCpu: Math.max(core.foreign, core.generatorCore - opened.cpu.cpuMicros / wall),
    };
  } finally {
    worker.kill();
  }
}

async function runMemory(ctx: ScenarioContext): Promise<Measurement> {
  const n = count(ctx, 'memory');
  const samples: Array<{ t: number; rss: number }> = [];
  const t0 = Date.now();
  const loadStart = Number(process.hrtime.bigint() / 1000n);
  const rssBefore = ctx.server.rss();
  const sampler = setInterval(() => samples.push({ t: Date.now() - t0, rss: ctx.server.rss() }), 100);
  let r: Awaited<ReturnType<typeof runFlow>>;
  try {
    r = await runFlow(ctx.server, ctx.machine, { ...pubsubPlan('tcp', 16)(n), injectDrop: ctx.injectDrop });
  } finally {
    clearInterval(sampler);
  }
  await new Promise((res) => setTimeout(res, 1000));
  const rssAfter = ctx.server.rss();
  const peak = Math.max(rssBefore, rssAfter, ...samples.map((s) => s.rss).filter(Number.isFinite));
  const mid = samples[Math.floor(samples.length / 2)]?.rss ?? rssBefore;
  const details: Record<string, number> = {
    messages: n,
    msgsPerSec: r.delivered / r.seconds,
    ...r.workerCpu,
    rssBeforeMiB: rssBefore / MiB,
    rssMidMiB: mid / MiB,
    rssAfterMiB: rssAfter / MiB,
    rssSecondHalfGrowthMiB: (rssAfter - mid) / MiB,
    rssSamples: samples.length,
  };
  const loadEnd = Number(process.hrtime.bigint() / 1000n);
  // Heap samples share CLOCK_MONOTONIC with us: keep the last one before the load and those during it.
  const all = ctx.server.heapSamples();
  const before = all.filter((h) => h.t <= loadStart);
  const heap = [...before.slice(-1), ...all.filter((h) => h.t > loadStart && h.t <= loadEnd)];
  if (heap.length > 0) {
    const first = heap[0]!;
    const last = heap[heap.length - 1]!;
    details.heapUsedStartMiB = first.heapUsed / MiB;
    details.heapUsedEndMiB = last.heapUsed / MiB;
    details.heapUsedPeakMiB = Math.max(...heap.map((h) => h.heapUsed)) / MiB;
    details.heapGrowthMiB = (last.heapUsed - first.heapUsed) / MiB;
    details.heapSamples = heap.length;
  }
  const series: Record<string, number[]> = {
    rssTimeMs: samples.map((x) => x.t),
    rssMiB: samples.map((x) => x.rss / MiB),
  };
  if (heap.length > 0) {
    series.heapTimeMs = heap.map((h) => (h.t - heap[0]!.t) / 1000);
    series.heapUsedMiB = heap.map((h) => h.heapUsed / MiB);
  }
  return {
    values: { peakRss: peak / MiB, rssGrowth: (rssAfter - rssBefore) / MiB },
    details,
    series,
    failures: r.failures,
    generatorCpu: r.generatorCpu,
    serverCpu: r.serverCpu,
    foreignCpu: r.foreignCpu,
  };
}
