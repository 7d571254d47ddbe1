/**
 * Answers the extension's prompts the way a user would, for tests that drive registered commands end to end. VS Code's
 * test host refuses every modal ("DialogService: refused to show dialog in tests"), so without this a test could only
 * check that a destructive command does nothing unconfirmed. The extension and these tests share one `vscode` API
 * object (the host hands one per extension, and the tests load from the extension's folder), so replacing
 * `vscode.window.show*` here replaces what the commands call. Every prompt is recorded; one nobody scripted fails the
 * test instead of being answered by chance.
 */
import * as vscode from 'vscode';

const PROMPTS = [
  'showWarningMessage',
  'showInformationMessage',
  'showErrorMessage',
  'showQuickPick',
  'showInputBox',
  'showSaveDialog',
  'showOpenDialog',
] as const;
export type PromptKind = (typeof PROMPTS)[number];

export interface Asked {
  readonly kind: PromptKind;
  /** The message, or the quick pick's title/placeholder and its item labels, the input box's prompt, a file dialog's title. */
  readonly text: string;
  readonly modal: boolean;
  /** Buttons of a message, labels of a quick pick's items. */
  readonly choices: readonly string[];
}

/** Answers with the first button or item, or the input box's value as it opens (`x` if refused): a user who confirms everything. */
export const ACCEPT: unique symbol = Symbol('accept');

/** What to answer: a button or item label, a typed value, a file path for a save or open dialog, ACCEPT, or `undefined` for Escape. */
export type Answer = string | typeof ACCEPT | undefined;

interface Rule {
  readonly kind: PromptKind;
  readonly match: RegExp;
  readonly answer: Answer;
  readonly once: boolean;
}

export class ScriptedPrompts {
  readonly asked: Asked[] = [];
  private readonly rules: Rule[] = [];
  private readonly originals = new Map<PromptKind, unknown>();
  private unexpected: string | undefined;

  /** Starts answering; notifications that are not modal and match no rule are recorded and left unanswered. */
  install(): this {
    const win = vscode.window as unknown as Record<PromptKind, unknown>;
    for (const kind of PROMPTS) {
      this.originals.set(kind, win[kind]);
      win[kind] = (...args: unknown[]) => this.prompt(kind, args);
    }
    return this;
  }

  restore(): void {
    const win = vscode.window as unknown as Record<PromptKind, unknown>;
    for (const [kind, fn] of this.originals) win[kind] = fn;
    this.originals.clear();
  }

  /** Answers every prompt of `kind` whose text matches, until `restore()`. */
  always(kind: PromptKind, match: RegExp, answer: Answer): this {
    this.rules.push({ kind, match, answer, once: false });
    return this;
  }

  /** Answers the next matching prompt of `kind` once. */
  once(kind: PromptKind, match: RegExp, answer: Answer): this {
    this.rules.push({ kind, match, answer, once: true });
    return this;
  }

  /** The prompts since the last call, and whether one needed an answer nobody scripted. */
  take(): Asked[] {
    const taken = this.asked.splice(0);
    const unexpected = this.unexpected;
    this.unexpected = undefined;
    if (unexpected) throw new Error(`An unscripted prompt needed an answer: ${unexpected}`);
    return taken;
  }

