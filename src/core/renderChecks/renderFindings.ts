// The checks on what the chart rendered: each one a fact only `helm template` shows, stated with the values paths that
// most likely caused it (the first of them that the file has is where the diagnostic goes).
import { parseQuantity } from '../values/quantities';
import type { DiagnosticSeverity } from '../values/valuesTypes';
import { confAt, confScalars, type ConfObject, type ConfScalar, type ConfValue } from './natsConf';
import type { RenderedRelease, RenderedStatefulSet } from './renderedRelease';

export interface RenderFinding {
  readonly check: RenderCheck;
  readonly severity: DiagnosticSeverity;
  readonly message: string;
  /** Values paths (`config.merge.max_payload`, `extraResources[0].spec.replicas`), most likely cause first. */
  readonly paths: readonly string[];
}

export type RenderCheck =
  | 'quoted-size'
  | 'jetstream-without-volume'
  | 'stream-replicas'
  | 'cluster-size'
  | 'routes-replicas'
  | 'file-store-above-volume'
  | 'memory-store-limit'
  | 'shared-server-name'
  | 'port-override';

type Values = Record<string, unknown>;

/** The blocks of nats.conf that the chart fills from `config.<block>`, each with its own `merge`. */
const BLOCK_VALUES: Record<string, string> = {
  jetstream: 'config.jetstream',
  cluster: 'config.cluster',
  leafnodes: 'config.leafnodes',
  websocket: 'config.websocket',
  mqtt: 'config.mqtt',
  gateway: 'config.gateway',
  resolver: 'config.resolver',
  tls: 'config.nats.tls',
};

/** Where a nats.conf key may have come from in the values: the block's own merge, then the root merge. */
export function confValuesPaths(confPath: readonly string[]): string[] {
  const [block, ...rest] = confPath;
  const paths: string[] = [];
  const blockValues = block === undefined ? undefined : BLOCK_VALUES[block];
  if (blockValues && rest.length > 0) {
    if (rest[0] === 'tls' && block !== 'tls' && rest.length > 1)
      paths.push(`${blockValues}.tls.merge.${rest.slice(1).join('.')}`);
    paths.push(`${blockValues}.merge.${rest.join('.')}`);
  }
  paths.push(`config.merge.${confPath.join('.')}`);
  return paths;
}

// A size with a unit: what `<< 8MB >>` is for. Durations (`30s`, `2m`) are strings in nats.conf and stay out.
const SIZE_WITH_UNIT = /^\s*\d+(\.\d+)?\s*(?:[KMGTPE](?:i?B?)|[kK][bB]?|[kK]iB)\s*$/;
// Secrets and names may be anything, including text that looks like a size.
const FREE_TEXT_KEYS = new Set(['password', 'token', 'user', 'users', 'nkey', 'name', 'server_name', 'accounts']);

/** nats-server reads a quoted JetStream store size itself, but only with a one-letter unit (`"5G"`, not `"5Gi"`). */
function serverAcceptsQuoted(path: readonly string[], text: string): boolean {
  return (
    path[0] === 'jetstream' &&
    (path[1] === 'max_file_store' || path[1] === 'max_memory_store') &&
    /^\d+[KMGT]$/.test(text.trim())
  );
}

/** Bytes of a nats.conf size (a number, or a bare `10Gi`/`8MB`), or undefined. */
function confBytes(value: ConfValue | undefined): number | undefined {
  if (value?.kind === 'number') return Number(value.text);
  if (value?.kind !== 'bare' && value?.kind !== 'quoted') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGTPE])?(i)?(B)?\s*$/i.exec(value.text);
  if (!m) return parseQuantity(value.text);
  const power = m[2] ? 'KMGTPE'.indexOf(m[2].toUpperCase()) + 1 : 0;
  // nats-server reads K, KB and KiB alike as powers of 1024.
  return Number(m[1]) * 1024 ** power;
}

const scalarText = (v: ConfValue | undefined): string | undefined =>
  v && v.kind !== 'object' && v.kind !== 'list' ? (v as ConfScalar).text : undefined;

function get(values: unknown, path: string): unknown {
  let v = values;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Values)[k] : undefined;
  return v;
}

function quotedSizes(conf: ConfObject, out: RenderFinding[]): void {
  for (const [path, scalar] of confScalars(conf)) {
    if (scalar.kind !== 'quoted' || !SIZE_WITH_UNIT.test(scalar.text)) continue;
    if (path.some((k) => FREE_TEXT_KEYS.has(k)) || path[0] === 'authorization') continue;
    if (serverAcceptsQuoted(path, scalar.text)) continue;
    const key = path.at(-1)!;
    const size = scalar.text.trim();
    out.push({
      check: 'quoted-size',
      severity: 'error',
      message: `\`${path.join('.')}\` is rendered as the quoted string "${size}", and nats-server refuses to start with it (it reads sizes only unquoted): write \`${key}: << ${size} >>\` so that the chart writes it bare.`,
      paths: confValuesPaths(path),
    });
  }
}

