import * as vscode from 'vscode';
import { ConnectionManager } from './vscode/explorer/connectionManager';
import { registerExplorerCommands } from './vscode/explorer/explorerCommands';
import { ExplorerTree } from './vscode/explorer/explorerTree';
import { SubjectSampling } from './vscode/explorer/subjectSampling';
import { ClusterAccess, InstalledReleases, PortForwards, registerClusterFeatures } from './vscode/cluster';
import { KineBuckets } from './vscode/kine/kineBuckets';
import { registerKineCommands } from './vscode/kine/kineCommands';
import { registerKineExportCommand } from './vscode/kine/kineExportCommand';
import { CONNECTIONS_VIEW, Settings } from './vscode/ids';
import { DOC_SCHEME, ReadOnlyDocuments } from './vscode/readOnlyDocuments';
import { SecretScrubber } from './core/text/secretScrubber';
import { ScrubbedLog } from './vscode/scrubbedLog';
import { SecretStore } from './vscode/secretStore';
import { WorkspaceOverrides } from './vscode/trust/workspaceOverrides';
import { ValuesThread } from './core/values/valuesThread';
import { ValuesFiles } from './vscode/values/valuesFiles';
import { PanelRestore } from './vscode/webview/restorePanels';
import { registerValuesLanguage } from './vscode/values/valuesLanguage';
import { registerWalkthrough } from './vscode/walkthrough';
import { stateOf, type StateKey } from './vscode/walkthrough/stateKeys';
import { registerRenderChecks } from './vscode/values/renderChecks';
import { ValuesPins } from './vscode/values/valuesPins';

/** What `activate` returns; other extensions and the extension-host tests read the views through it. */
export interface NatsK3sApi {
  readonly connections: ConnectionManager;
  readonly explorer: ExplorerTree;
  readonly forwards: PortForwards;
  /** The value of one of the state keys (StateKeys) as last set, as the welcome views and the walkthrough see it. */
  readonly stateOf: (key: StateKey) => boolean;
  /** Rebuilds a webview tab after a window reload (VS Code calls it through the panel serializers). */
  readonly panels: PanelRestore;
}

/** Composition root: builds the pieces, wires them, and hands every disposable to the context. */
export function activate(context: vscode.ExtensionContext): NatsK3sApi {
  // Every secret a connection resolves is told to the scrubber, which cleans the log, errors, tooltips and documents.
  const scrubber = new SecretScrubber();
  const log = new ScrubbedLog(vscode.window.createOutputChannel('NATS for K3s', { log: true }), scrubber);
  const secrets = new SecretStore(context.secrets, scrubber);
  const clusterAccess = new ClusterAccess(context.globalState, log, new WorkspaceOverrides(context.workspaceState));
  const forwards = new PortForwards(clusterAccess, log);
  const connections = new ConnectionManager(secrets, log, (target) => forwards.url(target));
  const config = () => vscode.workspace.getConfiguration(Settings.section);
  const sampling = new SubjectSampling(() => ({
    maxSubjects: config().get<number>(Settings.maxSubjects, 10_000),
    maxDurationMs: config().get<number>(Settings.sampleSeconds, 60) * 1000,
  }));
  const kine = new KineBuckets();
  const explorer = new ExplorerTree(connections, sampling, kine, (text) => scrubber.scrub(text));
  const treeView = vscode.window.createTreeView(CONNECTIONS_VIEW, {
    treeDataProvider: explorer,
    showCollapseAll: true,
  });
  const docs = new ReadOnlyDocuments((text) => scrubber.scrub(text));
  const valuesFiles = new ValuesFiles(context.workspaceState);
  const values = new ValuesThread();
  const valuesPins = new ValuesPins(log);
  const installedReleases = new InstalledReleases(context.workspaceState, clusterAccess.onDidChange);
  const panels = new PanelRestore(context.extensionUri, connections, log);

  context.subscriptions.push(
    log,
    clusterAccess,
    forwards,
    connections,
    explorer,
    docs,
    vscode.workspace.registerTextDocumentContentProvider(DOC_SCHEME, docs),
    sampling,
    treeView,
    treeView.onDidCollapseElement((e) => explorer.collapsed(e.element)),
    treeView.onDidExpandElement((e) => explorer.expanded(e.element)),
    valuesFiles,
    values,
    valuesPins,
    installedReleases,
    ...registerValuesLanguage(valuesFiles, values, log, valuesPins, installedReleases, context.extensionUri),
    ...registerRenderChecks({
      access: clusterAccess,
      files: valuesFiles,
      log,
      pins: valuesPins,
      installed: installedReleases,
    }),
    ...panels.register(),
    ...registerKineCommands({ connections, tree: explorer, docs, kine, log }),
    registerKineExportCommand({ connections, kine, log }),
    ...registerClusterFeatures({ context, log, docs, access: clusterAccess, values, installed: installedReleases }),
    ...registerWalkthrough(treeView),
    ...registerExplorerCommands({
      connections,
      tree: explorer,
      docs,
      log,
      extensionUri: context.extensionUri,
      secrets,
      sampling,
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      const changed = (key: string) => e.affectsConfiguration(`${Settings.section}.${key}`);
      if (changed(Settings.readOnly)) connections.applyReadOnly();
      if ([Settings.defaultServerUrl, Settings.connections, Settings.showCliContexts].some(changed))
        connections.reload();
      if (changed(Settings.showSystemStreams) || changed(Settings.readOnly) || changed(Settings.kineShowDeleted))
        explorer.refresh();
      if (changed('values')) valuesFiles.reset();
    }),
    // Trusting the workspace brings its connection settings into effect (Restricted Mode ignored them).
    vscode.workspace.onDidGrantWorkspaceTrust(() => connections.reload()),
  );
  return { connections, explorer, forwards, stateOf, panels };
}

export function deactivate(): void {
  // Everything lives in context.subscriptions.
}
