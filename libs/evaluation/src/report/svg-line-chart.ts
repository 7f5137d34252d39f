/** One line: y values at the chart's x categories (`null` = gap), optional ± error. */
export interface LineSeries {
  readonly name: string;
  readonly values: ReadonlyArray<number | null>;
  readonly errors?: ReadonlyArray<number | null>;
}

/** Options of {@link svgLineChart}. */
export interface LineChartOptions {
  readonly title: string;
  /** Category labels along x (evenly spaced, e.g. support sizes 0, 1, 2, 5, 10, 20). */
  readonly xLabels: readonly string[];
  readonly xTitle: string;
  readonly yTitle: string;
  readonly series: readonly LineSeries[];
  /** @defaultValue 520 */
  readonly widthPx?: number;
  /** @defaultValue 300 */
  readonly heightPx?: number;
}

/** Colour-blind-safe palette (Okabe–Ito), then greys. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442', '#777777', '#AAAAAA'];

/** Escapes text for HTML/SVG content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
    ticks.push(Number(t.toFixed(10)));
  }
  return ticks;
}

/**
 * A self-contained SVG line chart (no script, no external resource) with error bars and a
 * legend, for the report's cold-start curves.
 */
export function svgLineChart(o: LineChartOptions): string {
  const w = o.widthPx ?? 520;
  const h = o.heightPx ?? 300;
  const m = { left: 56, right: 150, top: 28, bottom: 44 };
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
  const n = o.xLabels.length;
  const x = (k: number): number => m.left + (n <= 1 ? pw / 2 : (k * pw) / (n - 1));
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
  o.xLabels.forEach((label, k) => parts.push(`<text x="${x(k).toFixed(1)}" y="${m.top + ph + 16}" text-anchor="middle">${escapeXml(label)}</text>`));
  parts.push(`<text x="${m.left + pw / 2}" y="${h - 8}" text-anchor="middle">${escapeXml(o.xTitle)}</text>`);
  parts.push(`<text transform="translate(14 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yTitle)}</text>`);
  o.series.forEach((s, si) => {
    const color = PALETTE[si % PALETTE.length];
    const pts = s.values.map((v, k) => (v === null || !Number.isFinite(v) ? null : ([x(k), y(v), k] as const)));
    const path = pts
      .filter((p) => p !== null)
      .map((p, j) => `${j === 0 ? 'M' : 'L'}${p[0].toFixed(1)},${p[1].toFixed(1)}`)
      .join(' ');
    if (path) {
      parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    for (const p of pts) {
      if (p === null) {
        continue;
      }
      const e = s.errors?.[p[2]];
      const v = s.values[p[2]] as number;
      if (e) {
        parts.push(`<line x1="${p[0].toFixed(1)}" x2="${p[0].toFixed(1)}" y1="${y(v - e).toFixed(1)}" y2="${y(v + e).toFixed(1)}" stroke="${color}"/>`);
      }
      parts.push(`<circle cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="3" fill="${color}"><title>${escapeXml(`${s.name}: ${v.toFixed(4)}${e ? ` ± ${e.toFixed(4)}` : ''}`)}</title></circle>`);
    }
    const ly = m.top + 8 + si * 16;
    parts.push(`<line x1="${m.left + pw + 10}" x2="${m.left + pw + 28}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${m.left + pw + 32}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
