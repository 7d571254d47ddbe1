import * as vscode from 'vscode';
import { readOnlyRefusal, registerSafeCommand, UserInputError } from '../commandRunner';
import { refuseInRestrictedMode } from '../trust/restrictedMode';
import type { ClusterAccess } from './clusterAccess';
import { ClusterSettings } from './clusterIds';

/**
 * The core's cluster errors whose messages are already one sentence for the user. The shared funnel
 * (registerSafeCommand) reads unknown errors as NATS errors, so these are handed to it as UserInputError.
 */
const CLUSTER_ERRORS = new Set([
  'KubeAccessError',
  'KubeconfigError',
  'HelmArgumentError',
  'HelmCommandError',
  'HelmOutputError',
  'ValuesFileError',
  'SmokeTestError',
]);

/** Rethrows a core cluster error as the funnel's UserInputError, and a cancelled helm run as a silent cancellation. */
export function toUserFacing(err: unknown): unknown {
  if (!(err instanceof Error) || !CLUSTER_ERRORS.has(err.name)) return err;
  if ((err as { cancelled?: boolean }).cancelled) return new vscode.CancellationError();
  return new UserInputError(err.message, { cause: err });
}

/**
 * registerSafeCommand for the cluster commands: the same funnel, with the core's cluster errors kept as sentences.
 * Every one runs helm, kubectl or a kubeconfig's programs, so in Restricted Mode it refuses (naming the workspace
 * settings ignored until the workspace is trusted), and it asks before using programs the workspace chose.
 */
export function registerClusterCommand(
  access: ClusterAccess,
  log: vscode.LogOutputChannel,
  id: string,
  handler: (...args: never[]) => unknown,
): vscode.Disposable {
  return registerSafeCommand(log, id, async (...args: never[]) => {
    await refuseInRestrictedMode();
    await access.confirmWorkspacePrograms();
    try {
      return await handler(...args);
    } catch (err) {
      throw toUserFacing(err);
    }
  });
}

/**
 * Runs `task` under a cancellable progress notification; cancelling aborts the signal the task hands to helm or
 * the cluster. A cancelled task rejects with vscode.CancellationError (the funnel keeps quiet about it).
 */
export function withCancellableProgress<T>(
  title: string,
  task: (signal: AbortSignal, report: (message: string) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await task(abort.signal, (message) => progress.report({ message }));
      } catch (err) {
        throw abort.signal.aborted ? new vscode.CancellationError() : err;
      } finally {
        sub.dispose();
      }
    },
  );
}

/** natsK3s.readOnly refuses every write, to the cluster as to NATS: call before asking anything. */
export function refuseWhenReadOnly(access: ClusterAccess, action: string): void {
  if (isReadOnly(access)) {
    throw readOnlyRefusal(action, 'the cluster');
  }
}

/** natsK3s.readOnly, as the cluster commands read it. */
export function isReadOnly(access: ClusterAccess): boolean {
  return access.setting<boolean>(ClusterSettings.readOnly, false);
}
