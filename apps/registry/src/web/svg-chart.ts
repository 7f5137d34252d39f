import { html, type SafeHtml } from './html.js';

/** One line of a chart. */
export interface ChartSeries {
  readonly name: string;
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number }>;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** `data-testid` of the `<svg>`. */
  readonly testId: string;
  /** @defaultValue `560` (px) */
  readonly width?: number;
  /** @defaultValue `260` (px) */
  readonly height?: number;
}

/** Ten colours distinguishable on white and by most colour-blind readers (Tableau 10). */
export const CHART_COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;
/** Marker shapes cycled with the colours, so series stay apart in grey print. */
const MARKERS = ['circle', 'square', 'triangle', 'diamond'] as const;
const MARGIN = { left: 56, right: 12, top: 28, bottom: 40 } as const;
/** Points drawn as markers per series at most; longer series are lines only (a run logs thousands of steps). */
const MAX_MARKERS = 60;

/** "Nice" tick values (1, 2, 5 × 10^k) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) {
    return [min];
  }
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks;
}

function label(value: number): string {
  return Math.abs(value) >= 1000 || Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

function marker(kind: (typeof MARKERS)[number], x: number, y: number, colour: string, tip: string): SafeHtml {
  const r = 3.5;
  const shape =
    kind === 'circle'
      ? html`<circle cx="${x}" cy="${y}" r="${r}" fill="${colour}">`
      : kind === 'square'
        ? html`<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}" fill="${colour}">`
        : kind === 'triangle'
          ? html`<polygon points="${x},${y - r - 1} ${x - r - 1},${y + r} ${x + r + 1},${y + r}" fill="${colour}">`
          : html`<polygon points="${x},${y - r - 1} ${x + r + 1},${y} ${x},${y + r + 1} ${x - r - 1},${y}" fill="${colour}">`;
  const close = kind === 'circle' ? html`</circle>` : kind === 'square' ? html`</rect>` : html`</polygon>`;
  return html`${shape}<title>${tip}</title>${close}`;
}

/**
 * A line chart as inline SVG: axes with nice ticks, one coloured line (and marker shape) per
 * series, a legend, a `<title>` tooltip per marker. No script, no external resource: it renders
 * offline and under the page's CSP. Series without points are left out; none at all gives a note.
 */
export function lineChart(options: LineChartOptions): SafeHtml {
  const width = options.width ?? 560;
  const height = options.height ?? 260;
  const series = options.series.filter((s) => s.points.length > 0);
  if (series.length === 0) {
    return html`<p class="muted" data-testid="${options.testId}-empty">${options.title}: nothing logged.</p>`;
  }
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  let [xMin, xMax, yMin, yMax] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (xMin === xMax) {
    [xMin, xMax] = [xMin - 1, xMax + 1];
  }
  if (yMin === yMax) {
    const pad = Math.abs(yMin) * 0.05 || 1;
    [yMin, yMax] = [yMin - pad, yMax + pad];
  }
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number): number => Number((MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW).toFixed(1));
  const sy = (y: number): number => Number((MARGIN.top + plotH - ((y - yMin) / (yMax - yMin)) * plotH).toFixed(1));
  // Steps, version numbers and support sizes are whole numbers: no tick between two of them.
  const xTicks = xs.every(Number.isInteger) ? niceTicks(xMin, xMax).filter(Number.isInteger) : niceTicks(xMin, xMax);
  const yTicks = niceTicks(yMin, yMax);
  const lines = series.map((s, i) => {
    const colour = CHART_COLOURS[i % CHART_COLOURS.length] ?? '#000';
    const kind = MARKERS[i % MARKERS.length] ?? 'circle';
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    const path = sorted.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ');
    const every = Math.max(1, Math.ceil(sorted.length / MAX_MARKERS));
    const markers = sorted.filter((_, j) => j % every === 0 || j === sorted.length - 1).map((p) => marker(kind, sx(p.x), sy(p.y), colour, `${s.name}: ${options.xLabel} ${label(p.x)}, ${label(p.y)}`));
    return html`<g class="series" data-series="${s.name}"><polyline points="${path}" fill="none" stroke="${colour}" stroke-width="1.8"></polyline>${markers}</g>`;
  });
  const legend = series.map((s, i) => {
    const colour = CHART_COLOURS[i % CHART_COLOURS.length] ?? '#000';
    return html`<span class="legend-item"><svg width="14" height="10" aria-hidden="true"><rect width="14" height="10" fill="${colour}"></rect></svg> ${s.name}</span>`;
  });
  return html`<figure class="chart"><svg data-testid="${options.testId}" role="img" aria-label="${options.title}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">
    <text x="${MARGIN.left}" y="16" font-size="13" font-weight="600">${options.title}</text>
    ${yTicks.map((t) => html`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eaeef2"></line><text x="${MARGIN.left - 6}" y="${sy(t) + 4}" font-size="10" text-anchor="end">${label(t)}</text>`)}
    ${xTicks.map((t) => html`<line x1="${sx(t)}" x2="${sx(t)}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#57606a"></line><text x="${sx(t)}" y="${MARGIN.top + plotH + 16}" font-size="10" text-anchor="middle">${label(t)}</text>`)}
    <line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#57606a"></line>
    <line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#57606a"></line>
    <text x="${MARGIN.left + plotW / 2}" y="${height - 6}" font-size="11" text-anchor="middle">${options.xLabel}</text>
    <text x="12" y="${MARGIN.top + plotH / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${MARGIN.top + plotH / 2})">${options.yLabel}</text>
    ${lines}</svg><figcaption>${legend}</figcaption></figure>`;
}
