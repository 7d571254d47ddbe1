// Every 0.x values key and what it becomes in chart 1.x/2.x (helm-chart.md §5.1, §5.2), checked against both templates.
import { inlineText } from './messageText';

/** How a legacy value is carried: moved as is, or reshaped. */
export type LegacyTransform =
  | 'envList' // nats.extraEnv: a list of EnvVars → a map by name
  | 'pullSecretNames' // [{name}] → [name]
  | 'spreadMap' // list of constraints → map keyed by topologyKey
  | 'patchAppend' // each item → {op: add, path: <patchPath>, value}
  | 'tlsSecret' // tls.secret.name → tls.secretName plus tls.enabled: true
  | 'tlsCaFile' // tls.ca (a file name in the Secret) → tls.merge.ca_file under the mount dir
  | 'sizeUnits' // "8MB" → "<< 8MB >>" in nats.conf
  | 'encryptionSecret' // secret {name,key} → container.env.JS_KEY + jetstream.merge.key
  | 'resolverType' // auth.resolver.type → config.resolver.enabled / merge.type / config.merge.resolver
  | 'fileStorageEnabled'; // fileStorage.enabled → fileStore.enabled and fileStore.pvc.enabled

export interface LegacyKeyRule {
  /** Dotted 0.x path; `*` matches one key. The rule covers the key's whole value. */
  legacy: string;
  /** Dotted 1.x/2.x path (`*` repeats the matched key); undefined when there is no equivalent. */
  target?: string;
  transform?: LegacyTransform;
  /** For patchAppend: the JSON Pointer the items are appended to. */
  patchPath?: string;
  /** Carried automatically by 1.x (nothing to write). */
  automatic?: boolean;
  /** What to do by hand, or a caveat. */
  advice?: string;
}

const TLS_FIELDS: Record<string, string> = {
  verify: 'verify',
  verifyAndMap: 'verify_and_map',
  timeout: 'timeout',
  insecure: 'insecure',
  cipherSuites: 'cipher_suites',
  curvePreferences: 'curve_preferences',
};

function tlsRules(legacy: string, target: string): LegacyKeyRule[] {
  return [
    { legacy: `${legacy}.tls.secret.name`, target: `${target}.tls.secretName`, transform: 'tlsSecret' },
    { legacy: `${legacy}.tls.cert`, target: `${target}.tls.cert` },
    { legacy: `${legacy}.tls.key`, target: `${target}.tls.key` },
    {
      legacy: `${legacy}.tls.ca`,
      target: `${target}.tls.merge.ca_file`,
      transform: 'tlsCaFile',
      advice: 'or mount a shared CA with `tlsCA`',
    },
    ...Object.entries(TLS_FIELDS).map(([from, to]) => ({
      legacy: `${legacy}.tls.${from}`,
      target: `${target}.tls.merge.${to}`,
    })),
  ];
}

const SNAKE: Record<string, string> = {
  maxConnections: 'max_connections',
  maxSubscriptions: 'max_subscriptions',
  maxControlLine: 'max_control_line',
  maxPayload: 'max_payload',
  writeDeadline: 'write_deadline',
  maxPending: 'max_pending',
  maxPings: 'ping_max',
  pingInterval: 'ping_interval',
  lameDuckGracePeriod: 'lame_duck_grace_period',
  lameDuckDuration: 'lame_duck_duration',
};
const SIZE_LIMITS = new Set(['maxControlLine', 'maxPayload', 'maxPending']);

