/**
 * Where an etcd key sits in the Kubernetes tree (kine-format.md §7.3): `/registry/<prefix>/[<namespace>/]<name>`,
 * where `<prefix>` is a resource (`pods`), a group and resource (`helm.cattle.io/helmcharts`) or one of the two
 * `services/specs` / `services/endpoints` special cases.
 */
export type KeyPlace =
  | { readonly group: 'kubernetes'; readonly resource: string; readonly namespace?: string; readonly name: string }
  | { readonly group: 'other'; readonly key: string };

export const REGISTRY_PREFIX = '/registry/';

/** Splits a decoded etcd key into resource › namespace › name; anything that does not fit goes to the `other` group. */
export function placeKey(key: string): KeyPlace {
  if (!key.startsWith(REGISTRY_PREFIX)) return { group: 'other', key };
  const segments = key.slice(REGISTRY_PREFIX.length).split('/');
  const width = resourceWidth(segments);
  const rest = segments.slice(width);
  const resource = segments.slice(0, width).join('/');
  if (resource === '' || rest.some((s) => s === '')) return { group: 'other', key };
  if (rest.length === 1) return { group: 'kubernetes', resource, name: rest[0] };
  if (rest.length === 2) return { group: 'kubernetes', resource, namespace: rest[0], name: rest[1] };
  return { group: 'other', key };
}

/** How many leading segments after `/registry/` name the resource type: 2 for groups and services, else 1. */
export function resourceWidth(segments: readonly string[]): number {
  const [first, second] = segments;
  if (first === undefined) return 0;
  if (first.includes('.') && second !== undefined) return 2;
  if (first === 'services' && (second === 'specs' || second === 'endpoints')) return 2;
  return 1;
}

/** True for keys whose values are secrets and stay hidden until the user asks: Secrets and K3s bootstrap data. */
export function isSensitiveKey(key: string): boolean {
  return key.startsWith('/registry/secrets/') || key.startsWith('/bootstrap/');
}
