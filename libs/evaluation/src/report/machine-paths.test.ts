import { describe, expect, it } from 'vitest';

import { withoutMachinePaths } from './machine-paths.js';

describe('withoutMachinePaths', () => {
  it('makes paths under the base relative and keeps only the file name of the others', () => {
    const text = 'metarec-eval --dataset movielens --data-dir /home/ann/metarec/../shared/ml-100k --out /home/ann/metarec/.data/eval/run1 --split /tmp/x1/split.json';
    expect(withoutMachinePaths(text, { base: '/home/ann/metarec' })).toBe(
      'metarec-eval --dataset movielens --data-dir ../shared/ml-100k --out .data/eval/run1 --split …/split.json',
    );
  });

  it('leaves relative paths, URLs, ratios and home-relative paths alone', () => {
    const text = 'see ./docs/a.md, http://127.0.0.1:8081/ui/models/melu, MAE / range, 1/2, ~/x/y';
    expect(withoutMachinePaths(text)).toBe(text);
  });

  it('removes every absolute path from a JSON config', () => {
    const json = JSON.stringify({ splitFile: '/home/ci/checkout/.data/split.json', out: '/var/tmp/run' }, null, 2);
    expect(withoutMachinePaths(json)).not.toMatch(/"\/(home|var)\//);
  });
});
