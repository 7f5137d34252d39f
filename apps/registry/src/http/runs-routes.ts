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
  runArtifactParamsSchema,
  runParamsSchema,
  type RunStore,
  updateRunBodySchema,
  validateBundlePath,
  validateModelName,
  API_PREFIX,
} from '@metarec/registry';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

import { type AuthSettings, authHook } from './auth-hook.js';
import { pageOf, param } from './request-input.js';
import { type OperationSpec, routeSchema } from './route-schema.js';

/** What the run routes need. */
export interface RunsRoutesDeps {
  readonly runs: RunStore;
  readonly auth: AuthSettings;
}

/**
 * One run route: its shapes sit here, beside the handler; they become its zod route schema (fastify
 * validates params, query and body with them, checks the response, and the OpenAPI document lists them).
 */
export interface RunRoute extends OperationSpec {
  /** OpenAPI operation id. */
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly url: string;
  readonly access: 'read' | 'write';
  readonly handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/** A request part as the route schema parsed it (defaults applied, query integers as numbers). */
const parsed = <S extends z.ZodType>(_schema: S, value: unknown): z.output<S> => value as z.output<S>;

/** Sent with every artifact: a stored report is someone else's HTML, so it runs sandboxed. */
const ARTIFACT_HEADERS = { 'content-security-policy': 'sandbox', 'x-content-type-options': 'nosniff' } as const;

const runId = (request: FastifyRequest): string => param(request.params, 'runId');

/** The run routes (MLflow's runs API in this registry's style), under `API_PREFIX`. */
export function runRoutes(deps: RunsRoutesDeps): RunRoute[] {
  const { runs } = deps;
  return [
    {
      id: 'createRun',
      method: 'POST',
      url: '/runs',
      summary: 'Start a run record (a retry with the same parameters returns the existing run)',
      access: 'write',
      body: createRunBodySchema,
      response: createRunResultSchema,
      status: 201,
      handler: async (request, reply) => {
        const body = parsed(createRunBodySchema, request.body);
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
      id: 'listRuns',
      method: 'GET',
      url: '/runs',
      summary: 'List runs newest first, one page, filtered by experiment, name/id, status, tags and a metric comparison',
      access: 'read',
      query: runListQuerySchema,
      response: runListSchema,
      status: 200,
      handler: async (request) => {
        const q = parsed(runListQuerySchema, request.query);
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
    { id: 'getRun', method: 'GET', url: '/runs/:runId', summary: 'A run with its latest metrics, artifacts and linked versions', access: 'read', params: runParamsSchema, response: runDetailSchema, status: 200, handler: (request) => runs.getRun(runId(request)) },
    {
      id: 'updateRun',
      method: 'PATCH',
      url: '/runs/:runId',
      summary: 'Rename, retag or end a run',
      access: 'write',
      params: runParamsSchema,
      body: updateRunBodySchema,
      response: runDetailSchema,
      status: 200,
      handler: async (request) => {
        const body = parsed(updateRunBodySchema, request.body);
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
      id: 'logRunMetrics',
      method: 'POST',
      url: '/runs/:runId/metrics',
      summary: 'Log metric values (key, step, value); a step logged again takes the new value',
      access: 'write',
      params: runParamsSchema,
      body: logMetricsBodySchema,
      response: logMetricsResultSchema,
      status: 200,
      handler: async (request) => runs.logMetrics(runId(request), parsed(logMetricsBodySchema, request.body).metrics),
    },
    {
      id: 'runMetricHistory',
      method: 'GET',
      url: '/runs/:runId/metrics',
      summary: 'Metric history of a run, by key then step',
      access: 'read',
      params: runParamsSchema,
      query: metricHistoryQuerySchema,
      response: metricHistorySchema,
      status: 200,
      handler: async (request) => ({ metrics: await runs.metricHistory(runId(request), parsed(metricHistoryQuerySchema, request.query).key) }),
    },
    {
      id: 'logRunArtifact',
      method: 'POST',
      url: '/runs/:runId/artifacts',
      summary: 'Record a run artifact whose bytes were PUT to /blobs (immutable per path)',
      access: 'write',
      params: runParamsSchema,
      body: logArtifactBodySchema,
      response: runArtifactSchema,
      status: 201,
      handler: async (request, reply) => {
        const body = parsed(logArtifactBodySchema, request.body);
        const artifact = await runs.logArtifact({ runId: runId(request), path: body.path, sha256: body.sha256, bytes: body.bytes, ...(body.contentType === undefined ? {} : { contentType: body.contentType }) });
        reply.status(201);
        return artifact;
      },
    },
    {
      id: 'getRunArtifact',
      method: 'GET',
      url: '/runs/:runId/artifacts/*',
      summary: 'One artifact of a run, verified',
      access: 'read',
      params: runArtifactParamsSchema,
      response: 'binary',
      status: 200,
      handler: async (request, reply) => {
        const { artifact, bytes } = await runs.readArtifact(runId(request), validateBundlePath(param(request.params, '*'), 'path'));
        return reply.headers(ARTIFACT_HEADERS).type(artifact.contentType ?? 'application/octet-stream').send(bytes);
      },
    },
  ];
}

/** Registers the run routes under `API_PREFIX`, each behind the bearer-token hook for its access, with its zod route schema. */
export function registerRunsRoutes(app: FastifyInstance, deps: RunsRoutesDeps): void {
  for (const route of runRoutes(deps)) {
    app.route({ method: route.method, url: `${API_PREFIX}${route.url}`, onRequest: authHook(deps.auth, route.access), schema: routeSchema(route.id, route), handler: route.handler });
  }
}
