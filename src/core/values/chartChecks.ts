import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { inlineText } from './messageText';
import { isBareSizeWithUnit, parseGoMemLimit, parseQuantity } from './quantities';
import type { LineIndex } from './textPositions';
import type { ChartVersion, DiagnosticSeverity, ValuesDiagnostic } from './valuesTypes';

// Chart-aware checks beyond the schema (helm-chart.md §6): each one a behaviour read from the 1.x/2.x templates.

type Values = Record<string, unknown>;

interface CheckContext {
  doc: Document;
  lines: LineIndex;
  root: string[];
  values: Values;
  version: ChartVersion;
  out: ValuesDiagnostic[];
}

function get(values: unknown, path: string): unknown {
  let v: unknown = values;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Values)[k];
  }
  return v;
}

function isSet(values: unknown, path: string): boolean {
  const v = get(values, path);
  return v !== undefined && v !== null;
}

/** Range of the key at `path` (or of its deepest existing ancestor), so a warning sits on what the user wrote. */
function keyRange(ctx: CheckContext, path: string): [number, number] {
  let node: unknown = ctx.doc.contents;
  let range: [number, number] = [0, 0];
  for (const key of [...ctx.root, ...path.split('.')]) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    if (!pair) break;
    const r = (pair.key as Node).range;
    if (r) range = [r[0], r[1]];
    node = pair.value;
  }
  return range;
}

function report(ctx: CheckContext, check: string, path: string, severity: DiagnosticSeverity, message: string): void {
  const [s, e] = keyRange(ctx, path);
  ctx.out.push({ range: ctx.lines.range(s, e), severity, code: 'chart-check', check, path, message });
}

function memoryLimit(values: Values, container: string): { bytes: number; path: string } | undefined {
  for (const path of [`${container}.resources.limits.memory`, `${container}.merge.resources.limits.memory`]) {
    const bytes = parseQuantity(get(values, path));
    if (bytes !== undefined) return { bytes, path };
  }
  return undefined;
}

function clusterChecks(ctx: CheckContext): void {
  const v = ctx.values;
  const clustered = get(v, 'config.cluster.enabled') === true;
  const jetstream = get(v, 'config.jetstream.enabled') === true;
  const replicas = get(v, 'config.cluster.replicas') ?? 3;
  const replicasPath = isSet(v, 'config.cluster.replicas') ? 'config.cluster.replicas' : 'config.cluster.enabled';
  if (clustered && jetstream && typeof replicas === 'number') {
    if (replicas < 3)
      report(
        ctx,
        'jetstream-replicas',
        replicasPath,
        replicas < 2 ? 'error' : 'warning',
        `A JetStream cluster of ${replicas} cannot lose a server and keep a majority${replicas < 2 ? ', and with 1 the pods never become ready' : ''}: use 3 or 5 replicas.`,
      );
    else if (replicas % 2 === 0)
      report(
        ctx,
        'jetstream-replicas',
        replicasPath,
        'warning',
        `${replicas} replicas tolerate no more failures than ${replicas - 1}: prefer an odd number (3 or 5).`,
      );
  }
  if (!clustered && isSet(v, 'config.cluster.replicas') && replicas !== 3)
    report(
      ctx,
      'replicas-ignored',
      'config.cluster.replicas',
      'information',
      'Ignored while `config.cluster.enabled` is false: the StatefulSet runs 1 pod.',
    );
  if (isSet(v, 'config.cluster.routeURLs.user') !== isSet(v, 'config.cluster.routeURLs.password')) {
    report(
      ctx,
      'route-credentials',
      isSet(v, 'config.cluster.routeURLs.user') ? 'config.cluster.routeURLs.user' : 'config.cluster.routeURLs.password',
      'warning',
      'Route credentials are used only when both `user` and `password` are set.',
    );
  }
}