  private async prompt(kind: PromptKind, args: unknown[]): Promise<unknown> {
    const asked = describe(kind, args);
    this.asked.push(asked);
    const i = this.rules.findIndex((r) => r.kind === kind && r.match.test(asked.text));
    if (i < 0) {
      // A modal, a pick or an input box waits for the user: the test must script it. A toast just goes away.
      if (asked.modal || kind === 'showQuickPick' || kind === 'showInputBox' || kind.endsWith('Dialog'))
        this.unexpected ??= `${kind}: ${asked.text}`;
      return undefined;
    }
    const rule = this.rules[i]!;
    if (rule.once) this.rules.splice(i, 1);
    if (rule.answer === undefined) return undefined;
    if (rule.answer === ACCEPT) return accept(kind, args);
    if (kind === 'showSaveDialog') return vscode.Uri.file(rule.answer);
    if (kind === 'showOpenDialog') return [vscode.Uri.file(rule.answer)];
    if (kind === 'showInputBox') {
      // As in the real box: a value its validation rejects cannot be submitted.
      const problem = await (args[0] as vscode.InputBoxOptions | undefined)?.validateInput?.(rule.answer);
      const message = typeof problem === 'string' ? problem : problem?.message;
      if (message) throw new Error(`The input box "${asked.text}" refuses "${rule.answer}": ${message}`);
      return rule.answer;
    }
    if (kind === 'showQuickPick') return pickItem(await args[0], rule.answer, asked);
    const button = messageItems(args).find((b) => (typeof b === 'string' ? b : b.title) === rule.answer);
    if (button === undefined)
      throw new Error(`No button "${rule.answer}" in: ${asked.text} [${asked.choices.join(' | ')}]`);
    return button;
  }
}

async function accept(kind: PromptKind, args: unknown[]): Promise<unknown> {
  if (kind === 'showInputBox') {
    // The box as it opens (often empty, which some prompts take as "all"); `x` where the box refuses that.
    const options = args[0] as vscode.InputBoxOptions | undefined;
    const value = options?.value ?? '';
    return (await options?.validateInput?.(value)) ? 'x' : value;
  }
  if (kind === 'showQuickPick') return ((await args[0]) as unknown[] | undefined)?.[0];
  if (kind === 'showSaveDialog') return (args[0] as vscode.SaveDialogOptions | undefined)?.defaultUri;
  if (kind === 'showOpenDialog') {
    const uri = (args[0] as vscode.OpenDialogOptions | undefined)?.defaultUri;
    return uri ? [uri] : undefined;
  }
  return messageItems(args)[0];
}

function describe(kind: PromptKind, args: unknown[]): Asked {
  if (kind === 'showQuickPick') {
    const opts = (args[1] ?? {}) as vscode.QuickPickOptions;
    return { kind, text: [opts.title, opts.placeHolder].filter(Boolean).join(' — '), modal: false, choices: [] };
  }
  if (kind === 'showSaveDialog' || kind === 'showOpenDialog') {
    const opts = (args[0] ?? {}) as vscode.SaveDialogOptions | vscode.OpenDialogOptions;
    return { kind, text: opts.title ?? '', modal: false, choices: [] };
  }
  if (kind === 'showInputBox') {
    const opts = (args[0] ?? {}) as vscode.InputBoxOptions;
    return {
      kind,
      text: [opts.title, opts.prompt, opts.placeHolder].filter(Boolean).join(' — '),
      modal: false,
      choices: [],
    };
  }
  const options =
    typeof args[1] === 'object' && args[1] !== null && !('title' in args[1])
      ? (args[1] as vscode.MessageOptions)
      : undefined;
  const detail = options?.detail ? `\n${options.detail}` : '';
  return {
    kind,
    text: `${String(args[0])}${detail}`,
    modal: options?.modal === true,
    choices: messageItems(args).map((b) => (typeof b === 'string' ? b : b.title)),
  };
}

function messageItems(args: unknown[]): Array<string | vscode.MessageItem> {
  return args
    .slice(1)
    .filter(
      (a): a is string | vscode.MessageItem =>
        typeof a === 'string' || (typeof a === 'object' && a !== null && 'title' in a),
    );
}

function pickItem(items: unknown, label: string, asked: Asked): unknown {
  const list = (items ?? []) as Array<string | vscode.QuickPickItem>;
  const labelOf = (i: string | vscode.QuickPickItem) => (typeof i === 'string' ? i : i.label);
  (asked.choices as string[]).push(...list.map(labelOf));
  const found = list.find((i) => labelOf(i) === label);
  if (found === undefined)
    throw new Error(`No item "${label}" in the pick ${asked.text}: ${list.map(labelOf).join(' | ')}`);
  return found;
}
