// Values files of charts that look like nats-io's `nats` chart and are not: Bitnami's `nats` chart (same name, other
// keys: `replicaCount`, `auth.user`, top-level `jetstream` and `persistence`, …) and the NATS operator's chart
// (`clusterSize`, `configReload`, …). Checked against nats-io's chart they would be a screen of errors, so they are
// recognised and left alone. The keys come from the charts' own values.yaml (Bitnami's 2021 and 2026 versions, the
// operator's 0.7.4); none of the markers is a key of any published nats-io version at that place.
import { isMap, isScalar, type YAMLMap } from 'yaml';
import { CHART_KEY_RANGES } from './chartKeyData';
import { inlineText } from './messageText';

/** Top-level keys only Bitnami's chart has (each one point), and nested ones (`auth.user`). */
const BITNAMI_MARKERS = new Set([
  'replicaCount',
  'resourceType',
  'containerPorts',
  'persistence',
  'persistentVolumeClaimRetentionPolicy',
  'jetstream',
  'clusterDomain',
  'metrics',
  'ingress',
  'image',
  'podAffinityPreset',
  'podAntiAffinityPreset',
  'nodeAffinityPreset',
  'resourcesPreset',
  'extraEnvVars',
  'extraEnvVarsCM',
  'extraEnvVarsSecret',
  'containerSecurityContext',
  'podSecurityContext',
  'diagnosticMode',
  'commonAnnotations',
  'pdb',
  'clusterAuth',
  'debug',
  'maxConnections',
  'maxControlLine',
  'maxPayload',
  'writeDeadline',
  'configuration',
  'natsFilename',
  'extraFlags',
  'existingSecret',
  'kubeVersion',
  'extraDeploy',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'customLivenessProbe',
  'customReadinessProbe',
  'extraVolumes',
  'extraVolumeMounts',
  'sidecars',
  'initContainers',
  'podLabels',
  'hostAliases',
  'updateStrategy',
  'lifecycleHooks',
  'global.imageRegistry',
  'global.imagePullSecrets',
  'global.defaultStorageClass',
  'auth.user',
  'auth.usersCredentials',
  'auth.credentials',
  'auth.noAuthUser',
  'cluster.auth',
]);

/** Top-level keys Bitnami's chart shares with nats-io's: they say nothing either way. */
const BITNAMI_SHARED_KEYS = new Set([
  'global',
  'nameOverride',
  'fullnameOverride',
  'namespaceOverride',
  'commonLabels',
  'auth',
  'cluster',
  'tls',
  'service',
  'serviceAccount',
  'networkPolicy',
  'podAnnotations',
  'affinity',
  'nodeSelector',
  'tolerations',
  'topologySpreadConstraints',
  'priorityClassName',
  'podManagementPolicy',
  'schedulerName',
  'resources',
  'automountServiceAccountToken',
  'command',
  'args',
]);

/** Keys only the NATS operator's chart has (nats-io/nats-operator, helm/nats-operator, before it moved to nats-io/k8s). */
const OPERATOR_MARKERS = new Set([
  'rbacEnabled',
  'clusterSize',
  'clusterScoped',
  'configReload',
  'antiAffinity',
  'auth.enableServiceAccounts',
  'auth.username',
  'auth.defaultPermissions',
  // Chart 0.7's layout: the NatsCluster the operator makes, under `cluster:`.
  'cluster.create',
  'cluster.size',
  'cluster.namespace',
  'cluster.version',
  'cluster.configReload',
]);

/** The operator chart's other top-level keys. */
const OPERATOR_SHARED_KEYS = new Set([
  'cluster',
  'replicaCount',
  'image',
  'securityContext',
  'nodeSelector',
  'tolerations',
  'schedulerName',
  'podAnnotations',
  'podLabels',
  'updateStrategy',
  'rollingUpdatePartition',
  'resources',
  'livenessProbe',
  'readinessProbe',
  'auth',
  'tls',
  'metrics',
]);

export type LookAlikeChart = 'bitnami' | 'nats-operator';

interface LookAlikeKeys {
  chart: LookAlikeChart;
  markers: ReadonlySet<string>;
  shared: ReadonlySet<string>;
}

