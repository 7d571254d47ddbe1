import {
  bool,
  freeMap,
  int,
  mergeKey,
  mergePatch,
  nameKey,
  obj,
  patchKey,
  quantity,
  sharedDefinitions,
  str,
  strList,
  type JsonSchema,
} from './schemaBuilders';

// The values schema of the NATS Helm chart 1.x/2.x (chart 2.14.2; 1.3.16 differs only where a description says so).
// Facts come from the chart's values.yaml and templates (../shared/reference/helm-chart.md §1–§3).

export const CHART_SCHEMA_ID = 'https://nats-k3s.dev/schemas/nats-values.schema.json';

const PULL_POLICY = ['Always', 'IfNotPresent', 'Never'];

function image(component: string, repository: string, tag: string, extra: Record<string, JsonSchema> = {}): JsonSchema {
  return obj(`Image of the ${component} container.`, {
    repository: str('Image repository, without the registry.', repository),
    tag: str('Image tag; ignored when `digest` or `fullImageName` is set.', tag),
    pullPolicy: {
      ...str('Pull policy; empty falls back to `global.image.pullPolicy`, then to the Kubernetes default.', null),
      enum: [...PULL_POLICY, null],
    },
    registry: str('Registry host; empty falls back to `global.image.registry`.', null),
    digest: str('Image digest such as `sha256:…`; overrides `tag` (chart 1.2.11+).', null),
    fullImageName: str(
      'Complete image reference; overrides registry, repository, tag and digest (chart 1.2.11+).',
      null,
    ),
    ...extra,
  });
}

function tls(protocol: string, dir: string): JsonSchema {
  return obj(`TLS for the ${protocol} listener.`, {
    enabled: bool(`Renders a \`tls\` block for ${protocol}.`, false),
    secretName: str(
      'Existing Secret with the certificate and key, mounted at `dir`; without it no certificate is configured unless `merge` names one.',
      null,
    ),
    dir: str('Directory the Secret is mounted at.', dir),
    cert: str('File name of the certificate inside the Secret.', 'tls.crt'),
    key: str('File name of the private key inside the Secret.', 'tls.key'),
    ...mergePatch(`${protocol} \`tls\` block (e.g. \`verify\`, \`ca_file\`)`),
  });
}

function pvc(what: string, size: string, computedName: string): JsonSchema {
  return obj(
    `Volume claim template for the ${what}. Immutable once installed: the StatefulSet refuses changes to it.`,
    {
      enabled: bool(
        `Creates a PersistentVolumeClaim per pod for the ${what}; off means the data lives in the pod's filesystem.`,
        true,
      ),
      size: quantity(`Requested storage per pod (Kubernetes quantity such as \`${size}\`).`, size),
      storageClassName: str('StorageClass of the claim; empty uses the cluster default.', null),
      ...mergePatch('PersistentVolumeClaim template (e.g. `spec.accessModes`, `metadata.annotations`)'),
      name: nameKey(computedName),
    },
  );
}

function protocol(name: string, port: number, tlsDir: string, mergeWhat: string): JsonSchema {
  return obj(`The ${name} listener.`, {
    enabled: bool(`Turns the ${name} listener on (config block, container port and Service port).`, false),
    port: int(`Port the ${name} listener binds.`, port, { minimum: 1, maximum: 65535 }),
    tls: tls(name, tlsDir),
    ...mergePatch(mergeWhat),
  });
}

const ENV_DESCRIPTION =
  'Environment variables by name: a string becomes `value`, a map is merged into the EnvVar (e.g. `valueFrom`). Any other type fails the render.';

function env(): JsonSchema {
  return {
    type: 'object',
    description: ENV_DESCRIPTION,
    default: {},
    additionalProperties: {
      type: ['string', 'object'],
      description: 'A string value, or EnvVar fields such as `valueFrom`.',
    },
  };
}

function servicePort(description: string, enabled: boolean): JsonSchema {
  return {
    type: 'object',
    description,
    properties: {
      enabled: bool(
        'Exposes this port on the ClusterIP Service (the protocol must also be enabled under `config`).',
        enabled,
      ),
    },
    additionalProperties: true,
  };
}

