import * as vscode from 'vscode';
import { formatCount } from '../../core/format/units';
import type { PublishResult } from '../../core/nats/publish';
import { deleteStoredMessage, purgeUpTo, republishMessage, streamLeaderStepDown } from '../../core/nats/streamWrites';
import { UserInputError } from '../commandRunner';
import { Commands } from '../ids';
import { confirmDestructive, type CommandContext, type Node } from './commandContext';
import { pickStream } from './pickNodes';

/** Optional arguments; each one given skips its prompt. */
export interface StreamMessageArgs {
  readonly seq?: number;
  readonly subject?: string;
}

/** Reads a sequence number the way the input box takes it; anything else is one sentence. */
function sequenceOf(text: string | number, stream: Node<'stream'>['stream']): number {
  const seq = typeof text === 'number' ? text : Number(text.trim());
  if (!Number.isSafeInteger(seq) || seq < 1)
    throw new UserInputError(
      `'${text}' is not a sequence number; give one from ${stream.firstSeq} to ${stream.lastSeq}.`,
    );
  return seq;
}

async function askSequence(
  title: string,
  stream: Node<'stream'>['stream'],
  given: number | undefined,
): Promise<number | undefined> {
  if (given !== undefined) return sequenceOf(given, stream);
  const text = await vscode.window.showInputBox({
    title,
    prompt: `Sequence number (this stream holds ${stream.firstSeq}–${stream.lastSeq})`,
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) > 0 ? undefined : 'A whole number from 1'),
  });
  return text === undefined ? undefined : sequenceOf(text, stream);
}

/** Purge below a sequence, delete one message, republish one, and step the stream's leader down. */
export function registerStreamOperationCommands(ctx: CommandContext): vscode.Disposable[] {
  const { safe, session, refuseIfReadOnly, tree } = ctx;
  return [
    safe(
      Commands.purgeStreamUpTo,
      async (given?: Node<'stream'>, args?: StreamMessageArgs): Promise<number | undefined> => {
        const node = given ?? (await pickStream(ctx));
        const name = node.stream.name;
        refuseIfReadOnly(`purging stream ${name}`);
        const seq = await askSequence(`Purge ${name} below a sequence`, node.stream, args?.seq);
        if (seq === undefined) return undefined;
        const subject = args?.subject;
        if (
          !(await confirmDestructive(
            `Purge every message${subject ? ` on ${subject}` : ''} below sequence ${seq} in stream ${name} on '${node.conn.spec.name}'?`,
            'Purged messages cannot be recovered.',
            'Purge',
          ))
        )
          return undefined;
        const purged = await purgeUpTo(await session(node.conn), name, seq, subject);
        void vscode.window.showInformationMessage(`Purged ${formatCount(purged)} messages from stream ${name}.`);
        tree.refresh();
        return purged;
      },
    ),
    safe(
      Commands.deleteMessage,
      async (given?: Node<'stream'>, args?: StreamMessageArgs): Promise<boolean | undefined> => {
        const node = given ?? (await pickStream(ctx));
        const name = node.stream.name;
        refuseIfReadOnly(`deleting a message of stream ${name}`);
        const seq = await askSequence(`Delete one message of ${name}`, node.stream, args?.seq);
        if (seq === undefined) return undefined;
        if (
          !(await confirmDestructive(
            `Delete message ${seq} of stream ${name} on '${node.conn.spec.name}'?`,
            'A deleted message cannot be recovered.',
            'Delete Message',
          ))
        )
          return undefined;
        const deleted = await deleteStoredMessage(await session(node.conn), name, seq);
        if (!deleted) throw new UserInputError(`Stream ${name} has no message ${seq}; pick a sequence it still holds.`);
        void vscode.window.showInformationMessage(`Deleted message ${seq} of stream ${name}.`);
        tree.refresh();
        return deleted;
      },
    ),
    safe(
      Commands.republishMessage,
      async (given?: Node<'stream'>, args?: StreamMessageArgs): Promise<PublishResult | undefined> => {
        const node = given ?? (await pickStream(ctx));
        const name = node.stream.name;
        refuseIfReadOnly(`republishing a message of stream ${name}`);
        const seq = await askSequence(`Republish a message of ${name}`, node.stream, args?.seq);
        if (seq === undefined) return undefined;
        const subject =
          args?.subject ??
          (await vscode.window.showInputBox({
            title: `Republish message ${seq} of ${name}`,
            prompt: 'Subject to publish the copy to',
            validateInput: (v) => (v.trim() && !/[\s*>]/.test(v) ? undefined : 'A subject without spaces or wildcards'),
          }));
        if (!subject) return undefined;
        const res = await republishMessage(await session(node.conn), name, seq, subject);
        void vscode.window.showInformationMessage(
          `Republished message ${seq} of ${name} to ${subject}${res.stream ? ` (stored in ${res.stream} as ${res.seq})` : ''}.`,
        );
        tree.refresh();
        return res;
      },
    ),
    safe(Commands.streamStepDown, async (given?: Node<'stream'>): Promise<boolean> => {
      const node = given ?? (await pickStream(ctx));
      const name = node.stream.name;
      refuseIfReadOnly(`stepping down the leader of stream ${name}`);
      const leader = node.stream.placement?.leader;
      if (
        !(await confirmDestructive(
          `Step down the leader${leader ? ` (${leader})` : ''} of stream ${name} on '${node.conn.spec.name}'?`,
          'Its replicas elect a new leader; writes pause for the election.',
          'Step Down',
        ))
      )
        return false;
      await streamLeaderStepDown(await session(node.conn), name);
      tree.refresh();
      return true;
    }),
  ];
}
