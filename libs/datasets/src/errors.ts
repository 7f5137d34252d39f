/** Stable failure codes of `@metarec/datasets`; callers branch on these, never on messages. */
export type DatasetErrorCode =
  /** A file listed in `SHA256SUMS` does not hash to its recorded digest. */
  | 'DS_CHECKSUM_MISMATCH'
  /** A required data file is missing or unreadable. */
  | 'DS_FILE_MISSING'
  /** A line of a data file cannot be parsed (the message names file and line). */
  | 'DS_MALFORMED_LINE'
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
  /** The 1-based line at fault, for `DS_MALFORMED_LINE`. */
  readonly line?: number;

  constructor(
    readonly code: DatasetErrorCode,
    message: string,
    options: { cause?: unknown; file?: string; line?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
    this.line = options.line;
  }
}
