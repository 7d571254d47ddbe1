/**
 * The one facade the VS Code layer uses for the cluster: it opens a kubeconfig + context with client-node and
 * returns plain data (ChartPod, ReleasePvc, …). Every failure is a KubeAccessError with one sentence.
 */
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import {
  podSelectors,
  releasePvcPurpose,
  releaseSelectors,
  type ChartComponent,
  type ChartLayout,
  type PvcPurpose,
} from './chartLabels';
import { loadClientNode, type ClientNodeModule } from './clientNode';
import { explainKubeError, KubeAccessError } from './kubeErrors';
import { readContexts, KUBECONFIG_SETTING } from './kubeconfigSource';
import { summarizePod, type ChartPod, type PodLike } from './podStatus';

export interface ClusterTarget {
  /** Kubeconfig files (from resolveKubeconfig); the first one that names a context wins. */
  readonly kubeconfigPaths: readonly string[];
  /** A context name; undefined means the kubeconfig's current-context. */
  readonly context?: string;
}

/** A PersistentVolumeClaim a release left behind, for the "delete the data too?" step after an uninstall. */
export interface ReleasePvc {
  readonly name: string;
  readonly namespace: string;
  readonly purpose: PvcPurpose | 'other';
  /** Pending, Bound, Lost. */
  readonly phase: string;
  /** The requested size, e.g. 10Gi. */
  readonly size: string;
  readonly storageClass?: string;
}

/** A release of the nats chart as its pods' labels show it, found without helm. */
export interface LabelledRelease {
  readonly name: string;
  readonly namespace: string;
  readonly layout: ChartLayout;
  /** NATS server pods carrying the release's labels. */
  readonly pods: number;
}

/** Chart pods of one component, with the layout whose labels found them (undefined when none were found). */
export interface ChartPods {
  readonly layout?: ChartLayout;
  readonly pods: readonly ChartPod[];
}

export class ClusterClient {
  private constructor(
    private readonly k8s: ClientNodeModule,
    /** client-node's config; also used by the port-forward. */
    readonly kubeConfig: KubeConfig,
    private readonly core: CoreV1Api,
    /** The context in use. */
    readonly context: string,
  ) {}

  /**
   * Opens the target's kubeconfig without contacting the cluster. Rejects with a KubeAccessError when there is no
   * file, a file cannot be read, or the context does not exist in it.
   */
  static async open(target: ClusterTarget): Promise<ClusterClient> {
    if (target.kubeconfigPaths.length === 0) {
      throw new KubeAccessError(
        'no-kubeconfig',
        `No kubeconfig was found: set KUBECONFIG, create ~/.kube/config, or set ${KUBECONFIG_SETTING} (K3s keeps one at /etc/rancher/k3s/k3s.yaml).`,
      );
    }
    let contexts: ReturnType<typeof readContexts>;
    try {
      contexts = readContexts(target.kubeconfigPaths);
    } catch (err) {
      throw new KubeAccessError('bad-kubeconfig', (err as Error).message, { cause: err });
    }
    const context = target.context ?? contexts.current;
    if (!context || !contexts.contexts.some((c) => c.name === context)) {
      const known = contexts.contexts.map((c) => c.name).join(', ') || 'none';
      throw new KubeAccessError(
        'unknown-context',
        `The context ${context ?? '(none set)'} is not in ${target.kubeconfigPaths.join(', ')} (contexts: ${known}): pick one of those.`,
      );
    }
    const k8s = await loadClientNode();
    const kc = new k8s.KubeConfig();
    try {
      kc.loadFromFile(target.kubeconfigPaths[0]!);
      for (const extra of target.kubeconfigPaths.slice(1)) {
        const more = new k8s.KubeConfig();
        more.loadFromFile(extra);
        mergeFirstWins(kc, more);
      }
      kc.setCurrentContext(context);
    } catch (err) {
      throw new KubeAccessError(
        'bad-kubeconfig',
        `The kubeconfig ${target.kubeconfigPaths.join(', ')} could not be loaded (${(err as Error).message}): fix it or choose another file in ${KUBECONFIG_SETTING}.`,
        { cause: err },
      );
    }
    return new ClusterClient(k8s, kc, kc.makeApiClient(k8s.CoreV1Api), context);
  }

  /** A new client-node PortForward on this config (for portForward.ts). */
  makePortForward(): InstanceType<ClientNodeModule['PortForward']> {
    return new this.k8s.PortForward(this.kubeConfig);
  }

