/** What a stream's version must be for an append to go ahead. */
export type ExpectedVersion = number | "no_stream" | "any";

/**
 * The stream moved on since the caller read it (a version check failed or a
 * concurrent writer took the same position first). Retrying the whole
 * read-decide-append in a new transaction is always safe.
 */
export class ConcurrencyError extends Error {
  override readonly name = "ConcurrencyError";
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    /** The version found, when known (a unique-constraint race does not tell). */
    readonly actualVersion: number | undefined,
    message?: string,
    options?: ErrorOptions,
  ) {
    super(
      message ??
        `stream ${streamId}: expected version ${String(expectedVersion)}, found ${actualVersion ?? "a concurrent append"}`,
      options,
    );
  }
}

/** The command's deadline passed before its transaction could commit; nothing was applied. */
export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError";
  constructor(
    readonly commandId: string,
    readonly deadline: Date,
  ) {
    super(`command ${commandId} passed its deadline ${deadline.toISOString()} unapplied`);
  }
}

/** True for a Postgres unique violation on the named constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown };
  return e.code === "23505" && e.constraint === constraint;
}
