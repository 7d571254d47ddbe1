import { headers as makeHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { assertWritable } from './natsErrors';
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
export async function publishMessage(access: NatsAccess, msg: OutgoingMessage): Promise<PublishResult> {
  assertWritable(access, `publishing to ${msg.subject}`);
  const nc = access.connection();
  const stream = nc.info?.jetstream ? await streamCapturing(access, msg.subject) : undefined;
  if (stream) {
    const ack = await access.jetstream().publish(msg.subject, msg.payload ?? '', { headers: toHeaders(msg.headers) });
    return { stream: ack.stream, seq: ack.seq };
  }
  nc.publish(msg.subject, msg.payload ?? '', { headers: toHeaders(msg.headers) });
  await nc.flush();
  return {};
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
