import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { NatsSession } from '../../../../src/core/nats/session';

/** A connected session on `url` without auth; close it in `after`/`finally`. */
export async function connectedSession(url: string, options: { readOnly?: boolean; name?: string } = {}): Promise<NatsSession> {
  const s = new NatsSession({ spec: { name: options.name ?? 'test', origin: 'settings', servers: [url], auth: { kind: 'none' } }, secrets: { get: async () => undefined }, readOnly: options.readOnly, autoRetry: false });
  await s.open();
  await s.whenConnected(10_000);
  return s;
}

/**
 * Core-publishes `count` messages (fast, no acks), then waits until the stream has stored `expected` messages.
 * Waiting polls stream info, the only signal the server gives that a message is stored.
 */
export async function fillStream(nc: NatsConnection, stream: string, count: number, subjectOf: (i: number) => string, expected: number, payloadOf: (i: number) => string = (i) => `{"n":${i}}`): Promise<void> {
  for (let i = 0; i < count; i++) {
    nc.publish(subjectOf(i), payloadOf(i));
    if (i % 5_000 === 4_999) await nc.flush();
  }
  await nc.flush();
  const jsm = await jetstreamManager(nc);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { state } = await jsm.streams.info(stream);
    if (state.messages >= expected) return;
    if (Date.now() > deadline) throw new Error(`stream ${stream} has ${state.messages} of ${expected} messages after 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
