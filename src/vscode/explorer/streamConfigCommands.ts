import * as vscode from 'vscode';
import {
  configChanges,
  describeChanges,
  parseStreamConfig,
  streamConfigTemplate,
  streamConfigText,
} from '../../core/nats/streamConfig';
import { copyStream, createStream, sealStream, streamConfigOf, updateStream } from '../../core/nats/streamWrites';
import { UserInputError } from '../commandRunner';
import { Commands } from '../ids';
import { confirmDestructive, type CommandContext, type Node } from './commandContext';
import type { ManagedConnection } from './connectionManager';
import { pickStream } from './pickNodes';

/** Arguments of create and edit: `config` (the document's text) skips the editor and goes to the diff and modal. */
export interface StreamConfigArgs {
  readonly name?: string;
  readonly subjects?: readonly string[];
  readonly config?: string;
}

/** `natsK3s.stream.copy`'s optional arguments. */
export interface CopyStreamArgs {
  readonly name?: string;
  readonly subjects?: readonly string[];
}

/** An open config document and what applying it means. */
interface Draft {
  readonly conn: ManagedConnection;
  /** Undefined for a new stream. */
  readonly stream?: string;
}

/** Context key: the active editor is a stream config draft. */
const DRAFT_CONTEXT = 'natsK3s.streamConfigDraft';
const SUBJECTS_RULE = 'Subjects are separated by commas or spaces; wildcards * and > are allowed';
const splitSubjects = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/**
 * Create, edit, copy and seal. A stream's config is a JSON document showing every field with the server's value or
 * default; applying it shows the diff against the server's config and asks in a modal naming the stream.
 */
