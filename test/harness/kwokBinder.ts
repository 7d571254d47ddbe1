/**
 * The stack's stand-in for kube-scheduler: it binds every unscheduled Pod to a fake node, round robin, through the
 * Pod's `binding` subresource (what kube-scheduler does, so the apiserver sets spec.nodeName and the PodScheduled
 * condition). kwok only acts on Pods with spec.nodeName, and the stack runs no scheduler.
 *
 * It runs as a process of its own (`node kwokBinder.js <kubeconfig> <nodes JSON>`, started and stopped by PID like
 * the stack's other processes), so a test that blocks its event loop (execFileSync of `helm install --wait`) does
 * not stop Pods from being bound.
 *
 * Deliberately simple: it honours `schedulerName` and `nodeSelector` and nothing else (no resources, taints,
 * affinity, topology spread or volume binding: PVCs may stay Pending while their Pods run). Pods no node fits stay
 * Pending, with the PodScheduled condition kube-scheduler would write (Unschedulable and its message).
 */
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { CoreV1Api, KubeConfig, V1Pod } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { loadClientNode, type ClientNodeModule } from '../../src/core/kube/clientNode';

export interface BinderNode {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface PodBinder {
  /** Ends the watch and waits for bindings in flight. */
  stop(): Promise<void>;
}

export async function startPodBinder(
  k8s: ClientNodeModule,
  kc: KubeConfig,
  nodes: readonly BinderNode[],
  log: (line: string) => void,
): Promise<PodBinder> {
  const core: CoreV1Api = kc.makeApiClient(k8s.CoreV1Api);
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let abort: AbortController | undefined;
  let next = 0;

  const bind = async (pod: V1Pod, attempt = 1): Promise<void> => {
    const { name, namespace, deletionTimestamp } = pod.metadata ?? {};
    if (!name || !namespace || deletionTimestamp || pod.spec?.nodeName) return;
    if ((pod.spec?.schedulerName ?? 'default-scheduler') !== 'default-scheduler') return;
    const wanted = Object.entries(pod.spec?.nodeSelector ?? {});
    const fits = nodes.filter((n) => wanted.every(([k, v]) => n.labels[k] === v));
    const node = fits[next++ % Math.max(fits.length, 1)];
    if (!node) return markUnschedulable(pod, name, namespace);
    try {
      await core.createNamespacedPodBinding({
        name,
        namespace,
        body: {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name, namespace },
          target: { apiVersion: 'v1', kind: 'Node', name: node.name },
        },
      });
      log(`${namespace}/${name} → ${node.name}`);
    } catch (err) {
      // 409: bound meanwhile (a re-listed Pod), 404: deleted. Anything else (a busy apiserver) is tried again, as
      // kube-scheduler would: no later event would bring this Pod back.
      const code = (err as { code?: number }).code;
      log(
        `${namespace}/${name}: binding to ${node.name} failed (${code ?? ''} ${(err as Error).message.split('\n')[0]})`,
      );
      if (code === 409 || code === 404 || attempt >= 10 || stopped) return;
      await new Promise((r) => setTimeout(r, 500));
      await bind(pod, attempt + 1);
    }
  };

  /**
   * What kube-scheduler writes when no node fits: PodScheduled False, reason Unschedulable, and its message for a
   * node selector no node matches. Once per Pod: the patch brings the Pod back through the watch.
   */
  const markUnschedulable = async (pod: V1Pod, name: string, namespace: string): Promise<void> => {
    const n = nodes.length;
    const message = `0/${n} nodes are available: ${n} node(s) didn't match Pod's node affinity/selector. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
    if (
      pod.status?.conditions?.some(
        (c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable' && c.message === message,
      )
    )
      return;
    log(`${namespace}/${name}: no node matches its nodeSelector; it stays Pending (Unschedulable)`);
    const conditions = [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message,
        lastProbeTime: null,
        lastTransitionTime: new Date().toISOString(),
      },
    ];
    await core
      .patchNamespacedPodStatus(
        { name, namespace, body: { status: { conditions } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      )
      .catch((err: unknown) =>
        log(`${namespace}/${name}: marking it Unschedulable failed (${(err as Error).message.split('\n')[0]})`),
      );
  };

  // Unscheduled Pods only (the field selector): a bound Pod leaves the watch. After a watch ends (apiserver
  // timeout, connection lost) a new one lists every unscheduled Pod again, so none is missed.
  const watch = async (): Promise<void> => {
    if (stopped) return;
    try {
      abort = await new k8s.Watch(kc).watch(
        '/api/v1/pods',
        { fieldSelector: 'spec.nodeName=' },
        (type: string, pod: V1Pod) => {
          if (type !== 'ADDED' && type !== 'MODIFIED') return;
          const p = bind(pod).finally(() => inFlight.delete(p));
          inFlight.add(p);
        },
        () => void rewatch(),
      );
    } catch (err) {
      log(`watch failed: ${(err as Error).message}`);
      void rewatch();
    }
  };
  const rewatch = async () => {
    if (stopped) return;
    await new Promise((r) => setTimeout(r, 250)); // not unref'd: in the binder's process it is all there is
    await watch();
  };
  await watch();

  return {
    async stop() {
      stopped = true;
      abort?.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** The process: binds until SIGTERM; logs one line per binding to stdout (the stack's pod-binder.log). */
async function main(): Promise<void> {
  const [kubeconfig, nodesJson] = process.argv.slice(2);
  if (!kubeconfig || !nodesJson) throw new Error('usage: kwokBinder.js <kubeconfig> <nodes as JSON [{name, labels}]>');
  const k8s = await loadClientNode();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const nodes = JSON.parse(nodesJson) as BinderNode[];
  await startPodBinder(k8s, kc, nodes, (line) => console.log(`${new Date().toISOString()} ${line}`));
  console.log(`binding unscheduled Pods to ${nodes.map((n) => n.name).join(', ')}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`pod binder: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
