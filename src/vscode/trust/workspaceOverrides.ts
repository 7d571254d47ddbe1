import * as vscode from 'vscode';
import { ClusterCommands } from '../cluster/clusterIds';
import { UserInputError } from '../commandRunner';

/** Settings that choose a program to run or a kubeconfig (whose exec plugins are programs too), with what each names. */
export const PROGRAM_SETTINGS = {
  helmPath: 'the helm program',
  kubectlPath: 'the kubectl program',
  kubeconfig: 'the kubeconfig',
} as const;
export type ProgramSetting = keyof typeof PROGRAM_SETTINGS;

/** workspaceState key: the workspace values the user allowed, by setting (asked again when the value changes). */
const ALLOWED_STATE_KEY = 'natsK3s.allowedWorkspaceSettings';

/** A program setting whose value comes from the workspace's settings and has not been allowed yet. */
export interface PendingOverride {
  readonly key: ProgramSetting;
  readonly value: string;
}

/**
 * Programs and clusters come from the user, not from a repository: natsK3s.helmPath, kubectlPath and kubeconfig are
 * machine-overridable, so a workspace may set them, but the first time it does, the user is asked in a modal that
 * names the path; the answer is remembered for this workspace (workspaceState) and for that value only.
 */
export class WorkspaceOverrides {
  constructor(private readonly workspaceState: vscode.Memento) {}

  /** The workspace values among `keys` not yet allowed. */
  pending(keys: readonly ProgramSetting[] = ALL): PendingOverride[] {
    const config = vscode.workspace.getConfiguration('natsK3s');
    const allowed = this.allowed();
    return keys.flatMap((key) => {
      const inspected = config.inspect<unknown>(key);
      const raw = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
      const value = typeof raw === 'string' ? raw.trim() : '';
      return value && allowed[key] !== value ? [{ key, value }] : [];
    });
  }

  /**
   * Asks once, in a modal naming each path, before the workspace's own programs or kubeconfig are used; resolves
   * when they are allowed (or there are none), rejects with vscode.CancellationError when the user says no.
   */
  async confirm(keys: readonly ProgramSetting[] = ALL): Promise<void> {
    const pending = this.pending(keys);
    if (pending.length === 0) return;
    const lines = pending.map((p) => `natsK3s.${p.key}: ${p.value}`);
    const answer = await vscode.window.showWarningMessage(
      pending.length === 1
        ? `This workspace's settings choose ${PROGRAM_SETTINGS[pending[0]!.key]}: ${pending[0]!.value}. Use it for the NATS cluster commands?`
        : `This workspace's settings choose programs and a cluster for the NATS cluster commands: ${lines.join('; ')}. Use them?`,
      {
        modal: true,
        detail: `${lines.join('\n')}\n\nThey come from the workspace (.vscode/settings.json), not from your user settings, and run with your rights. You are asked again if the workspace changes them.`,
      },
      ALLOW,
    );
    if (answer !== ALLOW) throw new vscode.CancellationError();
    await this.workspaceState.update(ALLOWED_STATE_KEY, {
      ...this.allowed(),
      ...Object.fromEntries(pending.map((p) => [p.key, p.value])),
    });
  }

  /**
   * Throws one sentence when a workspace value among `keys` is not allowed yet (for views, which never ask); its
   * button runs Refresh Releases, which asks (every cluster command does, see clusterCommandRunner.ts).
   */
  check(keys: readonly ProgramSetting[]): void {
    const pending = this.pending(keys);
    if (pending.length === 0) return;
    const named = pending.map((p) => `natsK3s.${p.key} (${p.value})`).join(' and ');
    throw new UserInputError(
      `This workspace's settings choose ${named}, not yet allowed: refresh the Releases view or run a cluster command to be asked.`,
      {
        fix: { title: 'Review', command: ClusterCommands.refreshReleases },
      },
    );
  }

  private allowed(): Partial<Record<ProgramSetting, string>> {
    return this.workspaceState.get<Partial<Record<ProgramSetting, string>>>(ALLOWED_STATE_KEY) ?? {};
  }
}

const ALL = Object.keys(PROGRAM_SETTINGS) as ProgramSetting[];
const ALLOW = 'Allow';
