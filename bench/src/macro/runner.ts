/**
 * The macro benchmark: for each scenario, fresh servers started from the same generated config,
 * the same load driven against each in alternating rounds (A B A B …), every run verified, and
 * the results aggregated and written as a terminal table, JSON, Markdown and SVG.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectMachine, ensureNatsServer, type Machine, pinSelf, serverVersion } from './environment.js';
import type { RunOptions } from './options.js';
import { markdownReport } from './report-markdown.js';
import { ratioSvg } from './report-svg.js';
import { textTable } from './report-text.js';
import {
  aggregate,
  allCorrect,
  FOREIGN_NOISY,
  type RunRecord,
  type RunReport,
  type TargetInfo,
  toJson,
} from './results.js';
import { SCENARIOS, type Scenario } from './scenarios.js';
import { ServerProcess, type Target } from './server-process.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEFAULT_RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
const STARLING_CLI = join(REPO_ROOT, 'packages', 'cli', 'dist', 'starling.js');
const HEAP_PROBE = fileURLToPath(new URL('./heap-probe.js', import.meta.url));

export const NO_WEBSOCKET =
  'not available: Starling has no websocket listener yet (run with --starling-ws once it has)';

export interface RunOutput {
  report: RunReport;
  files: { json: string; markdown: string; svg: string };
}

function makeTargets(opts: RunOptions, log: (l: string) => void): [Target, Target] {
  const build = (name: string, suffix: string): Target => {
    if (name === 'nats-server') {
      const path = ensureNatsServer(log);
      return {
        label: `nats-server${suffix}`,
        argv: [path],
        websocket: true,
        isNode: false,
        version: serverVersion([path], 'nats-server (version unknown)'),
      };
    }
    const argv = opts.starlingCmd ?? [process.execPath, STARLING_CLI];
    if (opts.starlingCmd === null && !existsSync(STARLING_CLI)) {
      throw new Error(
        `the Starling CLI is not built (${STARLING_CLI} is missing): build it first, or run --targets nats-server,nats-server to check the harness`,
      );
    }
    let fallback = 'starling (version unknown)';
    try {
      const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as {
        version?: string;
      };
      fallback = `@starling/cli ${pkg.version ?? '?'}`;
    } catch {
      // keep the generic fallback
    }
    return {
      label: `starling${suffix}`,
      argv,
      websocket: opts.starlingWs,
      isNode: basename(argv[0] ?? '').startsWith('node'),
      version: serverVersion(argv, fallback),
    };
  };
  const same = opts.targets[0] === opts.targets[1];
  return [build(opts.targets[0], same ? ' (A)' : ''), build(opts.targets[1], same ? ' (B)' : '')];
}

function selectScenarios(opts: RunOptions): Scenario[] {
  if (opts.only === null) return SCENARIOS;
  return SCENARIOS.filter((s) => opts.only!.includes(s.name) || opts.only!.includes(s.group));
}

function stamp(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

async function measureOnce(
  scenario: Scenario,
  target: Target,
  machine: Machine,
  opts: RunOptions,
): Promise<Pick<RunRecord, 'measurement' | 'error'>> {
  let server: ServerProcess | null = null;
  try {
    server = await ServerProcess.start(target, machine, {
      websocket: scenario.needsWebsocket,
      heapProbe: scenario.name === 'memory' ? HEAP_PROBE : null,
    });
    const measurement = await scenario.run({
      server,
      machine,
      quick: opts.quick,
      scale: opts.scale,
      warmup: opts.warmup,
      injectDrop: opts.injectDrop,
    });
    return { measurement, error: null };
  } catch (err) {
    return { measurement: null, error: err instanceof Error ? err.message : String(err) };
  } finally {
    await server?.stop();
  }
}

export async function runBenchmark(opts: RunOptions, log: (line: string) => void): Promise<RunOutput> {
  const started = new Date();
  const machine = detectMachine(opts.pin, log);
  pinSelf(machine);
  const targets = makeTargets(opts, log);
  const labels: [string, string] = [targets[0].label, targets[1].label];
  const info = (t: Target): TargetInfo => ({
    label: t.label,
    command: t.argv.join(' '),
    version: t.version,
    websocket: t.websocket,
  });
  const report: RunReport = {
    schema: 1,
    startedAt: started.toISOString(),
    finishedAt: '',
    seconds: 0,
    quick: opts.quick,
    rounds: opts.rounds,
    scale: opts.scale,
    warmup: opts.warmup,
    machine,
    targets: [info(targets[0]), info(targets[1])],
    scenarios: [],
  };
  log(`pinning: ${machine.pinningNote}`);
  log(`A = ${labels[0]} (${targets[0].version}), B = ${labels[1]} (${targets[1].version})`);
  const scenarios = selectScenarios(opts);
  // Repeating noisy runs helps with bursts; on a machine that stays busy it only costs time, so
  // the whole run gets a bounded number of repeats (the kept runs are flagged "noisy").
  let retryBudget = Math.ceil(scenarios.length * opts.noiseRetries * 0.5);
  for (const scenario of scenarios) {
    let notAvailable: string | null = null;
    const runnable: [boolean, boolean] = [true, true];
    if (scenario.needsWebsocket) {
      targets.forEach((t, i) => {
        if (!t.websocket) {
          runnable[i] = false;
          notAvailable = t.label.startsWith('starling')
            ? NO_WEBSOCKET
            : `not available: ${t.label} has no websocket listener`;
        }
      });
      if (notAvailable !== null) log(`${scenario.name}: ${notAvailable}`);
    }
    const rounds = scenario.singleRound ? 1 : opts.rounds;
    const runs: RunRecord[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const t of [0, 1] as const) {
        if (!runnable[t]) continue;
        const t0 = Date.now();
        let r = await measureOnce(scenario, targets[t], machine, opts);
        let attempts = 1;
        while (attempts <= opts.noiseRetries && (r.measurement?.foreignCpu ?? 0) > FOREIGN_NOISY) {
          const busy = `other processes took ${Math.round(r.measurement!.foreignCpu * 100)}% of a pinned core`;
          if (retryBudget <= 0) {
            log(`${scenario.name} round ${round + 1} ${labels[t]}: noisy (${busy}); retry budget used up, kept`);
            break;
          }
          retryBudget--;
          log(`${scenario.name} round ${round + 1} ${labels[t]}: noisy (${busy}), repeating`);
          r = await measureOnce(scenario, targets[t], machine, opts);
          attempts++;
        }
        runs.push({ round, target: t, attempts, ...r });
        const what =
          r.error !== null
            ? `ERROR ${r.error.split('\n')[0]}`
            : `${Object.entries(r.measurement!.values)
                .map(([k, v]) => `${k}=${v.toFixed(1)}`)
                .join(
                  ' ',
                )} gen=${Math.round(r.measurement!.generatorCpu * 100)}% srv=${Math.round(r.measurement!.serverCpu * 100)}%${r.measurement!.failures.length > 0 ? ` FAIL: ${r.measurement!.failures[0]}` : ''}`;
        log(`${scenario.name} round ${round + 1} ${labels[t]}: ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      }
    }
    report.scenarios.push(aggregate(scenario, runs, labels, notAvailable));
  }
  const finished = new Date();
  report.finishedAt = finished.toISOString();
  report.seconds = (finished.getTime() - started.getTime()) / 1000;

  const dir = resolve(opts.outDir ?? DEFAULT_RESULTS_DIR);
  mkdirSync(dir, { recursive: true });
  const stem = `${stamp(started)}-${machine.commit}${opts.quick ? '-quick' : ''}`;
  const files = { json: join(dir, `${stem}.json`), markdown: join(dir, `${stem}.md`), svg: join(dir, `${stem}.svg`) };
  const svg = ratioSvg(report);
  writeFileSync(files.json, toJson(report));
  writeFileSync(files.svg, svg);
  writeFileSync(files.markdown, markdownReport(report, basename(files.svg)));
  if (opts.writeLatest ?? (!opts.quick && !opts.injectDrop)) {
    writeFileSync(join(dir, 'latest.svg'), svg);
    writeFileSync(join(dir, 'latest.md'), markdownReport(report, 'latest.svg'));
  }
  log('');
  log(textTable(report));
  log('');
  log(`wrote ${files.json}`);
  log(`wrote ${files.markdown}`);
  if (!allCorrect(report)) log('some scenarios FAILED their correctness checks (see above)');
  return { report, files };
}
