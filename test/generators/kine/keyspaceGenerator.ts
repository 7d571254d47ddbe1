import type { KineFixtureWriter } from './fixtureWriter';
import { object, pod } from './fixtureScenario';
import { seededRandom } from '../random/seededRandom';

/** One kind of key in a K3s keyspace and its share of the keys. */
interface Profile {
  readonly resource: string;
  readonly kind: string;
  readonly apiVersion: string;
  readonly weight: number;
  readonly namespaced: boolean;
  readonly json?: boolean;
  readonly lease?: number;
  /** Updates per key on average (leases heartbeat, pods change status). */
  readonly updates?: number;
  /** Share of keys deleted again (tombstone + DEL), as pods and events churn. */
  readonly deleteShare?: number;
}

const PROFILES: readonly Profile[] = [
  { resource: 'pods', kind: 'Pod', apiVersion: 'v1', weight: 22, namespaced: true, updates: 1, deleteShare: 0.15 },
  { resource: 'events', kind: 'Event', apiVersion: 'v1', weight: 18, namespaced: true, lease: 3660, deleteShare: 0.2 },
  { resource: 'configmaps', kind: 'ConfigMap', apiVersion: 'v1', weight: 8, namespaced: true },
  { resource: 'secrets', kind: 'Secret', apiVersion: 'v1', weight: 8, namespaced: true },
  {
    resource: 'replicasets',
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    weight: 8,
    namespaced: true,
    deleteShare: 0.05,
  },
  { resource: 'serviceaccounts', kind: 'ServiceAccount', apiVersion: 'v1', weight: 5, namespaced: true },
  { resource: 'services/specs', kind: 'Service', apiVersion: 'v1', weight: 4, namespaced: true },
  { resource: 'services/endpoints', kind: 'Endpoints', apiVersion: 'v1', weight: 4, namespaced: true, updates: 0.5 },
  {
    resource: 'endpointslices',
    kind: 'EndpointSlice',
    apiVersion: 'discovery.k8s.io/v1',
    weight: 4,
    namespaced: true,
    updates: 0.5,
  },
  { resource: 'deployments', kind: 'Deployment', apiVersion: 'apps/v1', weight: 4, namespaced: true, updates: 0.3 },
  {
    resource: 'rolebindings',
    kind: 'RoleBinding',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    weight: 3,
    namespaced: true,
  },
  { resource: 'roles', kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', weight: 2, namespaced: true },
  { resource: 'leases', kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', weight: 2, namespaced: true, updates: 4 },
  { resource: 'controllerrevisions', kind: 'ControllerRevision', apiVersion: 'apps/v1', weight: 2, namespaced: true },
  {
    resource: 'helm.cattle.io/helmcharts',
    kind: 'HelmChart',
    apiVersion: 'helm.cattle.io/v1',
    weight: 0.5,
    namespaced: true,
    json: true,
  },
  {
    resource: 'k3s.cattle.io/addons',
    kind: 'Addon',
    apiVersion: 'k3s.cattle.io/v1',
    weight: 0.5,
    namespaced: true,
    json: true,
  },
  {
    resource: 'clusterroles',
    kind: 'ClusterRole',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    weight: 1,
    namespaced: false,
  },
  {
    resource: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    weight: 1,
    namespaced: false,
  },
  { resource: 'minions', kind: 'Node', apiVersion: 'v1', weight: 0.3, namespaced: false, updates: 2 },
  {
    resource: 'apiextensions.k8s.io/customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    weight: 0.3,
    namespaced: false,
    json: true,
  },
  {
    resource: 'apiregistration.k8s.io/apiservices',
    kind: 'APIService',
    apiVersion: 'apiregistration.k8s.io/v1',
    weight: 0.2,
    namespaced: false,
    json: true,
  },
  {
    resource: 'priorityclasses',
    kind: 'PriorityClass',
    apiVersion: 'scheduling.k8s.io/v1',
    weight: 0.1,
    namespaced: false,
  },
];

export interface KeyspaceOptions {
  /** Distinct keys to write, live and deleted (up to 300,000 and beyond). */
  readonly keys: number;
  readonly seed?: number;
  /** Multiplies every profile's updates and deletes (0 = no churn; default 1). */
  readonly churn?: number;
  /** Publishes in flight at once (default 2,000). */
  readonly window?: number;
  /** Bytes of filler per object, to reach realistic value sizes (default 300). */
  readonly valuePadding?: number;
}

export interface KeyspaceSummary {
  readonly keys: number;
  readonly live: number;
  readonly deleted: number;
  readonly messages: number;
  readonly namespaces: readonly string[];
  /** Per resource type: live and deleted keys, and live keys per namespace (namespaced types only). */
  readonly resources: Readonly<Record<string, { live: number; deleted: number; perNamespace: Record<string, number> }>>;
  readonly millis: number;
}

/**
 * Fills the writer's bucket with a realistic K3s keyspace: the health key first, then `keys` distinct keys spread
 * over ~20 resource types and many namespaces, then churn (updates, tombstone + DEL deletes). Publishes are
 * pipelined in windows; per-key order is kept by running creates, update rounds and deletes as phases.
 */
export async function generateKeyspace(w: KineFixtureWriter, options: KeyspaceOptions): Promise<KeyspaceSummary> {
  const started = Date.now();
  const rand = seededRandom(options.seed ?? 1);
  const churn = options.churn ?? 1;
  const window = options.window ?? 2000;
  const padding = options.valuePadding ?? 300;
  await w.startup();
  let messages = w.era === 'v0.14.10+' ? 2 : 1;
  const namespaceCount = Math.max(3, Math.min(400, Math.round(options.keys / 1500)));
  const namespaces = [
    'default',
    'kube-system',
    'kube-node-lease',
    ...Array.from({ length: namespaceCount }, (_, i) => `team-${String(i).padStart(3, '0')}`),
  ];
  const totalWeight = PROFILES.reduce((n, p) => n + p.weight, 0);

  interface Planned {
    key: string;
    profile: Profile;
    name: string;
    namespace?: string;
  }
  const plan: Planned[] = [];
  const seen = new Set<string>();
  for (let i = 0; plan.length < options.keys; i++) {
    let pick = rand() * totalWeight;
    const profile = PROFILES.find((p) => (pick -= p.weight) < 0) ?? PROFILES[0];
    const namespace = profile.namespaced
      ? profile.resource === 'leases' && rand() < 0.5
        ? 'kube-node-lease'
        : namespaces[Math.floor(rand() ** 1.5 * namespaces.length)]
      : undefined;
    const base = profile.kind.toLowerCase();
    const name =
      profile.resource === 'events'
        ? `${base}-${i.toString(36)}.${Math.floor(rand() * 2 ** 48).toString(16)}`
        : `${base}-${i.toString(36)}-${Math.floor(rand() * 1e6).toString(36)}`;
    const key = `/registry/${profile.resource}/${namespace ? `${namespace}/` : ''}${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    plan.push({ key, profile, name, namespace });
  }
  const valueFor = (p: Planned, version: number): Uint8Array => {
    if (p.profile.json)
      return new TextEncoder().encode(
        JSON.stringify({
          apiVersion: p.profile.apiVersion,
          kind: p.profile.kind,
          metadata: { name: p.name, namespace: p.namespace, generation: version },
          spec: { filler: 'x'.repeat(padding) },
        }),
      );
    if (p.profile.resource === 'pods')
      return pod(p.name, p.namespace!, { app: p.name.slice(0, 12), version: String(version) }, '#'.repeat(padding));
    return object(p.profile.apiVersion, p.profile.kind, p.name, p.namespace, padding + version);
  };

  await pipelined(plan, window, (p) => w.create(p.key, valueFor(p, 0), { lease: p.profile.lease }));
  messages += plan.length;
  // Update rounds: round r updates every key whose expected update count exceeds r.
  const updatesOf = new Map(plan.map((p) => [p, Math.floor((p.profile.updates ?? 0) * churn + rand())] as const));
  let maxRounds = 0;
  for (const n of updatesOf.values()) maxRounds = Math.max(maxRounds, n);
  for (let round = 0; round < maxRounds; round++) {
    const batch = plan.filter((p) => (updatesOf.get(p) ?? 0) > round);
    await pipelined(batch, window, (p) => w.update(p.key, valueFor(p, round + 1)));
    messages += batch.length;
  }
  const doomed = plan.filter((p) => rand() < (p.profile.deleteShare ?? 0) * churn);
  await pipelined(doomed, window, (p) => w.delete(p.key));
  messages += doomed.length * 2;

  const resources: Record<string, { live: number; deleted: number; perNamespace: Record<string, number> }> = {};
  const gone = new Set(doomed);
  for (const p of plan) {
    const r = (resources[p.profile.resource] ??= { live: 0, deleted: 0, perNamespace: {} });
    if (gone.has(p)) r.deleted++;
    else {
      r.live++;
      if (p.namespace) r.perNamespace[p.namespace] = (r.perNamespace[p.namespace] ?? 0) + 1;
    }
  }
  return {
    keys: plan.length,
    live: plan.length - doomed.length,
    deleted: doomed.length,
    messages,
    namespaces,
    resources,
    millis: Date.now() - started,
  };
}

/** Runs `fn` over `items` with at most `window` promises in flight; rejects on the first failure. */
async function pipelined<T>(items: readonly T[], window: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(window, items.length) }, worker));
}
