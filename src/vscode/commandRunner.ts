import * as vscode from 'vscode';
import { explainNatsError } from '../core/nats/explainError';

/**
 * The one funnel for command errors: whatever a command throws becomes one sentence in an error notification and
 * a log line, never an unhandled rejection in the extension host. A user's cancellation is silent.
 */
export function registerSafeCommand(
  log: vscode.LogOutputChannel,
  id: string,
  handler: (...args: never[]) => unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await (handler as (...a: unknown[]) => unknown)(...args);
    } catch (err) {
      if (err instanceof vscode.CancellationError) return undefined;
      const sentence = describeError(err);
      log.error(`${id}: ${sentence}`);
      void vscode.window.showErrorMessage(sentence);
      return undefined;
    }
  });
}

/** One sentence for any error: the user-facing ones as they are, NATS failures by their kind (see explainNatsError). */
export function describeError(err: unknown, target = 'the server'): string {
  if (err instanceof Error && USER_FACING.has(err.name)) return sentence(err.message);
  return explainNatsError(err, target);
}

/** Errors whose message is already a sentence written for the user. */
const USER_FACING = new Set([
  'ReadOnlyError', 'NotConnectedError', 'BucketNotFoundError', 'MissingSecretError', 'UserInputError',
  'KubeAccessError', 'KubeconfigError', 'HelmCommandError', 'HelmArgumentError', 'KineBucketNotFoundError', 'KineKeyNotFoundError', 'SmokeTestError',
  'ValuesThreadError',
]);

/** An input the user gave that cannot be used; its message is shown as is. */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return 'Something went wrong.';
  const capital = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
