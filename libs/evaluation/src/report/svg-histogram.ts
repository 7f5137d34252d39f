import { niceTicks } from './chart-axis.js';
import { escapeXml } from './escape-xml.js';
import { seriesStyle } from './series-style.js';

/** Options of {@link svgHistogram}. */
export interface HistogramOptions {
  readonly title: string;
  readonly xTitle: string;
  /** The observations (e.g. request latencies, ms); non-finite ones are left out. */
  readonly values: readonly number[];
  /** Bars. @defaultValue 30 */
  readonly binCount?: number;
  /** Vertical lines with a label (e.g. p50, p99), at these x values. */
  readonly markers?: ReadonlyArray<{ readonly label: string; readonly value: number }>;
  /** @defaultValue 520 */
  readonly widthPx?: number;
  /** @defaultValue 260 */
  readonly heightPx?: number;
}

/** Bin counts of `values` over `[min, max]` in `binCount` equal bins (the maximum lands in the last). */
export function histogramBins(values: readonly number[], binCount: number): { readonly min: number; readonly max: number; readonly counts: number[] } {
  const finite = values.filter((v) => Number.isFinite(v));
  const min = finite.length ? Math.min(...finite) : 0;
  const max = finite.length ? Math.max(...finite) : 1;
  const counts = new Array<number>(binCount).fill(0);
  const width = (max - min) / binCount || 1;
  for (const v of finite) {
    counts[Math.min(binCount - 1, Math.floor((v - min) / width))] += 1;
  }
  return { min, max: max === min ? min + width * binCount : max, counts };
}

/** A self-contained SVG histogram (no script, no external resource) with optional marker lines. */
export function svgHistogram(o: HistogramOptions): string {
  const w = o.widthPx ?? 520;
  const h = o.heightPx ?? 260;
  const m = { left: 56, right: 24, top: 28, bottom: 44 };
  const pw = w - m.left - m.right;
  const ph = h - m.top - m.bottom;
  const bins = histogramBins(o.values, o.binCount ?? 30);
  const top = Math.max(1, ...bins.counts);
  const x = (v: number): number => m.left + ((v - bins.min) / (bins.max - bins.min)) * pw;
  const y = (c: number): number => m.top + ph - (c / top) * ph;
  const bar = pw / bins.counts.length;
  const color = seriesStyle(0).color;
  const parts: string[] = [
    `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeXml(o.title)}" font-family="system-ui, sans-serif" font-size="11">`,
    `<text x="${m.left}" y="16" font-size="13" font-weight="600">${escapeXml(o.title)}</text>`,
    `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#ccc"/>`,
  ];
  for (const t of niceTicks(0, top, 4).filter((t) => Number.isInteger(t))) {
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`);
  }
  bins.counts.forEach((c, k) => {
    if (c > 0) {
      const lo = bins.min + (k * (bins.max - bins.min)) / bins.counts.length;
      parts.push(
        `<rect x="${(m.left + k * bar + 0.5).toFixed(1)}" y="${y(c).toFixed(1)}" width="${Math.max(0.5, bar - 1).toFixed(1)}" height="${(m.top + ph - y(c)).toFixed(1)}" fill="${color}"><title>${lo.toFixed(2)}–${(lo + (bins.max - bins.min) / bins.counts.length).toFixed(2)}: ${c}</title></rect>`,
      );
    }
  });
  for (const t of niceTicks(bins.min, bins.max, 6)) {
    parts.push(`<text x="${x(t).toFixed(1)}" y="${m.top + ph + 16}" text-anchor="middle">${t}</text>`);
  }
  (o.markers ?? []).forEach((mk, k) => {
    const style = seriesStyle(k + 1);
    const at = x(Math.min(bins.max, Math.max(bins.min, mk.value))).toFixed(1);
    parts.push(`<line x1="${at}" x2="${at}" y1="${m.top}" y2="${m.top + ph}" stroke="${style.color}" stroke-width="1.5" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${at}" y="${m.top + 12 + k * 13}" dx="4" fill="${style.color}">${escapeXml(`${mk.label} ${mk.value}`)}</text>`);
  });
  parts.push(`<text x="${m.left + pw / 2}" y="${h - 8}" text-anchor="middle">${escapeXml(o.xTitle)}</text>`);
  parts.push(`<text transform="translate(14 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">count</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