/** The mount that holds `dir` (the deepest mount path above or at it), and whether its volume outlives the pod. */
function storeVolume(sts: RenderedStatefulSet, dir: string): { mountPath: string; persistent: boolean } | undefined {
  const mounts = (sts.nats?.volumeMounts ?? []).filter(
    (m) => dir === m.mountPath || dir.startsWith(`${m.mountPath.replace(/\/$/, '')}/`),
  );
  const mount = mounts.sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  if (!mount) return undefined;
  const persistent =
    sts.claims.some((c) => c.name === mount.name) || sts.volumes.some((v) => v.name === mount.name && v.persistent);
  return { mountPath: mount.mountPath, persistent };
}

// nats-server's store when nats.conf names none: the OS temp folder, inside the container.
const DEFAULT_STORE_DIR = '/tmp/nats/jetstream';

function jetstreamStorage(conf: ConfObject, sts: RenderedStatefulSet, values: Values, out: RenderFinding[]): void {
  const js = confAt(conf, ['jetstream']);
  if (js?.kind !== 'object') return;
  const maxFile = confAt(js, ['max_file_store']);
  if (maxFile?.kind === 'number' && Number(maxFile.text) === 0) return;
  const dir = scalarText(confAt(js, ['store_dir'])) ?? DEFAULT_STORE_DIR;
  const volume = storeVolume(sts, dir);
  const chartJetStream = get(values, 'config.jetstream.enabled') === true;
  if (!volume?.persistent) {
    out.push({
      check: 'jetstream-without-volume',
      severity: 'warning',
      message: chartJetStream
        ? `JetStream's file store (${dir}) is on no persistent volume in the rendered StatefulSet, so every stream and KV bucket is lost when a pod restarts: keep config.jetstream.fileStore.pvc.enabled true, or mount a volume of your own at ${dir}.`
        : `JetStream is on in the rendered nats.conf only through \`merge\`, so the chart adds no volume for its file store (${dir}${volume ? '' : ', inside the container'}) and every stream is lost when a pod restarts: set config.jetstream.enabled: true instead, and put the extra settings in config.jetstream.merge.`,
      paths: chartJetStream
        ? ['config.jetstream.fileStore.pvc.enabled', 'config.jetstream.fileStore', 'config.jetstream.enabled']
        : ['config.merge.jetstream', 'config.jetstream.merge', 'config.jetstream'],
    });
    return;
  }
  const claim = sts.claims.find((c) =>
    sts.nats?.volumeMounts.some((m) => m.name === c.name && m.mountPath === volume.mountPath),
  );
  const claimBytes = parseQuantity(claim?.storage);
  const maxBytes = confBytes(maxFile);
  if (claim === undefined || claimBytes === undefined || maxBytes === undefined) return;
  const explicit = ['config.jetstream.merge.max_file_store', 'config.merge.jetstream.max_file_store'].filter(
    (p) => get(values, p) !== undefined,
  );
  // A maxSize above the PVC size is the values check `file-store-size` already; what only the render shows is a limit
  // set through merge, or one set equal to the volume.
  if (maxBytes > claimBytes && explicit.length === 0) return;
  if (maxBytes < claimBytes) return;
  if (
    maxBytes === claimBytes &&
    explicit.length === 0 &&
    get(values, 'config.jetstream.fileStore.maxSize') === undefined
  )
    return;
  out.push({
    check: 'file-store-above-volume',
    severity: maxBytes > claimBytes ? 'warning' : 'information',
    message: `The rendered max_file_store (${scalarText(maxFile)}) is ${maxBytes > claimBytes ? 'larger than' : 'as large as'} the JetStream volume (${String(claim.storage)}); the formatted filesystem is smaller than the claim, so JetStream runs out of disk before it reaches its limit: set it a little below the volume's size.`,
    paths: [...explicit, 'config.jetstream.fileStore.maxSize', 'config.jetstream.fileStore.pvc.size'],
  });
}

function memoryStore(conf: ConfObject, sts: RenderedStatefulSet, values: Values, out: RenderFinding[]): void {
  const store = confAt(conf, ['jetstream', 'max_memory_store']);
  const storeBytes = confBytes(store);
  const limitBytes = parseQuantity(sts.nats?.memoryLimit);
  if (!storeBytes || limitBytes === undefined || storeBytes < limitBytes) return;
  const explicit = ['config.jetstream.merge.max_memory_store', 'config.merge.jetstream.max_memory_store'].filter(
    (p) => get(values, p) !== undefined,
  );
  // Without merge this is the values check `memory-store-limit` already.
  if (explicit.length === 0) return;
  out.push({
    check: 'memory-store-limit',
    severity: 'warning',
    message: `The rendered max_memory_store (${scalarText(store)}) is not below the nats container's memory limit (${String(sts.nats?.memoryLimit)}): the pod is OOM-killed before JetStream's memory store fills. Keep it well below the limit.`,
    paths: explicit,
  });
}