function jetstreamChecks(ctx: CheckContext): void {
  const v = ctx.values;
  if (get(v, 'config.jetstream.enabled') !== true) {
    if (isSet(v, 'config.merge.jetstream'))
      report(
        ctx,
        'merge-block-disabled',
        'config.merge.jetstream',
        'warning',
        'The server gets a `jetstream` block but no volume claim: set `config.jetstream.enabled: true` and put options in `config.jetstream.merge`.',
      );
    return;
  }
  const memory = get(v, 'config.jetstream.memoryStore.enabled') === true;
  const limit = memoryLimit(v, 'container');
  const memMax = parseQuantity(get(v, 'config.jetstream.memoryStore.maxSize') ?? '1Gi');
  if (memory && limit && memMax !== undefined && memMax >= limit.bytes) {
    report(
      ctx,
      'memory-store-limit',
      'config.jetstream.memoryStore.maxSize',
      'warning',
      `The memory store (${String(get(v, 'config.jetstream.memoryStore.maxSize') ?? '1Gi')}) must stay below the container memory limit (${String(get(v, limit.path))}), or the pod is OOM-killed when streams fill up.`,
    );
  }
  if (!limit)
    report(
      ctx,
      'no-memory-limit',
      'config.jetstream.enabled',
      'information',
      'JetStream runs without a memory limit: set `container.resources.limits.memory` (equal to the request) and GOMEMLIMIT at about 80% of it.',
    );
  const gomem = get(v, 'container.env.GOMEMLIMIT');
  if (gomem !== undefined && typeof gomem === 'string') {
    const bytes = parseGoMemLimit(gomem);
    if (bytes === undefined)
      report(
        ctx,
        'gomemlimit-units',
        'container.env.GOMEMLIMIT',
        'warning',
        `Go does not read \`${inlineText(gomem)}\`: GOMEMLIMIT takes B, KiB, MiB, GiB or TiB (\`GiB\`, not \`Gi\`).`,
      );
    else if (limit && bytes > limit.bytes)
      report(
        ctx,
        'gomemlimit-above-limit',
        'container.env.GOMEMLIMIT',
        'warning',
        'GOMEMLIMIT is above the container memory limit, so the Go runtime never frees memory in time: set it to about 80% of the limit.',
      );
  }
  const pvcSize = parseQuantity(get(v, 'config.jetstream.fileStore.pvc.size') ?? '10Gi');
  const maxSize = parseQuantity(get(v, 'config.jetstream.fileStore.maxSize'));
  if (
    get(v, 'config.jetstream.fileStore.pvc.enabled') !== false &&
    pvcSize !== undefined &&
    maxSize !== undefined &&
    maxSize >= pvcSize
  ) {
    report(
      ctx,
      'file-store-size',
      'config.jetstream.fileStore.maxSize',
      'warning',
      maxSize > pvcSize
        ? 'The file store may grow past the volume claim (`fileStore.pvc.size`): the disk fills before JetStream stops writing.'
        : 'A file store as large as its claim is never reachable (the filesystem is smaller): keep `maxSize` a little below `pvc.size`.',
    );
  }
  for (const store of ['fileStore', 'memoryStore']) {
    const path = `config.jetstream.${store}.enabled`;
    if (get(v, path) === false)
      report(
        ctx,
        'store-disabled',
        path,
        'information',
        `${store === 'fileStore' ? 'File' : 'Memory'} streams cannot be created: the chart renders \`max_${store === 'fileStore' ? 'file' : 'memory'}_store: 0\` ("insufficient storage resources").`,
      );
  }
}

