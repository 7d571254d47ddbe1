import { bool, freeMap, int, obj, quantity, sharedDefinitions, str, strList, type JsonSchema } from './schemaBuilders';

// The values schema of the NATS Helm chart 0.x (0.19.17). Keys documented only in values.yaml comments
// (tls, encryption, authorization, remotes, …) are included, because 0.x templates read them.

export const LEGACY_SCHEMA_ID = 'https://nats-k3s.dev/schemas/nats-values-0.x.schema.json';

const PULL_POLICY = ['Always', 'IfNotPresent', 'Never'];

function image(component: string, repository: string, tag: string): JsonSchema {
  return obj(`Image of the ${component} container.`, {
    repository: str('Image repository.', repository),
    tag: str('Image tag.', tag),
    pullPolicy: { ...str('Pull policy.', 'IfNotPresent'), enum: PULL_POLICY },
    registry: str('Registry host prepended to the repository.', null),
  });
}

function tls(what: string): JsonSchema {
  return obj(`TLS for ${what}.`, {
    secret: obj('Secret with the certificates.', { name: str('Secret name (0.x runs `tpl` on it).', null) }),
    ca: str('File name of the CA in the Secret.', null),
    cert: str('File name of the certificate in the Secret.', 'tls.crt'),
    key: str('File name of the key in the Secret.', 'tls.key'),
    verify: bool('Requires client certificates.', false),
    verifyAndMap: bool('Maps client certificates to users.', false),
    timeout: { type: ['number', 'string'], description: 'TLS handshake timeout.' },
    allowNonTLS: bool('Accepts plain connections next to TLS (client listener only).', false),
    insecure: bool('Skips certificate verification for outgoing connections.', false),
    cipherSuites: strList('Allowed cipher suites.'),
    curvePreferences: strList('Preferred curves.'),
  });
}

const authorization: JsonSchema = obj('Credentials other servers must present.', {
  user: str('User name.', null),
  password: str('Password.', null),
  timeout: { type: ['number', 'string'], description: 'Seconds allowed for authentication.' },
});

function probe(enabled: boolean, failureThreshold: number, periodSeconds: number): JsonSchema {
  return obj('A health probe.', {
    enabled: bool('Adds this probe.', enabled),
    initialDelaySeconds: int('Seconds before the first probe.', 10),
    timeoutSeconds: int('Seconds before a probe times out.', 5),
    periodSeconds: int('Seconds between probes.', periodSeconds),
    successThreshold: int('Successes that mark the container healthy.', 1),
    failureThreshold: int('Failures that mark the container unhealthy.', failureThreshold),
    httpGet: freeMap("Overrides the probe's HTTP request (e.g. `path`)."),
    terminationGracePeriodSeconds: int('Probe-level grace period (Kubernetes 1.22+).', null),
  });
}

