import { DatasetError } from '../errors.js';

/** JSON form of a {@link NumericScaler}: attribute names with their training mean and std. */
export interface NumericScalerJson {
  readonly names: readonly string[];
  readonly means: readonly number[];
  readonly stds: readonly number[];
}

/** Below this a standard deviation counts as zero, and the attribute is only centred. */
const MIN_STD = 1e-12;

/**
 * Standardises numeric attributes with statistics of the training items: `(v - mean) / std`
 * (population std). A missing or non-finite value encodes to 0, i.e. the training mean.
 */
export class NumericScaler {
  private constructor(
    readonly names: readonly string[],
    private readonly means: readonly number[],
    private readonly stds: readonly number[],
  ) {}

  /** Fits over the union of attribute names (code-point order), each on the records that have it. */
  static fit(records: readonly Readonly<Record<string, number>>[]): NumericScaler {
    const sums = new Map<string, { n: number; sum: number; sumSq: number }>();
    for (const record of records) {
      for (const [name, value] of Object.entries(record)) {
        if (!Number.isFinite(value)) {
          continue;
        }
        const s = sums.get(name) ?? { n: 0, sum: 0, sumSq: 0 };
        s.n += 1;
        s.sum += value;
        s.sumSq += value * value;
        sums.set(name, s);
      }
    }
    const names = [...sums.keys()].sort();
    const means = names.map((name) => {
      const s = sums.get(name);
      return s === undefined ? 0 : s.sum / s.n;
    });
    const stds = names.map((name, k) => {
      const s = sums.get(name);
      const variance = s === undefined ? 0 : Math.max(s.sumSq / s.n - means[k] * means[k], 0);
      const std = Math.sqrt(variance);
      return std < MIN_STD ? 1 : std;
    });
    return new NumericScaler(names, means, stds);
  }

  /** @throws DatasetError `DS_SERIALIZED_INVALID` unless names/means/stds are equal-length arrays. */
  static fromJSON(json: unknown): NumericScaler {
    const value = json as Partial<NumericScalerJson> | null;
    const names = value?.names;
    const means = value?.means;
    const stds = value?.stds;
    const valid =
      Array.isArray(names) &&
      Array.isArray(means) &&
      Array.isArray(stds) &&
      names.length === means.length &&
      names.length === stds.length &&
      names.every((n) => typeof n === 'string') &&
      [...means, ...stds].every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!valid) {
      throw new DatasetError('DS_SERIALIZED_INVALID', 'numeric scaler JSON needs equal-length names, means and stds');
    }
    return new NumericScaler([...names], [...means], [...stds]);
  }

  /** Writes the standardised attributes of `record` into `out` from `offset` (one per name). */
  transformInto(record: Readonly<Record<string, number>>, out: Float32Array, offset: number): void {
    this.names.forEach((name, k) => {
      const value = record[name];
      out[offset + k] = value === undefined || !Number.isFinite(value) ? 0 : (value - this.means[k]) / this.stds[k];
    });
  }

  toJSON(): NumericScalerJson {
    return { names: [...this.names], means: [...this.means], stds: [...this.stds] };
  }
}
