// The order objects go into the List so that `kubectl apply` (which applies them in list order) finds what each
// one needs already there: namespaces before what lives in them, CRDs before their custom resources, storage and
// RBAC before the workloads that use them, and admission webhooks and policies last, so one whose service is not
// running yet cannot refuse the rest.
import { groupOf, type ApiObject } from './recoveryRules';

/** Built-in kinds by rank, lowest first; a kind not listed ranks with `OTHER`, custom resources after every built-in. */
const RANKS: ReadonlyArray<readonly string[]> = [
  ['/Namespace'],
  ['apiextensions.k8s.io/CustomResourceDefinition', 'apiregistration.k8s.io/APIService'],
  [
    'scheduling.k8s.io/PriorityClass',
    'storage.k8s.io/StorageClass',
    'storage.k8s.io/CSIDriver',
    'storage.k8s.io/VolumeAttributesClass',
    'networking.k8s.io/IngressClass',
    'node.k8s.io/RuntimeClass',
    'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  ],
  ['flowcontrol.apiserver.k8s.io/FlowSchema', '/ResourceQuota', '/LimitRange', 'policy/PodSecurityPolicy'],
  ['/ServiceAccount', '/Secret', '/ConfigMap', '/PersistentVolume'],
  ['/PersistentVolumeClaim', 'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/Role'],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', 'rbac.authorization.k8s.io/RoleBinding'],
  ['/Service', 'networking.k8s.io/NetworkPolicy', 'policy/PodDisruptionBudget'],
  [
    '/PodTemplate',
    '/ReplicationController',
    'apps/DaemonSet',
    'apps/Deployment',
    'apps/ReplicaSet',
    'apps/StatefulSet',
    'batch/CronJob',
    'batch/Job',
    '/Pod',
  ],
  ['autoscaling/HorizontalPodAutoscaler', 'networking.k8s.io/Ingress'],
];
const OTHER = RANKS.length;
const CUSTOM = OTHER + 1;
const ADMISSION = CUSTOM + 1;
const ADMISSION_KINDS = new Set([
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
]);
const RANK_OF = new Map(RANKS.flatMap((kinds, rank) => kinds.map((k) => [k, rank] as const)));

/** Groups whose kinds are built in; anything else is served from a CRD (or an aggregated API). */
function isBuiltInGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

/** Where `o` goes in an export: lower ranks first. */
export function applyRank(o: ApiObject): number {
  const group = groupOf(o.apiVersion);
  const key = `${group}/${typeof o.kind === 'string' ? o.kind : ''}`;
  if (ADMISSION_KINDS.has(key)) return ADMISSION;
  return RANK_OF.get(key) ?? (isBuiltInGroup(group) ? OTHER : CUSTOM);
}

function sortKey(o: ApiObject): string {
  const m = (o.metadata ?? {}) as { namespace?: unknown; name?: unknown };
  return `${String(o.kind)}\u0000${String(m.namespace ?? '')}\u0000${String(m.name ?? '')}`;
}

/** Sorts in place by rank, then kind, namespace and name, so the same bucket always exports the same file. */
export function sortForApply(objects: ApiObject[]): ApiObject[] {
  const keyed = objects.map((o) => ({ o, rank: applyRank(o), key: sortKey(o) }));
  keyed.sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 0; i < keyed.length; i++) objects[i] = keyed[i].o;
  return objects;
}
