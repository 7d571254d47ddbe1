// Label and tooltip text of tree nodes named by data from a server or a bucket. A subject, a KV key or a kine key can
// hold control characters (a newline, a bidi override that reverses what follows, terminal escapes); shown raw they
// break the row or disguise the name. Plain functions without vscode, so the unit layer tests them.
import type { KeyNode, NamespaceNode, ResourceTypeNode } from '../../core/kine/kineLevels';
import type { KeyLevelChild } from '../../core/nats/kvBrowser';
import type { SubjectChild } from '../../core/nats/subjectSampler';
import { escapeControl } from '../../core/text/escapeControl';

export interface DataLabel {
  readonly label: string;
  readonly tooltip: string;
}

/** A kine object: its name, the whole key as tooltip. */
export function kineObjectLabel(key: Pick<KeyNode, 'name' | 'key'>): DataLabel {
  return { label: escapeControl(key.name), tooltip: escapeControl(key.key) };
}

/** A kine resource type (`pods`, `apps/deployments`). */
export function kineTypeLabel(type: Pick<ResourceTypeNode, 'resource'>): string {
  return escapeControl(type.resource);
}

/** A namespace under a kine resource type. */
export function kineNamespaceLabel(ns: Pick<NamespaceNode, 'namespace'>): string {
  return escapeControl(ns.namespace);
}

/** One token of a KV key level, the full key or prefix as tooltip. */
export function kvKeyLabel(child: Pick<KeyLevelChild, 'token' | 'path'>): DataLabel {
  return { label: escapeControl(child.token), tooltip: escapeControl(child.path) };
}

/** One token of a sampled subject, the whole subject (and the streams storing it) as tooltip. */
export function subjectLabel(child: Pick<SubjectChild, 'token' | 'subject' | 'streams'>): DataLabel {
  const streams = child.streams.map(escapeControl);
  return {
    label: escapeControl(child.token),
    tooltip: `${escapeControl(child.subject)}${streams.length ? `\nstored by ${streams.join(', ')}` : ''}`,
  };
}

/** `45 s`, `3 min 5 s`: how long the sample has been (or was) listening. */
export function sampleWindow(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ''}`;
}
