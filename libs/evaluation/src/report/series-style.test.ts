import { describe, expect, it } from 'vitest';

import { SERIES_STYLE_COUNT, seriesStyle, svgMarker } from './series-style.js';

describe('seriesStyle', () => {
  it('gives 16 series 16 different colours and 16 different markers', () => {
    const styles = Array.from({ length: 16 }, (_, k) => seriesStyle(k));
    expect(SERIES_STYLE_COUNT).toBe(16);
    expect(new Set(styles.map((s) => s.color.toLowerCase())).size).toBe(16);
    expect(new Set(styles.map((s) => `${s.marker}/${s.open ? 'open' : 'filled'}`)).size).toBe(16);
  });

  it('draws each of the 16 markers as a different SVG element', () => {
    const drawn = Array.from({ length: 16 }, (_, k) => svgMarker(seriesStyle(k), 0, 0).replace(/stroke="#[0-9A-Fa-f]+"|fill="#[0-9A-Fa-f]+"/g, ''));
    // With the colours taken out, the shapes and fills alone still tell the 16 apart.
    const withFill = drawn.map((d, k) => `${d} ${seriesStyle(k).open}`);
    expect(new Set(withFill).size).toBe(16);
  });
});
