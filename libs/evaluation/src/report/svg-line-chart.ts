import { axisPosition, niceTicks, type AxisScale } from './chart-axis.js';
import { escapeXml } from './escape-xml.js';
import { seriesStyle, svgMarker } from './series-style.js';

/** One line: y values at the chart's x points (`null` = gap), optional ± error. */
export interface LineSeries {
  readonly name: string;
  readonly values: ReadonlyArray<number | null>;
  readonly errors?: ReadonlyArray<number | null>;
}

/** Options of {@link svgLineChart}. */
export interface LineChartOptions {
  readonly title: string;
  /** Category labels along x, evenly spaced (used when `xValues` is absent). */
  readonly xLabels?: readonly string[];
  /** Numeric x of each point (e.g. support sizes 0, 1, 2, 5, 10, 20), placed by `xScale`; wins over `xLabels`. */
  readonly xValues?: readonly number[];
  /** How `xValues` are placed. @defaultValue 'linear' */
  readonly xScale?: AxisScale;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly series: readonly LineSeries[];
  /** @defaultValue 520 */
  readonly widthPx?: number;
  /** At least this tall; grows so the legend fits every series. @defaultValue 300 */
  readonly heightPx?: number;
}

/** Pixels per legend row. */
const LEGEND_ROW_PX = 16;

/** Most points of a series drawn with markers (more: the line alone). */
const MAX_MARKED_POINTS = 60;

/** Most x tick labels drawn (a long numeric axis, e.g. 800 training steps, gets nice ticks instead). */
const MAX_X_LABELS = 12;

interface XAxis {
  readonly count: number;
  readonly position: (k: number) => number;
  readonly ticks: ReadonlyArray<{ readonly at: number; readonly label: string }>;
}

function xAxis(o: LineChartOptions, left: number, width: number): XAxis {
  if (o.xValues === undefined) {
    const labels = o.xLabels ?? [];
    const n = labels.length;
    const position = (k: number): number => left + (n <= 1 ? width / 2 : (k * width) / (n - 1));
    return { count: n, position, ticks: labels.map((label, k) => ({ at: position(k), label })) };
  }
  const values = o.xValues;
  const axis = { scale: o.xScale ?? 'linear', min: Math.min(...values), max: Math.max(...values), from: left, to: left + width };
  const position = (k: number): number => axisPosition(values[k], axis);
  const distinct = [...new Set(values)];
  const shown = distinct.length <= MAX_X_LABELS ? distinct : niceTicks(axis.min, axis.max, 6);
  return { count: values.length, position, ticks: shown.map((v) => ({ at: axisPosition(v, axis), label: String(v) })) };
}

/**
 * A self-contained SVG line chart (no script, no external resource) with error bars and a
 * legend; each series has its own colour and marker (`seriesStyle`, distinct for 16 series).
 */
export function svgLineChart(o: LineChartOptions): string {
  const w = o.widthPx ?? 520;
  const m = { left: 56, right: 150, top: 28, bottom: 44 };
  const h = Math.max(o.heightPx ?? 300, m.top + 8 + o.series.length * LEGEND_ROW_PX + m.bottom);
  const pw = w - m.left - m.right;
  const ph = h - m.top - m.bottom;
  const all: number[] = [];
  for (const s of o.series) {
    s.values.forEach((v, k) => {
      if (v !== null && Number.isFinite(v)) {
        const e = s.errors?.[k] ?? 0;
        all.push(v - (e ?? 0), v + (e ?? 0));
      }
    });
  }
  let lo = all.length ? Math.min(...all) : 0;
  let hi = all.length ? Math.max(...all) : 1;
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
  lo -= pad;
  hi += pad;
  const xs = xAxis(o, m.left, pw);
  const x = xs.position;
  const y = (v: number): number => m.top + ph - ((v - lo) / (hi - lo)) * ph;
  const parts: string[] = [
    `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeXml(o.title)}" font-family="system-ui, sans-serif" font-size="11">`,
    `<text x="${m.left}" y="16" font-size="13" font-weight="600">${escapeXml(o.title)}</text>`,
    `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#ccc"/>`,
  ];
  for (const t of niceTicks(lo, hi)) {
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`);
  }
  for (const tick of xs.ticks) {
    parts.push(`<text x="${tick.at.toFixed(1)}" y="${m.top + ph + 16}" text-anchor="middle">${escapeXml(tick.label)}</text>`);
  }
  parts.push(`<text x="${m.left + pw / 2}" y="${h - 8}" text-anchor="middle">${escapeXml(o.xTitle)}</text>`);
  parts.push(`<text transform="translate(14 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yTitle)}</text>`);
  o.series.forEach((s, si) => {
    const style = seriesStyle(si);
    const pts = s.values.map((v, k) => (v === null || !Number.isFinite(v) || k >= xs.count ? null : ([x(k), y(v), k] as const)));
    const path = pts
      .filter((p) => p !== null)
      .map((p, j) => `${j === 0 ? 'M' : 'L'}${p[0].toFixed(1)},${p[1].toFixed(1)}`)
      .join(' ');
    if (path) {
      parts.push(`<path d="${path}" fill="none" stroke="${style.color}" stroke-width="2"/>`);
    }
    // Markers only where they stay readable (a training curve of hundreds of steps is a line).
    const marked = pts.filter((p) => p !== null).length <= MAX_MARKED_POINTS;
    for (const p of pts) {
      if (p === null) {
        continue;
      }
      const e = s.errors?.[p[2]];
      const v = s.values[p[2]] as number;
      if (e) {
        parts.push(`<line x1="${p[0].toFixed(1)}" x2="${p[0].toFixed(1)}" y1="${y(v - e).toFixed(1)}" y2="${y(v + e).toFixed(1)}" stroke="${style.color}"/>`);
      }
      if (marked) {
        parts.push(svgMarker(style, p[0], p[1], `<title>${escapeXml(`${s.name}: ${v.toFixed(4)}${e ? ` ± ${e.toFixed(4)}` : ''}`)}</title>`));
      }
    }
    const ly = m.top + 8 + si * LEGEND_ROW_PX;
    parts.push(`<line x1="${m.left + pw + 10}" x2="${m.left + pw + 28}" y1="${ly}" y2="${ly}" stroke="${style.color}" stroke-width="2"/>`);
    parts.push(svgMarker(style, m.left + pw + 19, ly));
    parts.push(`<text x="${m.left + pw + 32}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
