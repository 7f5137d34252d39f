import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { createJsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler } from 'fastify-type-provider-zod';

import { zodValidatorCompiler } from './zod-validator-compiler.js';

/** Options of `registerOpenApi`. */
export interface OpenApiOptions {
  /** Document title, e.g. `metarec model registry`. */
  readonly title: string;
  /** API version reported in the document (the app's package version). */
  readonly version: string;
  /** One paragraph on what the API is for. @defaultValue none */
  readonly description?: string;
  /** Path of the JSON document. @defaultValue `'/openapi.json'` */
  readonly documentPath?: string;
  /** Prefix of the docs page (Swagger UI, served from the package: no CDN). @defaultValue `'/docs'` */
  readonly docsPath?: string;
  /** `components.securitySchemes` of the document (routes name them in `schema.security`). @defaultValue none */
  readonly securitySchemes?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * List zod schemas named with `.meta({ id: 'ModelRecord' })` once under `components.schemas`
   * and reference them (`$ref`) where used, instead of inlining a copy at every use; input variants
   * get an `Input` suffix. Names live in zod's global registry, so every named schema the process
   * has imported is listed. @defaultValue false
   */
  readonly namedSchemas?: boolean;
}

/** Defaults laid under `OpenApiOptions`. */
export const DEFAULT_OPENAPI_OPTIONS = { documentPath: '/openapi.json', docsPath: '/docs' } as const;

/** A route as registered, for the route-coverage check (`registeredRoutes`). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  /** Deliberately left out of the document (`schema.hide`): the docs page, HTML pages. */
  readonly hidden: boolean;
  /** A HEAD route the document lists (`config.swagger.exposeHeadRoute`); other HEAD routes are fastify's automatic twins of GET. */
  readonly headExposed: boolean;
  /** Whether the route declares a params schema (@fastify/swagger lists path parameters either way). */
  readonly paramsSchema: boolean;
}

const ROUTES = new WeakMap<FastifyInstance, RouteOptions[]>();

/**
 * Makes zod the route schema language of `app` and publishes the OpenAPI 3.1 document generated
 * from those schemas: zod validates params, query and body (a failure is a
 * `RequestValidationError` for the app's error handler) and checks every response against its
 * status's schema before sending it; `@fastify/swagger` builds the document, served at
 * `documentPath`, and `@fastify/swagger-ui` serves the docs page at `docsPath`.
 *
 * Await it before adding routes (or add them in a plugin registered after it): `@fastify/swagger`
 * collects routes as they are added.
 */
export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  const merged = { ...DEFAULT_OPENAPI_OPTIONS, ...options };
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const routes: RouteOptions[] = [];
  ROUTES.set(app, routes);
  // Kept by reference and read later: onRoute hooks of a child context (one that hides its
  // routes, say) run after this one and may still change the options.
  app.addHook('onRoute', (route: RouteOptions) => {
    routes.push(route);
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: merged.title, version: merged.version, ...(merged.description === undefined ? {} : { description: merged.description }) },
      ...(merged.securitySchemes === undefined ? {} : { components: { securitySchemes: merged.securitySchemes as Record<string, never> } }),
    },
    // Zod schemas become JSON Schema 2020-12 (OpenAPI 3.1's dialect); nothing is skipped by URL: hidden routes say so themselves.
    transform: createJsonSchemaTransform({ skipList: [] }),
    ...(merged.namedSchemas === true ? { transformObject: jsonSchemaTransformObject } : {}),
  });
  await app.register(fastifySwaggerUi, { routePrefix: merged.docsPath, staticCSP: true });
  app.get(merged.documentPath, { schema: { hide: true } }, () => app.swagger());
}

/** Every route added to `app` after `registerOpenApi`, in order (HEAD twins included). */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  return (ROUTES.get(app) ?? []).flatMap((route) => {
    const swagger = (route.config as { swagger?: { exposeHeadRoute?: boolean } } | undefined)?.swagger;
    return [route.method].flat().map((method) => ({ method, url: route.url, hidden: route.schema?.hide === true, headExposed: swagger?.exposeHeadRoute === true, paramsSchema: route.schema?.params !== undefined }));
  });
}
