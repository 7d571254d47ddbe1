import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { headers } from '@nats-io/transport-node';

/**
 * A small service that speaks the NATS services protocol v1 ($SRV.PING/INFO/STATS and its endpoints), built on core
 * subscriptions because `@nats-io/services` is not a dependency. Used by tests to stand in for a user's service.
 */
export interface TestEndpoint {
  readonly name: string;
  readonly subject: string;
  /** Returns the reply body, or throws `{ code, message }` to answer with a service error. */
  readonly handle: (data: Uint8Array) => string;
}

export interface TestService {
  readonly id: string;
  stop(): Promise<void>;
}

let counter = 0;

export function startTestService(
  nc: NatsConnection,
  options: { name: string; version: string; description?: string; endpoints: readonly TestEndpoint[] },
): TestService {
  const id = `${options.name.toUpperCase()}${++counter}${Date.now().toString(36)}`;
  const started = new Date().toISOString();
  const stats = options.endpoints.map(() => ({ requests: 0, errors: 0, ns: 0, lastError: '' }));
  const base = () => ({ name: options.name, id, version: options.version, metadata: { origin: 'test' } });
  const bodies = {
    PING: () => ({ type: 'io.nats.micro.v1.ping_response', ...base() }),
    INFO: () => ({
      type: 'io.nats.micro.v1.info_response',
      ...base(),
      description: options.description ?? '',
      endpoints: options.endpoints.map((e) => ({ name: e.name, subject: e.subject, queue_group: 'q', metadata: {} })),
    }),
    STATS: () => ({
      type: 'io.nats.micro.v1.stats_response',
      ...base(),
      started,
      endpoints: options.endpoints.map((e, i) => ({
        name: e.name,
        subject: e.subject,
        queue_group: 'q',
        num_requests: stats[i]!.requests,
        num_errors: stats[i]!.errors,
        last_error: stats[i]!.lastError,
        processing_time: stats[i]!.ns,
        average_processing_time: stats[i]!.requests ? Math.round(stats[i]!.ns / stats[i]!.requests) : 0,
      })),
    }),
  };
  const subs: Subscription[] = [];
  for (const verb of ['PING', 'INFO', 'STATS'] as const) {
    for (const subject of [`$SRV.${verb}`, `$SRV.${verb}.${options.name}`, `$SRV.${verb}.${options.name}.${id}`])
      subs.push(
        nc.subscribe(subject, {
          callback: (_e, m) => {
            m.respond(JSON.stringify(bodies[verb]()));
          },
        }),
      );
  }
  options.endpoints.forEach((e, i) => {
    subs.push(
      nc.subscribe(e.subject, {
        queue: 'q',
        callback: (_err, m: Msg) => {
          const t0 = process.hrtime.bigint();
          const s = stats[i]!;
          s.requests++;
          try {
            m.respond(e.handle(m.data));
          } catch (err) {
            const { code, message } = err as { code: number; message: string };
            s.errors++;
            s.lastError = `${code}:${message}`;
            const h = headers();
            h.set('Nats-Service-Error', message);
            h.set('Nats-Service-Error-Code', String(code));
            m.respond('', { headers: h });
          }
          s.ns += Number(process.hrtime.bigint() - t0);
        },
      }),
    );
  });
  return {
    id,
    stop: async () => {
      for (const sub of subs) sub.unsubscribe();
      await nc.flush();
    },
  };
}
