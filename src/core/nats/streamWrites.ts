import type { StreamConfig, StreamInfo } from '@nats-io/jetstream';
import { assertWritable } from './natsErrors';
import { headerList } from './payload';
import { publishMessage, type PublishResult } from './publish';
import type { NatsAccess } from './session';
import type { StreamConfigJson } from './streamConfig';

/** The config the server holds for `name`, every field as it reports them (the edit document's "before"). */
export async function streamConfigOf(access: NatsAccess, name: string): Promise<StreamConfig> {
  return (await (await access.jetstreamManager()).streams.info(name)).config;
}

/** Creates a stream from a checked config document. */
export async function createStream(access: NatsAccess, config: StreamConfigJson): Promise<StreamInfo> {
  assertWritable(access, `creating stream ${config.name}`);
  return (await access.jetstreamManager()).streams.add(config as unknown as StreamConfig);
}

/** Applies an edited config to an existing stream; the server refuses fields that cannot change (storage, name). */
export async function updateStream(access: NatsAccess, config: StreamConfigJson): Promise<StreamInfo> {
  assertWritable(access, `editing stream ${config.name}`);
  // Sent as written: nats.js would merge it into the current config, keeping fields the user deleted from it.
  return (await jsApiRequest(access, `STREAM.UPDATE.${config.name}`, config)) as unknown as StreamInfo;
}

/**
 * A new stream with `source`'s config under another name and subjects (as `nats stream copy`): the messages are not
 * copied, and the subjects must differ since two streams may not capture the same subject.
 */
export async function copyStream(
  access: NatsAccess,
  source: string,
  name: string,
  subjects: readonly string[],
): Promise<StreamInfo> {
  assertWritable(access, `copying stream ${source} to ${name}`);
  const cfg = await streamConfigOf(access, source);
  const copy = { ...cfg, name, subjects: [...subjects], sealed: false } as Partial<StreamConfig>;
  // Sources, mirrors and placement belong to the original; a copy starts as a plain stream.
  delete copy.mirror;
  delete copy.sources;
  delete copy.placement;
  return (await access.jetstreamManager()).streams.add(copy as StreamConfig);
}

/** Seals a stream: no more writes, deletes or purges, for good (the server cannot unseal). */
export async function sealStream(access: NatsAccess, name: string): Promise<StreamInfo> {
  assertWritable(access, `sealing stream ${name}`);
  const cfg = await streamConfigOf(access, name);
  return (await access.jetstreamManager()).streams.update(name, { ...cfg, sealed: true } as StreamConfig);
}

/** Removes every message below sequence `seq` (optionally only on `subject`); resolves the number removed. */
export async function purgeUpTo(access: NatsAccess, name: string, seq: number, subject?: string): Promise<number> {
  assertWritable(access, `purging stream ${name} below sequence ${seq}`);
  const res = await (await access.jetstreamManager()).streams.purge(name, {
    seq,
    ...(subject ? { filter: subject } : {}),
  });
  return res.purged;
}

/** Deletes the message at `seq`; resolves false when the server says it was not there. */
export async function deleteStoredMessage(access: NatsAccess, name: string, seq: number): Promise<boolean> {
  assertWritable(access, `deleting message ${seq} of stream ${name}`);
  return (await access.jetstreamManager()).streams.deleteMessage(name, seq, false);
}

/** A stored message could not be republished because it is not there. */
export class MessageNotFoundError extends Error {
  override readonly name = 'MessageNotFoundError';
}

/**
 * Publishes a copy of the message stored at `seq` to `subject`, with its payload and the user's headers. The
 * server's own `Nats-*` headers are left behind: a message id would make the stream drop the copy as a duplicate.
 */
export async function republishMessage(
  access: NatsAccess,
  stream: string,
  seq: number,
  subject: string,
): Promise<PublishResult> {
  assertWritable(access, `republishing message ${seq} of stream ${stream} to ${subject}`);
  const msg = await (await access.jetstreamManager()).streams.getMessage(stream, { seq });
  if (!msg) throw new MessageNotFoundError(`stream ${stream} has no message at sequence ${seq}`);
  const headers = headerList(msg.header).filter(([k]) => !/^nats-/i.test(k));
  return publishMessage(access, { subject, payload: msg.data, headers });
}

/** Asks the stream's Raft leader to hand over to another replica (`nats stream cluster step-down`). */
export async function streamLeaderStepDown(access: NatsAccess, name: string): Promise<void> {
  assertWritable(access, `stepping down the leader of stream ${name}`);
  await jsApiRequest(access, `STREAM.LEADER.STEPDOWN.${name}`);
}

/** A JetStream API request nats.js has no method for; an API error in the reply is thrown as one sentence. */
export async function jsApiRequest(access: NatsAccess, api: string, body?: unknown): Promise<Record<string, unknown>> {
  const prefix = access.jetstream().apiPrefix;
  const reply = await access
    .connection()
    .request(`${prefix}.${api}`, body === undefined ? '' : JSON.stringify(body), { timeout: 5_000 });
  const parsed = reply.json<Record<string, unknown>>();
  const error = parsed.error as { code?: number; err_code?: number; description?: string } | undefined;
  if (error) throw new JetStreamRefusal(error.description ?? 'request refused', error.err_code ?? error.code ?? 0);
  return parsed;
}

/** The JetStream API refused a request that went around nats.js; carries the server's own words. */
export class JetStreamRefusal extends Error {
  override readonly name = 'JetStreamRefusal';
  constructor(
    description: string,
    readonly code: number,
  ) {
    super(description);
  }
}
