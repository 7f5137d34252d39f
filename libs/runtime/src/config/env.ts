import { z } from 'zod';

/** Strings accepted as `true` / `false` by `env.boolean` (case-insensitive). */
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

const MAX_PORT = 65_535;

/**
 * The value type of each `env` helper's schema, as `--help-config` prints it (`integer >= 1`,
 * `url (redis:, rediss:)`): a transform hides it from the schema itself.
 */
export const envTypes = z.registry<{ type: string }>();

function described<T extends z.ZodType>(schema: T, description: string | undefined, type: string): T {
  const result = description === undefined ? schema : schema.describe(description);
  envTypes.add(result, { type });
  return result;
}

function rangeText(kind: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) {
    return `${kind} ${min}..${max}`;
  }
  if (min !== undefined) {
    return `${kind} >= ${min}`;
  }
  return max === undefined ? kind : `${kind} <= ${max}`;
}

/** What an error says was expected: `an integer in [1, 65535]`, `a number >= 0`. */
function expectedText(kind: string, min: number | undefined, max: number | undefined): string {
  return min !== undefined && max !== undefined ? `${kind} in [${min}, ${max}]` : rangeText(kind, min, max);
}

function integer(description: string | undefined, bounds: { min?: number; max?: number }, type: string): z.ZodPipe<z.ZodString, z.ZodTransform<number, string>> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
  const schema = z.string().transform((raw, ctx) => {
    const value = Number(raw.trim());
    if (raw.trim() === '' || !Number.isInteger(value)) {
      ctx.addIssue({ code: 'custom', message: `expected an integer, got "${raw}"` });
      return z.NEVER;
    }
    if (value < min || value > max) {
      ctx.addIssue({ code: 'custom', message: `expected ${expectedText('an integer', bounds.min, bounds.max)}, got ${value}` });
      return z.NEVER;
    }
    return value;
  });
  return described(schema, description, type);
}

/**
 * Zod schemas for environment variables: each takes the raw string (or `undefined`) and yields a
 * typed value. Chain `.default(...)` on the schema for optional variables (`env.port().default(9092)`):
 * zod applies a default when the variable is absent. Every helper takes a description that
 * `describeConfig` prints, so the schema doubles as the app's documented list of settings.
 */
export const env = {
  /** A non-empty string. */
  string(description?: string): z.ZodString {
    return described(z.string().min(1, 'must not be empty'), description, 'string');
  },

  /** A base-10 integer within `[min, max]`. */
  int(description?: string, bounds: { min?: number; max?: number } = {}): z.ZodPipe<z.ZodString, z.ZodTransform<number, string>> {
    return integer(description, bounds, rangeText('integer', bounds.min, bounds.max));
  },

  /** A finite decimal number within `[min, max]` (`0.25`, `1e-3`). */
  number(description?: string, bounds: { min?: number; max?: number } = {}): z.ZodPipe<z.ZodString, z.ZodTransform<number, string>> {
    const { min = -Number.MAX_VALUE, max = Number.MAX_VALUE } = bounds;
    const schema = z.string().transform((raw, ctx) => {
      const value = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(value)) {
        ctx.addIssue({ code: 'custom', message: `expected a number, got "${raw}"` });
        return z.NEVER;
      }
      if (value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `expected ${expectedText('a number', bounds.min, bounds.max)}, got ${value}` });
        return z.NEVER;
      }
      return value;
    });
    return described(schema, description, rangeText('number', bounds.min, bounds.max));
  },

  /** A TCP port, 1..65535. */
  port(description?: string): z.ZodPipe<z.ZodString, z.ZodTransform<number, string>> {
    return integer(description, { min: 1, max: MAX_PORT }, 'port');
  },

  /** `true|1|yes|on` or `false|0|no|off`, case-insensitive; anything else is an error. */
  boolean(description?: string): z.ZodPipe<z.ZodString, z.ZodTransform<boolean, string>> {
    const schema = z.string().transform((raw, ctx) => {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) {
        return true;
      }
      if (FALSE_WORDS.has(word)) {
        return false;
      }
      ctx.addIssue({ code: 'custom', message: `expected true/false (or 1/0, yes/no, on/off), got "${raw}"` });
      return z.NEVER;
    });
    return described(schema, description, 'boolean');
  },

  /** A comma-separated list, items trimmed, empty items dropped; at least one item. */
  list(description?: string): z.ZodPipe<z.ZodString, z.ZodTransform<string[], string>> {
    const schema = z.string().transform((raw, ctx) => {
      const items = raw.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
      if (items.length === 0) {
        ctx.addIssue({ code: 'custom', message: 'expected a comma-separated list with at least one item' });
        return z.NEVER;
      }
      return items;
    });
    return described(schema, description, 'list');
  },

  /** An absolute URL whose scheme is one of `protocols` (e.g. `['redis:']`), when given. */
  url(description?: string, protocols?: readonly string[]): z.ZodString {
    const schema = z.string().refine(
      (raw) => {
        if (!URL.canParse(raw)) {
          return false;
        }
        return protocols === undefined || protocols.includes(new URL(raw).protocol);
      },
      { message: protocols === undefined ? 'expected a URL' : `expected a URL with scheme ${protocols.join(' or ')}` },
    );
    return described(schema, description, protocols === undefined ? 'url' : `url (${protocols.join(', ')})`);
  },

  /** One of a fixed set of words. */
  oneOf<const T extends readonly [string, ...string[]]>(values: T, description?: string): z.ZodEnum<{ [K in T[number]]: K }> {
    return described(z.enum(values), description, values.join('|'));
  },
} as const;
