/** Mean absolute error over paired arrays (same length, non-empty); `NaN` when empty. */
export function meanAbsoluteError(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < actual.length; k++) {
    sum += Math.abs(predicted[k] - actual[k]);
  }
  return actual.length === 0 ? Number.NaN : sum / actual.length;
}

/** Root mean squared error over paired arrays; `NaN` when empty. */
export function rootMeanSquaredError(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < actual.length; k++) {
    const e = predicted[k] - actual[k];
    sum += e * e;
  }
  return actual.length === 0 ? Number.NaN : Math.sqrt(sum / actual.length);
}