export const LEGACY_KEY_RULES: readonly LegacyKeyRule[] = [
  // cluster
  { legacy: 'cluster.enabled', target: 'config.cluster.enabled' },
  { legacy: 'cluster.replicas', target: 'config.cluster.replicas' },
  {
    legacy: 'cluster.noAdvertise',
    target: 'config.cluster.noAdvertise',
    advice: 'charts before 2.12.4 need `config.cluster.merge.no_advertise`',
  },
  { legacy: 'cluster.name', target: 'config.cluster.merge.name' },
  { legacy: 'cluster.extraRoutes', target: 'config.cluster.patch', transform: 'patchAppend', patchPath: '/routes/-' },
  { legacy: 'cluster.authorization.user', target: 'config.cluster.routeURLs.user' },
  { legacy: 'cluster.authorization.password', target: 'config.cluster.routeURLs.password' },
  { legacy: 'cluster.authorization.timeout', target: 'config.cluster.merge.authorization.timeout' },
  ...tlsRules('cluster', 'config.cluster'),
  { legacy: 'k8sClusterDomain', target: 'config.cluster.routeURLs.k8sClusterDomain' },
  { legacy: 'useFQDN', target: 'config.cluster.routeURLs.useFQDN' },
  { legacy: 'nats.connectRetries', target: 'config.cluster.merge.connect_retries' },
  // JetStream
  { legacy: 'nats.jetstream.enabled', target: 'config.jetstream.enabled' },
  { legacy: 'nats.jetstream.memStorage.enabled', target: 'config.jetstream.memoryStore.enabled' },
  { legacy: 'nats.jetstream.memStorage.size', target: 'config.jetstream.memoryStore.maxSize' },
  {
    legacy: 'nats.jetstream.fileStorage.enabled',
    target: 'config.jetstream.fileStore.enabled',
    transform: 'fileStorageEnabled',
  },
  { legacy: 'nats.jetstream.fileStorage.size', target: 'config.jetstream.fileStore.pvc.size' },
  { legacy: 'nats.jetstream.fileStorage.storageDirectory', target: 'config.jetstream.fileStore.dir' },
  { legacy: 'nats.jetstream.fileStorage.storageClassName', target: 'config.jetstream.fileStore.pvc.storageClassName' },
  { legacy: 'nats.jetstream.fileStorage.accessModes', target: 'config.jetstream.fileStore.pvc.merge.spec.accessModes' },
  {
    legacy: 'nats.jetstream.fileStorage.annotations',
    target: 'config.jetstream.fileStore.pvc.merge.metadata.annotations',
  },
  {
    legacy: 'nats.jetstream.fileStorage.existingClaim',
    advice:
      'set `config.jetstream.fileStore.pvc.enabled: false` and `fileStore.maxSize`, add the volume with `podTemplate.patch` and mount it with `container.patch`',
  },
  {
    legacy: 'nats.jetstream.fileStorage.claimStorageSize',
    advice: 'use `config.jetstream.fileStore.maxSize` with your own volume',
  },
  { legacy: 'nats.jetstream.store_dir', target: 'config.jetstream.fileStore.dir' },
  {
    legacy: 'nats.jetstream.max_file',
    target: 'config.jetstream.fileStore.maxSize',
    advice: 'with `fileStore.pvc.enabled: false` when the data is not on a claim',
  },
  { legacy: 'nats.jetstream.domain', target: 'config.jetstream.merge.domain' },
  { legacy: 'nats.jetstream.uniqueTag', target: 'config.jetstream.merge.unique_tag' },
  { legacy: 'nats.jetstream.max_outstanding_catchup', target: 'config.jetstream.merge.max_outstanding_catchup' },
  { legacy: 'nats.jetstream.maxOutstandingCatchup', target: 'config.jetstream.merge.max_outstanding_catchup' },
  { legacy: 'nats.jetstream.encryption.key', target: 'config.jetstream.merge.key' },
  { legacy: 'nats.jetstream.encryption.cipher', target: 'config.jetstream.merge.cipher' },
  { legacy: 'nats.jetstream.encryption.secret', target: 'container.env.JS_KEY', transform: 'encryptionSecret' },
  // server container and config
  { legacy: 'nats.image.*', target: 'container.image.*' },
  { legacy: 'nats.serverNamePrefix', target: 'config.serverNamePrefix' },
  { legacy: 'nats.serverTags', target: 'config.merge.server_tags' },
  { legacy: 'nats.gomemlimit', target: 'container.env.GOMEMLIMIT' },
  {
    legacy: 'nats.resources',
    target: 'container.resources',
    advice: 'charts before 1.3.15 need `container.merge.resources`',
  },
  { legacy: 'nats.securityContext', target: 'container.merge.securityContext' },
  { legacy: 'nats.extraEnv', target: 'container.env', transform: 'envList' },
  { legacy: 'nats.client.port', target: 'config.nats.port' },
  { legacy: 'nats.client.portName', advice: 'the port is always named `nats`' },
  { legacy: 'nats.profiling.enabled', target: 'config.profiling.enabled' },
  { legacy: 'nats.profiling.port', target: 'config.profiling.port' },
  ...Object.entries(SNAKE).map(
    ([from, to]): LegacyKeyRule =>
      SIZE_LIMITS.has(from)
        ? { legacy: `nats.limits.${from}`, target: `config.merge.${to}`, transform: 'sizeUnits' }
        : { legacy: `nats.limits.${from}`, target: `config.merge.${to}` },
  ),
  { legacy: 'nats.logging.debug', target: 'config.merge.debug' },
  { legacy: 'nats.logging.trace', target: 'config.merge.trace' },
  { legacy: 'nats.logging.logtime', target: 'config.merge.logtime' },
  { legacy: 'nats.logging.connectErrorReports', target: 'config.merge.connect_error_reports' },
  { legacy: 'nats.logging.reconnectErrorReports', target: 'config.merge.reconnect_error_reports' },
  { legacy: 'nats.mappings', target: 'config.merge.mappings' },
  {
    legacy: 'nats.config',
    advice: 'include the files with `config.merge.<n>$include` and add them through `configMap.merge.data`',
  },
  { legacy: 'nats.customConfigSecret', advice: 'replace the config through `statefulSet.patch` / `podTemplate.patch`' },
  ...tlsRules('nats', 'config.nats'),
  { legacy: 'nats.tls.allowNonTLS', target: 'config.merge.allow_non_tls' },
  { legacy: 'nats.terminationGracePeriodSeconds', target: 'podTemplate.merge.spec.terminationGracePeriodSeconds' },
  { legacy: 'nats.hostNetwork', target: 'podTemplate.merge.spec.hostNetwork' },
  { legacy: 'nats.dnsPolicy', target: 'podTemplate.merge.spec.dnsPolicy' },
  { legacy: 'nats.automountServiceAccountToken', target: 'podTemplate.merge.spec.automountServiceAccountToken' },
  { legacy: 'nats.configChecksumAnnotation', target: 'podTemplate.configChecksumAnnotation' },
  { legacy: 'nats.serviceAccount.create', target: 'serviceAccount.enabled' },
  { legacy: 'nats.serviceAccount.name', target: 'serviceAccount.name' },
  { legacy: 'nats.serviceAccount.annotations', target: 'serviceAccount.merge.metadata.annotations' },
  {
    legacy: 'nats.healthcheck',
    advice: 'probes are fixed; change them with `container.merge.startupProbe` / `readinessProbe` / `livenessProbe`',
  },
  { legacy: 'nats.selectorLabels', advice: 'patch `/spec/selector/matchLabels` with `statefulSet.patch`' },
  {
    legacy: 'nats.externalAccess',
    advice: 'use `container.ports.<port>.hostPort` and `config.merge.client_advertise`',
  },
  { legacy: 'nats.advertise', advice: 'use `config.merge.client_advertise`' },
  // protocols
  { legacy: 'mqtt.enabled', target: 'config.mqtt.enabled' },
  { legacy: 'mqtt.ackWait', target: 'config.mqtt.merge.ack_wait' },
  { legacy: 'mqtt.maxAckPending', target: 'config.mqtt.merge.max_ack_pending' },
  { legacy: 'mqtt.noAuthUser', target: 'config.mqtt.merge.no_auth_user' },
  ...tlsRules('mqtt', 'config.mqtt'),
  { legacy: 'leafnodes.enabled', target: 'config.leafnodes.enabled' },
  { legacy: 'leafnodes.port', target: 'config.leafnodes.port' },
  { legacy: 'leafnodes.noAdvertise', target: 'config.leafnodes.merge.no_advertise' },
  { legacy: 'leafnodes.remotes', target: 'config.leafnodes.merge.remotes' },
  { legacy: 'leafnodes.authorization', target: 'config.leafnodes.merge.authorization' },
  ...tlsRules('leafnodes', 'config.leafnodes'),
  { legacy: 'gateway.enabled', target: 'config.gateway.enabled' },
  { legacy: 'gateway.port', target: 'config.gateway.port' },
  { legacy: 'gateway.name', target: 'config.gateway.merge.name' },
  { legacy: 'gateway.gateways', target: 'config.gateway.merge.gateways' },
  { legacy: 'gateway.advertise', target: 'config.gateway.merge.advertise' },
  { legacy: 'gateway.authorization', target: 'config.gateway.merge.authorization' },
  { legacy: 'gateway.rejectUnknownCluster', target: 'config.gateway.merge.reject_unknown_cluster' },
  { legacy: 'gateway.connectRetries', target: 'config.gateway.merge.connect_retries' },
  ...tlsRules('gateway', 'config.gateway'),
  { legacy: 'websocket.enabled', target: 'config.websocket.enabled' },
  { legacy: 'websocket.port', target: 'config.websocket.port' },
  {
    legacy: 'websocket.noTLS',
    automatic: true,
    advice: 'chart 1.x/2.x sets `no_tls` itself when websocket TLS is off',
  },
  { legacy: 'websocket.sameOrigin', target: 'config.websocket.merge.same_origin' },
  { legacy: 'websocket.allowedOrigins', target: 'config.websocket.merge.allowed_origins' },
  { legacy: 'websocket.advertise', target: 'config.websocket.merge.advertise' },
  { legacy: 'websocket.handshakeTimeout', target: 'config.websocket.merge.handshake_timeout' },
  ...tlsRules('websocket', 'config.websocket'),
  // auth
  {
    legacy: 'auth.enabled',
    automatic: true,
    advice: 'chart 1.x/2.x turns authentication on when `config.merge` has users, accounts or a resolver',
  },
  { legacy: 'auth.basic.users', target: 'config.merge.authorization.users' },
  { legacy: 'auth.basic.accounts', target: 'config.merge.accounts' },
  { legacy: 'auth.basic.noAuthUser', target: 'config.merge.no_auth_user' },
  { legacy: 'auth.basic.defaultPermissions', target: 'config.merge.authorization.default_permissions' },
  { legacy: 'auth.token', target: 'config.merge.authorization.token' },
  { legacy: 'auth.nkeys.users', target: 'config.merge.authorization.users' },
  { legacy: 'auth.timeout', target: 'config.merge.authorization.timeout' },
  { legacy: 'auth.systemAccount', target: 'config.merge.system_account' },
  {
    legacy: 'auth.operatorjwt',
    advice:
      'put the operator JWT in `config.merge.operator`, or include it with `config.merge.<n>$include` and `configMap.merge.data`',
  },
  { legacy: 'auth.resolver.type', target: 'config.resolver.enabled', transform: 'resolverType' },
  { legacy: 'auth.resolver.allowDelete', target: 'config.resolver.merge.allow_delete' },
  { legacy: 'auth.resolver.interval', target: 'config.resolver.merge.interval' },
  { legacy: 'auth.resolver.operator', target: 'config.merge.operator' },
  { legacy: 'auth.resolver.systemAccount', target: 'config.merge.system_account' },
  { legacy: 'auth.resolver.resolverPreload', target: 'config.merge.resolver_preload' },
  { legacy: 'auth.resolver.store.dir', target: 'config.resolver.dir' },
  { legacy: 'auth.resolver.store.size', target: 'config.resolver.pvc.size' },
  { legacy: 'auth.resolver.store.storageClassName', target: 'config.resolver.pvc.storageClassName' },
  {
    legacy: 'auth.resolver.configMap',
    advice: 'include the memory resolver config with `config.merge.<n>$include` and `configMap.merge.data`',
  },
  {
    legacy: 'auth.resolver.url',
    automatic: true,
    advice: 'carried with `auth.resolver.type: URL` as `config.merge.resolver`',
  },
  // nats-box
  { legacy: 'natsbox.enabled', target: 'natsBox.enabled' },
  { legacy: 'natsbox.image.*', target: 'natsBox.container.image.*' },
  {
    legacy: 'natsbox.resources',
    target: 'natsBox.container.resources',
    advice: 'not `natsBox.container.image.resources`, which does nothing',
  },
  { legacy: 'natsbox.securityContext', target: 'natsBox.container.merge.securityContext' },
  { legacy: 'natsbox.credentials.secret.name', target: 'natsBox.contexts.default.creds.secretName' },
  { legacy: 'natsbox.credentials.secret.key', target: 'natsBox.contexts.default.creds.key' },
  { legacy: 'natsbox.annotations', target: 'natsBox.deployment.merge.metadata.annotations' },
  { legacy: 'natsbox.additionalLabels', target: 'natsBox.deployment.merge.metadata.labels' },
  { legacy: 'natsbox.podAnnotations', target: 'natsBox.podTemplate.merge.metadata.annotations' },
  { legacy: 'natsbox.podLabels', target: 'natsBox.podTemplate.merge.metadata.labels' },
  { legacy: 'natsbox.affinity', target: 'natsBox.podTemplate.merge.spec.affinity' },
  { legacy: 'natsbox.nodeSelector', target: 'natsBox.podTemplate.merge.spec.nodeSelector' },
  { legacy: 'natsbox.tolerations', target: 'natsBox.podTemplate.merge.spec.tolerations' },
  { legacy: 'natsbox.imagePullSecrets', target: 'natsBox.podTemplate.merge.spec.imagePullSecrets' },
  {
    legacy: 'natsbox.automountServiceAccountToken',
    target: 'natsBox.podTemplate.merge.spec.automountServiceAccountToken',
  },
  {
    legacy: 'natsbox.extraVolumes',
    target: 'natsBox.podTemplate.patch',
    transform: 'patchAppend',
    patchPath: '/spec/volumes/-',
  },
  {
    legacy: 'natsbox.extraVolumeMounts',
    target: 'natsBox.container.patch',
    transform: 'patchAppend',
    patchPath: '/volumeMounts/-',
  },
  // reloader and exporter
  { legacy: 'reloader.securityContext', target: 'reloader.merge.securityContext' },
  { legacy: 'reloader.resources', target: 'reloader.merge.resources' },
  {
    legacy: 'reloader.extraConfigs',
    advice:
      'add `-config <file>` arguments with `reloader.patch` (`/args/-`); includes and certificates are watched automatically',
  },
  { legacy: 'exporter.enabled', target: 'promExporter.enabled' },
  { legacy: 'exporter.image.*', target: 'promExporter.image.*' },
  { legacy: 'exporter.args', target: 'promExporter.merge.args' },
  { legacy: 'exporter.securityContext', target: 'promExporter.merge.securityContext' },
  { legacy: 'exporter.resources', target: 'promExporter.merge.resources' },
  { legacy: 'exporter.portName', advice: 'the port is always named `prom-metrics`' },
  { legacy: 'exporter.serviceMonitor.enabled', target: 'promExporter.podMonitor.enabled' },
  { legacy: 'exporter.serviceMonitor.labels', target: 'promExporter.podMonitor.merge.metadata.labels' },
  { legacy: 'exporter.serviceMonitor.annotations', target: 'promExporter.podMonitor.merge.metadata.annotations' },
  { legacy: 'exporter.serviceMonitor.namespace', target: 'promExporter.podMonitor.merge.metadata.namespace' },
  { legacy: 'exporter.serviceMonitor.path', advice: 'set `podMetricsEndpoints` with `promExporter.podMonitor.patch`' },
  {
    legacy: 'exporter.serviceMonitor.interval',
    advice: 'set it on `podMetricsEndpoints` with `promExporter.podMonitor.patch`',
  },
  {
    legacy: 'exporter.serviceMonitor.scrapeTimeout',
    advice: 'set it on `podMetricsEndpoints` with `promExporter.podMonitor.patch`',
  },
  // pod and objects
  { legacy: 'imagePullSecrets', target: 'global.image.pullSecretNames', transform: 'pullSecretNames' },
  { legacy: 'securityContext', target: 'podTemplate.merge.spec.securityContext' },
  { legacy: 'affinity', target: 'podTemplate.merge.spec.affinity' },
  { legacy: 'nodeSelector', target: 'podTemplate.merge.spec.nodeSelector' },
  { legacy: 'tolerations', target: 'podTemplate.merge.spec.tolerations' },
  { legacy: 'priorityClassName', target: 'podTemplate.merge.spec.priorityClassName' },
  { legacy: 'topologySpreadConstraints', target: 'podTemplate.topologySpreadConstraints', transform: 'spreadMap' },
  { legacy: 'podAnnotations', target: 'podTemplate.merge.metadata.annotations' },
  { legacy: 'statefulSetPodLabels', target: 'podTemplate.merge.metadata.labels' },
  { legacy: 'statefulSetAnnotations', target: 'statefulSet.merge.metadata.annotations' },
  {
    legacy: 'serviceAnnotations',
    target: 'headlessService.merge.metadata.annotations',
    advice: 'the 0.x Service was the headless one; add `service.merge.metadata.annotations` too if clients need them',
  },
  { legacy: 'podDisruptionBudget.maxUnavailable', target: 'podDisruptionBudget.merge.spec.maxUnavailable' },
  { legacy: 'podDisruptionBudget.minAvailable', target: 'podDisruptionBudget.merge.spec.minAvailable' },
  { legacy: 'commonLabels', target: 'global.labels' },
  { legacy: 'podManagementPolicy', target: 'statefulSet.merge.spec.podManagementPolicy' },
  {
    legacy: 'additionalContainers',
    target: 'podTemplate.patch',
    transform: 'patchAppend',
    patchPath: '/spec/containers/-',
  },
  { legacy: 'additionalVolumes', target: 'podTemplate.patch', transform: 'patchAppend', patchPath: '/spec/volumes/-' },
  {
    legacy: 'additionalVolumeMounts',
    target: 'container.patch',
    transform: 'patchAppend',
    patchPath: '/volumeMounts/-',
    advice: 'add them to `reloader.patch` too if the reloader needs the files',
  },
  {
    legacy: 'topologyKeys',
    advice: 'Kubernetes removed service topology; use `service.merge.spec.trafficDistribution`',
  },
  { legacy: 'networkPolicy', advice: 'supply a NetworkPolicy through `extraResources`' },
  { legacy: 'bootconfig', advice: 'use `container.ports.<port>.hostPort` and `config.merge.client_advertise`' },
  { legacy: 'pidVolume', automatic: true, advice: 'chart 1.x/2.x always adds the pid volume' },
  { legacy: 'advertiseconfigVolume', advice: 'the advertise init container no longer exists' },
];

