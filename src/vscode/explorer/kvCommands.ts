import * as vscode from 'vscode';
import { deleteKey, getKvEntry, keyHistory, purgeKey, putKey, type KvEntryView } from '../../core/nats/kvBrowser';
import { UserInputError } from '../commandRunner';
import { Commands } from '../ids';
import { KvWatchPanel } from '../kvWatch/kvWatchPanel';
import { pickBucket, pickKey } from './pickNodes';
import { confirmDestructive, type CommandContext, type Node } from './commandContext';
import { renderEntry, renderPayload } from './payloadText';

/** `natsK3s.kv.put`'s optional arguments: each one given skips its prompt. */
export interface KvPutArgs {
  readonly key?: string;
  readonly value?: string | Uint8Array;
}

/** `natsK3s.kv.history`'s optional argument: the revision to compare with the one before it, instead of a pick. */
export interface KvHistoryArgs {
  readonly revision?: number;
}

const KEY_PATTERN = /^[-/=.\w]+$/;
const KEY_RULE = 'Keys are letters, digits and - / _ = . only';

/** KV keys: value, history diff, watch, put, delete, purge. Delete and purge always ask in a modal. */
export function registerKvCommands(ctx: CommandContext): vscode.Disposable[] {
  const { safe, session, refuseIfReadOnly, docs, tree } = ctx;
  return [
    safe(Commands.kvShowValue, async (given?: Node<'kvKey'>): Promise<KvEntryView> => {
      const node = given ?? (await pickKey(ctx));
      const entry = await getKvEntry(await session(node.conn), node.bucket, node.child.path);
      if (!entry) throw new UserInputError(`Key ${node.child.path} has no value in bucket ${node.bucket} any more.`);
      const { text, language } =
        entry.operation === 'PUT' ? renderPayload(entry.payload) : { text: renderEntry(entry), language: undefined };
      // The tab's title says which revision this is and when it was written; the document stays the value alone.
      await docs.show(
        `/${node.conn.spec.name}/kv/${node.bucket}/${node.child.path} · revision ${entry.revision} · ${shortTime(entry.created)}`,
        text,
        language,
      );
      return entry;
    }),
    safe(
      Commands.kvHistory,
      async (
        given?: Node<'kvKey'>,
        args?: KvHistoryArgs,
      ): Promise<{ left: vscode.Uri; right: vscode.Uri } | undefined> => {
        const node = given ?? (await pickKey(ctx));
        const key = node.child.path;
        const history = await keyHistory(await session(node.conn), node.bucket, key);
        if (history.length === 0) throw new UserInputError(`Key ${key} has no stored revisions.`);
        const newestFirst = [...history].reverse();
        const choices = newestFirst.map((entry, i) => ({ entry, previous: newestFirst[i + 1] }));
        let picked: { entry: KvEntryView; previous?: KvEntryView } | undefined;
        if (args?.revision !== undefined) {
          picked = choices.find((c) => c.entry.revision === args.revision);
          if (!picked)
            throw new UserInputError(
              `Key ${key} has no stored revision ${args.revision} (kept: ${history.map((e) => e.revision).join(', ')}).`,
            );
        } else {
          picked = await vscode.window.showQuickPick(
            choices.map((c) => ({
              ...c,
              label: `revision ${c.entry.revision}`,
              description: `${c.entry.operation} · ${c.entry.created}`,
              detail: c.previous ? 'compare with previous' : 'first stored revision',
            })),
            {
              title: `History of ${key} in ${node.bucket}`,
              placeHolder: 'Pick a revision to compare with the one before it',
            },
          );
          if (!picked) return undefined;
        }
        const base = `/${node.conn.spec.name}/kv/${node.bucket}/${key}`;
        const right = docs.set(`${base}@${picked.entry.revision}`, renderEntry(picked.entry));
        const left = docs.set(
          `${base}@${picked.previous?.revision ?? 0}`,
          picked.previous ? renderEntry(picked.previous) : '',
        );
        await vscode.commands.executeCommand(
          'vscode.diff',
          left,
          right,
          `${key}: revision ${picked.previous?.revision ?? '–'} ↔ ${picked.entry.revision}`,
        );
        return { left, right };
      },
    ),
    safe(Commands.kvWatch, async (given?: Node<'bucket'> | Node<'kvKey'>): Promise<KvWatchPanel> => {
      const node = given ?? (await pickBucket(ctx));
      if (node.kind === 'bucket')
        return KvWatchPanel.show(ctx.extensionUri, await session(node.conn), node.conn.id, node.bucket.bucket);
      // A key node stands for the prefix of the keys below it; a key with nothing below has no prefix to watch.
      if (node.child.descendants === 0)
        throw new UserInputError(`${node.child.path} has no keys below it: watch its bucket or a prefix instead.`);
      return KvWatchPanel.show(ctx.extensionUri, await session(node.conn), node.conn.id, node.bucket, node.child.path);
    }),
    safe(
      Commands.kvPut,
      async (given?: Node<'bucket'> | Node<'kvKey'>, args?: KvPutArgs): Promise<number | undefined> => {
        const node = given ?? (await pickBucket(ctx));
        const bucket = node.kind === 'bucket' ? node.bucket.bucket : node.bucket;
        refuseIfReadOnly(`writing to bucket ${bucket}`);
        if (args?.key !== undefined && !KEY_PATTERN.test(args.key))
          throw new UserInputError(`'${args.key}' is not a valid key: ${KEY_RULE.toLowerCase()}.`);
        const start = node.kind === 'kvKey' ? node.child.path : '';
        const key =
          args?.key ??
          (await vscode.window.showInputBox({
            title: `Put a key into ${bucket}`,
            prompt: 'Key',
            value: start,
            validateInput: (v) => (KEY_PATTERN.test(v) ? undefined : KEY_RULE),
          }));
        if (!key) return undefined;
        const value =
          args?.value ??
          (await vscode.window.showInputBox({ title: `Value of ${key}`, prompt: 'The value to store (text)' }));
        if (value === undefined) return undefined;
        const revision = await putKey(await session(node.conn), bucket, key, value);
        void vscode.window.showInformationMessage(`Stored ${key} in ${bucket} as revision ${revision}.`);
        tree.refresh();
        return revision;
      },
    ),
    safe(Commands.kvDelete, async (given?: Node<'kvKey'>) => {
      const node = given ?? (await pickKey(ctx));
      refuseIfReadOnly(`deleting ${node.child.path}`);
      if (
        !(await confirmDestructive(
          `Delete key ${node.child.path} from bucket ${node.bucket} on '${node.conn.spec.name}'?`,
          'A delete marker is written; earlier revisions stay in the history until purged.',
          'Delete Key',
        ))
      )
        return;
      await deleteKey(await session(node.conn), node.bucket, node.child.path);
      tree.refresh();
    }),
    safe(Commands.kvPurge, async (given?: Node<'kvKey'>) => {
      const node = given ?? (await pickKey(ctx));
      refuseIfReadOnly(`purging ${node.child.path}`);
      if (
        !(await confirmDestructive(
          `Purge key ${node.child.path} and its whole history from bucket ${node.bucket} on '${node.conn.spec.name}'?`,
          'Every revision of the key is removed and cannot be recovered.',
          'Purge Key',
        ))
      )
        return;
      await purgeKey(await session(node.conn), node.bucket, node.child.path);
      tree.refresh();
    }),
  ];
}

/** `2026-11-30 01:02:03 UTC` from an ISO time. */
function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}