function podChecks(ctx: CheckContext): void {
  const v = ctx.values;
  const imageResources = get(v, 'natsBox.container.image.resources');
  if (imageResources && typeof imageResources === 'object' && Object.keys(imageResources).length > 0) {
    report(
      ctx,
      'natsbox-image-resources',
      'natsBox.container.image.resources',
      'warning',
      'Has no effect: the chart reads `natsBox.container.resources`.',
    );
  }
  for (const path of [
    'podTemplate.merge.spec.containers',
    'natsBox.podTemplate.merge.spec.containers',
    'statefulSet.merge.spec.template',
    'podTemplate.merge.spec.volumes',
    'statefulSet.merge.spec.volumeClaimTemplates',
  ]) {
    if (isSet(v, path))
      report(
        ctx,
        'merge-replaces-list',
        path,
        'warning',
        'merge replaces lists whole, so this drops what the chart renders there (its containers, volumes or claims): use `container.merge` or a `patch` with `add`.',
      );
  }
  if (get(v, 'reloader.enabled') === false && get(v, 'podTemplate.configChecksumAnnotation') !== true) {
    report(
      ctx,
      'config-never-applied',
      'reloader.enabled',
      'warning',
      'With no reloader and no checksum annotation, config changes reach the servers only after a manual restart: set `podTemplate.configChecksumAnnotation: true`.',
    );
  }
  for (const container of ['container', 'reloader', 'promExporter', 'natsBox.container']) {
    const patch = get(v, `${container}.patch`);
    if (Array.isArray(patch)) {
      patch.forEach((op) => {
        if (
          op &&
          typeof op === 'object' &&
          typeof (op as Values)['path'] === 'string' &&
          String((op as Values)['path']).startsWith('/spec/')
        ) {
          report(
            ctx,
            'patch-path-relative',
            `${container}.patch`,
            'warning',
            `\`${container}.patch\` paths are relative to the container (\`/args/-\`, \`/volumeMounts/-\`), not to the pod: \`${inlineText(String((op as Values)['path']))}\` fails the render.`,
          );
        }
      });
    }
  }
}

const TLS_BLOCKS = [
  'config.nats.tls',
  'config.cluster.tls',
  'config.leafnodes.tls',
  'config.websocket.tls',
  'config.mqtt.tls',
  'config.gateway.tls',
];

function featureChecks(ctx: CheckContext): void {
  const v = ctx.values;
  for (const tls of TLS_BLOCKS) {
    if (get(v, `${tls}.enabled`) === true && !isSet(v, `${tls}.secretName`) && !isSet(v, `${tls}.merge.cert_file`))
      report(
        ctx,
        'tls-without-certificate',
        `${tls}.enabled`,
        'warning',
        'TLS is on but no certificate is configured: set `secretName` (or `merge.cert_file`).',
      );
  }
  if (get(v, 'tlsCA.enabled') === true && !isSet(v, 'tlsCA.configMapName') && !isSet(v, 'tlsCA.secretName'))
    report(
      ctx,
      'tls-ca-source',
      'tlsCA.enabled',
      'warning',
      '`tlsCA` needs `configMapName` or `secretName` to mount the CA from.',
    );
  if (get(v, 'config.monitor.tls.enabled') === true && get(v, 'config.nats.tls.enabled') !== true)
    report(
      ctx,
      'monitor-tls',
      'config.monitor.tls.enabled',
      'warning',
      'Monitor TLS uses the client certificate: enable `config.nats.tls` too.',
    );
  if (get(v, 'promExporter.enabled') === true && get(v, 'config.monitor.enabled') === false)
    report(
      ctx,
      'exporter-needs-monitor',
      'promExporter.enabled',
      'warning',
      'The exporter scrapes the monitoring endpoint, which `config.monitor.enabled: false` turns off.',
    );
  if (get(v, 'promExporter.podMonitor.enabled') === true && get(v, 'promExporter.enabled') !== true)
    report(
      ctx,
      'podmonitor-needs-exporter',
      'promExporter.podMonitor.enabled',
      'warning',
      'The PodMonitor is created only with `promExporter.enabled: true`.',
    );
  if (get(v, 'config.monitor.enabled') === false)
    report(
      ctx,
      'monitor-off',
      'config.monitor.enabled',
      'information',
      'Turning monitoring off also removes the startup, readiness and liveness probes.',
    );
  if (get(v, 'config.websocket.ingress.enabled') === true) {
    const missing = [
      get(v, 'config.websocket.enabled') !== true && '`config.websocket.enabled`',
      !(
        Array.isArray(get(v, 'config.websocket.ingress.hosts')) &&
        (get(v, 'config.websocket.ingress.hosts') as unknown[]).length > 0
      ) && 'at least one `ingress.hosts` entry',
      get(v, 'service.enabled') === false && '`service.enabled`',
      get(v, 'service.ports.websocket.enabled') === false && '`service.ports.websocket.enabled`',
    ].filter(Boolean);
    if (missing.length > 0)
      report(
        ctx,
        'ingress-not-created',
        'config.websocket.ingress.enabled',
        'warning',
        `The Ingress is not created without ${missing.join(', ')}.`,
      );
  }
  if (get(v, 'config.resolver.enabled') === true && !isSet(v, 'config.resolver.merge.type'))
    report(
      ctx,
      'resolver-type',
      'config.resolver.enabled',
      'warning',
      'Set `config.resolver.merge.type` (usually `full`); the chart renders only the resolver directory.',
    );
  for (const block of ['cluster', 'leafnodes', 'websocket', 'mqtt', 'gateway', 'resolver']) {
    if (block === 'jetstream') continue;
    if (isSet(v, `config.merge.${block}`) && get(v, `config.${block}.enabled`) !== true)
      report(
        ctx,
        'merge-block-disabled',
        `config.merge.${block}`,
        'warning',
        `The server gets a \`${block}\` block without ports, volumes or Service entries: set \`config.${block}.enabled: true\` and use \`config.${block}.merge\`.`,
      );
  }
  for (const key of ['port', 'http_port', 'https_port', 'server_name', 'pid_file']) {
    if (isSet(v, `config.merge.${key}`))
      report(
        ctx,
        'merge-overrides-chart',
        `config.merge.${key}`,
        'warning',
        `\`${key}\` is managed by the chart; overriding it desynchronises ports, probes or per-pod server names.`,
      );
  }
  const merge = get(v, 'config.merge');
  if (merge && typeof merge === 'object') {
    for (const [key, value] of Object.entries(merge as Values)) {
      if (isBareSizeWithUnit(value))
        report(
          ctx,
          'size-needs-brackets',
          `config.merge.${key}`,
          'warning',
          `nats.conf reads sizes with units only unquoted: write \`${inlineText(key)}: << ${inlineText(String(value).trim())} >>\`.`,
        );
    }
  }
  if (
    isSet(v, 'config.nats.port') &&
    get(v, 'config.nats.port') !== 4222 &&
    get(v, 'natsBox.enabled') !== false &&
    !isSet(v, 'natsBox.contexts.default.merge.url')
  ) {
    report(
      ctx,
      'natsbox-port',
      'config.nats.port',
      'information',
      'The nats-box context URL has no port and assumes 4222: set `natsBox.contexts.default.merge.url`.',
    );
  }
}