/** The 0.x top-level keys that 1.x/2.x no longer has (reloader, podDisruptionBudget, nameOverride… exist in both). */
export const LEGACY_TOP_KEYS: ReadonlySet<string> = new Set(
  LEGACY_KEY_RULES.map((r) => r.legacy.split('.')[0] as string).filter(
    (k) => !['reloader', 'podDisruptionBudget'].includes(k),
  ),
);

// What the user loses while a legacy key sits in a 2.x file, by the key's prefix (longest first).
const CONSEQUENCES: [string, string][] = [
  ['nats.jetstream', 'JetStream stays off or keeps the chart defaults'],
  ['nats.tls', 'clients connect without TLS'],
  ['nats.limits', 'the server keeps its default limits'],
  ['nats.image', "the chart's default nats-server image runs"],
  ['nats.resources', 'the server runs without resource requests or limits'],
  ['cluster', 'the server is not clustered the way you asked'],
  ['auth', 'the server accepts clients without this authentication'],
  ['natsbox', 'nats-box keeps the chart defaults'],
  ['exporter', 'the Prometheus exporter stays off'],
  ['leafnodes', 'leafnode connections stay off'],
  ['gateway', 'the gateway stays off'],
  ['websocket', 'websocket stays off'],
  ['mqtt', 'MQTT stays off'],
];