function containerPort(name: string): JsonSchema {
  return freeMap(
    `Extra ContainerPort fields for the ${name} port (e.g. \`hostPort\`); \`name\` and \`containerPort\` are set by the chart.`,
  );
}

function objectOverride(what: string, computedName: string, extra: Record<string, JsonSchema> = {}): JsonSchema {
  return obj(`The ${what}.`, { ...extra, ...mergePatch(what), name: nameKey(computedName) });
}

function natsBoxContext(): JsonSchema {
  return obj('A nats CLI context in nats-box, stored in the contexts Secret.', {
    creds: obj('Credentials file for this context.', {
      contents: str('Creds file contents; the chart stores them in the contents Secret.', null),
      secretName: str('Existing Secret holding the creds file.', null),
      dir: str('Mount directory; empty means `/etc/nats-creds/<context>`.', null),
      key: str('File name of the creds file inside the Secret.', 'nats.creds'),
    }),
    nkey: obj('NKey seed file for this context.', {
      contents: str('NKey seed contents; the chart stores them in the contents Secret.', null),
      secretName: str('Existing Secret holding the seed.', null),
      dir: str('Mount directory; empty means `/etc/nats-nkeys/<context>`.', null),
      key: str('File name of the seed inside the Secret.', 'nats.nk'),
    }),
    tls: obj('Client certificate for this context.', {
      secretName: str('Existing Secret with the client certificate and key.', null),
      dir: str('Mount directory; empty means `/etc/nats-certs/<context>`.', null),
      cert: str('File name of the certificate inside the Secret.', 'tls.crt'),
      key: str('File name of the key inside the Secret.', 'tls.key'),
    }),
    ...mergePatch('context JSON (`url`, `user`, `password`, `token`, …)'),
  });
}