// `$tplYaml` must be alone in its map; `$tplYamlSpread` cannot sit at the root of the values.
function tplYamlChecks(ctx: CheckContext, node: unknown, path: string[], budget: { left: number }): void {
  if (budget.left-- <= 0) return;
  if (isMap(node)) {
    const keys = node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
    const tpl = keys.find((k) => k === '$tplYaml' || k === '$tplYamlSpread');
    if (tpl && keys.length > 1)
      report(
        ctx,
        'tplyaml-alone',
        [...path, tpl].join('.'),
        'warning',
        `\`${tpl}\` must be the only key of its map; the chart fails to render otherwise.`,
      );
    if (tpl === '$tplYamlSpread' && path.length === 0)
      report(ctx, 'tplyaml-root', tpl, 'error', '`$tplYamlSpread` is not allowed at the root of the values.');
    for (const p of node.items)
      if (isScalar(p.key)) tplYamlChecks(ctx, p.value, [...path, String(p.key.value)], budget);
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) tplYamlChecks(ctx, item, [...path, String(i)], budget);
  }
}

/** Runs the chart-aware checks on a parsed 2.x document and its plain data (valuesData.ts; undefined: none checked). */
export function runChartChecks(
  doc: Document,
  lines: LineIndex,
  root: string[],
  version: ChartVersion,
  all: unknown,
): ValuesDiagnostic[] {
  const out: ValuesDiagnostic[] = [];
  let values = all;
  for (const key of root) values = get(values, key);
  if (!values || typeof values !== 'object') return out;
  const ctx: CheckContext = { doc, lines, root, values: values as Values, version, out };
  clusterChecks(ctx);
  jetstreamChecks(ctx);
  podChecks(ctx);
  featureChecks(ctx);
  let node: unknown = doc.contents;
  for (const key of root) node = isMap(node) ? node.get(key, true) : undefined;
  tplYamlChecks(ctx, node, [], { left: 50_000 });
  return out;
}
