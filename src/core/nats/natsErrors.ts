/** A write (publish, put, purge, delete) was attempted through a read-only session. */
export class ReadOnlyError extends Error {
  override readonly name = 'ReadOnlyError';
  constructor(
    readonly connection: string,
    readonly action: string,
  ) {
    super(`'${connection}' is read-only: ${action} was refused`);
  }
}

/** A query needs a connection, but the session is not connected (failed, closed, or not yet opened). */
export class NotConnectedError extends Error {
  override readonly name = 'NotConnectedError';
  constructor(readonly connection: string) {
    super(`'${connection}' is not connected`);
  }
}

/** A KV bucket that does not exist; `Kvm.open` is lazy, so this is raised after checking its status. */
export class BucketNotFoundError extends Error {
  override readonly name = 'BucketNotFoundError';
  constructor(
    readonly bucket: string,
    cause?: unknown,
  ) {
    super(`KV bucket '${bucket}' does not exist`, { cause });
  }
}

/** Throws `ReadOnlyError` when `access` is read-only; call first in every write. */
export function assertWritable(access: { readonly readOnly: boolean; readonly name: string }, action: string): void {
  if (access.readOnly) throw new ReadOnlyError(access.name, action);
}

/** The user cancelled a long read (a listing or a scan): `what` names it, as in "the key scan of KV_kine". */
export class CancelledError extends Error {
  override readonly name: string = 'CancelledError';
  constructor(readonly what: string) {
    super(`${what.charAt(0).toUpperCase()}${what.slice(1)} was cancelled.`);
  }
}

/** Throws `CancelledError` for `what` when `signal` has aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}

/** The connection went away (server stopped, killed, or dropped us) while a call that needs it was running. */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
  constructor(
    readonly during: string,
    cause?: unknown,
  ) {
    super(`the connection was lost during ${during}`, { cause });
  }
}

/**
 * A JetStream publish nobody took, tried again until `waitedMs` ran out: the stream exists (the API named it), but
 * no server this connection reaches listens for it yet. Nothing was stored, so publishing again is safe.
 */
export class StreamUnreachableError extends Error {
  override readonly name = 'StreamUnreachableError';
  constructor(
    readonly stream: string,
    readonly subject: string,
    readonly waitedMs: number,
    cause?: unknown,
  ) {
    super(
      `Stream ${stream} did not take the message on ${subject} within ${(waitedMs / 1000).toFixed(1)} s: no server this connection reaches has its leader (the stream was just created, or its replicas are offline or electing a leader). Nothing was stored; publish again in a moment, and if it lasts, Show JetStream Health lists the stream's replicas.`,
      { cause },
    );
  }
}
