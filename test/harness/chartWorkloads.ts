/**
 * The NATS chart's workloads, reduced to what the controllers and the extension act on: its StatefulSet of servers
 * and its nats-box Deployment, labelled as chart 1.x/2.x or 0.x labels them (src/core/kube/chartLabels.ts,
 * ../shared/reference/helm-chart.md). For tests that create them through the stack's real API without helm.
 */
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

export type ChartLayoutLabels = '1.x/2.x' | '0.x';

/** The labels the chart puts on its server Pods: 1.x/2.x adds the component, 0.x has name and instance only. */
export function chartServerLabels(release: string, layout: ChartLayoutLabels = '1.x/2.x'): Record<string, string> {
  const base = { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': release };
  return layout === '0.x' ? base : { ...base, 'app.kubernetes.io/component': 'nats' };
}

export interface ChartStatefulSetOptions {
  readonly namespace: string;
  readonly release: string;
  /** The StatefulSet's name; the chart's fullname by default: the release if it contains `nats`, else `<release>-nats`. */
  readonly name?: string;
  readonly layout?: ChartLayoutLabels;
  readonly replicas?: number;
  /** The chart sets Parallel; OrderedReady (Kubernetes' default) makes a Pod only once the ones before it are Ready. */
  readonly podManagementPolicy?: 'Parallel' | 'OrderedReady';
  /** Annotations of the Pod template (e.g. podStates.ts's kubeletReportAnnotations). */
  readonly podAnnotations?: Record<string, string>;
  /** Claim templates `<name>: <size>`, e.g. `{ 'nats-js': '10Gi' }`: Pods get claims `<template>-<sts>-<ordinal>`. */
  readonly claims?: Record<string, string>;
}

/** A StatefulSet like the chart's: containers `nats` (client port named `nats`, `client` in 0.x) and `reloader`. */
export function chartStatefulSet(o: ChartStatefulSetOptions): V1StatefulSet {
  const name = o.name ?? (o.release.includes('nats') ? o.release : `${o.release}-nats`);
  const labels = chartServerLabels(o.release, o.layout);
  const clientPort = o.layout === '0.x' ? 'client' : 'nats';
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: o.namespace, labels },
    spec: {
      replicas: o.replicas ?? 3,
      serviceName: `${name}-headless`,
      podManagementPolicy: o.podManagementPolicy ?? 'Parallel',
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...(o.podAnnotations ? { annotations: o.podAnnotations } : {}) },
        spec: {
          containers: [
            {
              name: 'nats',
              image: 'nats:2.14.2-alpine',
              ports: [
                { name: clientPort, containerPort: 4222 },
                { name: 'cluster', containerPort: 6222 },
                { name: 'monitor', containerPort: 8222 },
              ],
            },
            { name: 'reloader', image: 'natsio/nats-server-config-reloader:0.16.0' },
          ],
        },
      },
      volumeClaimTemplates: Object.entries(o.claims ?? {}).map(([claim, size]) => ({
        metadata: { name: claim },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
      })),
    },
  };
}

/**
 * The nats-box Deployment: 1.x/2.x names it `<fullname>-box` with the component label `nats-box`; 0.x labels its
 * Pods only `app: <fullname>-box`.
 */
export function chartNatsBoxDeployment(o: {
  namespace: string;
  release: string;
  layout?: ChartLayoutLabels;
  nodeSelector?: Record<string, string>;
}): V1Deployment {
  const fullname = o.release.includes('nats') ? o.release : `${o.release}-nats`;
  const name = `${fullname}-box`;
  const labels: Record<string, string> =
    o.layout === '0.x'
      ? { app: name }
      : {
          'app.kubernetes.io/name': 'nats',
          'app.kubernetes.io/instance': o.release,
          'app.kubernetes.io/component': 'nats-box',
        };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: o.namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'nats-box', image: 'natsio/nats-box:0.19.1' }],
          ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
        },
      },
    },
  };
}
