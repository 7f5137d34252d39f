import {
  API_PREFIX,
  compareQuerySchema,
  compareVersions,
  comparisonSchema,
  type ModelRegistry,
  parseVersionNumber,
  type RunStore,
  updateVersionBodySchema,
  validateModelName,
  modelParamsSchema,
  versionParamsSchema,
  versionRecordSchema,
  whoamiSchema,
} from '@metarec/registry';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

import { type AuthSettings, authHook } from './auth-hook.js';
import { param } from './request-input.js';
import { type OperationSpec, routeSchema } from './route-schema.js';

/** What the version metadata, comparison and identity routes need. */
export interface VersionRoutesDeps {
  readonly registry: ModelRegistry;
  readonly runs: RunStore;
  readonly auth: AuthSettings;
}

/** One route: its shapes sit here, beside the handler; they become its zod route schema (validation and OpenAPI). */
export interface VersionRoute extends OperationSpec {
  /** OpenAPI operation id. */
  readonly id: string;
  readonly method: 'GET' | 'PATCH';
  readonly url: string;
  readonly access: 'read' | 'write';
  readonly response: z.ZodType;
  readonly handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/** A request part as the route schema parsed it (defaults applied, transforms run). */
const parsed = <S extends z.ZodType>(_schema: S, value: unknown): z.output<S> => value as z.output<S>;

const model = (request: FastifyRequest): string => validateModelName(param(request.params, 'model'), 'model');

/** Version metadata edits, side-by-side comparison, and `whoami` (the page checks a pasted token with it). */
export function versionRoutes(deps: VersionRoutesDeps): VersionRoute[] {
  return [
    {
      id: 'updateVersion',
      method: 'PATCH',
      url: '/models/:model/versions/:version',
      summary: 'Edit a version\'s description and tags (mutable metadata; the content stays immutable)',
      access: 'write',
      params: versionParamsSchema,
      body: updateVersionBodySchema,
      response: versionRecordSchema,
      status: 200,
      handler: async (request) => {
        const body = parsed(updateVersionBodySchema, request.body);
        return deps.registry.updateVersionMetadata({
          model: model(request),
          version: parseVersionNumber(param(request.params, 'version'), 'version'),
          actor: request.principal,
          ...(body.description === undefined ? {} : { description: body.description }),
          ...(body.setTags === undefined ? {} : { setTags: body.setTags }),
          ...(body.removeTags === undefined ? {} : { removeTags: body.removeTags }),
        });
      },
    },
    {
      id: 'compareVersions',
      method: 'GET',
      url: '/models/:model/compare',
      summary: 'Two or more versions side by side: evaluation tables, training and cold-start curves',
      access: 'read',
      params: modelParamsSchema,
      query: compareQuerySchema,
      response: comparisonSchema,
      status: 200,
      handler: async (request) => compareVersions({ registry: deps.registry, runs: deps.runs, model: model(request), versions: parsed(compareQuerySchema, request.query).versions }),
    },
    {
      id: 'whoami',
      method: 'GET',
      url: '/whoami',
      summary: 'The principal of the bearer token (401/403 without a valid one)',
      access: 'write',
      response: whoamiSchema,
      status: 200,
      handler: (request) => Promise.resolve({ principal: request.principal }),
    },
  ];
}

/** Registers these routes under `API_PREFIX`, each behind the bearer-token hook for its access. */
export function registerVersionRoutes(app: FastifyInstance, deps: VersionRoutesDeps): void {
  for (const route of versionRoutes(deps)) {
    app.route({ method: route.method, url: `${API_PREFIX}${route.url}`, onRequest: authHook(deps.auth, route.access), schema: routeSchema(route.id, route), handler: route.handler });
  }
}
