/**
 * What a cluster command needs before it asks the user anything: helm (only the commands that run it), a kubeconfig
 * with a context, and a cluster that answers. Every piece is checked, so that one message names all that is missing
 * instead of one error per attempt. (kubectl, which only the nats-box shell runs, is checked by the shell.)
 */
import { HELM_PATH_SETTING, runHelm } from '../helm/helmRunner';
import { ClusterClient } from './clusterClient';
import { readContexts, resolveKubeconfig, KUBECONFIG_SETTING } from './kubeconfigSource';

export type Prerequisite = 'helm' | 'kubeconfig' | 'cluster';

/** One missing piece: which, and one sentence with the next step. */
export interface MissingPrerequisite {
  readonly what: Prerequisite;
  readonly sentence: string;
}

export interface PrerequisiteNeeds {
  readonly helm: boolean;
  /** helm template needs no cluster: a preview asks for helm alone. */
  readonly cluster: boolean;
}

export interface PrerequisiteSettings {
  /** natsK3s.helmPath; empty means helm on PATH. */
  readonly helmPath?: string;
  /** natsK3s.kubeconfig; empty means KUBECONFIG, ~/.kube/config, then K3s's file. */
  readonly kubeconfig?: string;
  /** The chosen context; undefined means the kubeconfig's current-context. */
  readonly context?: string;
  /** How long the cluster may take to answer (default 5 s). */
  readonly clusterTimeoutMs?: number;
}

/** Bounds `helm version`: a wrapper script that hangs must not hold the command forever. */
const PROGRAM_TIMEOUT_MS = 10_000;

/**
 * Checks every piece `needs` names and resolves with the missing ones, in the order helm, kubeconfig, cluster (empty
 * when all is there). helm is checked by running `helm version`; the cluster only when
 * there is a kubeconfig to reach it with. Never rejects.
 */
export async function checkClusterPrerequisites(
  needs: PrerequisiteNeeds,
  settings: PrerequisiteSettings,
): Promise<MissingPrerequisite[]> {
  const [helm, cluster] = await Promise.all([
    needs.helm ? checkHelm(settings.helmPath) : undefined,
    needs.cluster ? checkCluster(settings) : undefined,
  ]);
  return [helm, ...(cluster ?? [])].filter((m): m is MissingPrerequisite => m !== undefined);
}

async function checkHelm(helmPath: string | undefined): Promise<MissingPrerequisite | undefined> {
  const result = await runHelm(['version', '--short'], {
    ...(helmPath ? { helmPath } : {}),
    signal: AbortSignal.timeout(PROGRAM_TIMEOUT_MS),
  });
  if (result.kind === 'ok') return undefined;
  const sentence =
    result.kind === 'cancelled'
      ? `helm did not answer "helm version" within ${PROGRAM_TIMEOUT_MS / 1000} s: check ${HELM_PATH_SETTING}.`
      : result.explanation;
  return { what: 'helm', sentence };
}

/** The kubeconfig and, when there is one, whether its context's cluster answers; at most one of the two is missing. */
async function checkCluster(settings: PrerequisiteSettings): Promise<MissingPrerequisite[]> {
  const choice = resolveKubeconfig({ setting: settings.kubeconfig ?? '' });
  if (!choice)
    return [
      {
        what: 'kubeconfig',
        sentence: `No kubeconfig was found: set KUBECONFIG, create ~/.kube/config, or choose a file in ${KUBECONFIG_SETTING} (K3s keeps one at /etc/rancher/k3s/k3s.yaml).`,
      },
    ];
  try {
    // Reads the files first, so a broken kubeconfig is named as such and not as an unreachable cluster.
    readContexts(choice.paths);
    const cluster = await ClusterClient.open({
      kubeconfigPaths: choice.paths,
      ...(settings.context ? { context: settings.context } : {}),
    });
    try {
      await cluster.ping(settings.clusterTimeoutMs);
    } catch (err) {
      return [{ what: 'cluster', sentence: (err as Error).message }];
    }
  } catch (err) {
    return [{ what: 'kubeconfig', sentence: (err as Error).message }];
  }
  return [];
}

/** One message for all the missing pieces: the first sentence names them, the rest are their sentences. */
export function prerequisitesMessage(action: string, missing: readonly MissingPrerequisite[]): string {
  const names = missing.map((m) => NAMES[m.what]);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
  return `Before ${action}, ${list} ${missing.length > 1 ? 'are' : 'is'} needed. ${missing.map((m) => m.sentence).join(' ')}`;
}

const NAMES: Record<Prerequisite, string> = {
  helm: 'helm',
  kubeconfig: 'a kubeconfig',
  cluster: 'a cluster that answers',
};
