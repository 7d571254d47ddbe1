import type { NatsConnection } from '@nats-io/transport-node';

/** The `server` block nats-server puts on every `$SYS` reply: who answered. */
export interface ReplyingServer {
  readonly name: string;
  readonly id: string;
  readonly host?: string;
  readonly cluster?: string;
  readonly ver: string;
  readonly jetstream?: boolean;
}

export interface ServerReply<T> {
  readonly server: ReplyingServer;
  readonly data: T;
}

/** What a gathering of `$SYS` replies gave: the answers, and the sentences about what it could not get. */
export interface Gathered<T> {
  readonly replies: readonly ServerReply<T>[];
  /** One sentence per server that answered with an error, or a reply that was too large or not JSON. */
  readonly problems: readonly string[];
}

/** A request the account may not make: it is not the system account (or its user may not publish to `$SYS`). */
export class NotSystemAccountError extends Error {
  override readonly name = 'NotSystemAccountError';
  constructor(readonly subject: string) {
    super(`no server answered ${subject}: the connection's account is not the system account`);
  }
}

/** At most this many servers answer one gathering; a larger super-cluster is cut off and says so. */
export const MAX_SERVERS = 256;
/** The most one reply may hold before it is refused unread (a CONNZ page of 1,024 connections is about 1 MiB). */
export const MAX_REPLY_BYTES = 8 * 1024 * 1024;

export interface GatherOptions {
  /** How many servers should answer, when known (the cluster's size): the gathering ends when they have. */
  readonly expected?: number;
  /** The longest the gathering waits in all; a dead server is one that has not answered by then. */
  readonly maxWaitMs?: number;
}

/**
 * Sends one `$SYS.REQ.…PING.<kind>`-style request and collects every server's reply, the way nats.js v3 gathers many
 * replies (`requestMany`): until `expected` have answered, or, without it, until replies stop coming for a moment.
 * No responders means the account cannot reach the system subjects: that is `NotSystemAccountError`.
 */
export async function gatherReplies<T>(
  nc: NatsConnection,
  subject: string,
  body: unknown = {},
  options: GatherOptions = {},
): Promise<Gathered<T>> {
  const maxWait = options.maxWaitMs ?? 3_000;
  const expected = options.expected && options.expected > 0 ? Math.min(options.expected, MAX_SERVERS) : undefined;
  let replies: AsyncIterable<{ data: Uint8Array; string(): string }>;
  try {
    replies = await nc.requestMany(subject, JSON.stringify(body), {
      maxWait,
      ...(expected ? { strategy: 'count', maxMessages: expected } : { strategy: 'stall', stall: 750 }),
    } as never);
  } catch (err) {
    throw noResponders(err) ? new NotSystemAccountError(subject) : err;
  }
  const out: ServerReply<T>[] = [];
  const problems: string[] = [];
  try {
    for await (const msg of replies) {
      if (msg.data.length === 0) continue;
      if (msg.data.length > MAX_REPLY_BYTES) {
        problems.push(
          `A server's reply to ${subject} was larger than ${MAX_REPLY_BYTES / 1024 / 1024} MiB and was left out.`,
        );
      } else {
        const parsed = parseReply<T>(msg.string(), subject);
        if (typeof parsed === 'string') problems.push(parsed);
        else out.push(parsed);
      }
      if (out.length + problems.length >= MAX_SERVERS) {
        problems.push(`More than ${MAX_SERVERS} servers answered ${subject}; only the first ${MAX_SERVERS} are shown.`);
        break;
      }
    }
  } catch (err) {
    if (noResponders(err)) throw new NotSystemAccountError(subject);
    throw err;
  }
  if (out.length === 0 && problems.length === 0) throw new NotSystemAccountError(subject);
  return { replies: out, problems };
}

function parseReply<T>(text: string, subject: string): ServerReply<T> | string {
  let json: { server?: ReplyingServer; data?: T; error?: { code?: number; description?: string } };
  try {
    json = JSON.parse(text);
  } catch {
    return `A server answered ${subject} with something that is not JSON.`;
  }
  const who = json.server?.name ?? 'a server';
  if (json.error) return `${who} refused ${subject}: ${json.error.description ?? `error ${json.error.code}`}.`;
  if (!json.server || json.data === undefined) return `${who} answered ${subject} without data.`;
  return { server: json.server, data: json.data };
}

function noResponders(err: unknown): boolean {
  for (let e = err as { name?: string; message?: string; cause?: unknown } | undefined; e; e = e.cause as never) {
    if (e.name === 'NoRespondersError' || /no responders/i.test(e.message ?? '')) return true;
  }
  return false;
}