const LOOK_ALIKES: readonly LookAlikeKeys[] = [
  { chart: 'bitnami', markers: BITNAMI_MARKERS, shared: BITNAMI_SHARED_KEYS },
  { chart: 'nats-operator', markers: OPERATOR_MARKERS, shared: OPERATOR_SHARED_KEYS },
];

const CHART_NAMES: Record<LookAlikeChart, string> = {
  bitnami: "Bitnami's `nats` chart",
  'nats-operator': "the NATS operator's chart (`nats-operator`, NatsCluster resources)",
};

/** A key some published nats-io version has at the top and the look-alike does not (`config`, `nats`, `natsBox`…). */
function isNatsIoOnlyKey(chart: LookAlikeKeys, key: string): boolean {
  return Object.hasOwn(CHART_KEY_RANGES, key) && !chart.markers.has(key) && !chart.shared.has(key);
}

/**
 * Under an umbrella's key, whether `key` is one of chart 0.x's `nats:` block (`nats.jetstream`, `nats.image`,
 * `nats.logging`…). Those the look-alike has too (`jetstream`, `image`, `resources`) decide nothing either way: a
 * real 0.x umbrella writes `nats: {image, jetstream}`, and Bitnami's values under `nats:` have the same two keys.
 */
function zeroXBlockKey(chart: LookAlikeKeys, key: string, under: string): 'theirs-too' | 'ours' | undefined {
  if (!Object.hasOwn(CHART_KEY_RANGES, `${under}.${key}`)) return undefined;
  return chart.markers.has(key) || chart.shared.has(key) ? 'theirs-too' : 'ours';
}

export interface LookAlike {
  chart: LookAlikeChart;
  /** The keys that gave it away, for the message. */
  evidence: string[];
}

function detectOne(chart: LookAlikeKeys, map: YAMLMap, under: string | undefined): LookAlike | undefined {
  const evidence: string[] = [];
  let allTheirs = true;
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const zeroX = under === undefined ? undefined : zeroXBlockKey(chart, key, under);
    if (zeroX === 'ours' || isNatsIoOnlyKey(chart, key)) return undefined;
    if (!chart.markers.has(key) && !chart.shared.has(key)) allTheirs = false;
    // A key both charts have at this place is no evidence; only what 0.x's block never had counts.
    if (chart.markers.has(key) && zeroX === undefined) evidence.push(key);
    if (isMap(pair.value))
      for (const child of pair.value.items)
        if (isScalar(child.key) && chart.markers.has(`${key}.${String(child.key.value)}`))
          evidence.push(`${key}.${String(child.key.value)}`);
  }
  // Under an umbrella's key one marker is never enough: the 0.x keys both charts share would make every key "theirs".
  const enough =
    under === undefined ? evidence.length >= 2 || (evidence.length === 1 && allTheirs) : evidence.length >= 2;
  return enough ? { chart: chart.chart, evidence } : undefined;
}

/**
 * Whether a values map is a look-alike chart's: no key at its top that only nats-io's chart has, and two of the
 * look-alike's markers, or one when every top-level key is one the look-alike has. A nats-io values file always has
 * one of its own top-level keys (a unit test runs this over every published nats-io values.yaml). `under` names the
 * umbrella key the map sits under, if any: there a key only chart 0.x's block has rules it out, and two markers that
 * block never had are needed.
 */
export function detectLookAlike(map: unknown, under?: string): LookAlike | undefined {
  if (!isMap(map)) return undefined;
  for (const chart of LOOK_ALIKES) {
    const found = detectOne(chart, map as YAMLMap, under);
    if (found) return found;
  }
  return undefined;
}

/** The one line a look-alike's values file gets instead of a check; `fromPin` names a pin that installs Bitnami's. */
export function lookAlikeMessage(found: { chart: LookAlikeChart; evidence?: string[] }, fromPin?: string): string {
  const why = fromPin
    ? ` (${inlineText(fromPin, 200)} installs it from Bitnami's repository)`
    : found.evidence?.length
      ? ` (${found.evidence
          .slice(0, 4)
          .map((k) => `\`${k}\``)
          .join(', ')})`
      : '';
  return `These are values for ${CHART_NAMES[found.chart]}${why}, a different chart from nats-io's \`nats\`; nats-k3s does not check them.`;
}
