// Values files of Bitnami's `nats` chart: another chart with the same name and other keys (`replicaCount`,
// `auth.user`, top-level `jetstream` and `persistence`, …). Checked against nats-io's chart they would be a screen of
// errors, so they are recognised and left alone. The keys come from Bitnami's values.yaml (bitnami/charts,
// bitnami/nats, 2021 and 2026 versions); none of the markers is a top-level key of any published nats-io version.
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

/** Top-level keys both charts have: they say nothing either way. */
const SHARED_TOP_KEYS = new Set([
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

function isBitnamiTopKey(key: string): boolean {
  return BITNAMI_MARKERS.has(key) || SHARED_TOP_KEYS.has(key);
}

/**
 * A key some published nats-io version has at this place and Bitnami's chart does not (`config`, `nats`, `natsBox`…).
 * Under an umbrella's `nats:` every key of chart 0.x's `nats:` block counts too (`nats.jetstream` is 0.x's).
 */
function isNatsIoOnlyKey(key: string, under: string | undefined): boolean {
  if (under !== undefined && Object.hasOwn(CHART_KEY_RANGES, `${under}.${key}`)) return true;
  return Object.hasOwn(CHART_KEY_RANGES, key) && !isBitnamiTopKey(key);
}

export interface LookAlike {
  chart: 'bitnami';
  /** The keys that gave it away, for the message. */
  evidence: string[];
}

/**
 * Whether a values map is Bitnami's `nats` chart's: no top-level key that only nats-io's chart has, and two Bitnami
 * markers, or one when every top-level key is one Bitnami's chart has. A nats-io values file always has one of its
 * own top-level keys (a unit test runs this over every published nats-io values.yaml). `under` names the umbrella key
 * the map sits under, if any.
 */
export function detectLookAlike(map: unknown, under?: string): LookAlike | undefined {
  if (!isMap(map)) return undefined;
  const evidence: string[] = [];
  let allBitnami = true;
  for (const pair of (map as YAMLMap).items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (isNatsIoOnlyKey(key, under)) return undefined;
    if (!isBitnamiTopKey(key)) allBitnami = false;
    if (BITNAMI_MARKERS.has(key)) evidence.push(key);
    if (isMap(pair.value))
      for (const child of pair.value.items)
        if (isScalar(child.key) && BITNAMI_MARKERS.has(`${key}.${String(child.key.value)}`))
          evidence.push(`${key}.${String(child.key.value)}`);
  }
  if (evidence.length >= 2 || (evidence.length === 1 && allBitnami)) return { chart: 'bitnami', evidence };
  return undefined;
}

/** The one line a look-alike's values file gets instead of a check. */
export function lookAlikeMessage(
  found: LookAlike | { chart: 'bitnami'; evidence?: string[] },
  fromPin?: string,
): string {
  const why = fromPin
    ? ` (${inlineText(fromPin, 200)} installs it from Bitnami's repository)`
    : found.evidence?.length
      ? ` (${found.evidence
          .slice(0, 4)
          .map((k) => `\`${k}\``)
          .join(', ')})`
      : '';
  return `These are values for Bitnami's \`nats\` chart${why}, a different chart from nats-io's; nats-k3s does not check them.`;
}
