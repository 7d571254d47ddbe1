import { ConnectionLostError } from '../natsErrors';
import type { NatsAccess } from '../session';
import { gatherReplies, NotSystemAccountError, type Gathered } from './systemRequest';

/** One server of the cluster, as the Cluster node lists it. Lists are undefined when the account cannot see them. */
export interface ServerRow {
  readonly name: string;
  readonly id: string;
  readonly version: string;
  readonly host?: string;
  readonly cluster?: string;
  /** The names of the servers it has routes to (a route per peer, or several with route pooling). */
  readonly routes?: readonly string[];
  readonly gateways?: readonly string[];
  readonly leafnodes?: readonly string[];
  readonly connections?: number;
  readonly jetstream: boolean;
  readonly uptime?: string;
  /** The server this connection is on. */
  readonly connected: boolean;
}

export interface ClusterView {
  /** `system`: every server answered through `$SYS`; `connection`: only the connected server's INFO was seen. */
  readonly source: 'system' | 'connection';
  readonly servers: readonly ServerRow[];
  /** Sentences about what could not be seen and how to see it. */
  readonly notes: readonly string[];
}

/** What the connection's account cannot see without the system account, and how to fix it. */
export const NOT_SYSTEM_ACCOUNT =
  "This connection's account is not the system account, so the other servers cannot be asked: only the connected server is shown, without its routes, gateways and leafnodes. Connect as a user of the account the server config names in system_account to see every server.";

interface Varz {
  server_name: string;
  server_id: string;
  version: string;
  host?: string;
  port?: number;
  uptime?: string;
  connections?: number;
  cluster?: { name?: string };
  jetstream?: { config?: unknown };
}
interface Routez {
  routes?: { remote_id?: string; remote_name?: string }[];
}
interface Gatewayz {
  outbound_gateways?: Record<string, unknown>;
}
interface Leafz {
  leafs?: { name?: string; ip?: string; port?: number; account?: string }[];
}

/**
 * Every server of the cluster (and of a super-cluster, through gateways): one `$SYS.REQ.SERVER.PING.*` request per
 * kind, answered by each server. An account that is not the system account sees only the connected server.
 */
export async function discoverServers(access: NatsAccess, maxWaitMs = 3_000): Promise<ClusterView> {
  const nc = access.connection();
  const info = nc.info;
  // No INFO while the client reconnects to another server (the one it was on went away).
  if (!info) throw new ConnectionLostError('reading the cluster');
  const expected = info.cluster ? new Set(info.connect_urls ?? []).size || undefined : 1;
  const opts = { maxWaitMs, expected };
  let varz: Gathered<Varz>;
  try {
    varz = await gatherReplies<Varz>(nc, '$SYS.REQ.SERVER.PING.VARZ', {}, opts);
  } catch (err) {
    if (!(err instanceof NotSystemAccountError)) throw err;
    return {
      source: 'connection',
      servers: [
        {
          name: info.server_name,
          id: info.server_id,
          version: info.version,
          host: `${info.host}:${info.port}`,
          cluster: info.cluster,
          jetstream: Boolean(info.jetstream),
          connected: true,
        },
      ],
      notes: [NOT_SYSTEM_ACCOUNT],
    };
  }
  // The other kinds go to the servers that answered VARZ; one that misses them shows what it did answer.
  const more = { maxWaitMs, expected: varz.replies.length };
  const [routez, gatewayz, leafz] = await Promise.all([
    gatherReplies<Routez>(nc, '$SYS.REQ.SERVER.PING.ROUTEZ', {}, more).catch(() => undefined),
    gatherReplies<Gatewayz>(nc, '$SYS.REQ.SERVER.PING.GATEWAYZ', {}, more).catch(() => undefined),
    gatherReplies<Leafz>(nc, '$SYS.REQ.SERVER.PING.LEAFZ', {}, more).catch(() => undefined),
  ]);
  const byId = <T>(g: Gathered<T> | undefined) => new Map((g?.replies ?? []).map((r) => [r.server.id, r.data]));
  const routes = byId(routez);
  const gateways = byId(gatewayz);
  const leafs = byId(leafz);
  const idToName = new Map(varz.replies.map((r) => [r.server.id, r.server.name]));
  const servers = varz.replies.map(({ server, data }): ServerRow => {
    const r = routes.get(server.id);
    const g = gateways.get(server.id);
    const l = leafs.get(server.id);
    return {
      name: data.server_name || server.name,
      id: server.id,
      version: data.version || server.ver,
      host: data.host && data.port ? `${data.host}:${data.port}` : server.host,
      cluster: data.cluster?.name || server.cluster,
      routes: r
        ? [
            ...new Set(
              (r.routes ?? []).map((x) => x.remote_name || idToName.get(x.remote_id ?? '') || x.remote_id || '?'),
            ),
          ].sort()
        : undefined,
      gateways: g ? Object.keys(g.outbound_gateways ?? {}).sort() : undefined,
      leafnodes: l ? (l.leafs ?? []).map((x) => x.name || `${x.ip}:${x.port}`) : undefined,
      connections: data.connections,
      jetstream: Boolean(data.jetstream?.config ?? server.jetstream),
      uptime: data.uptime,
      connected: server.id === info.server_id,
    };
  });
  servers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const notes = [...varz.problems];
  const seen = new Set(servers.map((s) => s.name));
  const advertised = info.cluster ? new Set(info.connect_urls ?? []).size : 1;
  if (advertised > seen.size)
    notes.push(
      `${advertised - seen.size} of the ${advertised} servers the cluster advertises did not answer within ${maxWaitMs / 1000} s: they are down or cut off.`,
    );
  for (const [kind, g] of [
    ['routes', routez],
    ['gateways', gatewayz],
    ['leafnodes', leafz],
  ] as const)
    if (!g) notes.push(`The servers did not answer for their ${kind}.`);
  return { source: 'system', servers, notes };
}
