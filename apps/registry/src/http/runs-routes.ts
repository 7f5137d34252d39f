import {
  createRunBodySchema,
  createRunResultSchema,
  logArtifactBodySchema,
  logMetricsBodySchema,
  logMetricsResultSchema,
  metricHistoryQuerySchema,
  metricHistorySchema,
  parseMetricFilter,
  parseTagFilter,
  runArtifactSchema,
  runDetailSchema,
  runListQuerySchema,
  runListSchema,
  type RunStore,
  updateRunBodySchema,
  validateBundlePath,
  validateModelName,
  API_PREFIX,
} from '@metarec/registry';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

import { type AuthSettings, authHook } from './auth-hook.js';
import { pageOf, param, parseInput } from './request-input.js';

/** What the run routes need. */
export interface RunsRoutesDeps {
  readonly runs: RunStore;
  readonly auth: AuthSettings;
}

/** One run route: its shapes sit here, beside the handler (the OpenAPI document can read them). */
interface RunRoute {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly url: string;
  readonly summary: string;
  readonly access: 'read' | 'write';
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly response: z.ZodType | 'binary';
  readonly status: number;
  readonly handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/** Sent with every artifact: a stored report is someone else's HTML, so it runs sandboxed. */
const ARTIFACT_HEADERS = { 'content-security-policy': 'sandbox', 'x-content-type-options': 'nosniff' } as const;

const runId = (request: FastifyRequest): string => param(request.params, 'runId');

/** The run routes (MLflow's runs API in this registry's style), under `API_PREFIX`. */
export function runRoutes(deps: RunsRoutesDeps): RunRoute[] {
  const { runs } = deps;
  return [
    {
      method: 'POST',
      url: '/runs',
      summary: 'Start a run record (a retry with the same parameters returns the existing run)',
      access: 'write',
      body: createRunBodySchema,
      response: createRunResultSchema,
      status: 201,
      handler: async (request, reply) => {
        const body = parseInput(createRunBodySchema, request.body, 'body');
        const result = await runs.createRun({
          runId: body.runId,
          experiment: validateModelName(body.experiment, 'experiment'),
          params: body.params,
          actor: request.principal,
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(body.tags === undefined ? {} : { tags: body.tags }),
        });
        reply.status(result.created ? 201 : 200);
        return result;
      },
    },
    {
      method: 'GET',
      url: '/runs',
      summary: 'List runs newest first, one page, filtered by experiment, name/id, status, tags and a metric comparison',
      access: 'read',
      query: runListQuerySchema,
      response: runListSchema,
      status: 200,
      handler: async (request) => {
        const q = parseInput(runListQuerySchema, request.query, 'query');
        const tagList = q.tag === undefined ? [] : Array.isArray(q.tag) ? q.tag : [q.tag];
        const page = await runs.listRuns(
          {
            ...(q.experiment === undefined ? {} : { experiment: q.experiment }),
            ...(q.q === undefined || q.q === '' ? {} : { search: q.q }),
            ...(q.status === undefined ? {} : { status: q.status }),
            ...(tagList.length === 0 ? {} : { tags: Object.fromEntries(tagList.map((t) => parseTagFilter(t))) }),
            ...(q.metric === undefined || q.metric === '' ? {} : { metric: parseMetricFilter(q.metric) }),
          },
          pageOf(q),
        );
        return { runs: page.items, nextPageToken: page.nextPageToken };
      },
    },
    { method: 'GET', url: '/runs/:runId', summary: 'A run with its latest metrics, artifacts and linked versions', access: 'read', response: runDetailSchema, status: 200, handler: (request) => runs.getRun(runId(request)) },
    {
      method: 'PATCH',
      url: '/runs/:runId',
      summary: 'Rename, retag or end a run',
      access: 'write',
      body: updateRunBodySchema,
      response: runDetailSchema,
      status: 200,
      handler: async (request) => {
        const body = parseInput(updateRunBodySchema, request.body, 'body');
        return runs.updateRun({
          runId: runId(request),
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(body.status === undefined ? {} : { status: body.status }),
          ...(body.setTags === undefined ? {} : { setTags: body.setTags }),
          ...(body.removeTags === undefined ? {} : { removeTags: body.removeTags }),
        });
      },
    },
    {
      method: 'POST',
      url: '/runs/:runId/metrics',
      summary: 'Log metric values (key, step, value); a step logged again takes the new value',
      access: 'write',
      body: logMetricsBodySchema,
      response: logMetricsResultSchema,
      status: 200,
      handler: async (request) => runs.logMetrics(runId(request), parseInput(logMetricsBodySchema, request.body, 'body').metrics),
    },
    {
      method: 'GET',
      url: '/runs/:runId/metrics',
      summary: 'Metric history of a run, by key then step',
      access: 'read',
      query: metricHistoryQuerySchema,
      response: metricHistorySchema,
      status: 200,
      handler: async (request) => ({ metrics: await runs.metricHistory(runId(request), parseInput(metricHistoryQuerySchema, request.query, 'query').key) }),
    },
    {
      method: 'POST',
      url: '/runs/:runId/artifacts',
      summary: 'Record a run artifact whose bytes were PUT to /blobs (immutable per path)',
      access: 'write',
      body: logArtifactBodySchema,
      response: runArtifactSchema,
      status: 201,
      handler: async (request, reply) => {
        const body = parseInput(logArtifactBodySchema, request.body, 'body');
        const artifact = await runs.logArtifact({ runId: runId(request), path: body.path, sha256: body.sha256, bytes: body.bytes, ...(body.contentType === undefined ? {} : { contentType: body.contentType }) });
        reply.status(201);
        return artifact;
      },
    },
    {
      method: 'GET',
      url: '/runs/:runId/artifacts/*',
      summary: 'One artifact of a run, verified',
      access: 'read',
      response: 'binary',
      status: 200,
      handler: async (request, reply) => {
        const { artifact, bytes } = await runs.readArtifact(runId(request), validateBundlePath(param(request.params, '*'), 'path'));
        return reply.headers(ARTIFACT_HEADERS).type(artifact.contentType ?? 'application/octet-stream').send(bytes);
      },
    },
  ];
}

/** Registers the run routes under `API_PREFIX`, each behind the bearer-token hook for its access. */
export function registerRunsRoutes(app: FastifyInstance, deps: RunsRoutesDeps): void {
  for (const route of runRoutes(deps)) {
    app.route({ method: route.method, url: `${API_PREFIX}${route.url}`, onRequest: authHook(deps.auth, route.access), handler: route.handler });
  }
}