export function registerStreamConfigCommands(ctx: CommandContext): vscode.Disposable[] {
  const { safe, session, refuseIfReadOnly, docs, tree } = ctx;
  const drafts = new Map<string, Draft>();

  /** Checks, diffs, asks and applies; resolves the stream's name, or undefined when the user backed out. */
  async function apply(draft: Draft, text: string): Promise<string | undefined> {
    const access = await session(draft.conn);
    const cfg = parseStreamConfig(text);
    if (draft.stream && cfg.name !== draft.stream)
      throw new UserInputError(
        `A stream cannot be renamed (${draft.stream} → ${cfg.name}); put the name back, or copy the stream instead.`,
      );
    const before = draft.stream
      ? ((await streamConfigOf(access, draft.stream)) as unknown as Record<string, unknown>)
      : {};
    const changes = configChanges(before, cfg);
    if (draft.stream && changes.length === 0) {
      void vscode.window.showInformationMessage(`Stream ${cfg.name} already has this config; nothing to apply.`);
      return undefined;
    }
    const base = `/${draft.conn.spec.name}/streams/${cfg.name}`;
    const left = docs.set(`${base}.server.json`, draft.stream ? streamConfigText(before as never) : '');
    const right = docs.set(`${base}.proposed.json`, streamConfigText(cfg));
    await vscode.commands.executeCommand(
      'vscode.diff',
      left,
      right,
      `${cfg.name}: ${draft.stream ? 'server ↔ edited' : 'new stream'}`,
    );
    const lossy = changes.filter((c) => c.removesData);
    const ok = draft.stream
      ? await confirmDestructive(
          `Apply ${changes.length} change${changes.length === 1 ? '' : 's'} to stream ${cfg.name} on '${draft.conn.spec.name}'?`,
          `${describeChanges(changes)}${lossy.length ? `\n\n${lossy.map((c) => c.field).join(', ')} can remove stored messages for good.` : ''}`,
          'Apply',
        )
      : await confirmDestructive(
          `Create stream ${cfg.name} on '${draft.conn.spec.name}'?`,
          `Subjects: ${((cfg.subjects as string[] | undefined) ?? []).join(', ') || cfg.name}`,
          'Create',
        );
    if (!ok) return undefined;
    if (draft.stream) await updateStream(access, cfg);
    else await createStream(access, cfg);
    void vscode.window.showInformationMessage(`Stream ${cfg.name} ${draft.stream ? 'updated' : 'created'}.`);
    tree.refresh();
    return cfg.name;
  }

  async function openDraft(draft: Draft, text: string): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: text });
    drafts.set(doc.uri.toString(), draft);
    const editor = await vscode.window.showTextDocument(doc);
    markActive(editor);
    void vscode.window.showInformationMessage(
      `Edit the config, then run "Apply Stream Config" from the editor's title bar.`,
    );
    return editor;
  }

  // The editor title's Apply button shows only on a draft this opened.
  const markActive = (editor: vscode.TextEditor | undefined) =>
    void vscode.commands.executeCommand(
      'setContext',
      DRAFT_CONTEXT,
      Boolean(editor && drafts.has(editor.document.uri.toString())),
    );
  return [
    vscode.window.onDidChangeActiveTextEditor(markActive),
    vscode.workspace.onDidCloseTextDocument((doc) => drafts.delete(doc.uri.toString())),
    safe(
      Commands.createStream,
      async (given?: Node<'streams'> | Node<'connection'>, args?: StreamConfigArgs): Promise<unknown> => {
        const conn = await ctx.connectionOf(given);
        refuseIfReadOnly('creating a stream');
        if (args?.config !== undefined) return apply({ conn }, args.config);
        const name =
          args?.name ??
          (await vscode.window.showInputBox({
            title: `New stream on '${conn.spec.name}'`,
            prompt: 'Stream name',
            validateInput: (v) => (/^[^\s.*>/\\]+$/.test(v) ? undefined : 'No spaces, dots, *, >, / or \\'),
          }));
        if (!name) return undefined;
        const subjects =
          args?.subjects ??
          splitSubjects(
            (await vscode.window.showInputBox({
              title: `Subjects of ${name}`,
              prompt: SUBJECTS_RULE,
              value: `${name.toLowerCase()}.>`,
            })) ?? '',
          );
        if (subjects.length === 0) return undefined;
        return openDraft({ conn }, streamConfigText(streamConfigTemplate(name, subjects)));
      },
    ),
    safe(Commands.editStream, async (given?: Node<'stream'>, args?: StreamConfigArgs): Promise<unknown> => {
      const node = given ?? (await pickStream(ctx));
      const name = node.stream.name;
      refuseIfReadOnly(`editing stream ${name}`);
      const draft = { conn: node.conn, stream: name };
      if (args?.config !== undefined) return apply(draft, args.config);
      return openDraft(draft, streamConfigText(await streamConfigOf(await session(node.conn), name)));
    }),
    safe(Commands.applyStreamConfig, async (): Promise<string | undefined> => {
      const doc = vscode.window.activeTextEditor?.document;
      const draft = doc && drafts.get(doc.uri.toString());
      if (!doc || !draft)
        throw new UserInputError('No stream config is open here; run "Create Stream" or "Edit Stream" first.');
      refuseIfReadOnly(draft.stream ? `editing stream ${draft.stream}` : 'creating a stream');
      return apply(draft, doc.getText());
    }),
    safe(Commands.copyStream, async (given?: Node<'stream'>, args?: CopyStreamArgs): Promise<string | undefined> => {
      const node = given ?? (await pickStream(ctx));
      const source = node.stream.name;
      refuseIfReadOnly(`copying stream ${source}`);
      const name =
        args?.name ??
        (await vscode.window.showInputBox({
          title: `Copy stream ${source}`,
          prompt: 'Name of the new stream (its config is copied, not its messages)',
          value: `${source}_COPY`,
        }));
      if (!name) return undefined;
      const subjects =
        args?.subjects ??
        splitSubjects(
          (await vscode.window.showInputBox({
            title: `Subjects of ${name}`,
            prompt: `${SUBJECTS_RULE}; they may not overlap ${source}'s`,
          })) ?? '',
        );
      await copyStream(await session(node.conn), source, name, subjects);
      void vscode.window.showInformationMessage(`Stream ${name} created with the config of ${source}.`);
      tree.refresh();
      return name;
    }),
    safe(Commands.sealStream, async (given?: Node<'stream'>): Promise<boolean> => {
      const node = given ?? (await pickStream(ctx));
      const name = node.stream.name;
      refuseIfReadOnly(`sealing stream ${name}`);
      if (
        !(await confirmDestructive(
          `Seal stream ${name} on '${node.conn.spec.name}'?`,
          'A sealed stream takes no more messages and refuses deletes and purges. This cannot be undone.',
          'Seal',
        ))
      )
        return false;
      await sealStream(await session(node.conn), name);
      tree.refresh();
      return true;
    }),
  ];
}