function natsSchema(): JsonSchema {
  return obj('The nats-server container and its config (0.x).', {
    image: image('nats-server', 'nats', '2.9.20-alpine'),
    serverNamePrefix: str('Prefix of each server name.', ''),
    serverTags: {
      type: ['array', 'null'],
      items: { type: 'string' },
      description: 'Server tags for placement.',
      default: null,
    },
    gomemlimit: str('Value of the GOMEMLIMIT variable (Go units such as `4GiB`).', null),
    profiling: obj('The pprof endpoint.', {
      enabled: bool('Opens the profiling port.', false),
      port: int('Profiling port.', 6000),
    }),
    healthcheck: obj('Health probes.', {
      detectHealthz: bool('Guesses /healthz support from the image tag.', true),
      enableHealthz: bool('Uses /healthz for the startup probe.', true),
      enableHealthzLivenessReadiness: bool('Uses /healthz for liveness and readiness.', false),
      liveness: probe(true, 3, 30),
      readiness: probe(true, 3, 10),
      startup: probe(true, 90, 10),
    }),
    hostNetwork: bool('Runs the pods in the host network.', false),
    dnsPolicy: str('Pod DNS policy.', 'ClusterFirst'),
    configChecksumAnnotation: bool('Rolls pods when the config changes.', true),
    securityContext: freeMap('Security context of the nats container.'),
    externalAccess: bool('Binds host ports for clients, gateways and leafnodes.', false),
    advertise: bool("Advertises the node's public address (with externalAccess).", true),
    serviceAccount: obj('ServiceAccount of the server pods.', {
      create: bool('Creates the ServiceAccount.', true),
      annotations: freeMap('Annotations of the ServiceAccount.'),
      name: str('Name of the ServiceAccount.', ''),
    }),
    automountServiceAccountToken: bool('Mounts the ServiceAccount token.', true),
    connectRetries: int('Connect attempts against discovered routes.', 120),
    selectorLabels: freeMap('Replaces the selector labels.'),
    resources: freeMap('Requests and limits of the nats container.'),
    client: obj('Client listener.', {
      port: int('Client port.', 4222),
      portName: str('Name of the client port.', 'client'),
    }),
    extraEnv: {
      type: 'array',
      items: { type: 'object' },
      default: [],
      description: 'Extra EnvVars of the nats container, as a list.',
    },
    limits: obj('Server limits.', {
      maxConnections: int('Maximum client connections.', null),
      maxSubscriptions: int('Maximum subscriptions per connection.', null),
      maxControlLine: {
        type: ['integer', 'string', 'null'],
        description: 'Maximum protocol control line.',
        default: null,
      },
      maxPayload: { type: ['integer', 'string', 'null'], description: 'Maximum message payload.', default: null },
      writeDeadline: str('Write deadline for slow consumers.', null),
      maxPending: {
        type: ['integer', 'string', 'null'],
        description: 'Maximum pending bytes per connection.',
        default: null,
      },
      maxPings: int('Unanswered pings before disconnecting.', null),
      pingInterval: { type: ['integer', 'string', 'null'], description: 'Interval between pings.', default: null },
      lameDuckGracePeriod: str('Grace period before lame duck mode closes connections.', '10s'),
      lameDuckDuration: str('Time over which lame duck mode closes connections.', '30s'),
    }),
    terminationGracePeriodSeconds: int('Pod termination grace period.', 60),
    logging: obj('Logging.', {
      debug: { type: ['boolean', 'null'], description: 'Debug logging.', default: null },
      trace: { type: ['boolean', 'null'], description: 'Protocol trace logging.', default: null },
      logtime: { type: ['boolean', 'null'], description: 'Timestamps in the log.', default: null },
      connectErrorReports: int('Reports every Nth connect error.', null),
      reconnectErrorReports: int('Reports every Nth reconnect error.', null),
    }),
    customConfigSecret: obj('A Secret that replaces the generated nats.conf.', { name: str('Secret name.', null) }),
    config: {
      type: 'array',
      items: { type: 'object' },
      description: 'Extra config files (Secrets or ConfigMaps) included into nats.conf.',
    },
    mappings: freeMap('Subject mappings.'),
    jetstream: obj('JetStream (0.x).', {
      enabled: bool('Turns JetStream on.', false),
      domain: str('JetStream domain.', null),
      uniqueTag: str('Tag prefix that keeps replicas in different zones.', null),
      max_outstanding_catchup: {
        type: ['string', 'integer', 'null'],
        description: 'Listed in values.yaml but ignored: the template reads `maxOutstandingCatchup`.',
        default: null,
      },
      maxOutstandingCatchup: {
        type: ['string', 'integer', 'null'],
        description: 'Maximum outstanding catch-up bytes.',
        default: null,
      },
      encryption: {
        type: ['object', 'null'],
        description: 'Encryption at rest.',
        properties: {
          key: str('Encryption key.', null),
          cipher: { ...str('Cipher.', null), enum: ['aes', 'chachapoly', null] },
          secret: obj('Secret holding the key.', {
            name: str('Secret name.', null),
            key: str('Key in the Secret.', null),
          }),
        },
        additionalProperties: false,
      },
      memStorage: obj('Memory storage.', {
        enabled: bool('Allows memory storage.', true),
        size: quantity('Memory store size.', '1Gi'),
      }),
      fileStorage: obj('File storage.', {
        enabled: bool('Allows file storage.', true),
        storageDirectory: str('Store directory.', '/data'),
        existingClaim: str('Existing PVC to use.', null),
        claimStorageSize: quantity('Size of the existing claim.', null),
        size: quantity('Claim size.', '10Gi'),
        storageClassName: str('StorageClass.', null),
        accessModes: strList('Access modes of the claim.', ['ReadWriteOnce']),
        annotations: { type: ['object', 'null'], description: 'Annotations of the claim.', additionalProperties: true },
      }),
      store_dir: str('Store directory when file storage is not a claim.', null),
      max_file: quantity('File store size when file storage is not a claim.', null),
    }),
    tls: tls('clients'),
  });
}

function protocolTls(what: string, props: Record<string, JsonSchema>): JsonSchema {
  return obj(what, { ...props, tls: tls(what) });
}

