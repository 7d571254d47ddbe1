/** Features of the cluster views that need a newer nats-server than the oldest supported (2.9). */
export const SERVER_FEATURES = {
  consumerPause: { label: 'Consumer pause state', since: '2.11.0' },
  apiLevel: { label: 'JetStream API level', since: '2.11.0' },
} as const;

export type ServerFeature = keyof typeof SERVER_FEATURES;

/** A feature the server is too old for, said as the view shows it. */
export interface DisabledFeature {
  readonly feature: ServerFeature;
  readonly label: string;
  readonly needs: string;
  readonly serverVersion: string;
}

/** `2.14.2` → [2, 14, 2]; a pre-release or build suffix is ignored; anything unreadable is [0, 0, 0]. */
export function parseVersion(version: string): [number, number, number] {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : [0, 0, 0];
}

export function atLeast(version: string, wanted: string): boolean {
  const a = parseVersion(version);
  const b = parseVersion(wanted);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return true;
}

/**
 * The features `versions` (every server of the cluster) cannot all give: a mixed cluster is as old as its oldest
 * server, since the feature may live on any of them.
 */
export function disabledFeatures(versions: readonly string[]): DisabledFeature[] {
  if (versions.length === 0) return [];
  const oldest = [...versions].sort((a, b) => (atLeast(a, b) ? 1 : -1))[0]!;
  return (Object.keys(SERVER_FEATURES) as ServerFeature[])
    .filter((f) => !atLeast(oldest, SERVER_FEATURES[f].since))
    .map((f) => ({
      feature: f,
      label: SERVER_FEATURES[f].label,
      needs: SERVER_FEATURES[f].since,
      serverVersion: oldest,
    }));
}

/** `Consumer pause state needs nats-server 2.11.0 (this cluster runs 2.9.10).` */
export function disabledSentence(d: DisabledFeature): string {
  return `${d.label} needs nats-server ${d.needs} (this cluster runs ${d.serverVersion}).`;
}
