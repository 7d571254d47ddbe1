import * as vscode from 'vscode';
import { isServerUrl } from '../../core/connections/connectionSettings';
import { secretKeyOf } from '../../core/connections/connectionSpec';
import { withoutConnection, withServers } from '../../core/connections/settingsEntries';
import { UserInputError } from '../commandRunner';
import { Commands, Settings } from '../ids';
import { confirmDestructive, type CommandContext, type Node } from './commandContext';
import type { ManagedConnection } from './connectionManager';

/** `natsK3s.connection.edit`'s optional argument: the new server URLs, instead of the input box. */
export interface EditConnectionArgs {
  readonly servers?: readonly string[];
}

/** What a connection command is given: its tree node, a connection id (a button, a tree row's command), or nothing. */
type ConnectionRef = Node<'connection'> | string | undefined;

/** Connect, disconnect, edit and remove from the tree; edit and remove change natsK3s.connections and refuse in read-only mode. */
export function registerConnectionCommands(ctx: CommandContext): vscode.Disposable[] {
  const { safe, connections, tree, log } = ctx;
  const resolve = async (ref: ConnectionRef): Promise<ManagedConnection> => {
    if (typeof ref === 'string') {
      const conn = await connections.byId(ref);
      if (!conn) throw new UserInputError(`There is no connection '${ref}' any more. Refresh the NATS view.`);
      return conn;
    }
    return ctx.connectionOf(ref);
  };
  return [
    safe(Commands.connect, async (ref?: ConnectionRef) => {
      const conn = await resolve(ref);
      const session = await connections.connect(conn);
      tree.refresh();
      return session.state.kind;
    }),
    safe(Commands.disconnect, async (ref?: ConnectionRef) => {
      const conn = await resolve(ref);
      await connections.disconnect(conn);
      tree.refresh();
    }),
    safe(Commands.editConnection, async (ref?: ConnectionRef, args?: EditConnectionArgs) => {
      const conn = await resolve(ref);
      const name = conn.spec.name;
      ctx.refuseIfReadOnly(`editing connection '${name}'`);
      const place = settingsPlace(conn);
      const servers =
        args?.servers ??
        (await vscode.window
          .showInputBox({
            title: `Edit connection '${name}'`,
            prompt: 'Server URL(s), separated by commas',
            value: conn.spec.servers.join(', '),
            validateInput: (v) => serverProblem(splitServers(v)),
          })
          .then((v) => (v === undefined ? undefined : splitServers(v))));
      if (!servers) return false;
      const problem = serverProblem(servers);
      if (problem) throw new UserInputError(`${problem}; connection '${name}' was left as it was.`);
      const next = withServers(place.entries, name, servers);
      if (!next) throw notInSettings(name);
      await vscode.workspace.getConfiguration(Settings.section).update(Settings.connections, next, place.target);
      log.info(`${name}: servers changed to ${servers.join(', ')} in ${place.label}`);
      connections.reload();
      return true;
    }),
    safe(Commands.removeConnection, async (ref?: ConnectionRef) => {
      const conn = await resolve(ref);
      const name = conn.spec.name;
      ctx.refuseIfReadOnly(`removing connection '${name}'`);
      const place = settingsPlace(conn);
      // A secretKey named in settings may be shared: the secret stays while another connection still uses it.
      const ownKey = secretKeyOf(conn.spec);
      const shared =
        ownKey !== undefined && (await connections.list()).some((c) => c !== conn && secretKeyOf(c.spec) === ownKey);
      const key = shared ? undefined : ownKey;
      const detail = [
        `Its entry in natsK3s.connections (${place.label}) is deleted`,
        key ? ", and its secret is removed from VS Code's secret storage" : '',
        shared ? ' (its secret stays: another connection uses the same key)' : '',
        '. The server itself is not touched.',
      ].join('');
      if (!(await confirmDestructive(`Remove connection '${name}'?`, detail, 'Remove Connection'))) return false;
      const next = withoutConnection(place.entries, name);
      if (!next) throw notInSettings(name);
      await connections.disconnect(conn);
      await vscode.workspace
        .getConfiguration(Settings.section)
        .update(Settings.connections, next.length ? next : undefined, place.target);
      if (key) await ctx.secrets.delete(key);
      log.info(`${name}: removed from ${place.label}${key ? ' with its secret' : ''}`);
      connections.reload();
      return true;
    }),
  ];
}

/**
 * Where the connection's entry lives: the most specific scope that sets natsK3s.connections (VS Code does not merge
 * arrays, so the workspace's list, when there is one, is the one in effect).
 */
function settingsPlace(conn: ManagedConnection): {
  entries: readonly unknown[];
  target: vscode.ConfigurationTarget;
  label: string;
} {
  if (conn.spec.origin !== 'settings')
    throw new UserInputError(
      conn.spec.origin === 'cliContext'
        ? `'${conn.spec.name}' is a nats CLI context (${conn.spec.file ?? 'its context file'}): change it with 'nats context edit' or remove it with 'nats context rm'.`
        : `'${conn.spec.name}' is the default connection: change natsK3s.defaultServerUrl instead.`,
      conn.spec.origin === 'default'
        ? {
            fix: {
              title: 'Open Settings',
              command: 'workbench.action.openSettings',
              args: [`${Settings.section}.${Settings.defaultServerUrl}`],
            },
          }
        : undefined,
    );
  const inspected = vscode.workspace.getConfiguration(Settings.section).inspect<unknown[]>(Settings.connections);
  if (Array.isArray(inspected?.workspaceValue))
    return {
      entries: inspected.workspaceValue,
      target: vscode.ConfigurationTarget.Workspace,
      label: "the workspace's settings",
    };
  return {
    entries: Array.isArray(inspected?.globalValue) ? inspected.globalValue : [],
    target: vscode.ConfigurationTarget.Global,
    label: 'your user settings',
  };
}

function notInSettings(name: string): UserInputError {
  return new UserInputError(
    `No entry named '${name}' was found in natsK3s.connections; it may have been changed meanwhile. Refresh the NATS view.`,
  );
}

function splitServers(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function serverProblem(servers: readonly string[]): string | undefined {
  if (servers.length === 0) return 'At least one server URL is needed';
  const bad = servers.find((s) => !isServerUrl(s));
  return bad === undefined ? undefined : `'${bad}' is not a nats://, tls:// or host:port URL`;
}
