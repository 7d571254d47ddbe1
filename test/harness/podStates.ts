/**
 * Pod states a kubelet would report, on the K3s-shaped stack with kwok nodes (k8sStack.ts, `nodes`). No machine here
 * runs containers, so kwok plays the kubelet; a test asks it for a state by annotating the Pod (or a Pod template)
 * with `nats-k3s.test/kubelet-reports`, and the Stages in test/fixtures/kwok/stages.yaml write the status a kubelet
 * would: `not-ready` (the first container runs, its readiness probe fails) or `crash-loop` (the first container waits
 * in CrashLoopBackOff, with the kubelet's back-off message and a restart count). Without the annotation a Pod is
 * Running and Ready. Everything else about the Pod is real: the apiserver stores it, controllers act on its status.
 */
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { KubeConfig, V1Pod } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { loadClientNode } from '../../src/core/kube/clientNode';
import type { K8sStack } from './k8sStack';

/** The annotation kwok's Stages read; its value is a KubeletReport other than `ready`. */
export const KUBELET_REPORTS_ANNOTATION = 'nats-k3s.test/kubelet-reports';
/** With `crash-loop`: the container's restartCount (default 1); the back-off in the message follows from it. */
export const RESTART_COUNT_ANNOTATION = 'nats-k3s.test/restart-count';

/** What the "kubelet" reports for a Pod: Running and Ready, Running with a failing readiness probe, or crash-looping. */
export type KubeletReport = 'ready' | 'not-ready' | 'crash-loop';

export interface KubeletReportOptions {
  /** For `crash-loop`: the restart count to report (default 1). */
  readonly restartCount?: number;
}

/** The stack's kubeconfig is all these helpers need, so any object with one (a K8sStack) will do. */
export type StackAccess = Pick<K8sStack, 'kubeconfig'>;

/** The annotations that make kwok report `report` from a Pod's start: for a Pod's or a Pod template's metadata. */
export function kubeletReportAnnotations(
  report: Exclude<KubeletReport, 'ready'>,
  opts: KubeletReportOptions = {},
): Record<string, string> {
  return {
    [KUBELET_REPORTS_ANNOTATION]: report,
    ...(report === 'crash-loop' && opts.restartCount !== undefined
      ? { [RESTART_COUNT_ANNOTATION]: String(opts.restartCount) }
      : {}),
  };
}

/** What the Pod's status says now, in KubeletReport terms; `other` for Pending, terminating or finished Pods. */
export function kubeletReportOf(pod: V1Pod): KubeletReport | 'other' {
  if (pod.metadata?.deletionTimestamp) return 'other';
  const statuses = pod.status?.containerStatuses ?? [];
  if (statuses.some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff')) return 'crash-loop';
  if (pod.status?.phase !== 'Running') return 'other';
  if (pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return 'ready';
  return statuses.some((c) => !c.ready && c.state?.running) ? 'not-ready' : 'other';
}

const configs = new Map<string, KubeConfig>();

async function kubeConfig(stack: StackAccess): Promise<KubeConfig> {
  const k8s = await loadClientNode();
  let kc = configs.get(stack.kubeconfig);
  if (!kc) {
    kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    configs.set(stack.kubeconfig, kc);
  }
  return kc;
}

function describePod(pod: V1Pod | undefined): string {
  if (!pod) return 'no such Pod';
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'unknown';
  const waiting = pod.status?.containerStatuses?.map((c) => c.state?.waiting?.reason).find(Boolean);
  return `${pod.status?.phase ?? 'no phase'}, Ready ${ready}${waiting ? `, waiting ${waiting}` : ''}${pod.metadata?.deletionTimestamp ? ', terminating' : ''}, uid ${pod.metadata?.uid}`;
}

/**
 * Resolves with the Pod once `check` holds for it, watched through the apiserver (the current state first, then
 * every change). Rejects after `timeoutMs` (default 30 s), naming `what` and what the Pod showed last.
 */
export async function waitForPod(
  stack: StackAccess,
  namespace: string,
  name: string,
  what: string,
  check: (pod: V1Pod) => boolean,
  timeoutMs = 30_000,
): Promise<V1Pod> {
  const k8s = await loadClientNode();
  const watch = new k8s.Watch(await kubeConfig(stack));
  let last: V1Pod | undefined;
  let abort: AbortController | undefined;
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  return new Promise<V1Pod>((resolve, reject) => {
    const finish = (err: Error | undefined, pod?: V1Pod) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      abort?.abort();
      if (err) reject(err);
      else resolve(pod!);
    };
    timer = setTimeout(
      () =>
        finish(
          new Error(
            `Pod ${namespace}/${name} did not show ${what} within ${timeoutMs / 1000} s (last seen: ${describePod(last)})`,
          ),
        ),
      timeoutMs,
    );
    // Without a resourceVersion the watch starts with the Pod as it is; a watch the apiserver ends is opened again.
    const start = (): void => {
      if (settled) return;
      watch
        .watch(
          `/api/v1/namespaces/${namespace}/pods`,
          { fieldSelector: `metadata.name=${name}` },
          (type: string, pod: V1Pod) => {
            if (type === 'DELETED') last = undefined;
            else if (type === 'ADDED' || type === 'MODIFIED') {
              last = pod;
              if (check(pod)) finish(undefined, pod);
            }
          },
          () => void setTimeout(start, 100),
        )
        .then(
          (a) => (settled ? a.abort() : (abort = a)),
          (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
        );
    };
    start();
  });
}

/** Annotates Pod `pod` so that kwok reports `report` for it (`ready`: the annotation removed); does not wait. */
export async function requestKubeletReport(
  stack: StackAccess,
  namespace: string,
  pod: string,
  report: KubeletReport,
  opts: KubeletReportOptions = {},
): Promise<void> {
  const k8s = await loadClientNode();
  const core = (await kubeConfig(stack)).makeApiClient(k8s.CoreV1Api);
  // A JSON merge patch: null removes an annotation.
  const annotations = {
    [KUBELET_REPORTS_ANNOTATION]: report === 'ready' ? null : report,
    [RESTART_COUNT_ANNOTATION]:
      report === 'crash-loop' && opts.restartCount !== undefined ? String(opts.restartCount) : null,
  };
  await core.patchNamespacedPod(
    { name: pod, namespace, body: { metadata: { annotations } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
}

/**
 * Makes kwok report `report` for Pod `pod` (requestKubeletReport) and resolves with the Pod once its status shows
 * it. Rejects after `timeoutMs` (default 30 s). A Pod already in `crash-loop` keeps its restart count until it has
 * been `ready` or `not-ready` in between.
 */
export async function setKubeletReport(
  stack: StackAccess,
  namespace: string,
  pod: string,
  report: KubeletReport,
  opts: KubeletReportOptions & { timeoutMs?: number } = {},
): Promise<V1Pod> {
  await requestKubeletReport(stack, namespace, pod, report, opts);
  const restarts = report === 'crash-loop' ? opts.restartCount : undefined;
  const wanted = (p: V1Pod) =>
    kubeletReportOf(p) === report &&
    (restarts === undefined || p.status?.containerStatuses?.some((c) => c.restartCount === restarts) === true);
  return waitForPod(stack, namespace, pod, `the kubelet reporting ${report}`, wanted, opts.timeoutMs);
}
