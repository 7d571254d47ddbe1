import * as vscode from 'vscode';
import {
  checkClusterPrerequisites,
  prerequisitesMessage,
  type MissingPrerequisite,
  type PrerequisiteNeeds,
} from '../../core/kube/clusterPrerequisites';
import { UserInputError, type Fix } from '../commandRunner';
import { Commands } from '../ids';
import { setState, StateKeys } from '../walkthrough/stateKeys';
import type { ClusterAccess } from './clusterAccess';
import { ClusterCommands, ClusterSettings } from './clusterIds';

/** What each missing piece's button does: open its setting, pick a kubeconfig, or show the log with the details. */
const FIXES: Record<MissingPrerequisite['what'], Fix> = {
  helm: {
    title: 'Open Settings',
    command: 'workbench.action.openSettings',
    args: [`natsK3s.${ClusterSettings.helmPath}`],
  },
  kubeconfig: { title: 'Choose Kubeconfig', command: ClusterCommands.selectContext },
  cluster: { title: 'Select Context', command: ClusterCommands.selectContext },
};
const SHOW_LOG: Fix = { title: 'Show Log', command: Commands.showLog };

/**
 * Checks what `action` needs (helm when `needs.helm`, the kubeconfig and a cluster that answers) before the command
 * asks anything, and throws one UserInputError naming every missing piece, with a button for each. Runs under a
 * window progress: a cluster that does not answer takes up to 5 s to say so.
 */
export async function requirePrerequisites(
  access: ClusterAccess,
  log: vscode.LogOutputChannel,
  action: string,
  needs: PrerequisiteNeeds,
): Promise<void> {
  // The check runs helm and reads the kubeconfig: never with a workspace's choice the user has not allowed.
  access.mayRun(needs.helm ? ['helmPath', 'kubeconfig'] : ['kubeconfig']);
  const sel = access.selection();
  const missing = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'NATS: checking helm and the cluster' },
    () =>
      checkClusterPrerequisites(needs, {
        helmPath: access.setting(ClusterSettings.helmPath, ''),
        kubeconfig: access.setting(ClusterSettings.kubeconfig, ''),
        ...(sel.context ? { context: sel.context } : {}),
      }),
  );
  if (needs.cluster && !missing.some((m) => m.what === 'kubeconfig' || m.what === 'cluster'))
    setState(StateKeys.clusterReached);
  if (missing.length === 0) return;
  for (const m of missing) log.warn(`${action}: ${m.what}: ${m.sentence}`);
  const fixes = [...new Map(missing.map((m) => [FIXES[m.what].title, FIXES[m.what]])).values(), SHOW_LOG];
  throw new UserInputError(prerequisitesMessage(action, missing), { fixes });
}
