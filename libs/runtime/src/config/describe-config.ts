import { z } from 'zod';

/** One documented setting, as printed by an app's `--help-config` or its README table. */
export interface ConfigVariableDoc {
  /** Environment variable name. */
  readonly variable: string;
  /** The description given to the `env` helper, or `''`. */
  readonly description: string;
  /** False when the schema supplies a default or marks it optional. */
  readonly required: boolean;
  /** The default, JSON-encoded, when the schema has one. */
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

/**
 * Lists the variables of a config schema (a zod object keyed by variable name) with their
 * description, whether they are required and their default, in declaration order.
 */
export function describeConfig(schema: z.ZodObject): ConfigVariableDoc[] {
  return Object.entries(schema.shape).map(([variable, field]) => {
    const zodField = field as z.ZodType;
    const description = descriptionOf(zodField);
    if (zodField instanceof z.ZodDefault) {
      const defaultValue = JSON.stringify(zodField.def.defaultValue);
      return { variable, description, required: false, defaultValue };
    }
    return { variable, description, required: !(zodField instanceof z.ZodOptional) };
  });
}
