/**
 * "Does the installation work?": a port-forward to a ready NATS pod of the release (NatsPortForward, no kubectl),
 * then with nats.js the same check as `nats sub test` + `nats pub test hi` in the nats-box: subscribe to a unique
 * subject, publish, receive, and time the round trip. It also asks whether JetStream is enabled for the account.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { ClusterClient } from './clusterClient';
import { NatsPortForward } from './portForward';

export interface SmokeTestOptions {
  readonly release: string;
  readonly namespace: string;
  /** How long the connect and the round trip may each take (default 10 s). */
  readonly timeoutMs?: number;
  /** How long to wait for a ready pod (default 30 s). */
  readonly readyTimeoutMs?: number;
}

export interface SmokeTestResult {
  readonly release: string;
  readonly namespace: string;
  /** The pod the forward reached. */
  readonly pod: string;
  readonly subject: string;
  readonly roundTripMs: number;
  readonly serverVersion?: string;
  readonly jetstream: boolean;
}

/** The smoke test failed after the forward was up; the message is one sentence with the next step. */
export class SmokeTestError extends Error {
  override readonly name = 'SmokeTestError';
}

/**
 * Runs the round trip and resolves with its result; rejects with a KubeAccessError when no forward could be opened
 * (no ready pod, RBAC, unreachable) or a SmokeTestError when NATS did not answer through it. Closes everything it opened.
 */
export async function runSmokeTest(cluster: ClusterClient, opts: SmokeTestOptions): Promise<SmokeTestResult> {
  const timeout = opts.timeoutMs ?? 10_000;
  const forward = await NatsPortForward.start(cluster, { release: opts.release, namespace: opts.namespace, readyTimeoutMs: opts.readyTimeoutMs ?? 30_000 });
  const pod = forward.state.kind === 'forwarding' ? forward.state.pod : '?';
  let nc: NatsConnection | undefined;
  try {
    try {
      nc = await connect({ servers: forward.url, reconnect: false, timeout, name: 'nats-k3s smoke test' });
    } catch (err) {
      throw new SmokeTestError(`The port-forward to pod ${pod} is open, but NATS did not answer through it (${(err as Error).message}): check the pod's logs.`, { cause: err });
    }
    const subject = `natsk3s.smoke.${randomUUID()}`;
    const sub = nc.subscribe(subject, { max: 1, timeout });
    await nc.flush();
    const started = performance.now();
    nc.publish(subject, 'hi');
    let received: string | undefined;
    try {
      for await (const m of sub) received = m.string();
    } catch (err) {
      throw new SmokeTestError(`Published to ${subject} through pod ${pod}, but the message did not come back within ${timeout / 1000} s (${(err as Error).message}).`, { cause: err });
    }
    if (received !== 'hi') throw new SmokeTestError(`Published to ${subject} through pod ${pod}, but the subscription ended without the message.`);
    const roundTripMs = performance.now() - started;
    let jetstream = false;
    try {
      await (await jetstreamManager(nc, { timeout })).getAccountInfo();
      jetstream = true;
    } catch {
      // Not enabled (or not for this account): reported, not an error.
    }
    const serverVersion = nc.info?.version;
    return { release: opts.release, namespace: opts.namespace, pod, subject, roundTripMs, jetstream, ...(serverVersion ? { serverVersion } : {}) };
  } finally {
    await nc?.close().catch(() => undefined);
    await forward.stop();
  }
}

/** One sentence: "nats in namespace nats works: a message went through pod nats-0 and back in 3 ms (NATS 2.14.2, JetStream enabled)." */
export function smokeTestSentence(r: SmokeTestResult): string {
  const ms = r.roundTripMs < 10 ? r.roundTripMs.toFixed(1) : Math.round(r.roundTripMs).toString();
  const server = r.serverVersion ? `NATS ${r.serverVersion}, ` : '';
  return `Release ${r.release} in namespace ${r.namespace} works: a message went through pod ${r.pod} and back in ${ms} ms (${server}JetStream ${r.jetstream ? 'enabled' : 'not enabled'}).`;
}
