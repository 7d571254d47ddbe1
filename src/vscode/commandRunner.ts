import * as vscode from 'vscode';
import { explainNatsError } from '../core/nats/explainError';
import { scrubSecretShapes } from '../core/text/secretScrubber';
import { scrubberOf } from './scrubbedLog';

/**
 * The one funnel for command errors: whatever a command throws becomes one sentence in an error notification and
 * a log line, never an unhandled rejection in the extension host. A user's cancellation is silent. The sentence is
 * scrubbed of secrets (the log's scrubber knows the ones this window resolved) before anyone sees it.
 */
export function registerSafeCommand(
  log: vscode.LogOutputChannel,
  id: string,
  handler: (...args: never[]) => unknown,
): vscode.Disposable {
  const scrub = scrubberOf(log);
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await (handler as (...a: unknown[]) => unknown)(...args);
    } catch (err) {
      if (err instanceof vscode.CancellationError) return undefined;
      const sentence = scrub(describeError(err));
      log.error(`${id}: ${sentence}`);
      // The buttons that fix it: the setting that refused, the trust editor, …
      const fixes = err instanceof UserInputError ? err.fixes : [];
      void vscode.window.showErrorMessage(sentence, ...fixes.map((f) => f.title)).then((choice) => {
        const fix = fixes.find((f) => f.title === choice);
        if (fix) void vscode.commands.executeCommand(fix.command, ...(fix.args ?? []));
      });
      return undefined;
    }
  });
}

/** One sentence for any error: the user-facing ones as they are, NATS failures by their kind (see explainNatsError). */
export function describeError(err: unknown, target = 'the server'): string {
  if (err instanceof Error && USER_FACING.has(err.name)) return scrubSecretShapes(sentence(err.message));
  return scrubSecretShapes(explainNatsError(err, target));
}

/** Errors whose message is already a sentence written for the user. */
const USER_FACING = new Set([
  'ReadOnlyError',
  'NotConnectedError',
  'BucketNotFoundError',
  'MissingSecretError',
  'UserInputError',
  'KubeAccessError',
  'KubeconfigError',
  'HelmCommandError',
  'HelmArgumentError',
  'KineBucketNotFoundError',
  'KineKeyNotFoundError',
  'ExportLimitError',
  'SmokeTestError',
  'ValuesThreadError',
  'ServiceRequestError',
  'ObjectStoreNotFoundError',
  'ObjectStoreExistsError',
  'ObjectNotFoundError',
  'ObjectDigestError',
  'ObjectIncompleteError',
  'BucketLinkError',
]);

/** The button an error offers: its title and the command it runs. */
export interface Fix {
  readonly title: string;
  readonly command: string;
  readonly args?: readonly unknown[];
}

/** `fix` as a tree item's command: clicking an error node does what its button would. */
export function fixCommand(fix: Fix): vscode.Command {
  return { command: fix.command, title: fix.title, arguments: [...(fix.args ?? [])] };
}

/**
 * An input the user gave that cannot be used; its message is shown as is, with a button for each of `fixes` (`fix`
 * is the first, the one a tree node runs when clicked).
 */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
  readonly fix?: Fix;
  readonly fixes: readonly Fix[];

  constructor(message: string, options?: ErrorOptions & { readonly fix?: Fix; readonly fixes?: readonly Fix[] }) {
    super(message, options);
    this.fixes = options?.fixes ?? (options?.fix ? [options.fix] : []);
    if (this.fixes[0]) this.fix = this.fixes[0];
  }
}

/** A setting refused the command (natsK3s.readOnly): shown as is, with a button that opens that setting. */
export class SettingRefusal extends UserInputError {
  constructor(
    message: string,
    /** The full setting id, e.g. `natsK3s.readOnly`. */
    readonly setting: string,
  ) {
    super(message, { fix: { title: 'Open Settings', command: 'workbench.action.openSettings', args: [setting] } });
  }
}

/** natsK3s.readOnly's refusal of `action` ("purging stream ORDERS"), in the same words for NATS and the cluster. */
export function readOnlyRefusal(action: string, where: 'NATS' | 'the cluster'): SettingRefusal {
  return new SettingRefusal(
    `Read-only mode is on (natsK3s.readOnly): ${action} was refused. Turn the setting off to change ${where}.`,
    'natsK3s.readOnly',
  );
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return 'Something went wrong.';
  const capital = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
