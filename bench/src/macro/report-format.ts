/** Shared cell formatting for the terminal table and the Markdown report. */
import { FOREIGN_NOISY, type MetricRow, type RunReport, type ScenarioResult } from './results.js';
import type { MetricDef } from './scenarios.js';
import { formatCount, type Spread } from './stats.js';

export function formatValue(metric: MetricDef, v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  switch (metric.unit) {
    case 'µs':
      return v < 100 ? v.toFixed(1) : v.toFixed(0);
    case 'MiB':
      return v.toFixed(1);
    case 'ms':
      return v.toFixed(0);
    default:
      return formatCount(v);
  }
}

export function formatSpread(metric: MetricDef, s: Spread | null): string {
  if (s === null) return 'n/a';
  if (s.min === s.max) return formatValue(metric, s.median);
  return `${formatValue(metric, s.median)} (${formatValue(metric, s.min)}–${formatValue(metric, s.max)})`;
}

export function formatRatio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : 'n/a';
}

export function floorText(metric: MetricDef): string {
  if (metric.floor === null) return '';
  return `${metric.higherIsBetter ? '≥' : '≤'} ${metric.floor}×`;
}

export function rowName(s: ScenarioResult, row: MetricRow): string {
  return s.rows.length > 1 ? `${s.title} · ${row.metric.label}` : `${s.title} (${row.metric.label})`;
}

/** Notes shown next to a row: generator saturation, unavailability. */
export function rowNotes(s: ScenarioResult, row: MetricRow): string {
  const notes: string[] = [];
  if (s.notAvailable !== null) notes.push(s.notAvailable);
  if (row.generatorSaturated) {
    notes.push(
      `load generator saturated its core (${Math.round(row.maxGeneratorCpu * 100)}%): result may understate the server`,
    );
  }
  if (row.maxForeignCpu > FOREIGN_NOISY) {
    notes.push(`noisy: other processes took up to ${Math.round(row.maxForeignCpu * 100)}% of a pinned core`);
  }
  return notes.join('; ');
}

export function headerLines(report: RunReport): string[] {
  const m = report.machine;
  const [a, b] = report.targets;
  return [
    `node ${m.node} · cpu ${m.cpuModel} · ${m.cores} cores · kernel ${m.kernel}`,
    `pinning: ${m.pinningNote}`,
    `A = ${a.label}: ${a.version} (${a.command})`,
    `B = ${b.label}: ${b.version} (${b.command})`,
    `commit ${m.commit}${m.dirty ? ' (+ uncommitted changes)' : ''} · ${report.quick ? 'QUICK smoke run' : 'full run'} · ${report.rounds} round(s), alternating A B · scale ${report.scale} · warm-up ${report.warmup ? 'on' : 'off'}`,
  ];
}
