import { describe, expect, it } from 'vitest';

import { lineChart, niceTicks } from './svg-chart.js';

describe('lineChart', () => {
  it('draws one line per series with a marker per point, scaled into the plot, and escapes names', () => {
    const svg = lineChart({
      title: 'Training loss',
      xLabel: 'step',
      yLabel: 'loss',
      testId: 'c',
      series: [
        { name: 'train <b>', points: [{ x: 0, y: 2 }, { x: 10, y: 1 }] },
        { name: 'validation', points: [{ x: 10, y: 1.5 }] },
      ],
    }).value;
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('train &lt;b&gt;');
    expect(svg).not.toContain('<b>');
    // x 0 → left edge (56), x 10 → right edge (560 - 12); y 2 → top (28), y 1 → bottom (260 - 40).
    expect(svg).toContain('points="56,28 548,220"');
    expect(svg).toContain('<title>validation: step 10, 1.50</title>');
  });

  it('puts no tick between whole-number x values (version numbers)', () => {
    const svg = lineChart({ title: 't', xLabel: 'version', yLabel: 'v', testId: 'c', series: [{ name: 'mae', points: [{ x: 1, y: 0.7 }, { x: 2, y: 0.8 }, { x: 3, y: 0.6 }] }] }).value;
    const xTickLabels = [...svg.matchAll(/<text x="[0-9.]+" y="[0-9.]+" font-size="10" text-anchor="middle">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(xTickLabels).toEqual(['1', '2', '3']);
  });

  it('says nothing was logged instead of drawing an empty frame', () => {
    expect(lineChart({ title: 'Cold start', xLabel: 'support', yLabel: 'mae', testId: 'cs', series: [{ name: 'v1', points: [] }] }).value).toContain('data-testid="cs-empty"');
  });

  it('picks 1-2-5 ticks that cover the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 97)).toEqual([20, 40, 60, 80]);
  });
});
