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
import { streamReportMarkdown, streamReportRow, type StreamReportRow } from '../nats/streamReport';

export interface SmokeTestOptions {
  readonly release: string;
  readonly namespace: string;
  /** How long the connect and the round trip may each take (default 10 s). */
  readonly timeoutMs?: number;
  /** How long to wait for a ready pod (default 30 s). */
  readonly readyTimeoutMs?: number;
  /** The number of servers the release's values asked for (config.cluster.replicas), when known. */
  readonly expectedClusterSize?: number;
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
  /** Servers the connected server advertises for its cluster (itself included); 1 when it is not clustered. */
  readonly clusterSize: number;
  readonly expectedClusterSize?: number;
  /** What `nats stream report -a` shows, when JetStream is enabled. */
  readonly streams: readonly StreamReportRow[];
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
  const forward = await NatsPortForward.start(cluster, {
    release: opts.release,
    namespace: opts.namespace,
    readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
  });
  const pod = forward.state.kind === 'forwarding' ? forward.state.pod : '?';
  let nc: NatsConnection | undefined;
  try {
    try {
      nc = await connect({ servers: forward.url, reconnect: false, timeout, name: 'nats-k3s smoke test' });
    } catch (err) {
      throw new SmokeTestError(
        `The port-forward to pod ${pod} is open, but NATS did not answer through it (${(err as Error).message}): check the pod's logs.`,
        { cause: err },
      );
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
      throw new SmokeTestError(
        `Published to ${subject} through pod ${pod}, but the message did not come back within ${timeout / 1000} s (${(err as Error).message}).`,
        { cause: err },
      );
    }
    if (received !== 'hi')
      throw new SmokeTestError(
        `Published to ${subject} through pod ${pod}, but the subscription ended without the message.`,
      );
    const roundTripMs = performance.now() - started;
    let jetstream = false;
    const streams: StreamReportRow[] = [];
    try {
      const jsm = await jetstreamManager(nc, { timeout });
      await jsm.getAccountInfo();
      jetstream = true;
      for await (const info of jsm.streams.list()) streams.push(streamReportRow(info));
    } catch {
      // Not enabled (or not for this account): reported, not an error.
    }
    const serverVersion = nc.info?.version;
    // A clustered server advertises every server's client URL (its own included) in connect_urls.
    const clusterSize = nc.info?.cluster ? Math.max(1, new Set(nc.info.connect_urls ?? []).size) : 1;
    return {
      release: opts.release,
      namespace: opts.namespace,
      pod,
      subject,
      roundTripMs,
      jetstream,
      clusterSize,
      streams,
      ...(serverVersion ? { serverVersion } : {}),
      ...(opts.expectedClusterSize !== undefined ? { expectedClusterSize: opts.expectedClusterSize } : {}),
    };
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

/** One sentence on the cluster size: what the values asked for against what the server sees; undefined when unknown. */
export function clusterSizeSentence(r: SmokeTestResult): string | undefined {
  if (r.expectedClusterSize === undefined) return undefined;
  if (r.clusterSize === r.expectedClusterSize)
    return `The cluster has the ${r.expectedClusterSize} server${r.expectedClusterSize === 1 ? '' : 's'} the values ask for.`;
  return `The values ask for ${r.expectedClusterSize} servers, but pod ${r.pod} sees ${r.clusterSize} in its cluster: check that every NATS pod is ready and that the routes connect (config.cluster).`;
}

/** The whole result as Markdown: the sentence, the cluster check and the stream report table. */
export function smokeTestMarkdown(r: SmokeTestResult): string {
  const lines = [`# Smoke test of ${r.release} in ${r.namespace}`, '', smokeTestSentence(r)];
  const size = clusterSizeSentence(r);
  if (size) lines.push('', size);
  if (r.jetstream)
    lines.push('', '## Streams (as `nats stream report -a` shows them)', '', streamReportMarkdown(r.streams).trimEnd());
  return `${lines.join('\n')}\n`;
}

/**
 * The number of NATS servers a release's user-supplied values ask for (`helm get values`): config.cluster in the
 * 1.x/2.x layout (replicas default 3 when enabled), top-level cluster in 0.x; 1 when clustering is off or absent.
 */
export function clusterSizeFromValues(values: Record<string, unknown>): number {
  const obj = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const cluster = Object.keys(obj(obj(values.config).cluster)).length
    ? obj(obj(values.config).cluster)
    : obj(values.cluster);
  if (cluster.enabled !== true) return 1;
  return typeof cluster.replicas === 'number' && cluster.replicas > 0 ? cluster.replicas : 3;
}
