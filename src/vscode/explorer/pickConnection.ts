import * as vscode from 'vscode';
import { UserInputError } from '../commandRunner';
import { Commands } from '../ids';
import type { ConnectionManager, ManagedConnection } from './connectionManager';

/** For commands run from the palette: the only connection, or the one the user picks; cancelling throws. */
export async function pickConnection(connections: ConnectionManager): Promise<ManagedConnection> {
  const list = await connections.list();
  if (list.length === 0)
    throw new UserInputError('No NATS connection is set up yet: add one, or connect to the local server.', {
      fixes: [
        { title: 'Add Connection', command: Commands.addConnection },
        { title: 'Connect to nats://127.0.0.1:4222', command: 'natsK3s.connection.useDefaultServer' },
      ],
    });
  if (list.length === 1) return list[0]!;
  const picked = await vscode.window.showQuickPick(
    list.map((conn) => ({ label: conn.spec.name, description: conn.spec.servers.join(', '), conn })),
    { title: 'NATS connection' },
  );
  if (!picked) throw new vscode.CancellationError();
  return picked.conn;
}
