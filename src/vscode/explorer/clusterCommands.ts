import * as vscode from 'vscode';
import { accountReport } from '../../core/nats/cluster/accountInfo';
import {
  accountMarkdown,
  clusterServersMarkdown,
  connectionsMarkdown,
  jetstreamHealthMarkdown,
} from '../../core/nats/cluster/clusterMarkdown';
import { discoverServers } from '../../core/nats/cluster/clusterServers';
import { jetstreamHealth, type JetStreamHealth } from '../../core/nats/cluster/jetstreamHealth';
import { listConnections, type ConnectionPage, type ConnectionSort } from '../../core/nats/cluster/serverConnections';
import { Commands } from '../ids';
import type { CommandContext, Node } from './commandContext';
import type { ExplorerNode } from './explorerNodes';

/** `natsK3s.cluster.connections`'s optional arguments: the order skips its quick pick; `offset` pages on. */
export interface ConnectionsArgs {
  readonly sort?: ConnectionSort;
  readonly offset?: number;
  readonly limit?: number;
}

/** Rows a connections page holds; the document says how to see the next one. */
const PAGE = 100;

/**
 * The cluster's read-only views: its servers, JetStream health, the account, a server's connections. Each opens a
 * document (in memory) and returns what it showed, so tests read the same data the user sees.
 */
export function registerClusterCommands(ctx: CommandContext): vscode.Disposable[] {
  const { safe, session, docs, connectionOf } = ctx;
  /** Runs `work` under a cancellable notification: a dead server can hold a gathering for its whole wait. */
  const withProgress = <T>(title: string, work: () => Promise<T>): Thenable<T> =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (_p, token) =>
        Promise.race([
          work(),
          new Promise<never>((_, reject) =>
            token.onCancellationRequested(() => reject(new vscode.CancellationError())),
          ),
        ]),
    );
  return [
    safe(Commands.clusterServers, async (node?: ExplorerNode) => {
      const conn = await connectionOf(node);
      const view = await withProgress(`Asking the servers of '${conn.spec.name}'…`, async () =>
        discoverServers(await session(conn)),
      );
      await docs.show(
        `/${conn.spec.name}/cluster/servers.md`,
        clusterServersMarkdown(view, conn.spec.name),
        'markdown',
      );
      return view;
    }),
    safe(Commands.clusterHealth, async (node?: ExplorerNode): Promise<JetStreamHealth> => {
      const conn = await connectionOf(node);
      const health = await withProgress(`Reading the JetStream health of '${conn.spec.name}'…`, async () =>
        jetstreamHealth(await session(conn)),
      );
      await docs.show(
        `/${conn.spec.name}/cluster/jetstream-health.md`,
        jetstreamHealthMarkdown(health, conn.spec.name),
        'markdown',
      );
      return health;
    }),
    safe(Commands.clusterAccount, async (node?: ExplorerNode) => {
      const conn = await connectionOf(node);
      const report = await accountReport(await session(conn));
      await docs.show(`/${conn.spec.name}/cluster/account.md`, accountMarkdown(report, conn.spec.name), 'markdown');
      return report;
    }),
    safe(
      Commands.clusterConnections,
      async (node: Node<'clusterServer'>, args?: ConnectionsArgs): Promise<ConnectionPage | undefined> => {
        const sort =
          args?.sort ??
          (
            await vscode.window.showQuickPick(
              [
                { label: 'By message rate', description: 'measured over one second', sort: 'rate' as const },
                {
                  label: 'By pending bytes',
                  description: 'waiting to be written to the client',
                  sort: 'pending' as const,
                },
              ],
              { title: `Connections of ${node.server.name}` },
            )
          )?.sort;
        if (!sort) return undefined;
        const page = await withProgress(`Listing the connections of ${node.server.name}…`, async () =>
          listConnections(await session(node.conn), node.server, {
            sort,
            offset: args?.offset,
            limit: args?.limit ?? PAGE,
          }),
        );
        await docs.show(
          `/${node.conn.spec.name}/cluster/${node.server.name}/connections.md`,
          connectionsMarkdown(page, sort),
          'markdown',
        );
        const next = page.offset + page.rows.length;
        if (next < page.total && page.rows.length > 0)
          void vscode.window
            .showInformationMessage(
              `Showing connections ${page.offset + 1}–${next} of ${page.total} on ${node.server.name}.`,
              'Next Page',
            )
            .then((choice) => {
              if (choice === 'Next Page')
                void vscode.commands.executeCommand(Commands.clusterConnections, node, { ...args, sort, offset: next });
            });
        return page;
      },
    ),
  ];
}
