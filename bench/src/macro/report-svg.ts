/**
 * The ratio chart, hand-written SVG: one horizontal bar per metric row (A / B, median of the
 * rounds), a dashed 1.0× line, each floor marked with a tick, bars coloured by verdict. Rows
 * where lower is better say so. Bars past the right edge are cut and labelled with their value.
 */
import { rowName } from './report-format.js';
import type { MetricRow, RunReport, ScenarioResult } from './results.js';

const ROW_H = 26;
const LABEL_W = 300;
const PLOT_W = 460;
const VALUE_W = 150;
const TOP = 56;
const BOTTOM = 40;

const COLORS: Record<string, string> = {
  pass: '#2e7d32',
  miss: '#c62828',
  FAIL: '#6a1b9a',
  '—': '#607d8b',
  'n/a': '#b0bec5',
};

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function ratioSvg(report: RunReport): string {
  const rows: Array<{ s: ScenarioResult; row: MetricRow }> = [];
  for (const s of report.scenarios) for (const row of s.rows) rows.push({ s, row });
  const finite = rows.map((r) => r.row.ratio?.median ?? 0).filter((v) => Number.isFinite(v));
  const floors = rows.map((r) => r.row.metric.floor ?? 0);
  // Scale: at least 0..2×, up to 4× so one huge ratio does not flatten the rest.
  const max = Math.min(4, Math.max(2, Math.ceil(Math.max(0, ...finite, ...floors) * 2) / 2));
  const x = (v: number): number => LABEL_W + (Math.min(v, max) / max) * PLOT_W;
  const height = TOP + rows.length * ROW_H + BOTTOM;
  const width = LABEL_W + PLOT_W + VALUE_W;
  const [a, b] = report.targets;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${esc(`${a.label} / ${b.label}`)} (median of ${report.rounds} round${report.rounds === 1 ? '' : 's'})</text>`,
    `<text x="10" y="38" fill="#555">${esc(`commit ${report.machine.commit} · ${report.machine.cpuModel} · node ${report.machine.node} · ${report.machine.pinning ? 'pinned' : 'not pinned'}`)}</text>`,
  );
  // Grid every 0.5×.
  for (let g = 0; g <= max + 1e-9; g += 0.5) {
    const gx = x(g).toFixed(1);
    out.push(`<line x1="${gx}" y1="${TOP - 6}" x2="${gx}" y2="${TOP + rows.length * ROW_H}" stroke="#eceff1"/>`);
    out.push(
      `<text x="${gx}" y="${TOP + rows.length * ROW_H + 16}" text-anchor="middle" fill="#555">${g.toFixed(1)}×</text>`,
    );
  }
  rows.forEach(({ s, row }, i) => {
    const y = TOP + i * ROW_H;
    const label = `${rowName(s, row)}${row.metric.higherIsBetter ? '' : ' ↓'}`;
    out.push(`<text x="${LABEL_W - 8}" y="${y + 17}" text-anchor="end">${esc(label)}</text>`);
    const median = row.ratio?.median;
    const color = COLORS[row.verdict] ?? '#607d8b';
    let valueText: string;
    if (row.verdict === 'FAIL') {
      valueText = 'FAIL (incorrect)';
    } else if (median === undefined || !Number.isFinite(median)) {
      valueText = s.notAvailable !== null ? 'not available' : 'n/a';
    } else {
      const w = Math.max(1, x(median) - LABEL_W);
      out.push(
        `<rect x="${LABEL_W}" y="${y + 5}" width="${w.toFixed(1)}" height="${ROW_H - 10}" fill="${color}" rx="2"/>`,
      );
      if (median > max)
        out.push(`<text x="${(x(max) - 4).toFixed(1)}" y="${y + 17}" text-anchor="end" fill="#fff">›</text>`);
      valueText = `${median.toFixed(2)}×${row.verdict === 'pass' || row.verdict === 'miss' ? ` ${row.verdict}` : ''}`;
    }
    if (row.metric.floor !== null) {
      const fx = x(row.metric.floor).toFixed(1);
      out.push(
        `<g><title>floor ${row.metric.higherIsBetter ? '≥' : '≤'} ${row.metric.floor}×</title><line x1="${fx}" y1="${y + 2}" x2="${fx}" y2="${y + ROW_H - 2}" stroke="#000" stroke-width="2"/></g>`,
      );
    }
    out.push(`<text x="${LABEL_W + PLOT_W + 8}" y="${y + 17}" fill="${color}">${esc(valueText)}</text>`);
  });
  const one = x(1).toFixed(1);
  out.push(
    `<line x1="${one}" y1="${TOP - 8}" x2="${one}" y2="${TOP + rows.length * ROW_H}" stroke="#333" stroke-dasharray="4 3"/>`,
    `<text x="${one}" y="${TOP - 12}" text-anchor="middle" fill="#333">1.0×</text>`,
    `<text x="10" y="${height - 8}" fill="#555">${esc('black tick = floor · ↓ = lower is better (floor is a ceiling) · green pass · red miss · grey no floor / n/a · purple FAIL')}</text>`,
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}
