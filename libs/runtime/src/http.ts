// Third entry point, `@metarec/runtime/http`: the fastify wiring both HTTP apps share (zod route
// schemas, the OpenAPI document and its docs page). Separate so libs importing `@metarec/runtime`
// never load fastify.
export type { OpenApiOptions, RegisteredRoute } from './http/register-openapi.js';
export { DEFAULT_OPENAPI_OPTIONS, registerOpenApi, registeredRoutes } from './http/register-openapi.js';
export type { RequestPart } from './http/request-validation-error.js';
export { isRequestValidationError, RequestValidationError } from './http/request-validation-error.js';
export type { CompiledValidator, ValidatorCompilerInput } from './http/zod-validator-compiler.js';
export { zodValidatorCompiler } from './http/zod-validator-compiler.js';
export type { ZodTypeProvider } from 'fastify-type-provider-zod';
