/**
 * Readiness of a pod in plain data, with the reason in the words Kubernetes uses, read from the pod's status
 * (container states first, since they name the real cause, then the pod's conditions).
 * The input types are the few fields of client-node's V1Pod that matter, so tests need no cluster.
 */
import type { ChartComponent, ChartLayout } from './chartLabels';

export interface PodLike {
  metadata?: {
    name?: string;
    namespace?: string;
    deletionTimestamp?: Date | string;
    creationTimestamp?: Date | string;
    labels?: Record<string, string>;
  };
  spec?: { nodeName?: string; containers?: { name: string; ports?: { name?: string; containerPort: number }[] }[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: ContainerStatusLike[];
    initContainerStatuses?: ContainerStatusLike[];
  };
}

interface ContainerStatusLike {
  name: string;
  ready: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    terminated?: { reason?: string; message?: string; exitCode?: number };
    running?: object;
  };
}

/** A pod of the chart, as the tree and the install report show it. */
export interface ChartPod {
  readonly name: string;
  readonly namespace: string;
  readonly layout: ChartLayout;
  readonly component: ChartComponent;
  /** Pending, Running, Succeeded, Failed, Unknown. */
  readonly phase: string;
  readonly ready: boolean;
  readonly readyContainers: number;
  readonly totalContainers: number;
  readonly restarts: number;
  /** Why the pod is not ready, e.g. "CrashLoopBackOff (container nats): back-off 5m0s restarting failed container". */
  readonly notReadyReason?: string;
  readonly nodeName?: string;
  /** The NATS client port of the `nats` container (port named `nats`, or `client` in 0.x); undefined for nats-box. */
  readonly clientPort?: number;
}

/** Turns a pod into a ChartPod; a pod being deleted is never ready, whatever its conditions say. */
export function summarizePod(pod: PodLike, layout: ChartLayout, component: ChartComponent): ChartPod {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? statuses.length;
  const readyCount = statuses.filter((s) => s.ready).length;
  const terminating = pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
  const readyCondition = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const ready = !terminating && readyCondition?.status === 'True';
  const reason = ready ? undefined : notReadyReason(pod, terminating);
  const natsContainer = pod.spec?.containers?.find((c) => c.name === 'nats');
  const clientPort =
    component === 'nats'
      ? natsContainer?.ports?.find((p) => p.name === 'nats' || p.name === 'client')?.containerPort
      : undefined;
  return {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    layout,
    component,
    phase: pod.status?.phase ?? 'Unknown',
    ready,
    readyContainers: readyCount,
    totalContainers: total,
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    ...(reason ? { notReadyReason: reason } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ...(clientPort !== undefined ? { clientPort } : {}),
  };
}

function withMessage(reason: string, message?: string): string {
  const m = message?.trim().replace(/\s+/g, ' ');
  return m ? `${reason}: ${m}` : reason;
}

function notReadyReason(pod: PodLike, terminating: boolean): string {
  if (terminating) return 'Terminating: the pod is being deleted';
  const status = pod.status ?? {};
  if (status.phase === 'Failed' || status.phase === 'Succeeded')
    return withMessage(status.reason ?? status.phase, status.message);
  for (const [kind, list] of [
    ['init container', status.initContainerStatuses],
    ['container', status.containerStatuses],
  ] as const) {
    for (const c of list ?? []) {
      const waiting = c.state?.waiting;
      if (waiting?.reason && waiting.reason !== 'PodInitializing')
        return withMessage(`${waiting.reason} (${kind} ${c.name})`, waiting.message);
      const terminated = c.state?.terminated;
      if (terminated && !(kind === 'init container' && terminated.exitCode === 0)) {
        return withMessage(
          `${terminated.reason ?? 'Terminated'} (${kind} ${c.name}, exit code ${terminated.exitCode ?? '?'})`,
          terminated.message,
        );
      }
    }
  }
  const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (scheduled) return withMessage(scheduled.reason ?? 'Unschedulable', scheduled.message);
  const notReadyRunning = (status.containerStatuses ?? [])
    .filter((c) => !c.ready && c.state?.running)
    .map((c) => c.name);
  if (notReadyRunning.length > 0)
    return `Running but not ready (container ${notReadyRunning.join(', ')}): the readiness probe is failing`;
  const readyCondition = status.conditions?.find((c) => c.type === 'Ready' && c.status !== 'True');
  if (readyCondition?.reason) return withMessage(readyCondition.reason, readyCondition.message);
  return status.phase === 'Pending'
    ? 'Pending: waiting to be scheduled or started'
    : `Not ready (phase ${status.phase ?? 'Unknown'})`;
}