  private async call<T>(action: string, namespace: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw explainKubeError(err, { context: this.context, action, namespace });
    }
  }

  /** Pods of the release's NATS servers or nats-box, found by the chart's labels (1.x/2.x first, then 0.x); empty when none match. */
  async listChartPods(release: string, namespace: string, component: ChartComponent): Promise<ChartPods> {
    for (const { layout, selector } of podSelectors(release, component)) {
      const list = await this.call('list pods', namespace, () =>
        this.core.listNamespacedPod({ namespace, labelSelector: selector }),
      );
      const pods = (list.items as PodLike[]).map((p) => summarizePod(p, layout, component));
      if (pods.length > 0)
        return { layout, pods: pods.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })) };
    }
    return { pods: [] };
  }

  /**
   * Releases of the nats chart found by its server pods' labels in every namespace the user may list, sorted by
   * namespace and name: what the shell, smoke test and connect pick from, since they need the pods and not helm.
   */
  async listLabelledReleases(): Promise<LabelledRelease[]> {
    const found = new Map<string, LabelledRelease>();
    for (const { layout, selector } of releaseSelectors()) {
      const list = await this.call('list pods', undefined, () =>
        this.core.listPodForAllNamespaces({ labelSelector: selector }),
      );
      for (const pod of list.items) {
        const name = pod.metadata?.labels?.['app.kubernetes.io/instance'];
        const namespace = pod.metadata?.namespace;
        if (!name || !namespace) continue;
        const key = `${namespace}/${name}`;
        const seen = found.get(key);
        found.set(key, { name, namespace, layout: seen?.layout ?? layout, pods: (seen?.pods ?? 0) + 1 });
      }
    }
    return [...found.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  /**
   * Asks the API server for its version, the cheapest request every user may make: resolves when the cluster
   * answers within `timeoutMs`, rejects with a KubeAccessError sentence otherwise.
   */
  async ping(timeoutMs = 5000): Promise<void> {
    const version = this.kubeConfig.makeApiClient(this.k8s.VersionApi);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new KubeAccessError(
              'unreachable',
              `The cluster of context ${this.context} did not answer within ${timeoutMs / 1000} s: check that it is running and that the kubeconfig points at it.`,
            ),
          ),
        timeoutMs,
      );
      timer.unref();
    });
    try {
      await Promise.race([this.call('read the version', undefined, () => version.getCode()), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The PVCs in the namespace that belong to the release (by the StatefulSet's claim names, or the instance label). */
  async listReleasePvcs(release: string, namespace: string): Promise<ReleasePvc[]> {
    const list = await this.call('list persistentvolumeclaims', namespace, () =>
      this.core.listNamespacedPersistentVolumeClaim({ namespace }),
    );
    return list.items
      .map((pvc) => {
        const name = pvc.metadata?.name ?? '';
        const purpose =
          releasePvcPurpose(release, name) ??
          (pvc.metadata?.labels?.['app.kubernetes.io/instance'] === release ? 'other' : undefined);
        if (!purpose) return undefined;
        const storageClass = pvc.spec?.storageClassName;
        return {
          name,
          namespace,
          purpose,
          phase: pvc.status?.phase ?? 'Unknown',
          size: String(pvc.spec?.resources?.requests?.storage ?? pvc.status?.capacity?.storage ?? ''),
          ...(storageClass ? { storageClass } : {}),
        } satisfies ReleasePvc;
      })
      .filter((p): p is ReleasePvc => p !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  }

  /** Deletes one PVC by name (its data goes with it when the volume's reclaim policy is Delete). */
  async deletePvc(namespace: string, name: string): Promise<void> {
    await this.call(`delete persistentvolumeclaim ${name}`, namespace, () =>
      this.core.deleteNamespacedPersistentVolumeClaim({ name, namespace }),
    );
  }

  /**
   * Creates the namespace unless it exists; resolves with what happened. A 409 from a concurrent create counts as
   * "exists". Rejects when the namespace is being deleted: the apiserver refuses new objects in it until it is gone.
   */
  async ensureNamespace(name: string): Promise<'created' | 'exists'> {
    try {
      const ns = await this.core.readNamespace({ name });
      if (ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp) {
        throw new KubeAccessError(
          'other',
          `The namespace ${name} is being deleted (Terminating), so nothing can be created in it: wait until it is gone, or choose another namespace.`,
        );
      }
      return 'exists';
    } catch (err) {
      if (err instanceof KubeAccessError) throw err;
      if ((err as { code?: unknown }).code !== 404)
        throw explainKubeError(err, { context: this.context, action: `read namespace ${name}` });
    }
    try {
      await this.core.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
      return 'created';
    } catch (err) {
      if ((err as { code?: unknown }).code === 409) return 'exists';
      throw explainKubeError(err, { context: this.context, action: `create namespace ${name}` });
    }
  }

  /** Names of the namespaces the user may list, sorted. */
  async listNamespaces(): Promise<string[]> {
    const list = await this.call('list namespaces', undefined, () => this.core.listNamespace());
    return list.items
      .map((n) => n.metadata?.name ?? '')
      .filter(Boolean)
      .sort();
  }
}

/** Adds the contexts, clusters and users of `more` that `base` lacks (kubectl's first-file-wins merge). */
function mergeFirstWins(base: KubeConfig, more: KubeConfig): void {
  const has = <T extends { name: string }>(list: T[], name: string) => list.some((x) => x.name === name);
  const merged = {
    clusters: [...base.getClusters(), ...more.getClusters().filter((c) => !has(base.getClusters(), c.name))],
    users: [...base.getUsers(), ...more.getUsers().filter((u) => !has(base.getUsers(), u.name))],
    contexts: [...base.getContexts(), ...more.getContexts().filter((c) => !has(base.getContexts(), c.name))],
    currentContext: base.getCurrentContext() || more.getCurrentContext(),
  };
  base.loadFromOptions(merged);
}
