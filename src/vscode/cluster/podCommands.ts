import * as vscode from 'vscode';
import { natsBoxShellCommand } from '../../core/kube/natsBoxShell';
import {
  clusterSizeFromValues,
  clusterSizeSentence,
  runSmokeTest,
  smokeTestMarkdown,
  smokeTestSentence,
} from '../../core/kube/smokeTest';
import type { ReadOnlyDocuments } from '../readOnlyDocuments';
import { UserInputError } from '../commandRunner';
import type { ClusterAccess } from './clusterAccess';
import { ClusterSettings } from './clusterIds';
import { setState, StateKeys } from '../walkthrough/stateKeys';
import { requirePrerequisites } from './prerequisites';
import { resolveRelease, type ReleaseArgs } from './releaseArgs';
import type { ReleasesNode } from './releasesTree';

export type ShellOutcome =
  | {
      readonly kind: 'opened';
      readonly terminalName: string;
      readonly shellPath: string;
      readonly shellArgs: readonly string[];
    }
  | { readonly kind: 'kubectl-not-found'; readonly explanation: string };

/**
 * An integrated terminal running `kubectl exec -it <nats-box pod> -c nats-box -- sh -l`, built as shellPath +
 * shellArgs (never a shell string). The pod is found by the chart's labels; a missing kubectl is said plainly.
 */
export async function openNatsBoxShell(
  access: ClusterAccess,
  log: vscode.LogOutputChannel,
  arg: ReleasesNode | ReleaseArgs | undefined,
): Promise<ShellOutcome> {
  // The pod is found by the chart's labels and opened with kubectl: helm is not needed.
  await requirePrerequisites(access, log, 'opening a nats-box shell', { helm: false, cluster: true });
  const { release, namespace } = await resolveRelease(access, arg, 'Open a nats-box shell in which release?', 'labels');
  const cluster = await access.openCluster();
  const { pods } = await cluster.listChartPods(release, namespace, 'nats-box');
  const pod = pods.find((p) => p.ready) ?? pods[0];
  if (!pod)
    throw new UserInputError(
      `Release ${release} in namespace ${namespace} has no nats-box pod: set natsBox.enabled: true in the values and upgrade.`,
    );
  const paths = access.selection().choice?.paths ?? [];
  const cmd = natsBoxShellCommand({
    pod: pod.name,
    namespace,
    ...(paths.length === 1 ? { kubeconfig: paths[0] } : {}),
    context: cluster.context,
    kubectlPath: access.kubectlPath(),
  });
  if (cmd.kind === 'not-found') {
    void vscode.window.showErrorMessage(cmd.explanation, 'Open Settings').then((choice) => {
      if (choice)
        void vscode.commands.executeCommand('workbench.action.openSettings', `natsK3s.${ClusterSettings.kubectlPath}`);
    });
    return { kind: 'kubectl-not-found', explanation: cmd.explanation };
  }
  const terminalName = `nats-box: ${release} (${namespace})`;
  const terminal = vscode.window.createTerminal({
    name: terminalName,
    shellPath: cmd.shellPath,
    shellArgs: [...cmd.shellArgs],
    iconPath: new vscode.ThemeIcon('terminal'),
    // Several kubeconfig files cannot go in one --kubeconfig flag; kubectl merges KUBECONFIG like the extension does.
    ...(paths.length > 1 ? { env: { KUBECONFIG: paths.join(':') } } : {}),
  });
  terminal.show();
  setState(StateKeys.natsBoxOpened);
  return { kind: 'opened', terminalName, shellPath: cmd.shellPath, shellArgs: cmd.shellArgs };
}

/** The smoke test over a port-forward (no kubectl): one sentence in a notification, and the same sentence returned. */
export async function smokeTestRelease(
  access: ClusterAccess,
  log: vscode.LogOutputChannel,
  arg: ReleasesNode | ReleaseArgs | undefined,
  docs?: ReadOnlyDocuments,
): Promise<string> {
  // A port-forward and nats.js: helm only adds the expected cluster size, when it is there.
  await requirePrerequisites(access, log, 'testing a release', { helm: false, cluster: true });
  const { release, namespace } = await resolveRelease(access, arg, 'Test which release?', 'labels');
  const cluster = await access.openCluster();
  // The size the values asked for; without helm (or its answer) the cluster check is left out, not failed.
  const expectedClusterSize = await access
    .helm()
    .releaseValues({ release, namespace })
    .then(clusterSizeFromValues, (err: unknown) => {
      log.warn(
        `smoke test: could not read the values of ${release}: ${err instanceof Error ? err.message : String(err)}`,
      );
      return undefined;
    });
  // Not cancellable: every step has its own timeout (30 s for a ready pod, 10 s for the round trip).
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `NATS: testing release ${release} in ${namespace}` },
    () =>
      runSmokeTest(cluster, {
        release,
        namespace,
        ...(expectedClusterSize !== undefined ? { expectedClusterSize } : {}),
      }),
  );
  setState(StateKeys.smokeTestPassed);
  const sentence = [smokeTestSentence(result), clusterSizeSentence(result)].filter(Boolean).join(' ');
  log.info(sentence);
  const markdown = smokeTestMarkdown(result);
  if (docs) {
    // The report as a read-only Markdown document, rendered by VS Code's own Markdown preview.
    const editor = await docs.show(`/${namespace}/${release}/smoke-test.md`, markdown, 'markdown');
    await vscode.commands.executeCommand('markdown.showPreview', editor.document.uri);
  }
  void vscode.window.showInformationMessage(sentence, 'Copy Report as Text').then((pick) => {
    if (pick) void vscode.env.clipboard.writeText(markdown);
  });
  return sentence;
}
