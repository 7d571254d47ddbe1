import { basename } from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/format/units';
import { listObjects, objectInfo, type ObjectView } from '../../core/nats/objectStore/objectEntries';
import {
  createObjectStore,
  deleteObjectStore,
  listObjectStores,
  type ObjectStoreSummary,
} from '../../core/nats/objectStore/objectStores';
import {
  deleteObject,
  downloadObject,
  TransferCancelledError,
  uploadObject,
  type TransferOptions,
} from '../../core/nats/objectStore/objectTransfer';
import { escapeControl } from '../../core/text/escapeControl';
import { UserInputError } from '../commandRunner';
import { Commands } from '../ids';
import { confirmDestructive, type CommandContext, type Node } from './commandContext';
import type { ManagedConnection } from './connectionManager';
import type { ExplorerNode } from './explorerNodes';

/** Bucket names as the server and the other clients accept them. */
const BUCKET_NAME = /^[-\w]+$/;

/** Object Store: buckets created and deleted, objects shown, downloaded, uploaded and deleted. */
export function registerObjectStoreCommands(ctx: CommandContext): vscode.Disposable[] {
  const { safe, session, connectionOf, docs, tree, refuseIfReadOnly } = ctx;
  /** The bucket of a node, or one the user picks on the node's (or a picked) connection. */
  const bucketOf = async (node: ExplorerNode | undefined): Promise<{ conn: ManagedConnection; bucket: string }> => {
    if (node?.kind === 'objectStore') return { conn: node.conn, bucket: node.store.bucket };
    const conn = await connectionOf(node);
    return { conn, bucket: await pickBucket(await listObjectStores(await session(conn))) };
  };
  const objectOf = async (node: ExplorerNode | undefined) => {
    if (node?.kind === 'object') return { conn: node.conn, bucket: node.object.bucket, name: node.object.name };
    const { conn, bucket } = await bucketOf(node);
    return { conn, bucket, name: await pickObject(bucket, await listObjects(await session(conn), bucket)) };
  };
  // A bucket's objects are not among the lists the tree redraws on its own; without the node, redraw everything.
  const changed = (conn: ManagedConnection, node: ExplorerNode | undefined) => {
    if (node?.kind === 'objectStore') tree.refresh(node);
    else tree.refresh();
    tree.refreshLists(conn.id);
  };
  return [
    safe(Commands.objectStoresRefresh, (node?: Node<'objectStores'>) => tree.refresh(node)),
    safe(Commands.objectShowInfo, async (node?: ExplorerNode): Promise<ObjectView> => {
      const { conn, bucket, name } = await objectOf(node);
      const info = await objectInfo(await session(conn), bucket, name);
      if (!info)
        throw new UserInputError(`There is no object '${escapeControl(name)}' in bucket '${bucket}' any more.`);
      await docs.show(`/${conn.spec.name}/objectStores/${bucket}/${name}.json`, JSON.stringify(info, null, 2), 'json');
      return info;
    }),
    safe(Commands.objectDownload, async (node?: ExplorerNode): Promise<ObjectView | undefined> => {
      const { conn, bucket, name } = await objectOf(node);
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const file = basename(name).replace(/[^\w.-]+/g, '-') || 'object';
      const target = await vscode.window.showSaveDialog({
        title: `Download '${escapeControl(name)}' from '${bucket}'`,
        defaultUri: folder ? vscode.Uri.joinPath(folder, file) : undefined,
        saveLabel: 'Download',
      });
      if (!target) return undefined;
      const s = await session(conn);
      const info = await transfer(`Downloading ${escapeControl(name)}`, (opts) =>
        downloadObject(s, bucket, name, target.fsPath, opts),
      );
      void vscode.window.showInformationMessage(
        `Saved '${escapeControl(name)}' (${formatBytes(info.size)}, digest checked) to ${target.fsPath}.`,
      );
      return info;
    }),
    safe(Commands.objectUpload, async (node?: ExplorerNode): Promise<ObjectView | undefined> => {
      refuseIfReadOnly('uploading an object');
      const { conn, bucket } = await bucketOf(node);
      const [source] =
        (await vscode.window.showOpenDialog({
          title: `Upload a file to Object Store bucket '${bucket}'`,
          canSelectMany: false,
          canSelectFolders: false,
          openLabel: 'Upload',
        })) ?? [];
      if (!source) return undefined;
      const name = await vscode.window.showInputBox({
        title: `Object name in '${bucket}'`,
        value: basename(source.fsPath),
        validateInput: (v) => (v.trim() ? undefined : 'An object needs a name.'),
      });
      if (!name) return undefined;
      const s = await session(conn);
      const old = await objectInfo(s, bucket, name);
      if (
        old &&
        !(await confirmDestructive(
          `Replace object '${escapeControl(name)}' in bucket ${bucket} on '${conn.spec.name}'?`,
          `The stored object (${formatBytes(old.size)}, modified ${old.modified}) is replaced once the upload completes.`,
          'Replace Object',
        ))
      )
        return undefined;
      const info = await transfer(`Uploading ${escapeControl(name)}`, (opts) =>
        uploadObject(s, bucket, name, source.fsPath, opts),
      );
      changed(conn, node);
      void vscode.window.showInformationMessage(
        `Uploaded '${escapeControl(name)}' (${formatBytes(info.size)}) to '${bucket}'.`,
      );
      return info;
    }),
    safe(Commands.objectDelete, async (node?: ExplorerNode): Promise<boolean> => {
      refuseIfReadOnly('deleting an object');
      const { conn, bucket, name } = await objectOf(node);
      if (
        !(await confirmDestructive(
          `Delete object '${escapeControl(name)}' from bucket ${bucket} on '${conn.spec.name}'?`,
          'Its data is purged and cannot be recovered.',
          'Delete Object',
        ))
      )
        return false;
      await deleteObject(await session(conn), bucket, name);
      changed(conn, undefined);
      return true;
    }),
    safe(Commands.objectStoreCreate, async (node?: ExplorerNode): Promise<ObjectStoreSummary | undefined> => {
      refuseIfReadOnly('creating an Object Store bucket');
      const conn = await connectionOf(node);
      const bucket = await vscode.window.showInputBox({
        title: `New Object Store bucket on '${conn.spec.name}'`,
        prompt: 'Bucket name: letters, digits, - and _',
        validateInput: (v) => (BUCKET_NAME.test(v) ? undefined : 'Use letters, digits, - and _ only.'),
      });
      if (!bucket) return undefined;
      const made = await createObjectStore(await session(conn), { bucket });
      tree.refreshLists(conn.id);
      return made;
    }),
    safe(Commands.objectStoreDelete, async (node?: ExplorerNode): Promise<boolean> => {
      refuseIfReadOnly('deleting an Object Store bucket');
      const { conn, bucket } = await bucketOf(node);
      if (
        !(await confirmDestructive(
          `Delete Object Store bucket ${bucket} and every object in it on '${conn.spec.name}'?`,
          `Its stream OBJ_${bucket} is deleted; the objects cannot be recovered.`,
          'Delete Bucket',
        ))
      )
        return false;
      await deleteObjectStore(await session(conn), bucket);
      tree.refreshLists(conn.id);
      return true;
    }),
  ];
}

