import { describe, expect, it } from 'vitest';

import { ROUTES } from './contract.js';
import { buildOpenApiDocument } from './openapi.js';

describe('buildOpenApiDocument', () => {
  it('lists every route with its parameters, body schema and error responses', () => {
    const doc = buildOpenApiDocument({ version: '0.1.0' });
    const paths = doc['paths'] as Record<string, Record<string, { operationId: string; parameters: { name: string }[]; responses: Record<string, unknown>; requestBody?: unknown }>>;
    const operations = Object.values(paths).flatMap((methods) => Object.values(methods));
    expect(operations.map((op) => op.operationId).sort()).toEqual(Object.keys(ROUTES).sort());
    const move = paths['/api/v1/models/{model}/aliases/{alias}']?.['put'];
    expect(move?.parameters.map((p) => p.name)).toEqual(['model', 'alias']);
    expect(JSON.stringify(move?.requestBody)).toContain('override');
    expect(Object.keys(move?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409']));
    const wait = paths['/api/v1/models/{model}/aliases/{alias}/wait']?.['get'];
    expect(wait?.parameters.map((p) => p.name)).toEqual(['model', 'alias', 'after', 'timeoutMs']);
  });
});
