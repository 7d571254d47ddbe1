import { findExecutable } from '../helm/cliRunner';
import { checkNamespace, HelmArgumentError } from '../helm/helmArgs';

/** The setting that names the kubectl binary. */
export const KUBECTL_PATH_SETTING = 'natsK3s.kubectlPath';

export interface NatsBoxShellRequest {
  /** The nats-box pod, found by label (ClusterClient.listChartPods(…, 'nats-box')). */
  readonly pod: string;
  readonly namespace: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  /** From natsK3s.kubectlPath; empty or undefined means kubectl on PATH. */
  readonly kubectlPath?: string;
  /** PATH to search; defaults to this process's. */
  readonly pathEnv?: string;
}

/** What a terminal needs: the absolute kubectl path as shellPath and the argument array as shellArgs. */
export type NatsBoxShellCommand =
  | { readonly kind: 'ok'; readonly shellPath: string; readonly shellArgs: readonly string[] }
  | { readonly kind: 'not-found'; readonly explanation: string };

const POD_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * `kubectl exec -it <pod> -c nats-box -- sh -l` with the kubeconfig, context and namespace as `--flag=value` arguments.
 * Resolves kubectl first, so a missing binary is a `not-found` result naming natsK3s.kubectlPath instead of a terminal
 * that dies at once. Throws HelmArgumentError for a pod or namespace name Kubernetes would not accept.
 */
export function natsBoxShellCommand(req: NatsBoxShellRequest): NatsBoxShellCommand {
  if (req.pod.length > 253 || !POD_NAME.test(req.pod))
    throw new HelmArgumentError(
      `Pod name ${JSON.stringify(req.pod)} is not a valid Kubernetes name: pick the pod from the release's list.`,
    );
  checkNamespace(req.namespace);
  const configured = req.kubectlPath?.trim();
  const shellPath = findExecutable(configured || 'kubectl', req.pathEnv);
  if (!shellPath) {
    return {
      kind: 'not-found',
      explanation: configured
        ? `kubectl not found at ${configured}: set ${KUBECTL_PATH_SETTING} to the path of an executable kubectl.`
        : `kubectl not found on PATH: install kubectl or set ${KUBECTL_PATH_SETTING} to its path.`,
    };
  }
  const globals: string[] = [];
  if (req.kubeconfig) globals.push(`--kubeconfig=${req.kubeconfig}`);
  if (req.context) globals.push(`--context=${req.context}`);
  return {
    kind: 'ok',
    shellPath,
    shellArgs: [...globals, `--namespace=${req.namespace}`, 'exec', '-it', req.pod, '-c', 'nats-box', '--', 'sh', '-l'],
  };
}
