import * as vscode from 'vscode';

/**
 * Context keys the extension sets when a state is really reached (a file analysed, a release listed, a test passed).
 * The walkthrough's steps complete on them and the welcome views show on them; package.json names the same strings.
 * A leaf module: the features set them, nothing here depends on a feature.
 */
export const StateKeys = {
  /** A NATS chart values file was open and analysed. */
  valuesWritten: 'natsK3s.state.valuesWritten',
  /** A values file was analysed and had no errors. */
  valuesClean: 'natsK3s.state.valuesClean',
  /** The chosen context's cluster answered (the prerequisites check, or helm listed its releases). */
  clusterReached: 'natsK3s.state.clusterReached',
  /** A release of the nats chart is installed in the chosen context (listed, or an install finished). */
  releaseInstalled: 'natsK3s.state.releaseInstalled',
  /** A smoke test passed. */
  smokeTestPassed: 'natsK3s.state.smokeTestPassed',
  /** A nats-box shell terminal opened. */
  natsBoxOpened: 'natsK3s.state.natsBoxOpened',
  /** A connection's Streams or Subjects were listed. */
  explored: 'natsK3s.state.explored',
  /** A kine bucket was decoded as a Kubernetes tree, or a K3s datastore endpoint prepared. */
  kineSeen: 'natsK3s.state.kineSeen',
  /** The Releases view has no kubeconfig to work with: its welcome view shows instead of an error row. */
  noKubeconfig: 'natsK3s.state.noKubeconfig',
  /** The Connections view has nothing to show (no connection set up anywhere): its welcome view shows. */
  noConnections: 'natsK3s.state.noConnections',
} as const;

export type StateKey = (typeof StateKeys)[keyof typeof StateKeys];

const current = new Map<StateKey, boolean>();

/** Sets a context key when its value changes (setContext is a command round trip: skip the repeats). */
export function setState(key: StateKey, value = true): void {
  if (current.get(key) === value) return;
  current.set(key, value);
  void vscode.commands.executeCommand('setContext', key, value);
}

/** The value last set, for tests that check what the welcome views and the walkthrough see. */
export function stateOf(key: StateKey): boolean {
  return current.get(key) ?? false;
}
