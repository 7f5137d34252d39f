import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import ts from 'typescript';

/** A named import (or re-export) of one of our entries, as found in one file. */
export interface EntryImport {
  /** The module specifier: `@metarec/<project>` or `@metarec/<project>/testing`. */
  readonly specifier: string;
  /** The exported name imported (`a` in `import { a as b }`). */
  readonly name: string;
  /** The importing file, relative to the workspace root, `/`-separated. */
  readonly file: string;
}

const ENTRY_SPECIFIER = /^@metarec\/[^/]+(\/testing)?$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'out-tsc', '.cache', '.data', '.tmp', 'coverage']);
const SOURCE_FILE = /\.(ts|mts|cts)$/;

/** Every TypeScript file under `dirs` (relative to `root`), skipping build output and dependencies. */
export function listSourceFiles(root: string, dirs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) {
          walk(join(dir, entry.name));
        }
      } else if (SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push(relative(root, join(dir, entry.name)).split(sep).join('/'));
      }
    }
  };
  for (const dir of dirs) {
    walk(join(root, dir));
  }
  return files.sort();
}

/**
 * The named imports of `@metarec/*` entries in one file's text: `import { a }`, `import type { T }`,
 *
 * `export { a } from`, type queries `import('@metarec/x').T`, and `const { a } = await import('@metarec/x')`.
 *
 * @throws Error on `import * as ns`, `export * from`, any other `import()` or a default import of an entry:
 *   which names they use cannot be read from the import alone, and counting them as all or none would mislead.
 */
export function scanEntryImports(file: string, text: string): EntryImport[] {
  // Parent links: a dynamic import is read through the destructuring around it.
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: EntryImport[] = [];
  const add = (specifier: string, name: string): void => {
    found.push({ specifier, name, file });
  };
  const unsupported = (specifier: string, form: string): Error =>
    new Error(`${file}: ${form} of ${specifier}; import the names it uses one by one`);

  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && ENTRY_SPECIFIER.test(statement.moduleSpecifier.text)) {
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause === undefined) {
        continue;
      }
      if (clause.name !== undefined) {
        throw unsupported(specifier, 'a default import');
      }
      if (clause.namedBindings !== undefined && ts.isNamespaceImport(clause.namedBindings)) {
        throw unsupported(specifier, 'a namespace import');
      }
      for (const element of clause.namedBindings?.elements ?? []) {
        add(specifier, (element.propertyName ?? element.name).text);
      }
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier) && ENTRY_SPECIFIER.test(statement.moduleSpecifier.text)) {
      const specifier = statement.moduleSpecifier.text;
      if (statement.exportClause === undefined || ts.isNamespaceExport(statement.exportClause)) {
        throw unsupported(specifier, 'a star re-export');
      }
      for (const element of statement.exportClause.elements) {
        add(specifier, (element.propertyName ?? element.name).text);
      }
    }
  }
  if (text.includes('import(')) {
    collectImportTypes(source, add, unsupported);
  }
  return found;
}

function collectImportTypes(
  source: ts.SourceFile,
  add: (specifier: string, name: string) => void,
  unsupported: (specifier: string, form: string) => Error,
): void {
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument !== undefined && ts.isStringLiteral(argument) && ENTRY_SPECIFIER.test(argument.text)) {
        const names = destructuredNames(node);
        if (names === undefined) {
          throw unsupported(argument.text, 'a dynamic import not destructured as `const { a } = await import(...)`');
        }
        for (const name of names) {
          add(argument.text, name);
        }
      }
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal) && ENTRY_SPECIFIER.test(node.argument.literal.text)) {
      const qualifier = node.qualifier;
      if (qualifier !== undefined) {
        add(node.argument.literal.text, leftmostName(qualifier));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

function leftmostName(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : leftmostName(name.left);
}

/** Scans every file: see `scanEntryImports`. */
export function scanWorkspaceImports(root: string, files: readonly string[]): EntryImport[] {
  return files.flatMap((file) => scanEntryImports(file, readFileSync(join(root, file), 'utf8')));
}

/** The names `const { a, b: c } = await import(...)` takes, or undefined for any other shape. */
function destructuredNames(call: ts.CallExpression): string[] | undefined {
  const awaited = call.parent;
  const declaration = awaited !== undefined && ts.isAwaitExpression(awaited) ? awaited.parent : undefined;
  if (declaration === undefined || !ts.isVariableDeclaration(declaration) || !ts.isObjectBindingPattern(declaration.name)) {
    return undefined;
  }
  const names: string[] = [];
  for (const element of declaration.name.elements) {
    const property = element.propertyName ?? element.name;
    if (element.dotDotDotToken !== undefined || !ts.isIdentifier(property)) {
      return undefined;
    }
    names.push(property.text);
  }
  return names;
}
