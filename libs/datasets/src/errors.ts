/** Stable failure codes of `@metarec/datasets`; callers branch on these, never on messages. */
export type DatasetErrorCode =
  /** A file listed in `SHA256SUMS` does not hash to its recorded digest. */
  | 'DS_CHECKSUM_MISMATCH'
  /** A required data file is missing or unreadable. */
  | 'DS_FILE_MISSING'
  /** A line (or Arrow row) of a data file cannot be parsed (the message names file, line and, when known, column). */
  | 'DS_MALFORMED_LINE'
  /** A header names a column twice, or is otherwise unusable (the message names file, line and column). */
  | 'DS_MALFORMED_HEADER'
  /** A column the import needs is absent from a file (the message names file and column). */
  | 'DS_COLUMN_MISSING'
  /** A data file holds no data rows. */
  | 'DS_FILE_EMPTY'
  /** The directory holds neither the ML-100K nor the ML-1M layout. */
  | 'DS_FORMAT_UNKNOWN'
  /** An option is out of range or inconsistent (the message names it). */
  | 'DS_INVALID_OPTION'
  /** A serialized vocabulary or encoder is not in the expected shape or version. */
  | 'DS_SERIALIZED_INVALID'
  /** Input columns disagree in length or reference rows that do not exist. */
  | 'DS_INVALID_INPUT';

/** Every error thrown on purpose by `@metarec/datasets`. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';

  /** The file at fault, when a file is (absolute or as given). */
  readonly file?: string;
  /** The 1-based line at fault (the 1-based row for Arrow files), for `DS_MALFORMED_LINE` and `DS_MALFORMED_HEADER`. */
  readonly line?: number;
  /** The column at fault, as `<1-based position> (<name>)`, when one is. */
  readonly column?: string;

  constructor(
    readonly code: DatasetErrorCode,
    message: string,
    options: { cause?: unknown; file?: string; line?: number; column?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }
}
