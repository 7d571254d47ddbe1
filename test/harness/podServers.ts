/**
 * Real nats-servers as the `nats` containers of one StatefulSet's Pods, on the K3s-shaped stack with kwok nodes. No
 * machine here runs containers; kwok reports Pod statuses (the kubelet's part) and this plays the container runtime
 * for the StatefulSet:
 *
 *   - each Pod `<statefulSet>-N`, once bound to a node, gets a nats-server of its own, and port-forwards to the Pod's
 *     4222 and 8222 reach it (stack.forwardPodPorts);
 *   - when the Pod is deleted its server is stopped, as the kubelet stops a deleted Pod's containers: streams
 *     forwarded into it drop. (kwok v0.8.0 ends such a stream only once the client writes into it after the server
 *     closed; a kubelet with containerd ends it within a second. A NATS client that pings often notices at once.)
 *     The Pod the StatefulSet makes again gets a new server on the same ports;
 *   - a Pod made not ready from its start (its template annotated with kubeletReportAnnotations('not-ready'), see
 *     podStates.ts) is reported ready once its server listens, as a readiness probe would pass then. Each Pod
 *     instance once: a test may make it not ready again later.
 *
 * Everything else is real: the StatefulSet controller, the scheduler's binding (kwokBinder.ts), the apiserver.
 */
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { CoreV1Api, KubeConfig, V1Pod } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { loadClientNode } from '../../src/core/kube/clientNode';
import type { K8sStack } from './k8sStack';
import { startNatsServer, type NatsServer, type NatsServerOptions } from './natsServer';
import { KUBELET_REPORTS_ANNOTATION, requestKubeletReport } from './podStates';

export interface PodServers {
  /** The server running for Pod `pod` now, if any. */
  server(pod: string): NatsServer | undefined;
  /** What went wrong in the background (a server that did not start, a failed patch), for a test's failure message. */
  readonly problems: readonly string[];
  /** Stops watching and every server; idempotent. */
  stop(): Promise<void>;
}

interface PodEntry {
  /** The Pod instance this entry last acted on. */
  uid?: string;
  server?: NatsServer;
  /** Fixed after the first start, so the Pod's forward holds for the Pods made again. */
  ports?: { readonly client: number; readonly monitor: number };
  /** Events of one Pod are handled in order. */
  chain: Promise<void>;
}

/** Starts watching the StatefulSet's Pods in `namespace` (which must exist); `server` options apply to every server. */
export async function startPodServers(
  stack: K8sStack,
  namespace: string,
  statefulSet: string,
  server: Omit<NatsServerOptions, 'port'> = {},
): Promise<PodServers> {
  const k8s = await loadClientNode();
  const kc: KubeConfig = new k8s.KubeConfig();
  kc.loadFromFile(stack.kubeconfig);
  const core: CoreV1Api = kc.makeApiClient(k8s.CoreV1Api);
  const ours = new RegExp(`^${statefulSet.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`);
  const entries = new Map<string, PodEntry>();
  const problems: string[] = [];
  let stopped = false;
  let abort: AbortController | undefined;

  const entry = (name: string): PodEntry => {
    let e = entries.get(name);
    if (!e) entries.set(name, (e = { chain: Promise.resolve() }));
    return e;
  };

  const stopServer = async (e: PodEntry): Promise<void> => {
    const s = e.server;
    e.server = undefined;
    await s?.stop();
  };

  /** Brings the Pod's container in line with the Pod: `pod` undefined means it is gone. */
  const handle = async (name: string, e: PodEntry, pod: V1Pod | undefined): Promise<void> => {
    const uid = pod?.metadata?.uid;
    if (!pod || pod.metadata?.deletionTimestamp) {
      if (!pod || uid === e.uid) await stopServer(e);
      return;
    }
    if (uid === e.uid || !pod.spec?.nodeName || stopped) return; // already running, or not bound yet
    e.uid = uid;
    await stopServer(e); // a server of an instance whose delete was missed
    const fixed = e.ports;
    const started = await startNatsServer({
      ...server,
      ...(fixed ? { port: fixed.client, extraArgs: [...(server.extraArgs ?? []), '-m', String(fixed.monitor)] } : {}),
    });
    if (stopped || e.uid !== uid) return void (await started.stop());
    e.server = started;
    if (!fixed) {
      e.ports = { client: started.port, monitor: started.monitorPort };
      await stack.forwardPodPorts(namespace, name, { 4222: started.port, 8222: started.monitorPort }, started.log);
    }
    if (pod.metadata?.annotations?.[KUBELET_REPORTS_ANNOTATION] === 'not-ready')
      await requestKubeletReport(stack, namespace, name, 'ready');
  };

  const enqueue = (name: string, pod: V1Pod | undefined): void => {
    const e = entry(name);
    e.chain = e.chain
      .then(() => handle(name, e, pod))
      .catch((err: unknown) => void problems.push(`${namespace}/${name}: ${(err as Error).message}`));
  };

  // A list, then a watch from its resourceVersion; after the apiserver ends a watch, the same again, so a delete
  // missed in between is noticed (the Pod is not in the list).
  const watch = async (): Promise<void> => {
    if (stopped) return;
    try {
      const list = await core.listNamespacedPod({ namespace });
      const present = new Set<string>();
      for (const pod of list.items) {
        const name = pod.metadata?.name ?? '';
        if (!ours.test(name)) continue;
        present.add(name);
        enqueue(name, pod);
      }
      for (const name of entries.keys()) if (!present.has(name)) enqueue(name, undefined);
      const a = await new k8s.Watch(kc).watch(
        `/api/v1/namespaces/${namespace}/pods`,
        { resourceVersion: list.metadata?.resourceVersion },
        (type: string, pod: V1Pod) => {
          const name = pod.metadata?.name ?? '';
          if (!ours.test(name)) return;
          if (type === 'DELETED') enqueue(name, undefined);
          else if (type === 'ADDED' || type === 'MODIFIED') enqueue(name, pod);
        },
        () => void setTimeout(() => void watch(), 100),
      );
      if (stopped) a.abort();
      else abort = a;
    } catch (err) {
      problems.push(`watching the Pods of ${namespace}/${statefulSet}: ${(err as Error).message}`);
      setTimeout(() => void watch(), 500);
    }
  };
  await watch();

  return {
    server: (pod) => entries.get(pod)?.server,
    problems,
    async stop() {
      if (stopped) return;
      stopped = true;
      abort?.abort();
      await Promise.all(
        [...entries.values()].map(async (e) => {
          await e.chain;
          await stopServer(e);
        }),
      );
    },
  };
}
