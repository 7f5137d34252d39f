// The one place rating errors are computed: per-rating errors in double precision, pooled over
// all ratings (a user with 10 query ratings weighs 10 times a user with one, as MeLU reports).

/** |predicted[k] − actual[k]| for each pair, in double precision. */
export function absoluteErrors(predicted: ArrayLike<number>, actual: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: actual.length }, (_, k) => Math.abs(predicted[k] - actual[k]));
}

/** (predicted[k] − actual[k])² for each pair, in double precision. */
export function squaredErrors(predicted: ArrayLike<number>, actual: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: actual.length }, (_, k) => (predicted[k] - actual[k]) ** 2);
}

/** Mean over every value of every part, summed in order; `NaN` when there is none. */
export function pooledMean(parts: readonly ArrayLike<number>[]): number {
  let sum = 0;
  let n = 0;
  for (const part of parts) {
    for (let k = 0; k < part.length; k++) {
      sum += part[k];
      n++;
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}

/** Mean absolute error over paired arrays (same length); `NaN` when empty. */
export function meanAbsoluteError(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  return pooledMean([absoluteErrors(predicted, actual)]);
}

/** Root mean squared error over paired arrays; `NaN` when empty. */
export function rootMeanSquaredError(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  return Math.sqrt(pooledMean([squaredErrors(predicted, actual)]));
}
