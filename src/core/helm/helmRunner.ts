import { lastMeaningfulLine, runCli, type CliResult, type OutputStream } from './cliRunner';

/** The setting that names the helm binary. */
export const HELM_PATH_SETTING = 'natsK3s.helmPath';
/** The setting that names the NATS chart repository (a mirror, or the official one). */
export const HELM_REPOSITORY_SETTING = 'natsK3s.helm.repository';

export interface HelmRunOptions {
  /** From `natsK3s.helmPath`; empty or undefined means `helm` on PATH. */
  readonly helmPath?: string;
  readonly signal?: AbortSignal;
  readonly onLine?: (stream: OutputStream, line: string) => void;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/** Runs helm with an argument array from helmArgs.ts; resolves (never rejects) with a CliResult whose sentences name helm's usual failures. */
export function runHelm(args: readonly string[], opts: HelmRunOptions = {}): Promise<CliResult> {
  return runCli({
    binary: opts.helmPath?.trim() || 'helm',
    args,
    env: opts.env,
    cwd: opts.cwd,
    signal: opts.signal,
    onLine: opts.onLine,
    pathSetting: HELM_PATH_SETTING,
    explainExit: (code, stderr) => explainHelmFailure(args, code, stderr),
  });
}

/**
 * One sentence with the next step for the helm failures users meet; anything else quotes helm's last error line.
 * The patterns are helm 3's own messages (pkg/action, pkg/repo, pkg/kube).
 */
export function explainHelmFailure(args: readonly string[], code: number | null, stderr: string): string {
  const text = stderr.toLowerCase();
  const release = releaseOf(args);
  const last = lastMeaningfulLine(stderr);
  const unreachable = `The cluster is unreachable (${last}): check that K3s is running and that the kubeconfig and context are the right ones.`;
  if (/kubernetes cluster unreachable/.test(text)) return unreachable;
  // The chart repository's own failures come before the network words they share with the cluster's: a mirror that
  // refuses connections is not a cluster problem. helm 4 ends a failed `repo update` with "failed to update the
  // following repositories"; a chart or index download that fails quotes its URL (`Get ".../nats-2.14.2.tgz": …`).
  if (
    /is not a valid chart repository or cannot be reached|failed to update the following repositories|unable to get an update from|get "[^"]*(\.tgz|\/index\.yaml)"|failed to fetch|could not download|no cached repo found/.test(
      text,
    )
  ) {
    return `The chart repository cannot be reached (${last}): check the network or proxy, and ${HELM_REPOSITORY_SETTING}, then try again.`;
  }
  if (/connection refused|no such host|i\/o timeout/.test(text)) return unreachable;
  // Changing the JetStream volume's size or class: Kubernetes never lets a StatefulSet's claim templates change.
  if (/statefulset.*spec: forbidden: updates to statefulset spec for fields other than/.test(text)) {
    return `Kubernetes refused the upgrade of ${release ? `release ${release}` : 'the release'}: a StatefulSet's volume claim templates cannot change, so the JetStream storage size or class (config.jetstream.fileStore.pvc) must stay as installed. Keep the old values there; to grow the volumes, expand each PersistentVolumeClaim where the storage class allows it.`;
  }
  // RBAC answers "<resource> is forbidden: User … cannot …"; other "forbidden" texts are validation errors.
  if (/is forbidden: (user|system:serviceaccount)|forbidden: user/.test(text)) {
    return `The cluster refused the request (RBAC): ${last}. Ask for the permission, or choose a namespace you may use.`;
  }
  if (/timed out waiting for the condition|context deadline exceeded/.test(text)) {
    return `The install timed out before all pods were ready (${last}): look at the pods' status for the reason, or raise the wait timeout.`;
  }
  if (/release: not found|release not loaded|not found.*release/.test(text)) {
    return `${release ? `Release ${release}` : 'The release'} was not found in that namespace: pick it from the list of installed releases.`;
  }
  if (/no repositories to show/.test(text)) {
    return 'helm has no chart repositories yet: add the NATS repository first.';
  }
  if (/repo .* not found|failed to download|chart .* not found/.test(text)) {
    return `helm does not know the chart (${last}): add the NATS repository and run helm repo update.`;
  }
  if (/another operation .* is in progress/.test(text)) {
    return `Another helm operation on this release is still running (${last}): wait for it, or roll back the release.`;
  }
  return `helm exited with code ${code ?? 'none (killed)'}${last ? `: ${last}` : '.'}`;
}

/** The release name in an argument array from helmArgs.ts, where there is one. */
function releaseOf(args: readonly string[]): string | undefined {
  if (args[0] === 'upgrade' || (args[0] === 'get' && args[1] === 'values')) return args[2];
  if (args[0] === 'uninstall' || args[0] === 'template' || args[0] === 'rollback' || args[0] === 'history')
    return args[1];
  return undefined;
}
