/**
 * How the NATS chart labels its pods and names its PersistentVolumeClaims, for both values layouts
 * (../shared/reference/helm-chart.md §3.2, §4, §7). Pure functions over plain data.
 */

export type ChartLayout = '1.x/2.x' | '0.x';
export type ChartComponent = 'nats' | 'nats-box';

/** A label selector with the layout it belongs to. */
export interface LayoutSelector {
  readonly layout: ChartLayout;
  readonly selector: string;
}

/**
 * The chart's fullname without overrides: the release name if it contains `nats`, else `<release>-nats`, cut to 63
 * characters (helm's `nats.fullname`).
 */
export function chartFullname(release: string): string {
  const full = release.includes('nats') ? release : `${release}-nats`;
  return full.slice(0, 63).replace(/-+$/, '');
}

/**
 * Selectors to try in order, newest layout first. 1.x/2.x labels every pod with instance + component. 0.x server
 * pods have instance + name and no component label (`!key` keeps 1.x nats-box pods out); 0.x nats-box pods carry
 * only `app: <fullname>-box`.
 */
export function podSelectors(release: string, component: ChartComponent): LayoutSelector[] {
  const instance = `app.kubernetes.io/instance=${release}`;
  if (component === 'nats') {
    return [
      { layout: '1.x/2.x', selector: `${instance},app.kubernetes.io/component=nats` },
      { layout: '0.x', selector: `${instance},app.kubernetes.io/name=nats,!app.kubernetes.io/component` },
    ];
  }
  return [
    { layout: '1.x/2.x', selector: `${instance},app.kubernetes.io/component=nats-box` },
    { layout: '0.x', selector: `app=${chartFullname(release)}-box` },
  ];
}

/**
 * Selectors for the server pods of every release of the chart, newest layout first (the instance label names the
 * release). Both layouts label their server pods `app.kubernetes.io/name=nats`.
 */
export function releaseSelectors(): LayoutSelector[] {
  return [
    { layout: '1.x/2.x', selector: 'app.kubernetes.io/name=nats,app.kubernetes.io/component=nats' },
    { layout: '0.x', selector: 'app.kubernetes.io/name=nats,!app.kubernetes.io/component,app.kubernetes.io/instance' },
  ];
}

export type PvcPurpose = 'jetstream' | 'resolver';

/**
 * What a PVC left by a release holds, judged by the name the StatefulSet gave it (`<template>-<sts>-<ordinal>`), or
 * undefined when it is not one of the release's. Templates: 1.x/2.x `<fullname>-js` and `<fullname>-resolver`;
 * 0.x `<fullname>-js-pvc` and `nats-jwt-pvc`. The StatefulSet is named `<fullname>`.
 */
export function releasePvcPurpose(release: string, pvcName: string): PvcPurpose | undefined {
  const full = chartFullname(release);
  const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const suffix = `-${escapeRegex(full)}-\\d+$`;
  const templates: [string, PvcPurpose][] = [
    [`${full}-js`, 'jetstream'],
    [`${full}-js-pvc`, 'jetstream'],
    [`${full}-resolver`, 'resolver'],
    ['nats-jwt-pvc', 'resolver'],
  ];
  return templates.find(([t]) => new RegExp(`^${escapeRegex(t)}${suffix}`).test(pvcName))?.[1];
}