function configSchema(): JsonSchema {
  return obj("Settings that generate the server's `nats.conf`.", {
    cluster: obj("Clustering of the StatefulSet's pods through routes.", {
      enabled: bool(
        'Renders the `cluster` block; the StatefulSet runs `replicas` pods only when this is on, else 1.',
        false,
      ),
      port: int('Route port.', 6222, { minimum: 1, maximum: 65535 }),
      replicas: int(
        'Pods in the StatefulSet when clustering is on; use 3 or 5 with JetStream so a majority survives one loss.',
        3,
        { minimum: 1 },
      ),
      noAdvertise: bool(
        'Stops servers advertising their addresses to clients (chart 2.12.4+; earlier charts always set it).',
        true,
      ),
      routeURLs: obj('How the generated route URLs to the other pods are written.', {
        user: str('Route user; used only together with `password`.', null),
        password: str('Route password; used only together with `user`.', null),
        useFQDN: bool('Writes routes with the full `svc.<domain>` name instead of the short headless name.', false),
        k8sClusterDomain: str('Cluster DNS domain used when `useFQDN` is on.', 'cluster.local'),
      }),
      tls: tls('cluster', '/etc/nats-certs/cluster'),
      ...mergePatch('`cluster` block (e.g. `name`, `advertise`, `connect_retries`)'),
    }),
    jetstream: obj('JetStream persistence.', {
      enabled: bool('Renders the `jetstream` block and its volume claim; off means no streams or KV at all.', false),
      fileStore: obj('File-backed storage.', {
        enabled: bool('Allows file storage; off renders `max_file_store: 0` and file streams cannot be created.', true),
        dir: str('Store directory (`store_dir`) and mount path of the claim.', '/data'),
        pvc: pvc('JetStream file store', '10Gi', '<fullname>-js'),
        maxSize: quantity(
          '`max_file_store`; empty uses the claim size. Keep it a little below the claim size, which is never fully usable.',
          null,
        ),
      }),
      memoryStore: obj('Memory-backed storage.', {
        enabled: bool('Allows memory storage; off renders `max_memory_store: 0` (0.x charts had it on).', false),
        maxSize: quantity('`max_memory_store`; the container memory limit must be larger.', '1Gi'),
      }),
      ...mergePatch('`jetstream` block (`domain`, `unique_tag`, `max_outstanding_catchup`, `key`, `cipher`, …)'),
    }),
    nats: obj('The client listener. It has no merge/patch: root options go in `config.merge`.', {
      port: int('Client port.', 4222, { minimum: 1, maximum: 65535 }),
      tls: tls('client', '/etc/nats-certs/nats'),
    }),
    leafnodes: protocol(
      'leafnodes',
      7422,
      '/etc/nats-certs/leafnodes',
      '`leafnodes` block (`remotes`, `authorization`, …)',
    ),
    websocket: obj('The websocket listener.', {
      enabled: bool('Turns the websocket listener on; without TLS the chart renders `no_tls: true`.', false),
      port: int('Websocket port.', 8080, { minimum: 1, maximum: 65535 }),
      tls: tls('websocket', '/etc/nats-certs/websocket'),
      ingress: obj(
        'Ingress in front of the websocket port; created only with `hosts`, `websocket.enabled`, `service.enabled` and `service.ports.websocket.enabled`.',
        {
          enabled: bool('Creates the Ingress.', false),
          hosts: strList('Host names routed to the websocket port; at least one is needed for the Ingress to exist.'),
          path: str('HTTP path routed to the websocket port.', '/'),
          pathType: { ...str('How `path` is matched.', 'Exact'), enum: ['Exact', 'Prefix', 'ImplementationSpecific'] },
          className: str('IngressClass name.', null),
          tlsSecretName: str('Existing TLS Secret for all hosts; empty serves plain HTTP.', null),
          ...mergePatch('Ingress'),
          name: nameKey('<fullname>-ws'),
        },
      ),
      ...mergePatch('`websocket` block (`same_origin`, `allowed_origins`, `compression`, …)'),
    }),
    mqtt: protocol('MQTT', 1883, '/etc/nats-certs/mqtt', '`mqtt` block (`ack_wait`, `max_ack_pending`, …)'),
    gateway: protocol(
      'gateway',
      7222,
      '/etc/nats-certs/gateway',
      '`gateway` block (`gateways`, `advertise`, …); the gateway name is the StatefulSet name',
    ),
    monitor: obj('The HTTP monitoring endpoint; the probes depend on it.', {
      enabled: bool('Serves `/healthz`, `/varz`…; off also removes every probe.', true),
      port: int('Monitoring port.', 8222, { minimum: 1, maximum: 65535 }),
      tls: obj('HTTPS for monitoring.', {
        enabled: bool(
          'Serves monitoring over HTTPS with the client certificate; needs `config.nats.tls.enabled`.',
          false,
        ),
      }),
    }),
    profiling: obj('The pprof endpoint.', {
      enabled: bool('Opens `prof_port` for Go profiling.', false),
      port: int('Profiling port.', 65432, { minimum: 1, maximum: 65535 }),
    }),
    resolver: obj('The account resolver for JWT (operator mode) auth.', {
      enabled: bool('Renders `resolver: { dir }` and its claim; set `merge.type` (usually `full`) as well.', false),
      dir: str('Directory of the account JWTs.', '/data/resolver'),
      pvc: pvc('resolver', '1Gi', '<fullname>-resolver'),
      ...mergePatch('`resolver` block (`type`, `interval`, `allow_delete`, …)'),
    }),
    serverNamePrefix: str('Prefix of each server name (the pod name); helps keep names unique in a super-cluster.', ''),
    merge: mergeKey(
      'root of nats.conf (`accounts`, `authorization`, `operator`, `max_payload`, …). Wrap sizes and variables in `<< >>`; keys ending in `$include` become includes',
    ),
    patch: patchKey('root of nats.conf'),
  });
}

