import type { Placement } from './placement';

/**
 * The NATS cluster's size as a client can see it: the server advertises every member's client URL in `connect_urls`
 * (its own included, as nats-server 2.14 sends it); a stream's replicas are a lower bound when URLs are not advertised.
 */
export function clusterSizeOf(
  info: { cluster?: string; connect_urls?: string[] } | undefined,
  placement?: Placement,
): number {
  const advertised = info?.cluster ? new Set(info.connect_urls ?? []).size : 1;
  return Math.max(1, advertised, placement?.replicas.length ?? 0);
}