function matches(pattern: string[], path: readonly string[]): boolean {
  return pattern.length === path.length && pattern.every((p, i) => p === '*' || p === path[i]);
}

const RULES_BY_DEPTH = LEGACY_KEY_RULES.map((rule) => ({ rule, pattern: rule.legacy.split('.') }));

/** The rule covering a legacy path exactly, or undefined (the path may still lead to rules deeper down). */
export function legacyRuleFor(path: readonly string[]): LegacyKeyRule | undefined {
  return RULES_BY_DEPTH.find((r) => matches(r.pattern, path))?.rule;
}

/** True when some rule lies below this path (so a walker should look inside it). */
export function hasLegacyRulesBelow(path: readonly string[]): boolean {
  return RULES_BY_DEPTH.some(
    (r) => r.pattern.length > path.length && path.every((p, i) => r.pattern[i] === '*' || r.pattern[i] === p),
  );
}

/** The 1.x/2.x path for a legacy path under a rule, with `*` filled in from the legacy path. */
export function targetPath(rule: LegacyKeyRule, path: readonly string[]): string[] | undefined {
  if (rule.target === undefined) return undefined;
  const wildcards = rule.legacy.split('.').flatMap((p, i) => (p === '*' ? [path[i] as string] : []));
  return rule.target.split('.').map((p) => (p === '*' ? (wildcards.shift() ?? p) : p));
}

