/**
 * The sentence an install or upgrade ends with: how many of the release's pods are ready, and for the first pod
 * that is not, the reason from its status (podStatus.ts).
 */
import type { ChartPods } from './clusterClient';

export interface RolloutReport {
  /** Every NATS server pod (and the nats-box, when there is one) is ready. */
  readonly ready: boolean;
  readonly sentence: string;
}

/** "Release nats in namespace nats: 3 of 3 NATS pods ready, nats-box ready." or the first not-ready reason. */
export function rolloutReport(release: string, namespace: string, servers: ChartPods, box: ChartPods): RolloutReport {
  const where = `Release ${release} in namespace ${namespace}`;
  if (servers.pods.length === 0) {
    return {
      ready: false,
      sentence: `${where} has no NATS server pods: check the StatefulSet's events (kubectl describe statefulset -n ${namespace}).`,
    };
  }
  const readyServers = servers.pods.filter((p) => p.ready).length;
  const boxPart =
    box.pods.length === 0 ? '' : box.pods.some((p) => p.ready) ? ', nats-box ready' : ', nats-box not ready';
  const counts = `${readyServers} of ${servers.pods.length} NATS pod${servers.pods.length === 1 ? '' : 's'} ready${boxPart}`;
  const stuck = [...servers.pods, ...box.pods].find((p) => !p.ready);
  if (!stuck) return { ready: true, sentence: `${where}: ${counts}.` };
  const reason = (stuck.notReadyReason ?? 'no reason given').replace(/[.\s]+$/, '');
  return { ready: false, sentence: `${where}: ${counts}; ${stuck.name} is not ready: ${reason}.` };
}

/** The first not-ready pod's name and reason, to add to a "timed out" sentence; undefined when all are ready. */
export function firstNotReady(...groups: ChartPods[]): string | undefined {
  const pod = groups.flatMap((g) => g.pods).find((p) => !p.ready);
  return pod ? `${pod.name}: ${pod.notReadyReason ?? 'not ready'}` : undefined;
}
