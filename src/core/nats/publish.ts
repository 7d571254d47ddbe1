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

/** Publishes one core message and flushes, so a permission error or a closed connection surfaces here. */
export async function publishMessage(access: NatsAccess, msg: OutgoingMessage): Promise<void> {
  assertWritable(access, `publishing to ${msg.subject}`);
  const nc = access.connection();
  nc.publish(msg.subject, msg.payload ?? '', { headers: toHeaders(msg.headers) });
  await nc.flush();
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
