import * as vscode from 'vscode';
import { formatCount } from '../../core/format/units';
import { deleteKey, getKvEntry, keyHistory, purgeKey, putKey, type KvEntryView } from '../../core/nats/kvBrowser';
import { hexDump, type PayloadView } from '../../core/nats/payload';
import { publishMessage, requestMessage } from '../../core/nats/publish';
import { consumerInfoJson, deleteConsumer, deleteStream, purgeStream, streamInfoJson } from '../../core/nats/streams';
import { registerSafeCommand, UserInputError } from '../commandRunner';
import { Commands } from '../ids';
import { LiveTailPanel } from '../liveTail/liveTailPanel';
import { MessageBrowserPanel } from '../messageBrowser/messageBrowserPanel';
import type { ReadOnlyDocuments } from '../readOnlyDocuments';
import type { SecretStore } from '../secretStore';
import { addConnection } from './addConnection';
import { secretKeyOf } from '../../core/connections/connectionSpec';
import type { ConnectionManager, ManagedConnection } from './connectionManager';
import type { ExplorerNode } from './explorerNodes';
import type { ExplorerTree } from './explorerTree';
import { parseHeaderLines } from '../../core/nats/headerText';
import { pickConnection } from './pickConnection';

type Node<K extends ExplorerNode['kind']> = Extract<ExplorerNode, { kind: K }>;

export interface ExplorerDeps {
  readonly connections: ConnectionManager;
  readonly tree: ExplorerTree;
  readonly docs: ReadOnlyDocuments;
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
  readonly secrets: SecretStore;
}

/** Asks in a modal that names the target; resolves true only for the explicit action button. */
export async function confirmDestructive(message: string, detail: string, action: string): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  return answer === action;
}

