import type { z } from 'zod';

import { describeConfig, type ConfigVariableDoc } from '../config/describe-config.js';

/** Output formats of `--help-config`. */
export const CONFIG_HELP_FORMATS = ['text', 'json', 'markdown'] as const;
/** One of {@link CONFIG_HELP_FORMATS}. */
export type ConfigHelpFormat = (typeof CONFIG_HELP_FORMATS)[number];

function defaultText(doc: ConfigVariableDoc): string {
  if (doc.defaultValue !== undefined) {
    return doc.defaultValue === '' ? '""' : doc.defaultValue;
  }
  return doc.required ? '(required)' : '(unset)';
}

function text(name: string, docs: readonly ConfigVariableDoc[]): string {
  const rows = docs.map((doc) => [doc.variable, doc.type, defaultText(doc)] as const);
  const widths = [0, 1].map((column) => Math.max(...['VARIABLE', 'TYPE'].map((h) => h.length), ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ');
  const body = docs.flatMap((doc, i) => [line(rows[i] ?? []), ...(doc.description === '' ? [] : [`    ${doc.description}`])]);
  return [`Environment variables of ${name} (a default applies when the variable is unset):`, '', line(['VARIABLE', 'TYPE', 'DEFAULT']), ...body, ''].join('\n');
}

function markdownCell(value: string): string {
  return value.replaceAll('|', '\\|');
}

function markdown(docs: readonly ConfigVariableDoc[]): string {
  const rows = docs.map((doc) => {
    const fallback = doc.defaultValue === undefined ? (doc.required ? 'required' : 'unset') : `\`${doc.defaultValue}\``;
    return `| \`${doc.variable}\` | ${markdownCell(doc.type)} | ${markdownCell(fallback)} | ${markdownCell(doc.description)} |`;
  });
  return ['| variable | type | default | description |', '| --- | --- | --- | --- |', ...rows, ''].join('\n');
}

/**
 * Renders an app's config schema for `--help-config`: `text` for people (one block per variable:
 * name, type, default, then the description), `json` (the {@link describeConfig} list) for
 * scripts and tests, `markdown` for README tables.
 * @param name - the app, named in the text heading.
 */
export function formatConfigHelp(name: string, schema: z.ZodObject, format: ConfigHelpFormat = 'text'): string {
  const docs = describeConfig(schema);
  if (format === 'json') {
    return `${JSON.stringify(docs, null, 2)}\n`;
  }
  return format === 'markdown' ? markdown(docs) : text(name, docs);
}