async function pickBucket(found: { stores: ObjectStoreSummary[] }): Promise<string> {
  if (found.stores.length === 0)
    throw new UserInputError('This connection has no Object Store bucket: create one first.', {
      fix: { title: 'Create Bucket', command: Commands.objectStoreCreate },
    });
  const picked = await vscode.window.showQuickPick(
    found.stores.map((s) => ({ label: escapeControl(s.bucket), description: formatBytes(s.bytes), bucket: s.bucket })),
    { title: 'Object Store bucket' },
  );
  if (!picked) throw new vscode.CancellationError();
  return picked.bucket;
}

async function pickObject(bucket: string, found: { objects: ObjectView[] }): Promise<string> {
  if (found.objects.length === 0) throw new UserInputError(`Bucket '${bucket}' holds no objects.`);
  const picked = await vscode.window.showQuickPick(
    found.objects.map((o) => ({
      label: escapeControl(o.name),
      description: o.link ? 'link' : formatBytes(o.size),
      name: o.name,
    })),
    { title: `Object in '${bucket}'` },
  );
  if (!picked) throw new vscode.CancellationError();
  return picked.name;
}

/** Runs a transfer under a cancellable notification that shows the bytes moved; cancelling aborts it. */
function transfer<T>(title: string, run: (options: TransferOptions) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      let shown = 0;
      try {
        return await run({
          signal: abort.signal,
          onProgress: (done, total) => {
            const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
            if (percent > shown)
              progress.report({
                increment: percent - shown,
                message: `${formatBytes(done)} of ${formatBytes(total)}`,
              });
            shown = percent;
          },
        });
      } catch (err) {
        if (err instanceof TransferCancelledError) throw new vscode.CancellationError();
        throw err;
      } finally {
        cancelled.dispose();
      }
    },
  );
}
