import * as vscode from 'vscode';
import { readCliContexts, cliContextDir } from '../../core/connections/cliContexts';
import { parseConnectionSettings } from '../../core/connections/connectionSettings';
import type { ClusterTarget, ConnectionSpec, SecretSource } from '../../core/connections/connectionSpec';
import { DEFAULT_SERVER_URL } from '../../core/nats/connectionDefaults';
import { NatsSession, type SessionState } from '../../core/nats/session';
import { UserInputError } from '../commandRunner';
import { Commands, Settings } from '../ids';
import { setState, StateKeys } from '../walkthrough/stateKeys';
import { ignoredWorkspaceSettings, type IgnoredSetting } from '../trust/ignoredSettings';

/** A connection as the tree sees it: where it came from, and its session once the user opened it. */
export interface ManagedConnection {
  readonly id: string;
  readonly spec: ConnectionSpec;
  session?: NatsSession;
  /** Set by Disconnect: the tree and commands leave it closed until Connect. */
  disconnected?: boolean;
}

/**
 * Owns every connection: the default server, `natsK3s.connections` and the nats CLI's contexts. Sessions are made
 * only when a connection is first expanded, and closed when the connection disappears or the extension stops.
 */
export class ConnectionManager implements vscode.Disposable {
  private connections: ManagedConnection[] = [];
  private problems: string[] = [];
  private ignored: IgnoredSetting[] = [];
  private readonly changed = new vscode.EventEmitter<ManagedConnection | undefined>();
  /** Fires with the connection whose state changed, or undefined when the list itself changed. */
  readonly onDidChange = this.changed.event;
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly secrets: SecretSource,
    private readonly log: vscode.LogOutputChannel,
    /** The local URL of a port-forward to a release, for connections with a cluster target. */
    private readonly clusterUrl?: (target: ClusterTarget) => Promise<string>,
  ) {}

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(Settings.section);
  }

  get readOnly(): boolean {
    return this.config().get<boolean>(Settings.readOnly, false);
  }

  /** Every connection, loading them on first use. */
  async list(): Promise<readonly ManagedConnection[]> {
    this.loaded ??= this.load();
    await this.loaded;
    return this.connections;
  }

  /** Sentences about settings entries or context files that were skipped. */
  get loadProblems(): readonly string[] {
    return this.problems;
  }

  /** The workspace's connection settings that Restricted Mode ignores (the user's own ones still apply). */
  get ignoredSettings(): readonly IgnoredSetting[] {
    return this.ignored;
  }

  /** Re-reads settings and contexts; sessions of connections whose spec did not change are kept. */
  reload(): void {
    this.loaded = this.load();
    this.changed.fire(undefined);
  }

  /** The connection's session, opened on first use; resolves once the first attempt connected or failed. */
  async session(connection: ManagedConnection): Promise<NatsSession> {
    if (connection.disconnected)
      throw new UserInputError(`'${connection.spec.name}' is disconnected. Connect it first.`, {
        fix: { title: 'Connect', command: Commands.connect, args: [connection.id] },
      });
    if (!connection.session) {
      const target = connection.spec.cluster;
      // A cluster target is reached through a port-forward; if it cannot start, this throws and the next try starts over.
      const servers = target && this.clusterUrl ? [await this.clusterUrl(target)] : undefined;
      if (connection.session) return connection.session;
      const session = new NatsSession({
        spec: connection.spec,
        secrets: this.secrets,
        readOnly: this.readOnly,
        ...(servers ? { servers } : {}),
      });
      connection.session = session;
      session.onStateChange((state) => {
        this.logState(connection, state);
        // A session the connection let go of (Disconnect closes it after the tree was redrawn) redraws nothing: a
        // second redraw of the row then could take the row from under a click on its Connect button.
        if (connection.session === session) this.changed.fire(connection);
      });
      await session.open();
    }
    return connection.session;
  }

  /** The connection with this id, for commands given an id (a button, a restored panel) instead of a tree node. */
  async byId(id: string): Promise<ManagedConnection | undefined> {
    return (await this.list()).find((c) => c.id === id);
  }

  /** Closes the connection's session and keeps it closed (the tree shows it so) until `connect`. */
  async disconnect(connection: ManagedConnection): Promise<void> {
    connection.disconnected = true;
    const session = connection.session;
    connection.session = undefined;
    this.changed.fire(connection);
    await session?.close();
    this.log.info(`${connection.spec.name}: disconnected by the user`);
  }

  /** Opens the connection again (or for the first time); resolves once the attempt connected or failed. */
  async connect(connection: ManagedConnection): Promise<NatsSession> {
    connection.disconnected = false;
    const session = connection.session;
    if (session && session.state.kind !== 'connected') await session.retry();
    return this.session(connection);
  }

  /** Applies `natsK3s.readOnly` to every open session at once. */
  applyReadOnly(): void {
    for (const c of this.connections) if (c.session) c.session.readOnly = this.readOnly;
  }

  private async load(): Promise<void> {
    const config = this.config();
    const specs: ConnectionSpec[] = [];
    const defaultUrl = config.get<string>(Settings.defaultServerUrl) || DEFAULT_SERVER_URL;
    specs.push({
      name: 'default',
      origin: 'default',
      servers: defaultUrl
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      auth: { kind: 'none' },
    });
    const fromSettings = parseConnectionSettings(config.get<unknown>(Settings.connections));
    specs.push(...fromSettings.specs);
    const problems = [...fromSettings.problems];
    if (config.get<boolean>(Settings.showCliContexts, true)) {
      const contexts = await readCliContexts(cliContextDir());
      specs.push(...contexts.specs);
      problems.push(...contexts.problems);
    }
    // The built-in URL is nobody's choice: listed, it made the view look set up when nothing was (and the welcome
    // content could never show). The default row is the server the user chose; the welcome offers the built-in one.
    const setting = config.inspect<string>(Settings.defaultServerUrl);
    const defaultChosen = [setting?.globalValue, setting?.workspaceValue, setting?.workspaceFolderValue].some(Boolean);
    if (!defaultChosen) specs.shift();
    setState(StateKeys.noConnections, specs.length === 0 && problems.length === 0);
    const previous = new Map(this.connections.map((c) => [c.id, c]));
    const next: ManagedConnection[] = [];
    for (const spec of specs) {
      const id = `${spec.origin}:${spec.name}`;
      const old = previous.get(id);
      if (old && JSON.stringify(old.spec) === JSON.stringify(spec)) {
        next.push(old);
        previous.delete(id);
      } else {
        next.push({ id, spec });
      }
    }
    for (const gone of previous.values()) void gone.session?.close();
    // VS Code hides these from getConfiguration() until the workspace is trusted; the tree says they were ignored.
    const ignored = await ignoredWorkspaceSettings([
      `${Settings.section}.${Settings.defaultServerUrl}`,
      `${Settings.section}.${Settings.connections}`,
    ]);
    this.connections = next;
    this.problems = problems;
    this.ignored = ignored;
    for (const p of problems) this.log.warn(p);
    for (const i of ignored)
      this.log.warn(`Restricted Mode: ${i.key} in ${i.file} is ignored until the workspace is trusted.`);
  }

  private logState(connection: ManagedConnection, state: SessionState): void {
    const name = connection.spec.name;
    if (state.kind === 'failed') this.log.warn(`${name}: ${state.reason}`);
    else this.log.info(`${name}: ${state.kind}${state.kind === 'connected' ? ` to ${state.server}` : ''}`);
  }

  dispose(): void {
    for (const c of this.connections) void c.session?.close();
    this.changed.dispose();
  }
}
