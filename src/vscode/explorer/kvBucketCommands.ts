import * as vscode from 'vscode';
import { createBucket, editBucket, readBucketSettings, refuseKineBucket, revertKey } from '../../core/nats/kv/kvAdmin';
import {
  bucketNameProblem,
  changedSettings,
  formatDuration,
  formatSize,
  KV_DEFAULTS,
  MAX_HISTORY,
  parseDuration,
  parseSize,
  settingsText,
  type KvBucketSettings,
} from '../../core/nats/kv/kvSettings';
import { keyHistory, type KvEntryView } from '../../core/nats/kvBrowser';
import { escapeControl } from '../../core/text/escapeControl';
import { UserInputError } from '../commandRunner';
import { Commands } from '../ids';
import { DOC_SCHEME } from '../readOnlyDocuments';
import { confirmDestructive, type CommandContext, type Node } from './commandContext';
import type { ManagedConnection } from './connectionManager';
import { pickBucket, pickKey } from './pickNodes';

/** `natsK3s.kv.createBucket`'s optional arguments: each one given skips its prompt. */
export interface KvCreateBucketArgs {
  readonly name?: string;
  readonly settings?: Partial<KvBucketSettings>;
}

/** `natsK3s.kv.revert`'s optional argument: the revision to go back to, instead of a pick. The modal always asks. */
export interface KvRevertArgs {
  readonly revision?: number;
}

/** A revision document of the history diff: `/<connection>/kv/<bucket>/<key>@<revision>`. */
const REVISION_PATH = /^\/(.+)\/kv\/([-\w]+)\/(.+)@(\d+)$/;

/** KV buckets: create, edit (a diff and a modal first), and revert a key to an earlier revision (a modal first). */
export function registerKvBucketCommands(ctx: CommandContext): vscode.Disposable[] {
  const { safe, session, refuseIfReadOnly, docs, tree } = ctx;
  return [
    safe(Commands.kvCreateBucket, async (given?: Node<'connection'> | Node<'buckets'>, args?: KvCreateBucketArgs) => {
      const conn = await ctx.connectionOf(given);
      refuseIfReadOnly('creating a KV bucket');
      const name =
        args?.name ??
        (await vscode.window.showInputBox({
          title: `New KV bucket on '${conn.spec.name}'`,
          prompt: 'Bucket name (letters, digits, - and _)',
          validateInput: (v) => bucketNameProblem(v),
        }));
      if (!name) return undefined;
      const problem = bucketNameProblem(name);
      if (problem) throw new UserInputError(problem);
      const settings = await askSettings(`New bucket ${name}`, { ...KV_DEFAULTS, ...args?.settings }, args?.settings);
      if (!settings) return undefined;
      const created = await createBucket(await session(conn), name, settings);
      void vscode.window.showInformationMessage(`Created KV bucket ${name} on '${conn.spec.name}'.`);
      tree.refresh();
      return created;
    }),
    safe(Commands.kvEditBucket, async (given?: Node<'bucket'>, args?: Partial<KvBucketSettings>) => {
      const node = given ?? (await pickBucket(ctx));
      const bucket = node.bucket.bucket;
      refuseIfReadOnly(`editing bucket ${bucket}`);
      const s = await session(node.conn);
      // Said before any prompt: the core refuses too, but the user should not fill in a form for nothing.
      await refuseKineBucket(s, bucket, `editing bucket ${bucket}`);
      const before = await readBucketSettings(s, bucket);
      const after = await askSettings(`Edit bucket ${bucket}`, { ...before, ...args }, args, true);
      if (!after) return undefined;
      const changed = changedSettings(before, after);
      if (changed.length === 0) {
        void vscode.window.showInformationMessage(`Bucket ${bucket} is unchanged: nothing to apply.`);
        return before;
      }
      const base = `/${node.conn.spec.name}/kv/${bucket}.settings`;
      const left = docs.set(`${base}@current`, settingsText(bucket, before));
      const right = docs.set(`${base}@edited`, settingsText(bucket, after));
      await vscode.commands.executeCommand('vscode.diff', left, right, `Bucket ${bucket}: current ↔ edited`);
      if (
        !(await confirmDestructive(
          `Apply ${changed.length} change${changed.length === 1 ? '' : 's'} to bucket ${bucket} on '${node.conn.spec.name}'?`,
          `${changed.map(labelOf).join(', ')} change as the diff shows. Lowering history or TTL removes values the bucket no longer keeps.`,
          'Apply Changes',
        ))
      )
        return undefined;
      const applied = await editBucket(s, bucket, after);
      void vscode.window.showInformationMessage(`Bucket ${bucket} updated.`);
      tree.refresh();
      return applied;
    }),
    safe(Commands.kvRevert, async (given?: Node<'kvKey'> | vscode.Uri, args?: KvRevertArgs) => {
      const target = given instanceof vscode.Uri ? await fromRevisionDocument(ctx, given) : undefined;
      const node = target?.node ?? (given instanceof vscode.Uri ? undefined : given) ?? (await pickKey(ctx));
      const key = node.child.path;
      refuseIfReadOnly(`reverting ${key}`);
      await refuseKineBucket(await session(node.conn), node.bucket, `reverting ${key}`);
      const history = await keyHistory(await session(node.conn), node.bucket, key);
      const latest = history.at(-1);
      if (!latest) throw new UserInputError(`Key ${key} has no stored revisions.`);
      const wanted = args?.revision ?? target?.revision;
      let entry: KvEntryView | undefined;
      if (wanted !== undefined) {
        entry = history.find((e) => e.revision === wanted);
        if (!entry)
          throw new UserInputError(
            `Key ${key} has no stored revision ${wanted} (kept: ${history.map((e) => e.revision).join(', ')}).`,
          );
      } else {
        const choices = history
          .filter((e) => e.operation === 'PUT' && e !== latest)
          .reverse()
          .map((e) => ({ label: `revision ${e.revision}`, description: e.created, detail: preview(e), entry: e }));
        if (choices.length === 0)
          throw new UserInputError(`Key ${key} has no earlier value to go back to (history keeps ${history.length}).`);
        entry = (await vscode.window.showQuickPick(choices, { title: `Revert ${key} in ${node.bucket} to…` }))?.entry;
        if (!entry) return undefined;
      }
      if (
        !(await confirmDestructive(
          `Revert key ${key} in bucket ${node.bucket} to revision ${entry.revision}?`,
          `A new revision is written with the value of revision ${entry.revision} (now revision ${latest.revision}); the history keeps the others.`,
          'Revert Key',
        ))
      )
        return undefined;
      const result = await revertKey(await session(node.conn), node.bucket, key, entry.revision, latest.revision);
      void vscode.window.showInformationMessage(
        `Reverted ${key} to revision ${result.from}: stored as revision ${result.revision}.`,
      );
      tree.refresh();
      return result;
    }),
  ];
}

