import * as vscode from 'vscode';
import { UserInputError, type Fix } from '../commandRunner';
import { MANAGE_TRUST_COMMAND } from '../ids';
import { describeIgnored, ignoredWorkspaceSettings, type IgnoredSetting } from './ignoredSettings';

/** The button of every Restricted Mode refusal: VS Code's Workspace Trust editor. */
export const MANAGE_TRUST: Fix = { title: 'Manage Workspace Trust', command: MANAGE_TRUST_COMMAND };

/** Whether VS Code runs this window in Restricted Mode (the workspace is not trusted). */
export function isRestricted(): boolean {
  return !vscode.workspace.isTrusted;
}

/**
 * The refusal of anything that runs a program in Restricted Mode, in one sentence that says why, names the
 * workspace settings ignored until then, and offers the Workspace Trust editor.
 */
export function restrictedModeRefusal(ignored: readonly IgnoredSetting[] = []): UserInputError {
  const until = ignored.length
    ? `; until then this workspace's ${describeIgnored(ignored)} ${ignored.length === 1 ? 'is' : 'are'} ignored`
    : '';
  return new UserInputError(
    `Restricted Mode: the NATS cluster commands run helm, kubectl and the programs a kubeconfig names, so they are off until you trust this workspace${until}.`,
    { fix: MANAGE_TRUST },
  );
}

/** Throws restrictedModeRefusal (with the ignored program and cluster settings named) when the window is restricted. */
export async function refuseInRestrictedMode(): Promise<void> {
  if (isRestricted()) throw restrictedModeRefusal(await ignoredClusterSettings());
}

/** The workspace's values of the restricted settings the cluster features would use, ignored in Restricted Mode. */
export function ignoredClusterSettings(): Promise<IgnoredSetting[]> {
  return ignoredWorkspaceSettings(CLUSTER_SETTINGS);
}

const CLUSTER_SETTINGS = [
  'natsK3s.helmPath',
  'natsK3s.kubectlPath',
  'natsK3s.kubeconfig',
  'natsK3s.helm.chart',
  'natsK3s.helm.repository',
];
