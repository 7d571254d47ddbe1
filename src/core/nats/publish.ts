import { headers as makeHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { causeChain } from './explainError';
import { assertWritable, StreamUnreachableError } from './natsErrors';
import { DEFAULT_PAYLOAD_CAP, headerList, payloadView, type HeaderList, type PayloadView } from './payload';
import type { NatsAccess } from './session';

export interface OutgoingMessage {
  readonly subject: string;
  readonly payload?: Uint8Array | string;
  readonly headers?: HeaderList;
}

export interface ReplyView {
  readonly subject: string;
  readonly headers: HeaderList;
  readonly payload: PayloadView;
  readonly elapsedMs: number;
}

/** Where a published message was stored, when a stream captures its subject. */
export interface PublishResult {
  readonly stream?: string;
  readonly seq?: number;
}

/**
 * Publishes one message. When a stream captures the subject it goes through JetStream and resolves once the stream
 * acknowledged it, so whatever reads the stream next sees it; otherwise it is a core publish and a flush, so a
 * permission error or a closed connection surfaces here.
 */
export async function publishMessage(
  access: NatsAccess,
  msg: OutgoingMessage,
  options: PublishOptions = {},
): Promise<PublishResult> {
  assertWritable(access, `publishing to ${msg.subject}`);
  const nc = access.connection();
  const stream = nc.info?.jetstream ? await streamCapturing(access, msg.subject) : undefined;
  if (stream) {
    const ack = await publishToStream(access, stream, msg, options.noResponderWaitsMs ?? NO_RESPONDER_WAITS_MS);
    return { stream: ack.stream, seq: ack.seq };
  }
  nc.publish(msg.subject, msg.payload ?? '', { headers: toHeaders(msg.headers) });
  await nc.flush();
  return {};
}

export interface PublishOptions {
  /** The waits between tries of a JetStream publish nobody took; their sum bounds how long it keeps trying. */
  readonly noResponderWaitsMs?: readonly number[];
}

/**
 * A stream created a moment ago on a cluster, or one whose leader is being elected, has no server listening for its
 * subjects yet: the publish gets "no responders", which also proves nothing was stored. So that, and only that, is
 * tried again (a timeout is not: the stream may have stored the message and only the acknowledgement was lost).
 */
export const NO_RESPONDER_WAITS_MS: readonly number[] = [100, 250, 500, 1_000, 2_000];

async function publishToStream(
  access: NatsAccess,
  stream: string,
  msg: OutgoingMessage,
  waits: readonly number[],
): Promise<{ stream: string; seq: number }> {
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await access
        .jetstream()
        .publish(msg.subject, msg.payload ?? '', { headers: toHeaders(msg.headers), retries: 1 });
    } catch (err) {
      if (!isNoResponders(err)) throw err;
      const wait = waits[attempt];
      if (wait === undefined) throw new StreamUnreachableError(stream, msg.subject, waited, err);
      await new Promise((resolve) => setTimeout(resolve, wait));
      waited += wait;
    }
  }
}

/** nats.js reports a JetStream publish nobody answered as JetStreamNotEnabled, the request's no-responders error its cause. */
function isNoResponders(err: unknown): boolean {
  return causeChain(err).some(
    (e) => e.name === 'JetStreamNotEnabled' || (e as { isNoResponders?: () => boolean }).isNoResponders?.() === true,
  );
}

/** The stream that stores `subject`, or undefined when none does (or the account may not ask). */
async function streamCapturing(access: NatsAccess, subject: string): Promise<string | undefined> {
  try {
    return await (await access.jetstreamManager()).streams.find(subject);
  } catch {
    return undefined;
  }
}

/**
 * Sends a request and resolves its reply. Rejects with `RequestError` (no responders) at once when nothing
 * listens, or `TimeoutError` after `timeoutMs` (default 5 s). A request counts as a write for the read-only guard.
 */
export async function requestMessage(
  access: NatsAccess,
  msg: OutgoingMessage,
  timeoutMs = 5_000,
  payloadCap = DEFAULT_PAYLOAD_CAP,
): Promise<ReplyView> {
  assertWritable(access, `sending a request to ${msg.subject}`);
  const started = performance.now();
  const reply = await access
    .connection()
    .request(msg.subject, msg.payload ?? '', { timeout: timeoutMs, headers: toHeaders(msg.headers) });
  return {
    subject: reply.subject,
    headers: headerList(reply.headers),
    payload: payloadView(reply.data, payloadCap),
    elapsedMs: performance.now() - started,
  };
}

function toHeaders(list: HeaderList | undefined): MsgHdrs | undefined {
  if (!list || list.length === 0) return undefined;
  const h = makeHeaders();
  for (const [name, value] of list) h.append(name, value);
  return h;
}
