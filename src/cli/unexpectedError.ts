/** JavaScript's own errors: thrown by a bug or a limit of the runtime, never by a server, a file or the user's input. */
const INTERNAL = [RangeError, TypeError, ReferenceError, SyntaxError, EvalError, URIError];

/** Whether `err` is a runtime failure (a bug or a limit) rather than something a user can act on. */
export function isInternalError(err: unknown): err is Error {
  return INTERNAL.some((type) => err instanceof type);
}

/**
 * One sentence for an error no command expected: a runtime failure such as "Maximum call stack size exceeded" is
 * named as an internal error with the next step, never passed off as a NATS or file problem.
 */
export function describeUnexpected(err: unknown): string {
  if (isInternalError(err))
    return `internal error (${err.name}: ${err.message}). This is a bug in nats-k3s: please report it with the command you ran.`;
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s+/g, ' ').trim() || 'failed without saying why.';
}