/** Builds the chart 0.x values schema (draft-07), the same object that is written to schemas/nats-values-0.x.schema.json. */
export function buildLegacySchema(): JsonSchema {
  const list = (description: string): JsonSchema => ({ type: 'array', description, default: [], items: {} });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: LEGACY_SCHEMA_ID,
    title: 'NATS Helm chart values (chart 0.x)',
    description: 'values.yaml of the `nats` chart 0.x (last release 0.19.17). Chart 1.x/2.x uses another layout.',
    type: 'object',
    additionalProperties: false,
    definitions: sharedDefinitions(),
    properties: {
      nats: natsSchema(),
      mqtt: protocolTls('MQTT', {
        enabled: bool('Turns MQTT on.', false),
        ackWait: str('MQTT ack wait.', '1m'),
        maxAckPending: int('MQTT max ack pending.', 100),
        noAuthUser: str('User for clients without credentials.', null),
      }),
      nameOverride: str('Replaces the chart name.', ''),
      namespaceOverride: str('Installs into this namespace.', ''),
      fullnameOverride: str('Replaces the full name.', null),
      imagePullSecrets: {
        type: 'array',
        items: { type: 'object' },
        default: [],
        description: 'Image pull Secrets as `{name}` objects.',
      },
      securityContext: freeMap('Pod security context.'),
      affinity: freeMap('Pod affinity.'),
      priorityClassName: str('Pod priority class.', null),
      topologyKeys: list('Service topology keys (removed from Kubernetes).'),
      topologySpreadConstraints: list('Pod topology spread constraints, as a list.'),
      podAnnotations: freeMap('Annotations of the NATS pods.'),
      podDisruptionBudget: obj('PodDisruptionBudget.', {
        enabled: bool('Creates the PDB.', true),
        maxUnavailable: { type: ['integer', 'string'], default: 1, description: 'Pods that may be down.' },
        minAvailable: { type: ['integer', 'string'], description: 'Pods that must stay up.' },
      }),
      nodeSelector: freeMap('Node selector of the NATS pods.'),
      tolerations: list('Tolerations of the NATS pods.'),
      statefulSetAnnotations: freeMap('Annotations of the StatefulSet.'),
      statefulSetPodLabels: freeMap('Labels of the NATS pods.'),
      serviceAnnotations: freeMap('Annotations of the (headless) Service.'),
      additionalContainers: list('Sidecar containers.'),
      additionalVolumes: list('Extra pod volumes.'),
      additionalVolumeMounts: list('Extra mounts for the nats and reloader containers.'),
      cluster: obj('Clustering (0.x).', {
        enabled: bool('Turns clustering on.', false),
        replicas: int('Pods in the cluster.', 3),
        noAdvertise: bool('Stops advertising cluster addresses to clients.', false),
        name: str('Cluster name.', null),
        extraRoutes: list('Extra route URLs.'),
        authorization,
        tls: tls('routes'),
      }),
      leafnodes: protocolTls('Leafnodes', {
        enabled: bool('Turns leafnodes on.', false),
        port: int('Leafnodes port.', 7422),
        noAdvertise: bool('Stops advertising leafnode addresses.', false),
        remotes: list('Remote leafnode connections.'),
        authorization,
      }),
      gateway: protocolTls('Gateway', {
        enabled: bool('Turns the gateway on.', false),
        port: int('Gateway port.', 7522),
        name: str('Gateway name.', 'default'),
        authorization,
        rejectUnknownCluster: bool('Rejects unknown clusters.', false),
        advertise: str('Advertised address.', null),
        gateways: list('Remote gateways.'),
        connectRetries: int('Connect attempts.', null),
      }),
      bootconfig: obj('Init container that discovers public addresses.', {
        image: image('bootconfig', 'natsio/nats-boot-config', '0.11.0'),
        securityContext: freeMap('Security context.'),
        resources: freeMap('Resources.'),
      }),
      natsbox: obj('nats-box (0.x).', {
        enabled: bool('Deploys nats-box.', true),
        image: image('nats-box', 'natsio/nats-box', '0.13.8'),
        securityContext: freeMap('Security context.'),
        resources: freeMap('Resources.'),
        annotations: freeMap('Deployment annotations.'),
        additionalLabels: freeMap('Deployment labels.'),
        imagePullSecrets: list('Image pull Secrets.'),
        credentials: obj('Creds file Secret.', {
          secret: obj('Secret.', { name: str('Secret name.', null), key: str('Key in the Secret.', null) }),
        }),
        podAnnotations: freeMap('Pod annotations.'),
        podLabels: freeMap('Pod labels.'),
        affinity: freeMap('Pod affinity.'),
        nodeSelector: freeMap('Node selector.'),
        tolerations: list('Tolerations.'),
        extraVolumeMounts: list('Extra mounts.'),
        extraVolumes: list('Extra volumes.'),
        automountServiceAccountToken: bool('Mounts the ServiceAccount token.', true),
      }),
      reloader: obj('Config reloader (0.x).', {
        enabled: bool('Runs the reloader.', true),
        image: image('reloader', 'natsio/nats-server-config-reloader', '0.11.0'),
        securityContext: freeMap('Security context.'),
        resources: freeMap('Resources.'),
        extraConfigs: list('Extra files to watch.'),
      }),
      exporter: obj('Prometheus exporter (0.x).', {
        enabled: bool('Runs the exporter.', true),
        image: image('exporter', 'natsio/prometheus-nats-exporter', '0.12.0'),
        portName: str('Name of the metrics port.', 'metrics'),
        securityContext: freeMap('Security context.'),
        resources: freeMap('Resources.'),
        args: list('Exporter arguments.'),
        serviceMonitor: obj('prometheus-operator ServiceMonitor.', {
          enabled: bool('Creates the ServiceMonitor.', false),
          namespace: str('Namespace.', null),
          labels: freeMap('Labels.'),
          annotations: freeMap('Annotations.'),
          path: str('Metrics path.', '/metrics'),
          interval: str('Scrape interval.', null),
          scrapeTimeout: str('Scrape timeout.', null),
        }),
      }),
      auth: obj('Authentication (0.x).', {
        enabled: bool('Turns authentication on.', false),
        basic: obj('Users and accounts.', {
          noAuthUser: str('User for clients without credentials.', null),
          users: list('Users.'),
          defaultPermissions: freeMap('Default permissions.'),
          accounts: freeMap('Accounts.'),
        }),
        operatorjwt: obj('Operator JWT.', {
          configMap: obj('ConfigMap.', { name: str('Name.', null), key: str('Key.', null) }),
        }),
        token: str('Token.', null),
        nkeys: obj('NKey users.', { users: list('Users.') }),
        systemAccount: str('System account.', null),
        timeout: { type: ['number', 'string'], description: 'Authentication timeout.' },
        resolver: obj('Account resolver.', {
          type: { ...str('Resolver type.', 'none'), enum: ['none', 'full', 'memory', 'URL'] },
          allowDelete: bool('Allows deleting JWTs.', false),
          interval: str('Sync interval.', '2m'),
          operator: str('Operator JWT.', null),
          systemAccount: str('System account.', null),
          resolverPreload: freeMap('Preloaded account JWTs.'),
          store: obj('JWT store.', {
            dir: str('Directory.', '/accounts/jwt'),
            size: quantity('Size.', '1Gi'),
            storageClassName: str('StorageClass.', null),
          }),
          configMap: obj('Memory resolver config.', { name: str('Name.', null), key: str('Key.', null) }),
          url: str('URL resolver address.', null),
        }),
      }),
      websocket: protocolTls('Websocket', {
        enabled: bool('Turns websocket on.', false),
        port: int('Websocket port.', 443),
        noTLS: bool('Serves websocket without TLS.', true),
        sameOrigin: bool('Requires same-origin requests.', false),
        allowedOrigins: strList('Allowed origins.'),
        advertise: str('Advertised address.', null),
        handshakeTimeout: str('Handshake timeout.', null),
      }),
      networkPolicy: obj('NetworkPolicy.', {
        enabled: bool('Creates the NetworkPolicy.', false),
        allowExternal: bool('Accepts traffic from any pod.', true),
        extraIngress: list('Extra ingress rules.'),
        extraEgress: list('Extra egress rules.'),
        ingressNSMatchLabels: freeMap('Namespace labels allowed in.'),
        ingressNSPodMatchLabels: freeMap('Pod labels allowed in.'),
      }),
      k8sClusterDomain: str('Cluster DNS domain.', 'cluster.local'),
      useFQDN: bool('Uses full DNS names in routes.', true),
      commonLabels: freeMap('Labels of every object.'),
      podManagementPolicy: {
        ...str('StatefulSet pod management policy.', 'Parallel'),
        enum: ['Parallel', 'OrderedReady'],
      },
      pidVolume: freeMap('Volume shared for the pid file.'),
      advertiseconfigVolume: freeMap('Volume shared for the advertise config.'),
    },
  };
}