/** Registers the explorer's commands; every one goes through the error funnel and refuses writes in read-only mode. */
export function registerExplorerCommands(deps: ExplorerDeps): vscode.Disposable[] {
  const { connections, tree, docs, log, extensionUri } = deps;
  const session = (conn: ManagedConnection) => connections.session(conn);
  const refuseIfReadOnly = (action: string) => {
    if (connections.readOnly) throw new UserInputError(`natsK3s.readOnly is on: ${action} was refused.`);
  };
  const safe = (id: string, fn: (...args: never[]) => unknown) => registerSafeCommand(log, id, fn);

  return [
    safe(Commands.refreshConnections, () => {
      connections.reload();
      tree.refresh();
    }),
    safe(Commands.retryConnection, async (node?: Node<'connection'> | Node<'error'>) => {
      const conn = node?.conn ?? (await pickConnection(connections));
      await (await session(conn)).retry();
    }),
    safe(Commands.showLog, () => log.show()),
    safe(Commands.addConnection, async () => {
      const names = (await connections.list()).map((c) => c.spec.name);
      if (await addConnection(deps.secrets, names)) connections.reload();
    }),
    safe(Commands.setSecret, async (node?: Node<'connection'>) => {
      const conn = node?.conn ?? (await pickConnection(connections));
      const key = secretKeyOf(conn.spec);
      if (!key) throw new UserInputError(`'${conn.spec.name}' takes no secret from VS Code's secret storage (its credentials come from a file or a nats context).`);
      const value = await vscode.window.showInputBox({ title: `Secret of '${conn.spec.name}'`, prompt: `The ${conn.spec.auth.kind === 'userPassword' ? 'password' : conn.spec.auth.kind === 'token' ? 'token' : 'nkey seed'}, kept in VS Code's secret storage`, password: true });
      if (value === undefined) return;
      await deps.secrets.set(key, value);
      await (await session(conn)).retry();
    }),

    safe(Commands.viewMessages, async (node: Node<'stream'>) => {
      MessageBrowserPanel.show(extensionUri, await session(node.conn), node.stream.name);
    }),
    safe(Commands.streamInfo, async (node: Node<'stream'>) => {
      await docs.show(`/${node.conn.spec.name}/streams/${node.stream.name}.json`, await streamInfoJson(await session(node.conn), node.stream.name), 'json');
    }),
    safe(Commands.purgeStream, async (node: Node<'stream'>) => {
      const name = node.stream.name;
      refuseIfReadOnly(`purging stream ${name}`);
      const subject = await vscode.window.showInputBox({
        title: `Purge stream ${name}`,
        prompt: 'Purge only this subject (wildcards allowed), or leave empty to purge every message',
        placeHolder: node.stream.subjects[0],
      });
      if (subject === undefined) return;
      const what = subject ? `the messages on ${subject} in stream ${name}` : `all ${formatCount(node.stream.messages)} messages of stream ${name}`;
      if (!(await confirmDestructive(`Purge ${what} on '${node.conn.spec.name}'?`, 'Purged messages cannot be recovered.', 'Purge'))) return;
      const purged = await purgeStream(await session(node.conn), name, subject || undefined);
      void vscode.window.showInformationMessage(`Purged ${formatCount(purged)} messages from stream ${name}.`);
      tree.refresh();
    }),
    safe(Commands.deleteStream, async (node: Node<'stream'>) => {
      const name = node.stream.name;
      refuseIfReadOnly(`deleting stream ${name}`);
      const detail = `Its ${formatCount(node.stream.messages)} messages and ${node.stream.consumerCount} consumers are deleted with it, and cannot be recovered.`;
      if (!(await confirmDestructive(`Delete stream ${name} on '${node.conn.spec.name}'?`, detail, 'Delete Stream'))) return;
      await deleteStream(await session(node.conn), name);
      tree.refresh();
    }),
    safe(Commands.consumerInfo, async (node: Node<'consumer'>) => {
      const { stream, name } = node.consumer;
      await docs.show(`/${node.conn.spec.name}/streams/${stream}/consumers/${name}.json`, await consumerInfoJson(await session(node.conn), stream, name), 'json');
    }),
    safe(Commands.deleteConsumer, async (node: Node<'consumer'>) => {
      const { stream, name } = node.consumer;
      refuseIfReadOnly(`deleting consumer ${name}`);
      if (!(await confirmDestructive(`Delete consumer ${name} of stream ${stream} on '${node.conn.spec.name}'?`, 'Its delivery position and pending acknowledgements are lost.', 'Delete Consumer'))) return;
      await deleteConsumer(await session(node.conn), stream, name);
      tree.refresh();
    }),

    safe(Commands.kvShowValue, async (node: Node<'kvKey'>) => {
      const entry = await getKvEntry(await session(node.conn), node.bucket, node.child.path);
      if (!entry) throw new UserInputError(`Key ${node.child.path} has no value in bucket ${node.bucket} any more.`);
      const { text, language } = renderPayload(entry.payload);
      await docs.show(`/${node.conn.spec.name}/kv/${node.bucket}/${node.child.path}`, text, language);
    }),
    safe(Commands.kvHistory, async (node: Node<'kvKey'>) => {
      const history = await keyHistory(await session(node.conn), node.bucket, node.child.path);
      if (history.length === 0) throw new UserInputError(`Key ${node.child.path} has no stored revisions.`);
      const newestFirst = [...history].reverse();
      const picked = await vscode.window.showQuickPick(
        newestFirst.map((entry, i) => ({ label: `revision ${entry.revision}`, description: `${entry.operation} · ${entry.created}`, detail: i + 1 < newestFirst.length ? 'compare with previous' : 'first stored revision', entry, previous: newestFirst[i + 1] })),
        { title: `History of ${node.child.path} in ${node.bucket}`, placeHolder: 'Pick a revision to compare with the one before it' },
      );
      if (!picked) return;
      const base = `/${node.conn.spec.name}/kv/${node.bucket}/${node.child.path}`;
      const right = docs.set(`${base}@${picked.entry.revision}`, renderEntry(picked.entry));
      const left = docs.set(`${base}@${picked.previous?.revision ?? 0}`, picked.previous ? renderEntry(picked.previous) : '');
      await vscode.commands.executeCommand('vscode.diff', left, right, `${node.child.path}: revision ${picked.previous?.revision ?? '–'} ↔ ${picked.entry.revision}`);
    }),
    safe(Commands.kvPut, async (node: Node<'bucket'> | Node<'kvKey'>) => {
      const bucket = node.kind === 'bucket' ? node.bucket.bucket : node.bucket;
      refuseIfReadOnly(`writing to bucket ${bucket}`);
      const start = node.kind === 'kvKey' ? node.child.path : '';
      const key = await vscode.window.showInputBox({ title: `Put a key into ${bucket}`, prompt: 'Key', value: start, validateInput: (v) => (/^[-/=.\w]+$/.test(v) ? undefined : 'Keys are letters, digits and - / _ = . only') });
      if (!key) return;
      const value = await vscode.window.showInputBox({ title: `Value of ${key}`, prompt: 'The value to store (text)' });
      if (value === undefined) return;
      const revision = await putKey(await session(node.conn), bucket, key, value);
      void vscode.window.showInformationMessage(`Stored ${key} in ${bucket} as revision ${revision}.`);
      tree.refresh();
    }),
    safe(Commands.kvDelete, async (node: Node<'kvKey'>) => {
      refuseIfReadOnly(`deleting ${node.child.path}`);
      if (!(await confirmDestructive(`Delete key ${node.child.path} from bucket ${node.bucket} on '${node.conn.spec.name}'?`, 'A delete marker is written; earlier revisions stay in the history until purged.', 'Delete Key'))) return;
      await deleteKey(await session(node.conn), node.bucket, node.child.path);
      tree.refresh();
    }),
    safe(Commands.kvPurge, async (node: Node<'kvKey'>) => {
      refuseIfReadOnly(`purging ${node.child.path}`);
      if (!(await confirmDestructive(`Purge key ${node.child.path} and its whole history from bucket ${node.bucket} on '${node.conn.spec.name}'?`, 'Every revision of the key is removed and cannot be recovered.', 'Purge Key'))) return;
      await purgeKey(await session(node.conn), node.bucket, node.child.path);
      tree.refresh();
    }),

    safe(Commands.tailSubject, async (node?: ExplorerNode) => {
      const conn = node && 'conn' in node && node.conn ? node.conn : await pickConnection(connections);
      const suggested = node?.kind === 'subject' ? (node.child.childCount > 0 ? `${node.child.subject}.>` : node.child.subject) : node?.kind === 'stream' ? node.stream.subjects[0] : '>';
      const subject = await vscode.window.showInputBox({ title: 'Tail subject', prompt: 'A subject or wildcard to follow live', value: suggested, validateInput: (v) => (/^\S+$/.test(v) ? undefined : 'A subject without spaces') });
      if (!subject) return;
      LiveTailPanel.show(extensionUri, await session(conn), subject);
    }),
    safe(Commands.publish, async (node?: ExplorerNode) => sendMessage(connections, node, 'publish', refuseIfReadOnly, docs)),
    safe(Commands.request, async (node?: ExplorerNode) => sendMessage(connections, node, 'request', refuseIfReadOnly, docs)),
  ];
}

