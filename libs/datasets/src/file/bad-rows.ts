import { DatasetError } from '../errors.js';

/** One row an import could not use: where it is and why. */
export interface BadRow {
  readonly file: string;
  /** 1-based line of a text file, or 1-based row of an Arrow file. */
  readonly line: number;
  /** `<1-based position> (<name>)` of the offending column, when one column is at fault. */
  readonly column?: string;
  readonly reason: string;
}

/** What an import does with a bad row: `fail` throws at the first one; `skip` leaves it out and lists it. */
export type BadRowPolicy = 'fail' | 'skip';

/** `file:line: column c: reason`, the one format every bad-row message uses. */
export function describeBadRow(row: BadRow): string {
  return `${row.file}:${row.line}: ${row.column === undefined ? '' : `column ${row.column}: `}${row.reason}`;
}

/**
 * Collects the bad rows of one import under a {@link BadRowPolicy}, so no row is ever dropped
 * silently: either the import fails naming it, or it is counted and listed in the result.
 */
export class BadRowLog {
  private readonly collected: BadRow[] = [];

  constructor(readonly policy: BadRowPolicy) {}

  /**
   * Records a bad row.
   * @throws DatasetError `DS_MALFORMED_LINE` naming file, line and column under `fail`.
   */
  report(row: BadRow): void {
    if (this.policy === 'fail') {
      throw new DatasetError('DS_MALFORMED_LINE', describeBadRow(row), { file: row.file, line: row.line, column: row.column });
    }
    this.collected.push(row);
  }

  /** The rows skipped so far, in the order reported. */
  get rows(): readonly BadRow[] {
    return this.collected;
  }
}
