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
    expect((svg.match(/<circle /g) ?? []).length).toBe(5);
  });
});
