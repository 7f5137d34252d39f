/** A marker shape of a chart series; `open` shapes are drawn hollow. */
export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down' | 'pentagon' | 'hexagon' | 'star';

/** How one series of a chart is drawn. */
export interface SeriesStyle {
  readonly color: string;
  readonly marker: MarkerShape;
  /** Hollow marker (white fill, coloured outline). */
  readonly open: boolean;
}

/**
 * Sixteen colours no two alike: Okabe–Ito's colour-blind-safe eight (yellow darkened to read on
 * white), then Paul Tol's muted set for the next eight. Before issue 18 the palette had ten
 * entries and wrapped, so an evaluation with eleven methods drew two of them in one colour.
 */
const COLORS = [
  '#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#B8A400',
  '#332288', '#882255', '#44AA99', '#999933', '#AA4499', '#661100', '#6699CC', '#888888',
] as const;

const SHAPES: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'pentagon', 'hexagon', 'star'];

/** Series that get a style of their own; beyond it styles repeat (the legend still names each series). */
export const SERIES_STYLE_COUNT = COLORS.length;

/**
 * The style of the `index`-th series: a distinct colour and a distinct marker (eight shapes, filled
 * for the first eight series, hollow for the next eight) for up to {@link SERIES_STYLE_COUNT}
 * series, so a line stays identifiable in grey print and by colour-blind readers.
 */
export function seriesStyle(index: number): SeriesStyle {
  const k = ((index % SERIES_STYLE_COUNT) + SERIES_STYLE_COUNT) % SERIES_STYLE_COUNT;
  return { color: COLORS[k], marker: SHAPES[k % SHAPES.length], open: k >= SHAPES.length };
}

function polygon(cx: number, cy: number, r: number, corners: number, rotationRad: number, inner?: number): string {
  const points: string[] = [];
  const count = inner === undefined ? corners : corners * 2;
  for (let k = 0; k < count; k++) {
    const radius = inner !== undefined && k % 2 === 1 ? r * inner : r;
    const angle = rotationRad + (k * 2 * Math.PI) / count;
    points.push(`${(cx + radius * Math.cos(angle)).toFixed(1)},${(cy + radius * Math.sin(angle)).toFixed(1)}`);
  }
  return points.join(' ');
}

/** The SVG element of one marker at (cx, cy); `inner` goes inside it (e.g. a `<title>`). */
export function svgMarker(style: SeriesStyle, cx: number, cy: number, inner = ''): string {
  const paint = `fill="${style.open ? '#fff' : style.color}" stroke="${style.color}" stroke-width="1.5"`;
  const up = -Math.PI / 2;
  const shapes: Record<MarkerShape, () => string> = {
    circle: () => `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="3.5" ${paint}>${inner}</circle>`,
    square: () => `<rect x="${(cx - 3.2).toFixed(1)}" y="${(cy - 3.2).toFixed(1)}" width="6.4" height="6.4" ${paint}>${inner}</rect>`,
    triangle: () => `<polygon points="${polygon(cx, cy, 4.5, 3, up)}" ${paint}>${inner}</polygon>`,
    diamond: () => `<polygon points="${polygon(cx, cy, 4.5, 4, up)}" ${paint}>${inner}</polygon>`,
    'triangle-down': () => `<polygon points="${polygon(cx, cy, 4.5, 3, Math.PI / 2)}" ${paint}>${inner}</polygon>`,
    pentagon: () => `<polygon points="${polygon(cx, cy, 4.2, 5, up)}" ${paint}>${inner}</polygon>`,
    hexagon: () => `<polygon points="${polygon(cx, cy, 4.2, 6, 0)}" ${paint}>${inner}</polygon>`,
    star: () => `<polygon points="${polygon(cx, cy, 5, 5, up, 0.45)}" ${paint}>${inner}</polygon>`,
  };
  return shapes[style.marker]();
}