/** Builds the chart 1.x/2.x values schema (draft-07), the same object that is written to schemas/nats-values.schema.json. */
export function buildChartSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: CHART_SCHEMA_ID,
    title: 'NATS Helm chart values (chart 1.x/2.x)',
    description:
      'values.yaml of the `nats` chart from github.com/nats-io/k8s, chart 1.x and 2.x. Helm silently ignores keys the chart does not know, so unknown keys are refused here.',
    type: 'object',
    additionalProperties: false,
    definitions: sharedDefinitions(),
    properties: {
      global: obj('Settings applied to every object and image the chart renders.', {
        image: obj('Image defaults for every container.', {
          pullPolicy: { ...str('Pull policy used where an image sets none.', null), enum: [...PULL_POLICY, null] },
          pullSecretNames: strList(
            'Names of image pull Secrets in the release namespace, as plain strings (chart 1.1.4+).',
          ),
          registry: str('Registry used where an image sets none.', null),
        }),
        labels: freeMap(
          'Labels added to every rendered object and pod template (not to selectors or claim templates).',
        ),
      }),
      nameOverride: str('Replaces the chart name in object names and the `app.kubernetes.io/name` label.', null),
      fullnameOverride: str('Replaces the computed full name (release + chart) used for every object.', null),
      namespaceOverride: str('Installs the objects into this namespace instead of the release namespace.', null),
      tlsCA: obj('A CA certificate added to every enabled `tls` block and to the nats-box context.', {
        enabled: bool('Mounts the CA and adds `ca_file`; needs `configMapName` or `secretName`.', false),
        configMapName: str('Existing ConfigMap holding the CA.', null),
        secretName: str('Existing Secret holding the CA.', null),
        dir: str('Mount directory of the CA.', '/etc/nats-ca-cert'),
        key: str('File name of the CA inside the ConfigMap or Secret.', 'ca.crt'),
      }),
      config: configSchema(),
      container: obj('The nats-server container of the StatefulSet.', {
        image: image('nats-server', 'nats', '2.14.2-alpine'),
        ports: obj(
          'Extra fields for the container ports; a port exists only when its protocol is enabled under `config`.',
          {
            nats: containerPort('client'),
            leafnodes: containerPort('leafnodes'),
            websocket: containerPort('websocket'),
            mqtt: containerPort('MQTT'),
            cluster: containerPort('cluster'),
            gateway: containerPort('gateway'),
            monitor: containerPort('monitor'),
            profiling: containerPort('profiling'),
          },
        ),
        env: env(),
        ...mergePatch('container (patch paths like `/args/-`)'),
        resources: freeMap(
          'Requests and limits of the nats-server container (chart 1.3.15+; older charts need `container.merge.resources`). Set memory requests = limits and GOMEMLIMIT at about 80% of the limit.',
        ),
      }),
      reloader: obj('The config reloader sidecar, which signals the server when its config or certificates change.', {
        enabled: bool(
          'Runs the reloader; without it (and without the checksum annotation) config changes need a manual restart.',
          true,
        ),
        image: image('config reloader', 'natsio/nats-server-config-reloader', '0.23.0'),
        env: env(),
        natsVolumeMountPrefixes: strList(
          'nats-server mounts whose path starts with one of these are also mounted into the reloader.',
          ['/etc/'],
        ),
        ...mergePatch('reloader container (resources, securityContext, …)'),
      }),
      promExporter: obj('The Prometheus exporter sidecar; it reads the monitoring endpoint.', {
        enabled: bool('Runs the exporter (needs `config.monitor.enabled`); 0.x charts ran it by default.', false),
        image: image('Prometheus exporter', 'natsio/prometheus-nats-exporter', '0.20.1'),
        port: int('Metrics port (`prom-metrics`).', 7777, { minimum: 1, maximum: 65535 }),
        monitorDomain: str(
          'Host the exporter scrapes; with monitor TLS it must match the certificate (chart 1.3.3+).',
          'localhost',
        ),
        env: env(),
        ...mergePatch('exporter container'),
        podMonitor: obj('A prometheus-operator PodMonitor for the exporter.', {
          enabled: bool('Creates the PodMonitor; needs `promExporter.enabled` and the PodMonitor CRD.', false),
          ...mergePatch('PodMonitor'),
          name: nameKey('<fullname>'),
        }),
      }),
      service: obj('The ClusterIP Service clients connect to.', {
        enabled: bool('Creates the Service; nats-box then connects through it.', true),
        ports: obj('Which ports the Service exposes; extra ServicePort fields (`port`, `nodePort`) pass through.', {
          nats: servicePort('Client port.', true),
          leafnodes: servicePort('Leafnodes port.', true),
          websocket: servicePort('Websocket port.', true),
          mqtt: servicePort('MQTT port.', true),
          cluster: servicePort('Cluster port.', false),
          gateway: servicePort('Gateway port.', false),
          monitor: servicePort('Monitoring port.', false),
          profiling: servicePort('Profiling port.', false),
        }),
        ...mergePatch('Service (e.g. `spec.type: LoadBalancer`)'),
        name: nameKey('<fullname>'),
      }),
      statefulSet: objectOverride('StatefulSet (replicas come from `config.cluster.replicas`)', '<fullname>'),
      podTemplate: obj('The pod template of the StatefulSet.', {
        configChecksumAnnotation: bool(
          'Rolls the pods on every config change via a checksum annotation; default false since 2.12.4 (true in 1.x).',
          false,
        ),
        topologySpreadConstraints: {
          type: 'object',
          description: 'Spread constraints keyed by topologyKey; the chart adds `topologyKey` and the label selector.',
          default: {},
          additionalProperties: {
            type: 'object',
            description: 'Constraint fields such as `maxSkew` and `whenUnsatisfiable`.',
          },
        },
        ...mergePatch(
          'pod template (`spec.nodeSelector`, `spec.tolerations`, `spec.affinity`, …; container changes belong in `container.merge`)',
        ),
      }),
      headlessService: objectOverride('headless Service used for routes and pod DNS', '<fullname>-headless'),
      configMap: objectOverride(
        'ConfigMap holding nats.conf (add `data.<file>.conf` for `$include`s)',
        '<fullname>-config',
      ),
      podDisruptionBudget: objectOverride('PodDisruptionBudget (`maxUnavailable: 1`)', '<fullname>', {
        enabled: bool('Creates the PodDisruptionBudget.', true),
      }),
      serviceAccount: objectOverride('ServiceAccount of the server pods', '<fullname>', {
        enabled: bool('Creates a ServiceAccount for the server pods (0.x charts created one by default).', false),
      }),
      natsBox: obj('nats-box, a Deployment with the nats CLI preconfigured to reach this server.', {
        enabled: bool('Deploys nats-box.', true),
        contexts: {
          type: 'object',
          description: 'nats CLI contexts by name.',
          properties: { default: natsBoxContext() },
          additionalProperties: natsBoxContext(),
        },
        defaultContextName: str('Context selected when nats-box starts.', 'default'),
        container: obj('The nats-box container.', {
          image: image('nats-box', 'natsio/nats-box', '0.19.7', {
            resources: freeMap(
              'Has no effect: the chart reads `natsBox.container.resources` (a values.yaml slip since 1.3.15).',
            ),
          }),
          env: env(),
          ...mergePatch('nats-box container'),
          resources: freeMap('Requests and limits of the nats-box container (chart 1.3.15+).'),
        }),
        deployment: objectOverride('nats-box Deployment', '<fullname>-box'),
        podTemplate: obj('The nats-box pod template.', mergePatch('nats-box pod template')),
        contextsSecret: objectOverride('Secret with the context JSON files', '<fullname>-box-contexts'),
        contentsSecret: objectOverride('Secret with creds and nkey contents', '<fullname>-box-contents'),
        serviceAccount: objectOverride('nats-box ServiceAccount', '<fullname>-box', {
          enabled: bool('Creates a ServiceAccount for nats-box.', false),
        }),
      }),
      extraResources: {
        type: 'array',
        description: 'Extra Kubernetes manifests rendered with the release; `$tplYaml` works inside them.',
        default: [],
        items: { type: 'object' },
      },
    },
  };
}
