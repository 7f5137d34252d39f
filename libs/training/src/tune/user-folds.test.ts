import { describe, expect, it } from 'vitest';

import { TrainingError } from '../errors.js';
import { userFolds } from './user-folds.js';

describe('userFolds', () => {
  it('puts every user in exactly one fold, sizes within one, the same folds for the same seed', () => {
    const folds = userFolds(26, 3, 7);
    expect(folds.map((f) => f.length).sort()).toEqual([8, 9, 9]);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 26 }, (_, i) => i));
    expect(userFolds(26, 3, 7)).toEqual(folds);
    expect(userFolds(26, 3, 8)).not.toEqual(folds);
  });

  it('refuses fewer users than folds', () => {
    expect(() => userFolds(2, 3, 0)).toThrow(TrainingError);
  });
});
