/** Machine-readable reasons for a {@link ClearcopyError}. */
export type ErrorCode =
  | 'INPUT_NOT_FOUND'
  | 'INPUT_UNREADABLE'
  | 'INPUT_EMPTY'
  | 'INPUT_NOT_HTML'
  | 'NO_ARTICLE'
  | 'INPUT_TOO_LARGE'
  | 'EXTRACT_TIMEOUT'
  | 'TEMPLATE_MISSING'
  | 'TEMPLATE_BROKEN'
  | 'BROWSER_NOT_FOUND'
  | 'BROWSER_FAILED'
  | 'AUDIT_TIMEOUT'
  | 'AUDIT_FAILED'
  | 'OUTPUT_FAILED'
  | 'QUEUE_UNAVAILABLE'
  | 'USAGE';

/**
 * An error clearcopy expects and can explain: its message is one line that names the input
 * (file or template) and says what to do.
 */
export class ClearcopyError extends Error {
  override name = 'ClearcopyError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { cause?: unknown; file?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
  }
  /** The file the error is about, when there is one. */
  readonly file: string | undefined;
}

/** One line describing any thrown value, for logs and reports. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}

/** How every failed page is reported: a code and one line naming the input and the reason. */
export interface Failure {
  code: string;
  message: string;
}

/**
 * The one failure shape for any thrown value: a ClearcopyError's code and message (they name the
 * input already), anything else as `INTERNAL` with `input` and the error's first line.
 */
export function failureOf(error: unknown, input: string): Failure {
  return error instanceof ClearcopyError
    ? { code: error.code, message: error.message }
    : { code: 'INTERNAL', message: `${input}: ${describeError(error)}` };
}
