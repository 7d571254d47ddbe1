// The rule that turns a stored object into one `kubectl apply` can create again on a fresh or recovered API server:
// what the server owns is dropped (it fills it in again), and what the cluster makes by itself is left out by
// default, because applying it would fight the controller that makes it (or create an orphan the garbage collector
// removes at once, its owner's uid being gone).

/** Why an object is left out of an export. */
export type LeftOutReason =
  /** A Secret, without `reveal`. */
  | 'secret'
  /** Made by a controller and carrying its ownerReference (Pods of a ReplicaSet, ReplicaSets of a Deployment…). */
  | 'owned'
  /** Made by the cluster itself (Events, Leases, EndpointSlices, bootstrap RBAC, kube-root-ca.crt…). */
  | 'generated'
  /**
   * kube-apiserver's own records, which no API serves for apply: the service IP and port allocations
   * (RangeAllocation) and its nameless lease Endpoints. Never exported, not even with `includeGenerated`.
   */
  | 'internal';

export type ApiObject = Record<string, unknown>;

/** Metadata the API server owns: it sets these on create, and an apply that carries them is refused or misleads. */
const SERVER_METADATA = [
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

/** Kinds only the cluster writes (by group/kind; '' is the core group). */
const GENERATED_KINDS = new Set([
  '/Event',
  'events.k8s.io/Event',
  'coordination.k8s.io/Lease',
  'coordination.k8s.io/LeaseCandidate',
  'discovery.k8s.io/EndpointSlice',
  '/Endpoints',
  '/Node',
  'networking.k8s.io/IPAddress',
  'apps/ControllerRevision',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'internal.apiserver.k8s.io/StorageVersion',
  'resource.k8s.io/ResourceSlice',
]);

/** Namespaces every cluster makes for itself. */
const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** The group of an apiVersion (`apps/v1` → `apps`, `v1` → ''). */
export function groupOf(apiVersion: unknown): string {
  const v = typeof apiVersion === 'string' ? apiVersion : '';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

function metadataOf(o: ApiObject): Record<string, unknown> {
  const m = o.metadata;
  return typeof m === 'object' && m !== null ? (m as Record<string, unknown>) : {};
}

function stringMap(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}

/** Why `o` stays out of an export by default, or undefined when it goes in. */
export function leftOutReason(
  o: ApiObject,
  options: { reveal: boolean; includeGenerated: boolean },
): LeftOutReason | undefined {
  const group = groupOf(o.apiVersion);
  const kind = typeof o.kind === 'string' ? o.kind : '';
  const name = metadataOf(o).name;
  if ((group === '' && kind === 'RangeAllocation') || typeof name !== 'string' || name === '') return 'internal';
  if (group === '' && kind === 'Secret' && !options.reveal) return 'secret';
  if (options.includeGenerated) return undefined;
  if (isGenerated(o, group, kind)) return 'generated';
  const owners = metadataOf(o).ownerReferences;
  if (Array.isArray(owners) && owners.some((r) => stringMap(r).controller === true)) return 'owned';
  return undefined;
}

function isGenerated(o: ApiObject, group: string, kind: string): boolean {
  if (GENERATED_KINDS.has(`${group}/${kind}`)) return true;
  const m = metadataOf(o);
  const name = typeof m.name === 'string' ? m.name : '';
  const annotations = stringMap(m.annotations);
  const labels = stringMap(m.labels);
  // kube-apiserver's bootstrap policy: RBAC and API priority and fairness objects it keeps up to date itself.
  if (annotations['rbac.authorization.kubernetes.io/autoupdate'] === 'true') return true;
  if (annotations['apf.kubernetes.io/autoupdate-spec'] === 'true') return true;
  if (labels['kube-aggregator.kubernetes.io/automanaged'] !== undefined) return true;
  if (group === '' && kind === 'Namespace') return SYSTEM_NAMESPACES.has(name);
  if (group === '' && kind === 'ConfigMap') return name === 'kube-root-ca.crt';
  if (group === '' && kind === 'ServiceAccount') return name === 'default';
  if (group === '' && kind === 'Secret') return o.type === 'kubernetes.io/service-account-token';
  if (group === '' && kind === 'Service') return name === 'kubernetes' && m.namespace === 'default';
  if (group === 'scheduling.k8s.io' && kind === 'PriorityClass') return name.startsWith('system-');
  if (group === 'networking.k8s.io' && kind === 'ServiceCIDR') return name === 'kubernetes';
  return false;
}

/**
 * A copy of `o` as `kubectl apply` should get it: without status, the server-owned metadata and ownerReferences
 * (their uids die with the owners), and without the values the server allocates or derives on create (a Service's
 * cluster IPs, a Job's generated selector and the labels it matches). Never changes `o`.
 */
export function forApply(o: ApiObject): ApiObject {
  const { status: _status, ...rest } = o;
  const metadata: Record<string, unknown> = { ...metadataOf(o) };
  for (const field of SERVER_METADATA) delete metadata[field];
  delete metadata.ownerReferences;
  const out: ApiObject = { ...rest, metadata };
  const group = groupOf(o.apiVersion);
  if (group === '' && o.kind === 'Service') out.spec = withoutClusterIps(stringMap(o.spec));
  if (group === 'batch' && o.kind === 'Job') out.spec = withoutGeneratedSelector(stringMap(o.spec));
  return out;
}

function withoutClusterIps(spec: Record<string, unknown>): Record<string, unknown> {
  // A headless Service says so with clusterIP None, which must stay; any other address is the allocator's.
  if (spec.clusterIP === 'None') return spec;
  const { clusterIP: _ip, clusterIPs: _ips, ...rest } = spec;
  return rest;
}

const JOB_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];

function withoutGeneratedSelector(spec: Record<string, unknown>): Record<string, unknown> {
  // The server generates a Job's selector from its uid and refuses a create that brings one, unless manualSelector.
  if (spec.manualSelector === true) return spec;
  const { selector: _selector, ...rest } = spec;
  const template = stringMap(rest.template);
  const templateMeta = stringMap(template.metadata);
  const labels = { ...stringMap(templateMeta.labels) };
  for (const l of JOB_UID_LABELS) delete labels[l];
  delete labels['job-name'];
  delete labels['batch.kubernetes.io/job-name'];
  return { ...rest, template: { ...template, metadata: { ...templateMeta, labels } } };
}
