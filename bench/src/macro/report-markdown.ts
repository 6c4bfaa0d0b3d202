/** The Markdown report: header, summary table, the SVG chart, then every raw run. */
import { floorText, formatRatio, formatSpread, formatValue, headerLines, rowName, rowNotes } from './report-format.js';
import type { RunReport } from './results.js';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownReport(report: RunReport, svgFile: string): string {
  const [a, b] = report.targets;
  const out: string[] = [];
  out.push(`# Macro benchmark: ${a.label} vs ${b.label}`, '');
  for (const l of headerLines(report)) out.push(`- ${l}`);
  out.push(
    `- started ${report.startedAt}, took ${Math.round(report.seconds)} s`,
    '',
    `Ratio = A / B per round (A = ${a.label}, B = ${b.label}); the verdict uses the median. Throughput rows: higher is better. ` +
      'Latency, RSS and time rows (↓): lower is better, and the floor is a ceiling. ' +
      'Values are median (min–max) over the rounds. FAIL = a correctness check failed: the speed of a wrong answer is not reported.',
    '',
    `![ratios](${svgFile})`,
    '',
    `| scenario | ${cell(a.label)} | ${cell(b.label)} | ratio per round | ratio | floor | verdict | gen CPU | notes |`,
    '|---|---:|---:|---|---:|---|---|---:|---|',
  );
  for (const s of report.scenarios) {
    for (const row of s.rows) {
      out.push(
        `| ${cell(rowName(s, row))}${row.metric.higherIsBetter ? '' : ' ↓'} | ${formatSpread(row.metric, row.a)} | ${formatSpread(row.metric, row.b)} | ${row.ratios.map(formatRatio).join(' ')} | ${row.ratio === null ? 'n/a' : `**${formatRatio(row.ratio.median)}**`} | ${floorText(row.metric)} | ${row.verdict} | ${Math.round(row.maxGeneratorCpu * 100)}% | ${cell(rowNotes(s, row))} |`,
      );
    }
  }
  const failures = report.scenarios.flatMap((s) => s.failures.map((f) => `- **${s.name}**: ${cell(f)}`));
  if (failures.length > 0) out.push('', '## Failures', '', ...failures);
  out.push('', '## Runs', '');
  for (const s of report.scenarios) {
    out.push(`### ${s.title}`, '', s.description, '');
    if (s.notAvailable !== null) out.push(`**${s.notAvailable}**`, '');
    if (s.runs.length === 0) continue;
    out.push(
      '| round | server | values | gen CPU | server CPU | others on pinned cores | attempts | details |',
      '|---:|---|---|---:|---:|---:|---:|---|',
    );
    for (const r of s.runs) {
      const label = report.targets[r.target].label;
      const m = r.measurement;
      if (m === null) {
        out.push(`| ${r.round + 1} | ${cell(label)} | error | | | | ${r.attempts} | ${cell(r.error ?? '')} |`);
        continue;
      }
      const values = s.rows.map(
        (row) => `${row.metric.label} ${formatValue(row.metric, m.values[row.metric.key] ?? Number.NaN)}`,
      );
      const details = Object.entries(m.details).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`);
      out.push(
        `| ${r.round + 1} | ${cell(label)} | ${cell(values.join(', '))}${m.failures.length > 0 ? ' **FAIL**' : ''} | ${Math.round(m.generatorCpu * 100)}% | ${Math.round(m.serverCpu * 100)}% | ${Math.round(m.foreignCpu * 100)}% | ${r.attempts} | ${cell(details.join(' '))} |`,
      );
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
