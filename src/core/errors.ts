/**
 * What a reader-facing adapter needs to say a UserError in the reader's language: the message's key
 * in the catalogs (by default `errors.<code>`) and the values it interpolates, already
 * escaped for where they are shown. Plain data: the core knows no catalog.
 */
export interface UserErrorText {
  readonly key?: string;
  /** A list (e.g. the allowed choices) is said as "a or b" in the reader's language. */
  readonly values?: Readonly<Record<string, string | number | readonly string[]>>;
}

/**
 * An expected failure caused by input (a bad query, an unknown id, a malformed file). Adapters show
 * `message` (English) to the user, or, when `text` is given, its catalog message in the reader's
 * language; anything that is not a UserError is a bug and is logged.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    /** Stable machine-readable code, e.g. `unknown-id`, `query-too-long`. */
    readonly code: string,
    message: string,
    readonly text?: UserErrorText,
  ) {
    super(message);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** The outcome of an operation whose failure is an expected value, not an exception. */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