async function sendMessage(connections: ConnectionManager, node: ExplorerNode | undefined, mode: 'publish' | 'request', refuseIfReadOnly: (a: string) => void, docs: ReadOnlyDocuments): Promise<void> {
  refuseIfReadOnly(mode === 'publish' ? 'publishing' : 'sending a request');
  const conn = node && 'conn' in node && node.conn ? node.conn : await pickConnection(connections);
  const suggested = node?.kind === 'stream' ? node.stream.subjects[0]?.replace(/\.?[>*]$/, '') : node?.kind === 'subject' ? node.child.subject : undefined;
  const subject = await vscode.window.showInputBox({ title: mode === 'publish' ? 'Publish to subject' : 'Request on subject', value: suggested, validateInput: (v) => (/^[^\s*>]+$/.test(v) ? undefined : 'A subject without spaces or wildcards') });
  if (!subject) return;
  const payload = await payloadFromUser();
  if (payload === undefined) return;
  const headerText = await vscode.window.showInputBox({ title: 'Headers (optional)', prompt: 'Name: value pairs separated by ; or new lines', placeHolder: 'Nats-Msg-Id: 1; Content-Type: application/json' });
  if (headerText === undefined) return;
  const headers = parseHeaderLines(headerText);
  const session = await connections.session(conn);
  if (mode === 'publish') {
    await publishMessage(session, { subject, payload, headers });
    void vscode.window.showInformationMessage(`Published ${payload.length} bytes to ${subject}.`);
    return;
  }
  const timeoutText = await vscode.window.showInputBox({ title: 'Timeout in milliseconds', value: '5000', validateInput: (v) => (/^\d+$/.test(v) && Number(v) > 0 ? undefined : 'A positive number') });
  if (!timeoutText) return;
  const reply = await requestMessage(session, { subject, payload, headers }, Number(timeoutText));
  const head = reply.headers.map(([k, v]) => `${k}: ${v}`).join('\n');
  const { text, language } = renderPayload(reply.payload);
  await docs.show(`/${conn.spec.name}/replies/${subject}`, `${head ? `${head}\n\n` : ''}${text}`, head ? undefined : language);
  void vscode.window.showInformationMessage(`Reply from ${subject} in ${Math.round(reply.elapsedMs)} ms.`);
}

async function payloadFromUser(): Promise<Uint8Array | undefined> {
  const editor = vscode.window.activeTextEditor;
  const sources = [{ label: '$(edit) Type it', id: 'input' }, ...(editor && !editor.selection.isEmpty ? [{ label: '$(selection) The selection in the editor', id: 'selection' }] : []), { label: '$(file) A file', id: 'file' }];
  const source = sources.length === 1 ? sources[0] : await vscode.window.showQuickPick(sources, { title: 'Payload from' });
  if (!source) return undefined;
  if (source.id === 'selection' && editor) return new TextEncoder().encode(editor.document.getText(editor.selection));
  if (source.id === 'file') {
    const [file] = (await vscode.window.showOpenDialog({ canSelectMany: false, title: 'Payload file' })) ?? [];
    return file ? vscode.workspace.fs.readFile(file) : undefined;
  }
  const text = await vscode.window.showInputBox({ title: 'Payload', prompt: 'The message body (text)' });
  return text === undefined ? undefined : new TextEncoder().encode(text);
}

/** Text as it is (JSON pretty-printed), binary as a hex dump; a truncated payload says so. */
export function renderPayload(p: PayloadView): { text: string; language?: string } {
  const note = p.truncated ? `\n\n(first ${p.bytes.length} of ${p.size} bytes shown)` : '';
  if (p.text === undefined) return { text: hexDump(p.bytes) + note };
  try {
    if (!p.truncated && /^\s*[[{]/.test(p.text)) return { text: JSON.stringify(JSON.parse(p.text), null, 2), language: 'json' };
  } catch {
    // Not JSON after all: show it as it is.
  }
  return { text: p.text + note };
}

function renderEntry(entry: KvEntryView): string {
  if (entry.operation !== 'PUT') return `(${entry.operation} at ${entry.created})`;
  return renderPayload(entry.payload).text;
}
