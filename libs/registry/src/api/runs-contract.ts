import { z } from 'zod';

import { MAX_COMPARED_VERSIONS } from '../compare/compare-versions.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../paging/page.js';
import { MAX_METRIC_BATCH } from '../runs/run-store.js';
import { RUN_STATUSES } from '../runs/run-records.js';
import { freeText, queryInt } from './contract.js';
import { findJsonTextViolation } from './text-rules.js';

/**
 * HTTP shapes of runs, version metadata and comparisons (issue 18 §4), shared by the server's
 * route files and `RegistryClient`. Paths are relative to `API_PREFIX`.
 */
const isoTime = z.string().describe('ISO-8601 timestamp');
/**
 * JSON a client sends to be stored as jsonb (run parameters, tags): the text rules of
 * text-rules.ts on every string and key, since pg refuses U+0000 and lone surrogates in jsonb.
 */
function storableJson<S extends z.ZodType>(schema: S): S {
  return schema.superRefine((value, ctx) => {
    const violation = findJsonTextViolation(value);
    if (violation !== undefined) {
      ctx.addIssue({ code: 'custom', path: [...violation.path], message: violation.message });
    }
  }) as unknown as S;
}
const tagMap = storableJson(z.record(z.string().max(100), z.string().max(500)));
const metricValue = z.object({ step: z.number().int(), value: z.number() });

const runRecordFields = z.object({
  runId: z.string(),
  name: z.string(),
  experiment: z.string(),
  status: z.enum(RUN_STATUSES),
  params: z.record(z.string(), z.unknown()).describe('the run spec; immutable'),
  tags: z.record(z.string(), z.string()),
  createdBy: z.string(),
  startedAt: isoTime,
  finishedAt: isoTime.nullable(),
  updatedAt: isoTime,
  latestMetrics: z.record(z.string(), metricValue).describe('each metric at its latest step'),
});
// `.meta({ id })`: named once in the OpenAPI document (see contract.ts), so the client's generated types carry the name.
export const runRecordSchema = runRecordFields.meta({ id: 'RunRecord' });

export const runArtifactSchema = z.object({ path: z.string(), sha256: z.string(), bytes: z.number().int(), contentType: z.string().nullable(), at: isoTime }).meta({ id: 'RunArtifact' });

export const runDetailSchema = runRecordFields.extend({
  artifacts: z.array(runArtifactSchema),
  versions: z.array(z.object({ model: z.string(), version: z.number().int(), archived: z.boolean() })).describe('versions whose lineage names this run'),
}).meta({ id: 'RunDetail' });

/** Path parameters of the run routes (the id is looked up as sent; an unknown one is `REG_RUN_NOT_FOUND`). */
const runIdParam = z.string().describe('run id');
export const runParamsSchema = z.object({ runId: runIdParam });
export const runArtifactParamsSchema = z.object({ runId: runIdParam, '*': z.string().describe('path of the artifact inside the run') });

export const createRunBodySchema = z.object({
  runId: z.string().min(1).max(128),
  name: freeText(200).optional(),
  experiment: z.string().min(1).max(64).describe('group of comparable runs; the trainer uses the model name'),
  params: storableJson(z.record(z.string(), z.unknown())),
  tags: tagMap.optional(),
});
export const createRunResultSchema = z.object({ created: z.boolean(), run: runRecordSchema });

export const updateRunBodySchema = z.object({
  name: freeText(200).optional(),
  status: z.enum(RUN_STATUSES).optional().describe('ends a running run; an ended run keeps its status'),
  setTags: tagMap.optional(),
  removeTags: z.array(z.string().max(100)).max(100).optional(),
});

export const runListQuerySchema = z.object({
  experiment: z.string().max(64).optional(),
  q: z.string().max(200).optional().describe('case-insensitive substring of the run name or id'),
  status: z.enum(RUN_STATUSES).optional(),
  tag: z.union([z.string().max(700), z.array(z.string().max(700)).max(20)]).optional().describe('key=value; repeat for several (AND)'),
  metric: z.string().max(300).optional().describe('<key><op><number>, op one of < <= > >= =; compares the value at the latest step'),
  limit: queryInt(1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  pageToken: z.string().min(1).max(200).optional(),
});
export const runListSchema = z.object({ runs: z.array(runRecordSchema), nextPageToken: z.string().nullable() });

export const logMetricsBodySchema = z.object({
  metrics: z.array(z.object({ key: z.string().max(200), step: z.number().int().min(0), value: z.number().finite() })).min(1).max(MAX_METRIC_BATCH),
});
export const logMetricsResultSchema = z.object({ logged: z.number().int() });
export const metricHistoryQuerySchema = z.object({ key: z.string().max(200).optional() });
export const metricHistorySchema = z.object({ metrics: z.array(z.object({ key: z.string(), step: z.number().int(), value: z.number() })) });

export const logArtifactBodySchema = z.object({
  path: z.string().min(1).max(240),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  contentType: z.string().min(1).max(100).optional(),
});

export const updateVersionBodySchema = z.object({
  description: freeText(2000).optional(),
  setTags: tagMap.optional(),
  removeTags: z.array(z.string().max(100)).max(100).optional(),
});

export const compareQuerySchema = z.object({
  versions: z
    .string()
    .regex(/^[0-9]{1,10}(,[0-9]{1,10})*$/, 'expected comma-separated version numbers')
    .transform((s) => s.split(',').map(Number))
    .pipe(z.array(z.number().int().positive()).min(2).max(MAX_COMPARED_VERSIONS)),
});

const seriesSchema = z.array(z.object({ version: z.number().int(), points: z.array(z.object({ step: z.number().int(), value: z.number() })) }));
export const comparisonSchema = z.object({
  model: z.string(),
  versions: z.array(z.number().int()),
  evaluationSetIds: z.array(z.string().nullable()),
  comparable: z.boolean().describe('all versions were evaluated on the same held-out users'),
  rows: z.array(z.object({ scenario: z.string(), method: z.string(), metric: z.string(), values: z.array(z.number().nullable()) })),
  training: z.record(z.string(), seriesSchema),
  coldStart: z.record(z.string(), seriesSchema),
}).meta({ id: 'Comparison' });

export const whoamiSchema = z.object({ principal: z.string() });
