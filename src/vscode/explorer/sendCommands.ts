import * as vscode from 'vscode';
import { parseHeaderLines } from '../../core/nats/headerText';
import type { HeaderList } from '../../core/nats/payload';
import { publishMessage, requestMessage, type ReplyView } from '../../core/nats/publish';
import { explainRequestError } from '../../core/nats/requestErrors';
import { UserInputError } from '../commandRunner';
import { Commands } from '../ids';
import { LiveTailPanel } from '../liveTail/liveTailPanel';
import type { CommandContext } from './commandContext';
import type { ExplorerNode } from './explorerNodes';
import { renderPayload } from './payloadText';

/** `natsK3s.subject.tail`'s optional argument: the subject or wildcard, instead of a prompt. */
export interface TailArgs {
  readonly subject?: string;
}

/**
 * `natsK3s.publish`'s optional arguments. Subject and payload skip their prompts when given; when an arguments
 * object is passed at all, missing headers mean none (no prompt), so a caller is never left waiting on a box.
 */
export interface PublishArgs {
  readonly subject?: string;
  readonly payload?: string | Uint8Array;
  /** `"A: 1; B: 2"`, `{ A: '1' }` or `[['A', '1']]`. */
  readonly headers?: string | Readonly<Record<string, string>> | HeaderList;
}

/** `natsK3s.request`'s optional arguments; a missing timeout is 5 s when arguments are passed. */
export interface RequestArgs extends PublishArgs {
  readonly timeoutMs?: number;
}

const SUBJECT = /^[^\s*>]+$/;
const SUBJECT_RULE = 'A subject without spaces or wildcards';

