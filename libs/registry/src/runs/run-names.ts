import { RegistryError } from '../errors.js';

/** Run ids: the trainer's ids (`run-<time>-<hex>`) and MLflow's hex ids both fit; 1–128 characters. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** Metric keys may carry a path (`eval/held-out-users/melu/ndcg@3`, `cold_start/mae/melu`); 1–200 characters. */
const METRIC_KEY = /^[A-Za-z0-9][A-Za-z0-9._/@:-]{0,199}$/;
/** Tag keys as manifest labels (1–100 characters, no control characters). */
const TAG_KEY = /^[A-Za-z0-9][A-Za-z0-9._/:-]{0,99}$/;

/** @throws RegistryError `REG_INVALID_NAME` (`field`). */
export function validateRunId(runId: string, field = 'runId'): string {
  if (!RUN_ID.test(runId)) {
    throw new RegistryError('REG_INVALID_NAME', `invalid run id "${runId}": use 1-128 of A-Z a-z 0-9 . _ : - starting with a letter or digit`, { field });
  }
  return runId;
}

/** @throws RegistryError `REG_INVALID_NAME` (`field`). */
export function validateMetricKey(key: string, field = 'key'): string {
  if (!METRIC_KEY.test(key)) {
    throw new RegistryError('REG_INVALID_NAME', `invalid metric key "${key}": use 1-200 of A-Z a-z 0-9 . _ / @ : - starting with a letter or digit`, { field });
  }
  return key;
}

/** @throws RegistryError `REG_INVALID_NAME` (`field`). */
export function validateTagKey(key: string, field = 'tags'): string {
  if (!TAG_KEY.test(key)) {
    throw new RegistryError('REG_INVALID_NAME', `invalid tag key "${key}": use 1-100 of A-Z a-z 0-9 . _ / : - starting with a letter or digit`, { field });
  }
  return key;
}

/** A comparison of a metric's latest value, as the run search takes it. */
export interface MetricFilter {
  readonly key: string;
  readonly op: '<' | '<=' | '>' | '>=' | '=';
  readonly value: number;
}

const METRIC_FILTER = /^([A-Za-z0-9][A-Za-z0-9._/@:-]{0,199})\s*(<=|>=|<|>|=)\s*(-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)$/;

/**
 * Parses `val_loss<0.9` (MLflow's `metrics.val_loss < 0.9` without the prefix): key, one of
 * `< <= > >= =`, a decimal number.
 * @throws RegistryError `REG_INVALID_INPUT` (`field`).
 */
export function parseMetricFilter(text: string, field = 'metric'): MetricFilter {
  const match = METRIC_FILTER.exec(text.trim());
  const value = Number(match?.[3]);
  if (match === null || !Number.isFinite(value)) {
    throw new RegistryError('REG_INVALID_INPUT', `invalid metric filter "${text}": expected <key><op><number>, op one of < <= > >= =`, { field });
  }
  return { key: match[1] as string, op: match[2] as MetricFilter['op'], value };
}

/**
 * Parses `key=value` tag filters.
 * @throws RegistryError `REG_INVALID_INPUT` / `REG_INVALID_NAME` (`field`).
 */
export function parseTagFilter(text: string, field = 'tag'): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) {
    throw new RegistryError('REG_INVALID_INPUT', `invalid tag filter "${text}": expected key=value`, { field });
  }
  return [validateTagKey(text.slice(0, at), field), text.slice(at + 1)];
}