/**
 * Asks each setting in turn, prefilled with `start` (the server's defaults or the bucket's current values); fields in
 * `given` are not asked. Storage is asked only when creating: the server cannot change it later.
 */
async function askSettings(
  title: string,
  start: KvBucketSettings,
  given: Partial<KvBucketSettings> | undefined,
  editing = false,
): Promise<KvBucketSettings | undefined> {
  const d = KV_DEFAULTS;
  const ask = async <T>(
    field: keyof KvBucketSettings,
    prompt: string,
    value: string,
    parse: (text: string) => T | undefined,
    rule: string,
  ): Promise<T | undefined> => {
    if (given?.[field] !== undefined) return given[field] as T;
    const text = await vscode.window.showInputBox({
      title,
      prompt,
      value,
      validateInput: (v) => (parse(v) === undefined ? rule : undefined),
    });
    return text === undefined ? undefined : parse(text);
  };
  const description = await ask('description', 'Description (optional)', start.description, (v) => v, '');
  if (description === undefined) return undefined;
  const history = await ask(
    'history',
    `History: revisions kept per key, 1 to ${MAX_HISTORY} (server default ${d.history})`,
    String(start.history),
    (v) => (/^\d{1,2}$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= MAX_HISTORY ? Number(v) : undefined),
    `A whole number from 1 to ${MAX_HISTORY}`,
  );
  if (history === undefined) return undefined;
  const ttlMs = await ask(
    'ttlMs',
    `TTL: how long a value lives, e.g. 90s, 15m, 2h, 7d, or never (server default ${formatDuration(d.ttlMs)})`,
    formatDuration(start.ttlMs),
    parseDuration,
    'A duration such as 90s, 15m, 2h or 7d, or never',
  );
  if (ttlMs === undefined) return undefined;
  const maxValueSize = await ask(
    'maxValueSize',
    `Max value size in bytes, e.g. 1024, 64KiB, 1MiB, or unlimited (server default ${formatSize(d.maxValueSize)})`,
    formatSize(start.maxValueSize),
    parseSize,
    'A size such as 1024, 64KiB or 1MiB, or unlimited',
  );
  if (maxValueSize === undefined) return undefined;
  const replicas = await ask(
    'replicas',
    `Replicas: copies kept on the cluster's servers, 1 to 5 (server default ${d.replicas})`,
    String(start.replicas),
    (v) => (/^[1-5]$/.test(v.trim()) ? Number(v) : undefined),
    'A whole number from 1 to 5, at most the number of servers',
  );
  if (replicas === undefined) return undefined;
  let storage = given?.storage ?? start.storage;
  if (!editing && given?.storage === undefined) {
    const picked = await vscode.window.showQuickPick(
      (['file', 'memory'] as const).map((s) => ({
        label: s,
        description: s === d.storage ? 'server default' : 'lost when the servers restart',
        value: s,
      })),
      { title, placeHolder: 'Storage (cannot be changed later)' },
    );
    if (!picked) return undefined;
    storage = picked.value;
  }
  return { description, history, ttlMs, maxValueSize, replicas, storage };
}

/** The connection, bucket, key and revision of a history diff's document, for "Revert to This Revision". */
async function fromRevisionDocument(
  ctx: CommandContext,
  uri: vscode.Uri,
): Promise<{ node: Node<'kvKey'>; revision: number }> {
  const m = uri.scheme === DOC_SCHEME ? REVISION_PATH.exec(uri.path) : null;
  if (!m) throw new UserInputError("This editor shows no KV revision: open a key's history first.");
  const [, connName, bucket, key, revision] = m as unknown as [string, string, string, string, string];
  const conn: ManagedConnection | undefined = (await ctx.connections.list()).find((c) => c.spec.name === connName);
  if (!conn) throw new UserInputError(`Connection '${connName}' no longer exists: open the key's history again.`);
  return {
    node: { kind: 'kvKey', conn, bucket, child: { token: key, path: key, isKey: true, descendants: 0 } },
    revision: Number(revision),
  };
}

function labelOf(field: keyof KvBucketSettings): string {
  return field === 'ttlMs' ? 'TTL' : field === 'maxValueSize' ? 'max value size' : field;
}

/** The first line of a value, escaped and cut, for a pick's detail. */
function preview(e: KvEntryView): string {
  const text = e.payload.text ?? `(${e.payload.size} bytes of binary data)`;
  const line = escapeControl(text.split('\n')[0] ?? '');
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
