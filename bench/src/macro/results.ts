/**
 * The result model of one macro run (what the JSON file holds) and its aggregation: per metric,
 * min / median / max per target, the ratio A / B per round, and the verdict against the floor.
 * Pure: the report writers and the smoke test build on it.
 */
import type { Machine } from './environment.js';
import type { Measurement, MetricDef, Scenario } from './scenarios.js';
import { type Spread, spread } from './stats.js';

/** Past this share of a core, the load generator may have been the bottleneck. */
export const GENERATOR_SATURATED = 0.9;
/** Past this share of a pinned core taken by other processes, a run is flagged as noisy. */
export const FOREIGN_NOISY = 0.1;

export interface TargetInfo {
  label: string;
  command: string;
  version: string;
  websocket: boolean;
}

export interface RunRecord {
  round: number;
  /** 0 = A (the numerator), 1 = B. */
  target: 0 | 1;
  /** Runs it took: a run disturbed by other processes on the server core is repeated. */
  attempts: number;
  measurement: Measurement | null;
  /** The run could not complete (server did not start, a worker died…). */
  error: string | null;
}

export type Verdict = 'pass' | 'miss' | 'FAIL' | 'n/a' | '—';

export interface MetricRow {
  metric: MetricDef;
  a: Spread | null;
  b: Spread | null;
  /** A / B per round where both sides measured cleanly. */
  ratios: number[];
  ratio: Spread | null;
  verdict: Verdict;
  /** Highest generator CPU share seen in any run of the scenario. */
  maxGeneratorCpu: number;
  generatorSaturated: boolean;
  /** Highest share of a pinned core other processes took in any run (noise). */
  maxForeignCpu: number;
}

export interface ScenarioResult {
  name: string;
  title: string;
  description: string;
  /** Set when the scenario could not run on a target; shown verbatim, never a silent skip. */
  notAvailable: string | null;
  runs: RunRecord[];
  failures: string[];
  rows: MetricRow[];
}

export interface RunReport {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  quick: boolean;
  rounds: number;
  scale: number;
  warmup: boolean;
  machine: Machine;
  targets: [TargetInfo, TargetInfo];
  scenarios: ScenarioResult[];
}

/** Everything that went wrong in the scenario's runs, labelled by round and target. */
export function collectFailures(runs: readonly RunRecord[], labels: readonly [string, string]): string[] {
  const out: string[] = [];
  for (const r of runs) {
    const who = `round ${r.round + 1} ${labels[r.target]}`;
    if (r.error !== null) out.push(`${who}: ${r.error}`);
    for (const f of r.measurement?.failures ?? []) out.push(`${who}: ${f}`);
  }
  return out;
}

export function aggregate(
  scenario: Scenario,
  runs: RunRecord[],
  labels: readonly [string, string],
  notAvailable: string | null,
): ScenarioResult {
  const failures = collectFailures(runs, labels);
  const clean = (r: RunRecord): boolean =>
    r.error === null && r.measurement !== null && r.measurement.failures.length === 0;
  const maxGen = Math.max(0, ...runs.map((r) => r.measurement?.generatorCpu ?? 0).filter(Number.isFinite));
  const maxForeign = Math.max(0, ...runs.map((r) => r.measurement?.foreignCpu ?? 0).filter(Number.isFinite));
  const rows: MetricRow[] = scenario.metrics.map((metric) => {
    const side = (t: 0 | 1): number[] =>
      runs.filter((r) => r.target === t && clean(r)).map((r) => r.measurement!.values[metric.key] ?? Number.NaN);
    const aVals = side(0).filter(Number.isFinite);
    const bVals = side(1).filter(Number.isFinite);
    const rounds = [...new Set(runs.map((r) => r.round))].sort((x, y) => x - y);
    const ratios: number[] = [];
    for (const round of rounds) {
      const a = runs.find((r) => r.round === round && r.target === 0);
      const b = runs.find((r) => r.round === round && r.target === 1);
      if (!a || !b || !clean(a) || !clean(b)) continue;
      const av = a.measurement!.values[metric.key];
      const bv = b.measurement!.values[metric.key];
      if (av !== undefined && bv !== undefined && Number.isFinite(av) && Number.isFinite(bv) && bv !== 0) {
        ratios.push(av / bv);
      }
    }
    const ratio = ratios.length > 0 ? spread(ratios) : null;
    let verdict: Verdict;
    if (failures.length > 0) verdict = 'FAIL';
    else if (notAvailable !== null || ratio === null) verdict = 'n/a';
    else if (metric.floor === null) verdict = '—';
    else
      verdict = (metric.higherIsBetter ? ratio.median >= metric.floor : ratio.median <= metric.floor) ? 'pass' : 'miss';
    return {
      metric,
      a: aVals.length > 0 ? spread(aVals) : null,
      b: bVals.length > 0 ? spread(bVals) : null,
      ratios,
      ratio,
      verdict,
      maxGeneratorCpu: maxGen,
      generatorSaturated: maxGen > GENERATOR_SATURATED,
      maxForeignCpu: maxForeign,
    };
  });
  return {
    name: scenario.name,
    title: scenario.title,
    description: scenario.description,
    notAvailable,
    runs,
    failures,
    rows,
  };
}

/** True when no scenario failed its correctness checks or errored. */
export function allCorrect(report: RunReport): boolean {
  return report.scenarios.every((s) => s.failures.length === 0);
}

/** JSON with typed arrays turned into plain arrays (Uint8Array bitsets never reach here). */
export function toJson(report: RunReport): string {
  return `${JSON.stringify(report, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v), 2)}\n`;
}
