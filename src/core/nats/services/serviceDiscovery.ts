import type { NatsAccess } from '../session';
import { gatherReplies, type Gathered } from './gatherReplies';
import {
  parseIdentity,
  parseInfo,
  parseStats,
  verbSubject,
  type EndpointInfo,
  type EndpointStats,
  type InfoReply,
  type StatsReply,
} from './serviceProtocol';

/** One running instance of a service, as its PING, INFO and STATS replies describe it. */
export interface ServiceInstance {
  readonly name: string;
  readonly id: string;
  readonly version: string;
  readonly description?: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Round trip of its PING reply; undefined when it answered INFO or STATS but not PING in time. */
  readonly rttMs?: number;
  readonly started?: string;
  readonly endpoints: ServiceEndpoint[];
}

export type ServiceEndpoint = EndpointInfo & Partial<Omit<EndpointStats, 'name' | 'subject'>>;

/** Every instance of one service name. */
export interface ServiceGroup {
  readonly name: string;
  readonly instances: ServiceInstance[];
}

export interface ServiceDiscovery {
  readonly services: ServiceGroup[];
  /** Replies dropped for being too large, too many, or not the protocol: said in the view, never silent. */
  readonly truncated: boolean;
  readonly oversized: number;
  readonly invalid: number;
}

export interface DiscoveryOptions {
  /** Only instances of this service. */
  readonly name?: string;
  readonly maxWaitMs?: number;
  readonly stallMs?: number;
  readonly maxInstances?: number;
}

export const DISCOVERY_DEFAULTS = {
  maxWaitMs: 2_000,
  stallMs: 300,
  maxInstances: 500,
  maxReplyBytes: 1024 * 1024,
} as const;

/**
 * Asks every service on the bus for PING, INFO and STATS at once and joins the replies by instance id. Reading only:
 * these requests change nothing, so read-only connections may discover too.
 */
export async function discoverServices(access: NatsAccess, options: DiscoveryOptions = {}): Promise<ServiceDiscovery> {
  const nc = access.connection();
  const limits = {
    maxWaitMs: options.maxWaitMs ?? DISCOVERY_DEFAULTS.maxWaitMs,
    stallMs: options.stallMs ?? DISCOVERY_DEFAULTS.stallMs,
    maxReplies: options.maxInstances ?? DISCOVERY_DEFAULTS.maxInstances,
    maxReplyBytes: DISCOVERY_DEFAULTS.maxReplyBytes,
  };
  const [ping, info, stats] = await Promise.all(
    (['PING', 'INFO', 'STATS'] as const).map((verb) => gatherReplies(nc, verbSubject(verb, options.name), limits)),
  );
  let invalid = 0;
  const rtt = new Map<string, { id: ReturnType<typeof parseIdentity>; rttMs: number }>();
  for (const r of ping!.replies) {
    const id = parseIdentity(r.data);
    if (id) rtt.set(id.id, { id, rttMs: r.rttMs });
    else invalid++;
  }
  const infos = new Map<string, InfoReply>();
  for (const r of info!.replies) {
    const parsed = parseInfo(r.data);
    if (parsed) infos.set(parsed.id, parsed);
    else invalid++;
  }
  const statsById = new Map<string, StatsReply>();
  for (const r of stats!.replies) {
    const parsed = parseStats(r.data);
    if (parsed) statsById.set(parsed.id, parsed);
    else invalid++;
  }
  // Each verb gathers up to the limit on its own, and their first replies may come from different instances.
  const maxInstances = limits.maxReplies;
  const allIds = new Set([...infos.keys(), ...rtt.keys(), ...statsById.keys()]);
  const ids = [...allIds].slice(0, maxInstances);
  const groups = new Map<string, ServiceInstance[]>();
  for (const id of ids) {
    const instance = joinInstance(rtt.get(id), infos.get(id), statsById.get(id));
    if (!instance) continue;
    const list = groups.get(instance.name) ?? [];
    list.push(instance);
    groups.set(instance.name, list);
  }
  const services = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, instances]) => ({ name, instances: instances.sort((a, b) => a.id.localeCompare(b.id)) }));
  const all: Gathered[] = [ping!, info!, stats!];
  return {
    services,
    truncated: all.some((g) => g.truncated) || allIds.size > maxInstances,
    oversized: all.reduce((n, g) => n + g.oversized, 0),
    invalid,
  };
}

function joinInstance(
  ping: { id: ReturnType<typeof parseIdentity>; rttMs: number } | undefined,
  info: InfoReply | undefined,
  stats: StatsReply | undefined,
): ServiceInstance | undefined {
  const base = info ?? stats ?? ping?.id;
  if (!base) return undefined;
  const statsOf = new Map(stats?.endpoints.map((e) => [`${e.name}\u0000${e.subject}`, e]));
  // INFO names the endpoints; an instance that only answered STATS still shows what STATS lists.
  const named: EndpointInfo[] = info?.endpoints ?? stats?.endpoints.map((e) => ({ ...e, metadata: {} })) ?? [];
  const endpoints = named.map((e): ServiceEndpoint => {
    const s = statsOf.get(`${e.name}\u0000${e.subject}`);
    if (!s) return e;
    const { name: _n, subject: _s, ...numbers } = s;
    return { ...e, ...numbers };
  });
  return {
    name: base.name,
    id: base.id,
    version: base.version,
    metadata: base.metadata,
    endpoints,
    ...(info?.description ? { description: info.description } : {}),
    ...(ping ? { rttMs: ping.rttMs } : {}),
    ...(stats?.started ? { started: stats.started } : {}),
  };
}
