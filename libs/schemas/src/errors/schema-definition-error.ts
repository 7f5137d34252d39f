import { SchemaError } from './schema-error.js';

/** A schema definition itself is invalid (programmer error, thrown at module load). */
export class SchemaDefinitionError extends SchemaError {
  override readonly name = 'SchemaDefinitionError';
  declare readonly code: 'SCHEMA_DEFINITION_INVALID';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SCHEMA_DEFINITION_INVALID', message, options);
  }
}
