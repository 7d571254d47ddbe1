// The release a values file was installed into, as the VS Code face knows it: it remembers which file went into which
// release and reads the release's chart version from the Releases view's last listing (no helm run per keystroke).
import { inlineText } from './messageText';

export interface InstalledRelease {
  readonly release: string;
  readonly namespace: string;
  /** The kubeconfig context the release was listed in; undefined when the kubeconfig names none. */
  readonly context?: string;
  /** The chart version helm lists for the release now (`2.14.2`). */
  readonly chartVersion: string;
}

/** `chart 2.14.2 from release nats in namespace nats (context lab)`, for hover and logs. */
export function describeInstalledRelease(r: InstalledRelease): string {
  // Names come from the cluster and the kubeconfig: escaped, so they cannot break a line.
  const context = r.context === undefined ? 'the current context' : `context ${inlineText(r.context, 100)}`;
  return `chart ${inlineText(r.chartVersion, 40)} from release ${inlineText(r.release, 60)} in namespace ${inlineText(r.namespace, 70)} (${context})`;
}