/** One sentence on what a legacy key costs when left in a 2.x file. */
export function legacyConsequence(path: readonly string[]): string {
  const dotted = path.join('.');
  if (dotted === 'nats.jetstream.enabled') return 'JetStream stays off';
  if (dotted === 'cluster.enabled') return 'the server runs as a single unclustered pod';
  return (
    CONSEQUENCES.find(([prefix]) => dotted === prefix || dotted.startsWith(`${prefix}.`))?.[1] ??
    'the setting has no effect'
  );
}

/** The diagnostic message for a legacy key in a 2.x file. */
export function legacyMessage(path: readonly string[]): string {
  const dotted = path.join('.');
  const rule = legacyRuleFor(path);
  const head = `\`${inlineText(dotted, 100)}\` is a chart 0.x key: chart 1.x/2.x ignores it, so ${legacyConsequence(path)}.`;
  if (!rule) {
    // A block whose keys have rules is not itself without an equivalent: its keys move one by one.
    const home = legacyBlockTarget(path);
    if (home) return `${head} Its keys move under \`${inlineText(home, 100)}\`.`;
    if (hasLegacyRulesBelow(path)) return `${head} Its keys move to chart 1.x/2.x one by one.`;
    return `${head} It has no equivalent in chart 1.x/2.x.`;
  }
  const target = targetPath(rule, path);
  if (rule.automatic) return `${head} Nothing replaces it: ${rule.advice ?? 'chart 1.x/2.x does this itself'}.`;
  if (!target) return `${head} It has no equivalent in chart 1.x/2.x: ${rule.advice ?? 'remove it'}.`;
  return `${head} It becomes \`${inlineText(target.join('.'), 100)}\`${rule.advice ? ` (${rule.advice})` : ''}.`;
}

/**
 * Where the keys of a 0.x block go when they all land in one 2.x block (`nats.jetstream.memStorage` →
 * `config.jetstream.memoryStore`); undefined when they scatter or have no target.
 */
export function legacyBlockTarget(path: readonly string[]): string | undefined {
  const targets = RULES_BY_DEPTH.filter(
    (r) =>
      r.pattern.length > path.length &&
      path.every((p, i) => r.pattern[i] === p) &&
      r.rule.target !== undefined &&
      !r.rule.target.includes('*'),
  ).map((r) => (r.rule.target as string).split('.'));
  if (targets.length === 0) return undefined;
  const [head, ...rest] = targets as [string[], ...string[][]];
  let n = head.length - 1;
  for (const t of rest) {
    let i = 0;
    while (i < n && i < t.length - 1 && t[i] === head[i]) i++;
    n = i;
  }
  // Only a block below the top level says where things go; `config` alone says nothing.
  return n >= 2 ? head.slice(0, n).join('.') : undefined;
}
