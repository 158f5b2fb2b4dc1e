/**
 * An expected failure caused by input (a bad query, an unknown id, a malformed file). Adapters show
 * `message` to the user as is; anything that is not a UserError is a bug and is logged.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    /** Stable machine-readable code, e.g. `unknown-id`, `query-too-long`. */
    readonly code: string,
    message: string,
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
