import type { NatsAccess } from '../session';
import { gatherReplies, MAX_REPLY_BYTES, NotSystemAccountError } from './systemRequest';

/** How a server's connections are ordered: by messages a second (both ways), or by bytes waiting to be written. */
export type ConnectionSort = 'rate' | 'pending';

export interface ConnectionRow {
  readonly cid: number;
  readonly name: string;
  readonly address: string;
  readonly account?: string;
  readonly client: string;
  readonly pendingBytes: number;
  readonly subscriptions: number;
  readonly inMsgs: number;
  readonly outMsgs: number;
  /** Messages a second in and out, measured over the sample; undefined when sorted by pending. */
  readonly msgsPerSecond?: number;
  readonly rtt?: string;
  readonly uptime?: string;
}

export interface ConnectionPage {
  readonly server: string;
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly ConnectionRow[];
  readonly notes: readonly string[];
}

export interface ConnectionQuery {
  readonly sort: ConnectionSort;
  readonly offset?: number;
  /** Rows a page holds; at most 1,024, as nats-server's CONNZ. */
  readonly limit?: number;
  /** How long the rate is measured over. */
  readonly sampleMs?: number;
}

/** A rate is measured over at most this many connections: two CONNZ pages of them. */
export const MAX_RATE_SAMPLE = 1_024;

interface ConnJson {
  cid: number;
  name?: string;
  ip?: string;
  port?: number;
  account?: string;
  lang?: string;
  version?: string;
  pending_bytes?: number;
  subscriptions?: number;
  in_msgs?: number;
  out_msgs?: number;
  rtt?: string;
  uptime?: string;
}
interface Connz {
  total?: number;
  offset?: number;
  connections?: ConnJson[];
}

/**
 * One page of a server's client connections. The system account asks that server alone
 * (`$SYS.REQ.SERVER.<id>.CONNZ`); another account asks every server for its own connections
 * (`$SYS.REQ.ACCOUNT.PING.CONNZ`) and keeps that server's. Pending is sorted by the server; a rate needs two
 * samples `sampleMs` apart, so it covers at most the first 1,024 connections and says so beyond.
 */
export async function listConnections(
  access: NatsAccess,
  server: { readonly id: string; readonly name: string },
  query: ConnectionQuery,
): Promise<ConnectionPage> {
  const limit = Math.max(1, Math.min(query.limit ?? 100, 1_024));
  const offset = Math.max(0, query.offset ?? 0);
  const notes: string[] = [];
  if (query.sort === 'pending') {
    const page = await connz(access, server, { sort: 'pending', offset, limit });
    return { server: server.name, total: page.total ?? 0, offset, rows: (page.connections ?? []).map(toRow), notes };
  }
  const sampleMs = query.sampleMs ?? 1_000;
  const first = await connz(access, server, { sort: 'cid', limit: MAX_RATE_SAMPLE });
  const started = Date.now();
  await new Promise((r) => setTimeout(r, sampleMs));
  const second = await connz(access, server, { sort: 'cid', limit: MAX_RATE_SAMPLE });
  const seconds = Math.max(0.001, (Date.now() - started) / 1000);
  const before = new Map((first.connections ?? []).map((c) => [c.cid, c]));
  const rows = (second.connections ?? []).map((c): ConnectionRow => {
    const b = before.get(c.cid);
    const moved = b ? (c.in_msgs ?? 0) - (b.in_msgs ?? 0) + (c.out_msgs ?? 0) - (b.out_msgs ?? 0) : 0;
    return { ...toRow(c), msgsPerSecond: Math.max(0, moved) / seconds };
  });
  rows.sort((a, b) => (b.msgsPerSecond ?? 0) - (a.msgsPerSecond ?? 0) || a.cid - b.cid);
  const total = second.total ?? rows.length;
  if (total > MAX_RATE_SAMPLE)
    notes.push(
      `Rates were measured over the first ${MAX_RATE_SAMPLE} of ${total} connections; sort by pending to page through all.`,
    );
  return {
    server: server.name,
    total: Math.min(total, rows.length),
    offset,
    rows: rows.slice(offset, offset + limit),
    notes,
  };
}

async function connz(
  access: NatsAccess,
  server: { readonly id: string; readonly name: string },
  options: { sort: string; offset?: number; limit: number },
): Promise<Connz> {
  const nc = access.connection();
  try {
    const msg = await nc.request(`$SYS.REQ.SERVER.${server.id}.CONNZ`, JSON.stringify(options), { timeout: 5_000 });
    if (msg.data.length > MAX_REPLY_BYTES) throw new Error(`${server.name}'s connection list is larger than 8 MiB.`);
    const json = msg.json<{ data?: Connz; error?: { description?: string } }>();
    if (json.error) throw new Error(`${server.name} refused to list its connections: ${json.error.description}.`);
    return json.data ?? {};
  } catch (err) {
    if (!/no responders/i.test(String((err as Error).message)) && (err as Error).name !== 'NoRespondersError')
      throw err;
  }
  // Not the system account: every server lists this account's own connections.
  try {
    const all = await gatherReplies<Connz>(nc, '$SYS.REQ.ACCOUNT.PING.CONNZ', options);
    const mine = all.replies.find((r) => r.server.id === server.id || r.server.name === server.name);
    if (!mine) throw new Error(`${server.name} did not answer for its connections: it is down or cut off.`);
    return mine.data;
  } catch (err) {
    if (err instanceof NotSystemAccountError)
      throw new Error(
        `${server.name} does not list connections to this account: its user may not publish to $SYS.REQ.`,
      );
    throw err;
  }
}

function toRow(c: ConnJson): ConnectionRow {
  return {
    cid: c.cid,
    name: c.name ?? '',
    address: `${c.ip ?? '?'}:${c.port ?? '?'}`,
    account: c.account,
    client: [c.lang, c.version].filter(Boolean).join(' '),
    pendingBytes: c.pending_bytes ?? 0,
    subscriptions: c.subscriptions ?? 0,
    inMsgs: c.in_msgs ?? 0,
    outMsgs: c.out_msgs ?? 0,
    rtt: c.rtt,
    uptime: c.uptime,
  };
}
