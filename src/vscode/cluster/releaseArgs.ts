import * as vscode from 'vscode';
import { checkNamespace, checkReleaseName } from '../../core/helm/helmArgs';
import { natsReleases } from '../../core/helm/helmOutput';
import { UserInputError } from '../commandRunner';
import type { ClusterAccess } from './clusterAccess';
import type { ReleasesNode } from './releasesTree';

/** A release named by the caller: a tree node, or plain arguments (palette callers, tests, other extensions). */
export interface ReleaseArgs {
  readonly release?: string;
  readonly namespace?: string;
}

/** The release and namespace carried by a tree node or an argument object; undefined fields are asked for later. */
export function releaseFromArgs(arg: ReleasesNode | ReleaseArgs | undefined): ReleaseArgs {
  if (arg && 'kind' in arg) {
    if (arg.kind === 'release' || arg.kind === 'pod')
      return { release: arg.release.name, namespace: arg.release.namespace };
    if (arg.parent) return { release: arg.parent.name, namespace: arg.parent.namespace };
    return {};
  }
  return {
    ...(arg?.release !== undefined ? { release: arg.release } : {}),
    ...(arg?.namespace !== undefined ? { namespace: arg.namespace } : {}),
  };
}

const validator = (check: (v: string) => string) => (value: string) => {
  try {
    check(value);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
};

/** Asks for a release name (default `nats`), validated as helm would; CancellationError when dismissed. */
export async function askReleaseName(value = 'nats'): Promise<string> {
  const name = await vscode.window.showInputBox({
    title: 'Release name',
    value,
    validateInput: validator(checkReleaseName),
  });
  if (name === undefined) throw new vscode.CancellationError();
  return name;
}

/** Asks for a namespace (default `nats`; it is created when missing). */
export async function askNamespace(value = 'nats'): Promise<string> {
  const ns = await vscode.window.showInputBox({
    title: 'Namespace',
    prompt: 'Created when it does not exist',
    value,
    validateInput: validator(checkNamespace),
  });
  if (ns === undefined) throw new vscode.CancellationError();
  return ns;
}

/**
 * The release to act on: from the arguments when both fields are there (checked as Kubernetes names), else picked
 * from the nats chart's releases: `helm list -A` for the commands that run helm anyway, or (`from: 'labels'`) the
 * releases the chart's pod labels show through the Kubernetes API, for the shell, smoke test and connect, which need
 * the pods and not helm.
 */
export async function resolveRelease(
  access: ClusterAccess,
  arg: ReleasesNode | ReleaseArgs | undefined,
  title: string,
  from: 'helm' | 'labels' = 'helm',
): Promise<{ release: string; namespace: string }> {
  const given = releaseFromArgs(arg);
  if (given.release !== undefined && given.namespace !== undefined) {
    return { release: checkReleaseName(given.release), namespace: checkNamespace(given.namespace) };
  }
  const all =
    from === 'helm'
      ? natsReleases(await access.helm().listReleases()).map((r) => ({
          name: r.name,
          namespace: r.namespace,
          description: `${r.namespace} · ${r.status} · chart ${r.chartVersion}`,
        }))
      : (await (await access.openCluster()).listLabelledReleases()).map((r) => ({
          name: r.name,
          namespace: r.namespace,
          description: `${r.namespace} · ${r.pods} NATS pod${r.pods === 1 ? '' : 's'} · chart ${r.layout}`,
        }));
  const releases = all.filter((r) => (given.namespace ? r.namespace === given.namespace : true));
  if (releases.length === 0)
    throw new UserInputError(
      `There is no release of the nats chart${given.namespace ? ` in namespace ${given.namespace}` : ''} in context ${access.selection().context ?? '(current)'}.`,
    );
  const picked = await vscode.window.showQuickPick(
    releases.map((r) => ({ label: r.name, description: r.description, r })),
    { title, placeHolder: 'Release of the nats chart' },
  );
  if (!picked) throw new vscode.CancellationError();
  return { release: picked.r.name, namespace: picked.r.namespace };
}
