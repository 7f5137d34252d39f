import { z } from 'zod';

import { envTypes } from './env.js';

/** One documented setting, as printed by an app's `--help-config` or its README table. */
export interface ConfigVariableDoc {
  /** Environment variable name. */
  readonly variable: string;
  /** The description given to the `env` helper, or `''`. */
  readonly description: string;
  /** The value type, e.g. `integer >= 1`, `port`, `list`, `url (redis:, rediss:)`, `info|warn`. */
  readonly type: string;
  /** False when the schema supplies a default or marks it optional. */
  readonly required: boolean;
  /**
   * The default as it would be written in the environment (`localhost:9092,localhost:9093` for a
   * list, `true` for a boolean), when the schema has one.
   */
  readonly defaultValue?: string;
}

function descriptionOf(field: z.ZodType): string {
  if (field.description !== undefined) {
    return field.description;
  }
  if (field instanceof z.ZodDefault || field instanceof z.ZodOptional) {
    return descriptionOf(field.unwrap() as z.ZodType);
  }
  return '';
}

/** The `env` helper's recorded type, else what the schema itself shows (a transform hides its output). */
function typeOf(field: z.ZodType): string {
  const recorded = envTypes.get(field)?.type;
  if (recorded !== undefined) {
    return recorded;
  }
  if (field instanceof z.ZodDefault || field instanceof z.ZodOptional) {
    return typeOf(field.unwrap() as z.ZodType);
  }
  if (field instanceof z.ZodPipe) {
    return typeOf(field.in as z.ZodType);
  }
  if (field instanceof z.ZodEnum) {
    return field.options.join('|');
  }
  if (field instanceof z.ZodNumber) {
    return 'number';
  }
  if (field instanceof z.ZodBoolean) {
    return 'boolean';
  }
  return 'string';
}

/** A parsed default back in its environment form: the inverse of the `env` helpers. */
function environmentForm(value: unknown): string {
  if (Array.isArray(value)) {
    return value.map((item) => environmentForm(item)).join(',');
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value);
}

/**
 * Lists the variables of a config schema (a zod object keyed by variable name) with their
 * description, type, whether they are required and their default, in declaration order.
 */
export function describeConfig(schema: z.ZodObject): ConfigVariableDoc[] {
  return Object.entries(schema.shape).map(([variable, field]) => {
    const zodField = field as z.ZodType;
    const description = descriptionOf(zodField);
    const type = typeOf(zodField);
    if (zodField instanceof z.ZodDefault) {
      return { variable, description, type, required: false, defaultValue: environmentForm(zodField.def.defaultValue) };
    }
    return { variable, description, type, required: !(zodField instanceof z.ZodOptional) };
  });
}