/** Tail, publish and request, from the palette or a node; request resolves to the reply it shows. */
export function registerSendCommands(ctx: CommandContext): vscode.Disposable[] {
  const { safe, session, connectionOf, extensionUri } = ctx;
  return [
    safe(Commands.tailSubject, async (node?: ExplorerNode, args?: TailArgs): Promise<LiveTailPanel | undefined> => {
      const conn = await connectionOf(node);
      const suggested =
        node?.kind === 'subject'
          ? node.child.childCount > 0
            ? `${node.child.subject}.>`
            : node.child.subject
          : node?.kind === 'stream'
            ? node.stream.subjects[0]
            : '>';
      if (args?.subject !== undefined && !/^\S+$/.test(args.subject))
        throw new UserInputError(`'${args.subject}' is not a subject: it has spaces.`);
      const subject =
        args?.subject ??
        (await vscode.window.showInputBox({
          title: 'Tail subject',
          prompt: 'A subject or wildcard to follow live',
          value: suggested,
          validateInput: (v) => (/^\S+$/.test(v) ? undefined : 'A subject without spaces'),
        }));
      if (!subject) return undefined;
      return LiveTailPanel.show(extensionUri, await session(conn), subject, conn.id);
    }),
    safe(Commands.publish, async (node?: ExplorerNode, args?: PublishArgs) => {
      ctx.refuseIfReadOnly('publishing');
      const msg = await messageFromUser(ctx, node, 'publish', args);
      if (!msg) return;
      // Usually instant; a stream without a reachable leader is tried for a few seconds, said in the status bar.
      const stored = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Publishing to ${msg.subject}…` },
        async () => publishMessage(await session(msg.conn), msg),
      );
      // The stream that stored it has one more message: its row (and the server's usage) should say so now.
      if (stored.stream) ctx.tree.refreshLists(msg.conn.id);
      void vscode.window.showInformationMessage(
        `Published ${msg.payload.length} bytes to ${msg.subject}${stored.stream ? `, stored in ${stored.stream} as message ${stored.seq}` : ''}.`,
      );
      return stored;
    }),
    safe(Commands.request, async (node?: ExplorerNode, args?: RequestArgs): Promise<ReplyView | undefined> => {
      ctx.refuseIfReadOnly('sending a request');
      const msg = await messageFromUser(ctx, node, 'request', args);
      if (!msg) return undefined;
      let timeoutMs = args ? (args.timeoutMs ?? 5_000) : undefined;
      if (timeoutMs === undefined) {
        const text = await vscode.window.showInputBox({
          title: 'Timeout in milliseconds',
          value: '5000',
          validateInput: (v) => (/^\d+$/.test(v) && Number(v) > 0 ? undefined : 'A positive number'),
        });
        if (!text) return undefined;
        timeoutMs = Number(text);
      }
      if (!(timeoutMs > 0))
        throw new UserInputError(`The timeout must be a positive number of milliseconds, not ${timeoutMs}.`);
      const live = await session(msg.conn);
      let reply: ReplyView;
      try {
        reply = await requestMessage(live, msg, timeoutMs);
      } catch (err) {
        if ((err as Error).name === 'ReadOnlyError') throw err;
        const sampleListening = ctx.sampling.get(msg.conn.id)?.running ?? false;
        const sentence = explainRequestError(err, {
          subject: msg.subject,
          timeoutMs,
          target: msg.conn.spec.servers.join(', '),
          connected: live.state.kind === 'connected',
          sampleListening,
        });
        throw new UserInputError(sentence, {
          cause: err,
          ...(sampleListening
            ? { fix: { title: 'Stop the Subjects Sample', command: Commands.stopSample, args: [msg.conn.id] } }
            : {}),
        });
      }
      const head = reply.headers.map(([k, v]) => `${k}: ${v}`).join('\n');
      const { text, language } = renderPayload(reply.payload);
      await ctx.docs.show(
        `/${msg.conn.spec.name}/replies/${msg.subject}`,
        `${head ? `${head}\n\n` : ''}${text}`,
        head ? undefined : language,
      );
      void vscode.window.showInformationMessage(`Reply from ${msg.subject} in ${Math.round(reply.elapsedMs)} ms.`);
      return reply;
    }),
  ];
}

async function messageFromUser(
  ctx: CommandContext,
  node: ExplorerNode | undefined,
  mode: 'publish' | 'request',
  args: PublishArgs | undefined,
) {
  const conn = await ctx.connectionOf(node);
  if (args?.subject !== undefined && !SUBJECT.test(args.subject))
    throw new UserInputError(`'${args.subject}' cannot be sent to: ${SUBJECT_RULE.toLowerCase()}.`);
  const suggested =
    node?.kind === 'stream'
      ? node.stream.subjects[0]?.replace(/\.?[>*]$/, '')
      : node?.kind === 'subject'
        ? node.child.subject
        : undefined;
  const subject =
    args?.subject ??
    (await vscode.window.showInputBox({
      title: mode === 'publish' ? 'Publish to subject' : 'Request on subject',
      value: suggested,
      validateInput: (v) => (SUBJECT.test(v) ? undefined : SUBJECT_RULE),
    }));
  if (!subject) return undefined;
  const given = args?.payload;
  const payload =
    given === undefined ? await payloadFromUser() : typeof given === 'string' ? new TextEncoder().encode(given) : given;
  if (payload === undefined) return undefined;
  const headers = args ? headersFrom(args.headers) : await headersFromUser();
  if (headers === undefined) return undefined;
  return { conn, subject, payload, headers };
}

function headersFrom(h: PublishArgs['headers']): HeaderList {
  if (h === undefined) return [];
  if (typeof h === 'string') return parseHeaderLines(h);
  if (Array.isArray(h)) return h as HeaderList;
  return Object.entries(h as Record<string, string>);
}

async function headersFromUser(): Promise<HeaderList | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Headers (optional)',
    prompt: 'Name: value pairs separated by ; or new lines',
    placeHolder: 'Nats-Msg-Id: 1; Content-Type: application/json',
  });
  return text === undefined ? undefined : parseHeaderLines(text);
}

async function payloadFromUser(): Promise<Uint8Array | undefined> {
  const editor = vscode.window.activeTextEditor;
  const sources = [
    { label: '$(edit) Type it', id: 'input' },
    ...(editor && !editor.selection.isEmpty
      ? [{ label: '$(selection) The selection in the editor', id: 'selection' }]
      : []),
    { label: '$(file) A file', id: 'file' },
  ];
  const source =
    sources.length === 1 ? sources[0] : await vscode.window.showQuickPick(sources, { title: 'Payload from' });
  if (!source) return undefined;
  if (source.id === 'selection' && editor) return new TextEncoder().encode(editor.document.getText(editor.selection));
  if (source.id === 'file') {
    const [file] = (await vscode.window.showOpenDialog({ canSelectMany: false, title: 'Payload file' })) ?? [];
    return file ? vscode.workspace.fs.readFile(file) : undefined;
  }
  const text = await vscode.window.showInputBox({ title: 'Payload', prompt: 'The message body (text)' });
  return text === undefined ? undefined : new TextEncoder().encode(text);
}