function clusterShape(conf: ConfObject, sts: RenderedStatefulSet, values: Values, out: RenderFinding[]): void {
  const cluster = confAt(conf, ['cluster']);
  const clustered = cluster?.kind === 'object';
  const replicasPaths = [
    'statefulSet.merge.spec.replicas',
    'config.cluster.replicas',
    'config.merge.cluster',
    'config.cluster.merge',
    'config.cluster.enabled',
  ];
  if (clustered && confAt(conf, ['jetstream'])?.kind === 'object' && sts.replicas < 2) {
    const staticCheckSaysIt =
      get(values, 'config.cluster.enabled') === true &&
      get(values, 'config.jetstream.enabled') === true &&
      get(values, 'statefulSet.merge.spec.replicas') === undefined;
    if (!staticCheckSaysIt)
      out.push({
        check: 'cluster-size',
        severity: 'error',
        message: `The rendered release runs ${sts.replicas} NATS server with JetStream clustering on: the JetStream meta group waits for peers that never come, so no stream can be created. Run 3 servers (config.cluster.replicas), or turn clustering off.`,
        paths: replicasPaths,
      });
  }
  const routes = confAt(conf, ['cluster', 'routes']);
  if (routes?.kind === 'list' && routes.items.length > 0 && routes.items.length !== sts.replicas) {
    out.push({
      check: 'routes-replicas',
      severity: 'warning',
      message: `nats.conf lists ${routes.items.length} cluster routes, but the StatefulSet runs ${sts.replicas} pod${sts.replicas === 1 ? '' : 's'}: the servers keep dialling routes to pods that do not exist, or miss pods that do. Set the size once, in config.cluster.replicas.`,
      paths: replicasPaths,
    });
  }
}

function streamReplicas(
  release: RenderedRelease,
  sts: RenderedStatefulSet,
  values: Values,
  out: RenderFinding[],
): void {
  const clustered = confAt(release.conf, ['cluster'])?.kind === 'object';
  const servers = clustered ? sts.replicas : 1;
  const extra = Array.isArray(values.extraResources) ? (values.extraResources as unknown[]) : [];
  for (const r of release.jetStreamResources) {
    if (r.replicas <= servers && r.replicas <= 5) continue;
    const index = extra.findIndex(
      (e) => e !== null && typeof e === 'object' && (e as Values).kind === r.kind && get(e, 'metadata.name') === r.name,
    );
    const what = r.kind === 'Stream' ? 'stream' : r.kind === 'KeyValue' ? 'KV bucket' : 'object store';
    out.push({
      check: 'stream-replicas',
      severity: 'error',
      message:
        r.replicas > 5
          ? `The ${what} ${r.streamName} (${r.kind} ${r.name}) asks for ${r.replicas} replicas; JetStream allows at most 5.`
          : `The ${what} ${r.streamName} (${r.kind} ${r.name}) asks for ${r.replicas} replicas, but the release runs ${servers} NATS server${servers === 1 ? '' : 's'}${clustered ? '' : ' (no cluster)'}: JetStream refuses to create it. Lower its replicas to at most ${servers}${clustered ? '' : ', or turn on config.cluster'}.`,
      paths: index >= 0 ? [`extraResources[${index}].spec.replicas`, `extraResources[${index}]`] : ['extraResources'],
    });
  }
}

function serverIdentity(conf: ConfObject, sts: RenderedStatefulSet, out: RenderFinding[]): void {
  const name = confAt(conf, ['server_name']);
  const text = scalarText(name);
  if (text !== undefined && !text.includes('$') && sts.replicas > 1) {
    out.push({
      check: 'shared-server-name',
      severity: 'error',
      message: `Every one of the ${sts.replicas} servers gets the server_name "${text}": JetStream and the cluster tell servers apart by name, so they collide. Leave server_name to the chart (it names each server after its pod).`,
      paths: ['config.merge.server_name'],
    });
  }
  const port = confAt(conf, ['port']);
  const containerPort = sts.nats?.ports.find((p) => p.name === 'nats')?.containerPort;
  if (port?.kind === 'number' && containerPort !== undefined && Number(port.text) !== containerPort) {
    out.push({
      check: 'port-override',
      severity: 'warning',
      message: `nats-server listens on port ${port.text}, but the pod, its Services and nats-box use ${containerPort}: clients reach nothing. Set the port with config.nats.port, which changes all of them.`,
      paths: ['config.merge.port'],
    });
  }
}

/** Runs every render check on a release rendered from `values` (the chart's values, without an umbrella's prefix). */
export function renderFindings(release: RenderedRelease, values: unknown): RenderFinding[] {
  const v: Values = values !== null && typeof values === 'object' && !Array.isArray(values) ? (values as Values) : {};
  const out: RenderFinding[] = [];
  const sts = release.statefulSet;
  if (release.conf) quotedSizes(release.conf, out);
  if (release.conf && sts) {
    jetstreamStorage(release.conf, sts, v, out);
    memoryStore(release.conf, sts, v, out);
    clusterShape(release.conf, sts, v, out);
    serverIdentity(release.conf, sts, out);
  }
  if (sts) streamReplicas(release, sts, v, out);
  return out;
}
