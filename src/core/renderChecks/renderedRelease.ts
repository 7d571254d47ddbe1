// What `helm template` rendered, reduced to the parts the render checks read: the NATS StatefulSet, its nats.conf
// and the JetStream resources (NACK's Stream, KeyValue, ObjectStore) the values create through extraResources.
import { parseAllDocuments } from 'yaml';
import { NatsConfSyntaxError, parseNatsConf, type ConfObject } from './natsConf';

type Obj = Record<string, unknown>;

export interface RenderedContainer {
  readonly name: string;
  readonly ports: readonly { name?: string; containerPort?: number }[];
  readonly memoryLimit?: unknown;
  readonly volumeMounts: readonly { name: string; mountPath: string }[];
}

export interface RenderedStatefulSet {
  readonly name: string;
  readonly replicas: number;
  readonly nats?: RenderedContainer;
  /** Claim templates by name, with the storage they request. */
  readonly claims: readonly { name: string; storage: unknown }[];
  /** Pod volumes by name: which ones are PVCs (persistent) and which are not. */
  readonly volumes: readonly { name: string; persistent: boolean }[];
}

export interface RenderedJetStreamResource {
  readonly kind: string;
  readonly name: string;
  /** The stream or bucket name JetStream sees (spec.name, spec.bucket), else the object's name. */
  readonly streamName: string;
  readonly replicas: number;
}

export interface RenderedRelease {
  readonly statefulSet?: RenderedStatefulSet;
  readonly conf?: ConfObject;
  /** Why nats.conf could not be read, when a ConfigMap held one that is not the chart's JSON shape. */
  readonly confProblem?: string;
  readonly jetStreamResources: readonly RenderedJetStreamResource[];
  /** Every rendered object as `Kind/name`, for messages and tests. */
  readonly objects: readonly string[];
}

/** The output holds more documents than any release of the chart renders (about 10); the rest are not read. */
export const MAX_RENDERED_OBJECTS = 2_000;

export class RenderedOutputError extends Error {
  override readonly name = 'RenderedOutputError';
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function readStatefulSet(o: Obj): RenderedStatefulSet {
  const spec = isObj(o.spec) ? o.spec : {};
  const pod = isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec : {};
  const nats = list(pod.containers).find((c) => c.name === 'nats');
  const limits = isObj(nats?.resources) && isObj(nats.resources.limits) ? nats.resources.limits : {};
  return {
    name: str(isObj(o.metadata) ? o.metadata.name : undefined) ?? '',
    // Kubernetes' default when the field is left out.
    replicas: typeof spec.replicas === 'number' ? spec.replicas : 1,
    ...(nats
      ? {
          nats: {
            name: 'nats',
            ports: list(nats.ports).map((p) => ({
              ...(typeof p.name === 'string' ? { name: p.name } : {}),
              ...(typeof p.containerPort === 'number' ? { containerPort: p.containerPort } : {}),
            })),
            ...(limits.memory !== undefined ? { memoryLimit: limits.memory } : {}),
            volumeMounts: list(nats.volumeMounts).flatMap((m) =>
              typeof m.name === 'string' && typeof m.mountPath === 'string'
                ? [{ name: m.name, mountPath: m.mountPath }]
                : [],
            ),
          },
        }
      : {}),
    claims: list(spec.volumeClaimTemplates).map((c) => {
      const requests =
        isObj(c.spec) && isObj(c.spec.resources) && isObj(c.spec.resources.requests) ? c.spec.resources.requests : {};
      return { name: str(isObj(c.metadata) ? c.metadata.name : undefined) ?? '', storage: requests.storage };
    }),
    volumes: list(pod.volumes).map((v) => ({ name: str(v.name) ?? '', persistent: isObj(v.persistentVolumeClaim) })),
  };
}

function readJetStreamResource(o: Obj): RenderedJetStreamResource | undefined {
  if (!str(o.apiVersion)?.startsWith('jetstream.nats.io/')) return undefined;
  if (!['Stream', 'KeyValue', 'ObjectStore'].includes(String(o.kind))) return undefined;
  const spec = isObj(o.spec) ? o.spec : {};
  if (typeof spec.replicas !== 'number') return undefined;
  const name = str(isObj(o.metadata) ? o.metadata.name : undefined) ?? '';
  return {
    kind: String(o.kind),
    name,
    streamName: str(spec.name) ?? str(spec.bucket) ?? name,
    replicas: spec.replicas,
  };
}

/**
 * Reads `helm template` output. Throws RenderedOutputError when it is not YAML; the caller bounds its size. The
 * StatefulSet is the one with a `nats` container (extraResources may add others).
 */
export function readRenderedRelease(yaml: string): RenderedRelease {
  const docs = parseAllDocuments(yaml);
  if (!Array.isArray(docs)) throw new RenderedOutputError('helm printed something that is not YAML.');
  const objects: Obj[] = [];
  for (const doc of docs.slice(0, MAX_RENDERED_OBJECTS)) {
    if (doc.errors.length > 0)
      throw new RenderedOutputError(`helm rendered YAML that does not parse: ${doc.errors[0]!.message}`);
    const o = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (isObj(o)) objects.push(o);
  }
  const sets = objects.filter((o) => o.kind === 'StatefulSet').map(readStatefulSet);
  const statefulSet = sets.find((s) => s.nats) ?? sets[0];
  let conf: ConfObject | undefined;
  let confProblem: string | undefined;
  const confText = objects
    .filter((o) => o.kind === 'ConfigMap' && isObj(o.data))
    .map((o) => (o.data as Obj)['nats.conf'])
    .find((t): t is string => typeof t === 'string');
  if (confText !== undefined) {
    try {
      conf = parseNatsConf(confText);
    } catch (err) {
      if (!(err instanceof NatsConfSyntaxError)) throw err;
      confProblem = err.message;
    }
  }
  return {
    ...(statefulSet ? { statefulSet } : {}),
    ...(conf ? { conf } : {}),
    ...(confProblem ? { confProblem } : {}),
    jetStreamResources: objects.flatMap((o) => readJetStreamResource(o) ?? []),
    objects: objects.map((o) => `${String(o.kind)}/${String(isObj(o.metadata) ? o.metadata.name : '')}`),
  };
}
