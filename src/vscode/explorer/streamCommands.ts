import * as vscode from 'vscode';
import { formatCount } from '../../core/format/units';
import { consumerInfoJson, deleteConsumer, deleteStream, purgeStream, streamInfoJson } from '../../core/nats/streams';
import { Commands } from '../ids';
import { MessageBrowserPanel } from '../messageBrowser/messageBrowserPanel';
import { pickConsumer, pickStream } from './pickNodes';
import { confirmDestructive, type CommandContext, type Node } from './commandContext';

/** `natsK3s.stream.purge`'s optional arguments: the subject skips its prompt ('' purges every message). */
export interface PurgeArgs {
  readonly subject?: string;
}

/** Streams and consumers: info, messages, purge, delete. Destructive ones always ask in a modal, arguments or not. */
export function registerStreamCommands(ctx: CommandContext): vscode.Disposable[] {
  const { safe, session, refuseIfReadOnly, docs, tree, extensionUri } = ctx;
  return [
    safe(Commands.viewMessages, async (given?: Node<'stream'>): Promise<MessageBrowserPanel> => {
      const node = given ?? (await pickStream(ctx));
      return MessageBrowserPanel.show(extensionUri, await session(node.conn), node.stream.name, node.conn.id);
    }),
    safe(Commands.streamInfo, async (given?: Node<'stream'>) => {
      const node = given ?? (await pickStream(ctx));
      await docs.show(
        `/${node.conn.spec.name}/streams/${node.stream.name}.json`,
        await streamInfoJson(await session(node.conn), node.stream.name),
        'json',
      );
    }),
    safe(Commands.purgeStream, async (given?: Node<'stream'>, args?: PurgeArgs): Promise<number | undefined> => {
      const node = given ?? (await pickStream(ctx));
      const name = node.stream.name;
      refuseIfReadOnly(`purging stream ${name}`);
      const subject =
        args?.subject ??
        (await vscode.window.showInputBox({
          title: `Purge stream ${name}`,
          prompt: 'Purge only this subject (wildcards allowed), or leave empty to purge every message',
          placeHolder: node.stream.subjects[0],
        }));
      if (subject === undefined) return undefined;
      const what = subject
        ? `the messages on ${subject} in stream ${name}`
        : `all ${formatCount(node.stream.messages)} messages of stream ${name}`;
      if (
        !(await confirmDestructive(
          `Purge ${what} on '${node.conn.spec.name}'?`,
          'Purged messages cannot be recovered.',
          'Purge',
        ))
      )
        return undefined;
      const purged = await purgeStream(await session(node.conn), name, subject || undefined);
      void vscode.window.showInformationMessage(`Purged ${formatCount(purged)} messages from stream ${name}.`);
      tree.refresh();
      return purged;
    }),
    safe(Commands.deleteStream, async (given?: Node<'stream'>) => {
      const node = given ?? (await pickStream(ctx));
      const name = node.stream.name;
      refuseIfReadOnly(`deleting stream ${name}`);
      const detail = `Its ${formatCount(node.stream.messages)} messages and ${node.stream.consumerCount} consumers are deleted with it, and cannot be recovered.`;
      if (!(await confirmDestructive(`Delete stream ${name} on '${node.conn.spec.name}'?`, detail, 'Delete Stream')))
        return;
      await deleteStream(await session(node.conn), name);
      tree.refresh();
    }),
    safe(Commands.consumerInfo, async (given?: Node<'consumer'>) => {
      const node = given ?? (await pickConsumer(ctx));
      const { stream, name } = node.consumer;
      await docs.show(
        `/${node.conn.spec.name}/streams/${stream}/consumers/${name}.json`,
        await consumerInfoJson(await session(node.conn), stream, name),
        'json',
      );
    }),
    safe(Commands.deleteConsumer, async (given?: Node<'consumer'>) => {
      const node = given ?? (await pickConsumer(ctx));
      const { stream, name } = node.consumer;
      refuseIfReadOnly(`deleting consumer ${name}`);
      if (
        !(await confirmDestructive(
          `Delete consumer ${name} of stream ${stream} on '${node.conn.spec.name}'?`,
          'Its delivery position and pending acknowledgements are lost.',
          'Delete Consumer',
        ))
      )
        return;
      await deleteConsumer(await session(node.conn), stream, name);
      tree.refresh();
    }),
  ];
}
