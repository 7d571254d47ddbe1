import type { KineFixtureWriter } from './fixtureWriter';
import { encodeKubernetesProtobuf } from './protobufWriter';

const te = new TextEncoder();

/** The bytes of the reference's synthetic Pod (kine-format.md §10.1). */
export const VECTOR_POD = new Uint8Array(
  Buffer.from(
    'azhzAAoJCgJ2MRIDUG9kEkAKPgoFbmdpbngaB2RlZmF1bHQqJDBmNmMzZjhlLTExMTEtMjIyMi0zMzMzLTQ0NDQ1NTU1NjY2NkIGCIDiz6oGGgAiAA==',
    'base64',
  ),
);

export interface ScenarioResult {
  /** Keys that end live, with the value they hold. */
  readonly live: ReadonlyMap<string, Uint8Array>;
  /** Keys that end deleted. */
  readonly deleted: readonly string[];
  /** The compaction revision stored, when the era stores one. */
  readonly compactRevision?: number;
}

/**
 * Writes the reference scenario (kine-format.md §11): health, a Pod created, updated and deleted, a leased Event,
 * a lapsed master lease (lazily expired where the era did that), ConfigMap, Secret (encrypted at rest), node,
 * Service, a CRD and a custom resource as JSON, K3s bootstrap data and the compaction key.
 */
export async function writeReferenceScenario(w: KineFixtureWriter): Promise<ScenarioResult> {
  const live = new Map<string, Uint8Array>();
  const deleted: string[] = [];
  const put = async (key: string, value: Uint8Array, lease?: number) => {
    await w.create(key, value, { lease });
    live.set(key, value);
  };
  await w.startup();
  live.set('/registry/health', te.encode('{"health":"true"}'));
  await put('/registry/pods/default/nginx', VECTOR_POD);
  const pod2 = pod('nginx', 'default', { app: 'nginx', rev: '2' });
  await w.update('/registry/pods/default/nginx', pod2);
  live.set('/registry/pods/default/nginx', pod2);
  await put(
    '/registry/pods/kube-system/coredns-6799fbcd5-abcde',
    pod('coredns-6799fbcd5-abcde', 'kube-system', { 'k8s-app': 'kube-dns' }),
  );
  await put('/registry/pods/default/doomed', pod('doomed', 'default', {}));
  await w.delete('/registry/pods/default/doomed');
  live.delete('/registry/pods/default/doomed');
  deleted.push('/registry/pods/default/doomed');
  await put('/registry/events/default/nginx.17a2b3c4d5e6f708', te.encode('k8s\0'), 3660);
  await put('/registry/masterleases/10.0.0.1', object('v1', 'Endpoints', '10.0.0.1'), 15);
  if (w.era !== 'v0.9-v0.10' && w.era !== 'v0.14.10+') {
    await w.expireLazily('/registry/masterleases/10.0.0.1');
    live.delete('/registry/masterleases/10.0.0.1');
    deleted.push('/registry/masterleases/10.0.0.1');
  }
  await put('/registry/configmaps/kube-system/coredns', object('v1', 'ConfigMap', 'coredns', 'kube-system'));
  await put(
    '/registry/secrets/kube-system/k3s-serving',
    te.encode('k8s:enc:aescbc:v1:aescbckey:\x8f\x01\x02secretbytes'),
  );
  await put('/registry/minions/server-0', object('v1', 'Node', 'server-0'));
  await put('/registry/services/specs/default/kubernetes', object('v1', 'Service', 'kubernetes', 'default'));
  await put(
    '/registry/apiextensions.k8s.io/customresourcedefinitions/helmcharts.helm.cattle.io',
    te.encode(
      JSON.stringify({
        kind: 'CustomResourceDefinition',
        apiVersion: 'apiextensions.k8s.io/v1beta1',
        metadata: { name: 'helmcharts.helm.cattle.io' },
        spec: { group: 'helm.cattle.io' },
      }),
    ),
  );
  await put(
    '/registry/helm.cattle.io/helmcharts/kube-system/traefik',
    te.encode(
      JSON.stringify({
        apiVersion: 'helm.cattle.io/v1',
        kind: 'HelmChart',
        metadata: { name: 'traefik', namespace: 'kube-system' },
        spec: { chart: 'traefik' },
      }),
    ),
  );
  await put(
    '/bootstrap/2f9c3a1b0d4e',
    te.encode(`3q2+7w==:${Buffer.from('nonce+ciphertext of the cluster CA').toString('base64')}`),
  );
  const compacted = await w.compact(5);
  if (compacted) live.set('compact_rev_key_apiserver', te.encode(w.era === 'v0.13.16-v0.14.3' ? '2' : '2|5'));
  return { live, deleted, compactRevision: compacted ? (w.era === 'v0.13.16-v0.14.3' ? 0 : 5) : undefined };
}

export function pod(name: string, namespace: string, labels: Record<string, string>, extra = ''): Uint8Array {
  return encodeKubernetesProtobuf({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: uidOf(name + namespace), creationTimestamp: 1_700_000_000, labels },
    // PodSpec field 2 is containers (Container: 1 name, 2 image), field 3 restartPolicy.
    spec: [
      {
        field: 2,
        message: [
          { field: 1, text: name },
          { field: 2, text: 'docker.io/library/nginx:1.27' },
        ],
      },
      { field: 3, text: `Always${extra}` },
    ],
    status: [{ field: 1, text: 'Running' }],
  });
}

export function object(apiVersion: string, kind: string, name: string, namespace?: string, padding = 0): Uint8Array {
  return encodeKubernetesProtobuf({
    apiVersion,
    kind,
    metadata: { name, namespace, uid: uidOf(kind + name + (namespace ?? '')), creationTimestamp: 1_700_000_000 },
    spec: padding > 0 ? [{ field: 1, text: 'x'.repeat(padding) }] : undefined,
  });
}

function uidOf(seed: string): string {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  const x = h.toString(16).padStart(8, '0');
  return `${x}-${x.slice(0, 4)}-4${x.slice(1, 4)}-8${x.slice(4, 7)}-${x}${x.slice(0, 4)}`;
}
