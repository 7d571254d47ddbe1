import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { NatsSession } from '../../../../src/core/nats/session';
import type { SamplerStats } from '../../../../src/core/nats/subjectSampler';

/** A connected session on `url` (or a cluster's URLs) without auth; close it in `after`/`finally`. */
export async function connectedSession(
  url: string | readonly string[],
  options: { readOnly?: boolean; name?: string } = {},
): Promise<NatsSession> {
  const servers = typeof url === 'string' ? [url] : [...url];
  const s = new NatsSession({
    spec: { name: options.name ?? 'test', origin: 'settings', servers, auth: { kind: 'none' } },
    secrets: { get: async () => undefined },
    readOnly: options.readOnly,
    autoRetry: false,
  });
  await s.open();
  await s.whenConnected(10_000);
  return s;
}

/**
 * Core-publishes `count` messages (fast, no acks), then waits until the stream has stored `expected` messages.
 * Waiting polls stream info, the only signal the server gives that a message is stored.
 */
export async function fillStream(
  nc: NatsConnection,
  stream: string,
  count: number,
  subjectOf: (i: number) => string,
  expected: number,
  payloadOf: (i: number) => string = (i) => `{"n":${i}}`,
): Promise<void> {
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
    if (Date.now() > deadline)
      throw new Error(`stream ${stream} has ${state.messages} of ${expected} messages after 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What both samplers (in this thread, and in a worker) offer for waiting on their counts. */
export interface StatsSource {
  stats(): SamplerStats;
  onChange(listener: (stats: SamplerStats) => void): () => void;
}

/** Resolves when the stats satisfy `pred` (with `notifiedOnly`, in a notification, so tree counts are rolled up); rejects after `ms`. */
export function statsWhere(
  sampler: StatsSource,
  pred: (s: SamplerStats) => boolean,
  ms = 30_000,
  notifiedOnly = false,
): Promise<SamplerStats> {
  return new Promise((resolve, reject) => {
    if (!notifiedOnly && pred(sampler.stats())) return resolve(sampler.stats());
    const timer = setTimeout(() => {
      off();
      reject(new Error(`sampler stats not reached in ${ms} ms: ${JSON.stringify(sampler.stats())}`));
    }, ms);
    const off = sampler.onChange((s) => {
      if (pred(s)) {
        clearTimeout(timer);
        off();
        resolve(s);
      }
    });
  });
}
