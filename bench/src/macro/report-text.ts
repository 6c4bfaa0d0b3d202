/** The terminal table. */
import { floorText, formatRatio, formatSpread, headerLines, rowName, rowNotes } from './report-format.js';
import type { RunReport } from './results.js';

export function textTable(report: RunReport): string {
  const [a, b] = report.targets;
  const head = [
    'scenario',
    a.label,
    b.label,
    'ratio A/B per round',
    'ratio (median)',
    'floor',
    'verdict',
    'gen CPU',
    'notes',
  ];
  const rows: string[][] = [];
  for (const s of report.scenarios) {
    for (const row of s.rows) {
      rows.push([
        rowName(s, row),
        formatSpread(row.metric, row.a),
        formatSpread(row.metric, row.b),
        row.ratios.map(formatRatio).join(' '),
        row.ratio === null ? 'n/a' : formatRatio(row.ratio.median),
        floorText(row.metric),
        row.verdict,
        `${Math.round(row.maxGeneratorCpu * 100)}%`,
        rowNotes(s, row),
      ]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [...headerLines(report), '', line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const failures = report.scenarios.flatMap((s) => s.failures.map((f) => `FAIL ${s.name}: ${f}`));
  if (failures.length > 0) out.push('', ...failures);
  return out.join('\n');
}
