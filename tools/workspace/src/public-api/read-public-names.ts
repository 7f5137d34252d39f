import { dirname } from 'node:path';

import ts from 'typescript';

/** One name a lib entry exports; `type` when it has no runtime value (interfaces, aliases, `export type`). */
export interface PublicName {
  readonly name: string;
  readonly kind: 'type' | 'value';
}

/**
 * A program over the given entry files with the repo's compiler options (NodeNext, the
 * `@metarec/source` condition), so re-exports resolve exactly as `tsc` resolves them.
 *
 * @param tsconfigPath - the tsconfig whose `compilerOptions` apply (the repo's `tsconfig.base.json`).
 */
export function createEntryProgram(tsconfigPath: string, entryFiles: readonly string[]): ts.Program {
  const read = ts.readConfigFile(tsconfigPath, (path) => ts.sys.readFile(path));
  if (read.error !== undefined) {
    throw new Error(`cannot read ${tsconfigPath}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  }
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(tsconfigPath));
  // Only binding is needed: no emit, no project-reference bookkeeping, no default lib.
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, noLib: true, types: [], composite: false, declaration: false, declarationMap: false, sourceMap: false, skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  // Third-party declarations never define one of our names and are most of the parse time
  // (tfjs, arrow, kafkajs), so they are left out: an export resolves to our own files only.
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
    fileName.includes('/node_modules/') && !fileName.includes('/node_modules/@metarec/') ? undefined : getSourceFile(fileName, languageVersion, onError, shouldCreate);
  return ts.createProgram({ rootNames: [...entryFiles], options, host });
}

/**
 * The names `entryFile` exports, sorted, with their kind. Follows `export { a } from`,
 * `export type { T } from`, `export * from` and local declarations through the type checker.
 *
 * @throws Error when the entry is not part of `program` or is not a module.
 */
export function readPublicNames(program: ts.Program, entryFile: string): PublicName[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entryFile);
  if (source === undefined) {
    throw new Error(`${entryFile} is not in the program`);
  }
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) {
    throw new Error(`${entryFile} is not a module (it exports nothing)`);
  }
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => ({ name: symbol.getName(), kind: kindOf(checker, symbol, entryFile) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function kindOf(checker: ts.TypeChecker, symbol: ts.Symbol, entryFile: string): PublicName['kind'] {
  let current = symbol;
  // Walk the alias chain one hop at a time: a type-only hop anywhere makes the name a type.
  while (current.flags & ts.SymbolFlags.Alias) {
    if ((current.declarations ?? []).some(isTypeOnlyAliasDeclaration)) {
      return 'type';
    }
    const next = checker.getImmediateAliasedSymbol(current);
    if (next === undefined || next === current) {
      break;
    }
    current = next;
  }
  const resolved = current.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(current) : current;
  // Third-party declarations are not loaded (see createEntryProgram): a name re-exported from a
  // package resolves to nothing, and guessing its kind would misreport it.
  if (resolved.flags === ts.SymbolFlags.None) {
    throw new Error(`${entryFile}: cannot resolve the export ${symbol.getName()} (re-exported from a third-party package?)`);
  }
  return resolved.flags & ts.SymbolFlags.Value ? 'value' : 'type';
}

function isTypeOnlyAliasDeclaration(declaration: ts.Declaration): boolean {
  if (ts.isExportSpecifier(declaration)) {
    return declaration.isTypeOnly || declaration.parent.parent.isTypeOnly;
  }
  if (ts.isImportSpecifier(declaration)) {
    return declaration.isTypeOnly || declaration.parent.parent.isTypeOnly;
  }
  if (ts.isImportClause(declaration)) {
    return declaration.isTypeOnly;
  }
  return false;
}
