import { describe, expect, it } from 'vitest';

import { baselineFactory } from '../baselines/baseline-factories.js';
import { runEvaluation } from '../runner/run-evaluation.js';
import { syntheticRatingsTable } from '../testing.js';
import { renderHtmlReport } from './html-report.js';
import { svgLineChart } from './svg-line-chart.js';

describe('renderHtmlReport', () => {
  it('renders a self-contained page with tables and inline SVG curves', async () => {
    const results = await runEvaluation({
      table: syntheticRatingsTable({ users: 80, items: 100, seed: 4 }),
      datasetName: 'synthetic <test>',
      methods: [baselineFactory('global_mean'), baselineFactory('item_mean')],
      seeds: [0, 1],
      supportSizes: [0, 1, 5],
      scenarios: ['warm', 'new_user'],
    });
    const html = renderHtmlReport(results, { note: 'metarec-eval --seeds 2' });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).toContain('class="best"');
    expect(html).toContain('synthetic &lt;test&gt;');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link /);
    expect((html.match(/<svg/g) ?? []).length).toBe(4);
    expect(html).toContain("Rating scale 1–5: every method's rating predictions are clipped to it before MAE/RMSE");
    expect(html).toContain('rating ≥ 4)');
    expect(html).toContain('<th>MAE / range ↓</th><th>RMSE / range ↓</th>');
  });

  it('draws one path per series and skips null points', () => {
    const svg = svgLineChart({ title: 't', xLabels: ['0', '1', '2'], xTitle: 'x', yTitle: 'y', series: [{ name: 'a', values: [1, null, 2] }, { name: 'b', values: [2, 2, 2] }] });
    expect((svg.match(/<path /g) ?? []).length).toBe(2);
    // Series a: circles (2 points + legend), b: squares (3 points + legend).
    expect((svg.match(/<circle /g) ?? []).length).toBe(3);
    // plus the plot frame, also a rect.
    expect((svg.match(/<rect x=/g) ?? []).length).toBe(5);
  });

  it('grows to fit a legend of 16 series and draws each in its own colour', () => {
    const series = Array.from({ length: 16 }, (_, k) => ({ name: `method-${k}`, values: [k, k + 1] }));
    const svg = svgLineChart({ title: 't', xValues: [0, 10], xScale: 'log1p', xTitle: 'x', yTitle: 'y', series });
    const height = Number(/height="(\d+)"/.exec(svg)?.[1]);
    expect(height).toBeGreaterThanOrEqual(28 + 8 + 16 * 16);
    const strokes = [...svg.matchAll(/<path d="[^"]+" fill="none" stroke="(#[0-9A-Fa-f]+)"/g)].map((m) => m[1]);
    expect(new Set(strokes).size).toBe(16);
  });

  it('shows no absolute machine path in the header or the config', async () => {
    const results = await runEvaluation({
      table: syntheticRatingsTable({ users: 60, items: 80, seed: 2 }),
      datasetName: 'file /tmp/metarec-abc/ratings.csv',
      methods: [baselineFactory('global_mean')],
      seeds: [0],
      supportSizes: [0, 1, 5],
      scenarios: ['warm'],
      config: { command: 'metarec-eval --ratings /tmp/metarec-abc/ratings.csv --out /home/ann/metarec/.data/eval' },
    });
    const html = renderHtmlReport(results, { note: 'metarec-eval --ratings /tmp/metarec-abc/ratings.csv --out /home/ann/metarec/.data/eval', pathBase: '/home/ann/metarec' });
    expect(html).not.toContain('/tmp/');
    expect(html).not.toContain('/home/');
    expect(html).toContain('--out .data/eval');
    expect(html).toContain('--ratings …/ratings.csv');
  });
});
