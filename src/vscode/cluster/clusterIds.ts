/**
 * Identifiers of the cluster features (commands, the Releases view, tree contextValues, settings, state keys), in one
 * leaf module imported by the tree and the commands; package.json declares the same strings.
 */
export const RELEASES_VIEW = 'natsK3s.releases';

export const ClusterCommands = {
  install: 'natsK3s.chart.install',
  preview: 'natsK3s.chart.preview',
  uninstall: 'natsK3s.chart.uninstall',
  smokeTest: 'natsK3s.chart.smokeTest',
  natsBoxShell: 'natsK3s.natsBox.shell',
  selectContext: 'natsK3s.kube.selectContext',
  refreshReleases: 'natsK3s.releases.refresh',
  connectRelease: 'natsK3s.release.connect',
  history: 'natsK3s.release.history',
  rollback: 'natsK3s.release.rollback',
} as const;

/** Settings keys under `natsK3s`. */
export const ClusterSettings = {
  kubeconfig: 'kubeconfig',
  helmPath: 'helmPath',
  kubectlPath: 'kubectlPath',
  helmTimeoutSeconds: 'helm.timeoutSeconds',
  helmChart: 'helm.chart',
  helmRepository: 'helm.repository',
  valuesChartVersion: 'values.chartVersion',
  readOnly: 'readOnly',
} as const;

/** Every contextValue the Releases tree produces (menus match them with `viewItem ==`). */
export type ReleasesContextValue = 'release' | 'pod.nats' | 'pod.natsBox' | 'releases.error' | 'releases.empty';
export const RELEASES_CONTEXT_VALUES: readonly ReleasesContextValue[] = [
  'release',
  'pod.nats',
  'pod.natsBox',
  'releases.error',
  'releases.empty',
];

/** globalState key of the chosen Kubernetes context. */
export const CONTEXT_STATE_KEY = 'natsK3s.kube.context';

/** workspaceState key of the release each values file was installed into (installedReleases.ts). */
export const INSTALLED_VALUES_STATE_KEY = 'natsK3s.values.installedInto';
