import * as vscode from 'vscode';
import { CancelledError } from '../../core/nats/natsErrors';

/** How long a listing runs before a notification offers to cancel it: quick levels never show one. */
export const CANCEL_OFFER_DELAY_MS = 1_000;

/**
 * Runs `work` with a signal of its own. A tree level has no Cancel button, so one still running after
 * CANCEL_OFFER_DELAY_MS (a big bucket's keys, a kine bucket's million records) gets a notification naming it, with
 * Cancel aborting the signal; the notification goes when the work ends.
 */
export async function withCancelOffer<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const running = work(abort.signal);
  const timer = setTimeout(() => {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        return running.then(
          () => undefined,
          () => undefined,
        );
      },
    );
  }, CANCEL_OFFER_DELAY_MS);
  try {
    return await running;
  } finally {
    clearTimeout(timer);
  }
}

/** True for the error a cancelled listing or scan ends with. */
export function isCancelled(err: unknown): boolean {
  return err instanceof CancelledError;
}
