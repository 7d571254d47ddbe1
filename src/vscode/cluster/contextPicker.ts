import * as vscode from 'vscode';
import { k3sKubeconfigOffer } from '../../core/kube/kubeconfigSource';
import { UserInputError } from '../commandRunner';
import type { ClusterAccess } from './clusterAccess';
import { ClusterCommands, ClusterSettings } from './clusterIds';

/** Arguments that skip the picker: a kubeconfig file (stored in natsK3s.kubeconfig) and/or a context name. */
export interface SelectContextArgs {
  readonly kubeconfig?: string;
  readonly context?: string;
}

/** The status bar item "$(cloud) <context>"; clicking it runs Select Kubernetes Context. */
export class ContextStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('natsK3s.kubeContext', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly access: ClusterAccess) {
    this.item.name = 'NATS: Kubernetes Context';
    this.item.command = ClusterCommands.selectContext;
    this.subscription = access.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  update(): void {
    const sel = this.access.selection();
    if (sel.problem) {
      this.item.text = '$(cloud) no kubeconfig';
      this.item.tooltip = `${sel.problem}\nClick to choose a kubeconfig or context.`;
      return;
    }
    this.item.text = `$(cloud) ${sel.context ?? '(no context)'}`;
    this.item.tooltip = `Kubernetes context for helm and the NATS Releases view\nkubeconfig: ${sel.choice?.paths.join(', ')} (from ${sel.choice?.source})\nClick to change.`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

type Pick = vscode.QuickPickItem & { readonly action: { context: string } | { kubeconfig: string } | { browse: true } };

/**
 * Picks the context from the kubeconfig in use; also offers K3s's own kubeconfig when it is readable and another
 * file from a dialog. With arguments it applies them without asking; resolves with the context now in use.
 */
export async function selectContext(
  access: ClusterAccess,
  args: SelectContextArgs | undefined,
): Promise<string | undefined> {
  if (args?.kubeconfig !== undefined) await setKubeconfig(args.kubeconfig);
  if (args?.context !== undefined) {
    const sel = access.selection();
    if (sel.problem) throw new UserInputError(sel.problem);
    if (!sel.contexts?.contexts.some((c) => c.name === args.context)) {
      throw new UserInputError(
        `The context ${args.context} is not in ${sel.choice?.paths.join(', ')} (contexts: ${sel.contexts?.contexts.map((c) => c.name).join(', ') || 'none'}).`,
      );
    }
    await access.chooseContext(args.context);
  }
  if (args) return access.selection().context;

  const sel = access.selection();
  const items: Pick[] = (sel.contexts?.contexts ?? []).map((c) => ({
    label: `${c.name === sel.context ? '$(check) ' : ''}${c.name}`,
    description: `cluster ${c.cluster}${c.namespace ? ` · namespace ${c.namespace}` : ''}`,
    action: { context: c.name },
  }));
  const k3s = k3sKubeconfigOffer();
  if (k3s && !sel.choice?.paths.includes(k3s))
    items.push({ label: "$(server-environment) Use K3s's kubeconfig", description: k3s, action: { kubeconfig: k3s } });
  items.push({ label: '$(folder-opened) Choose a kubeconfig file…', action: { browse: true } });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Kubernetes context',
    placeHolder: sel.problem ?? `kubeconfig: ${sel.choice?.paths.join(', ')}`,
  });
  if (!picked) return sel.context;
  if ('context' in picked.action) await access.chooseContext(picked.action.context);
  else if ('kubeconfig' in picked.action) await setKubeconfig(picked.action.kubeconfig);
  else {
    const [file] = (await vscode.window.showOpenDialog({ title: 'kubeconfig file', canSelectMany: false })) ?? [];
    if (file) await setKubeconfig(file.fsPath);
  }
  return access.selection().context;
}

/** Stores the kubeconfig path in the user settings ('' goes back to KUBECONFIG and the default file). */
async function setKubeconfig(path: string): Promise<void> {
  await vscode.workspace
    .getConfiguration('natsK3s')
    .update(ClusterSettings.kubeconfig, path || undefined, vscode.ConfigurationTarget.Global);
}
