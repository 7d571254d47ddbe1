import * as vscode from 'vscode';

export const DOC_SCHEME = 'natsk3s';

/** How a document's text is stored: scrubbed of secrets, or as it is because the user asked to reveal it. */
export interface DocumentOptions {
  /** The user confirmed revealing a Secret or K3s bootstrap data: keep the text whole. */
  readonly revealed?: boolean;
}

/**
 * Read-only text documents made by the extension (stream info, KV values, KINE objects): the content is kept in
 * memory by URI, so VS Code's diff editor and "reopen" work, and nothing is ever written to disk. Their text is
 * scrubbed of secrets unless the user revealed it; a revealed document is forgotten as soon as its tab closes.
 */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly revealed = new Set<string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.changed.event;
  private static readonly MAX_DOCS = 200;

  constructor(private readonly scrub: (text: string) => string) {
    this.subscription = vscode.window.tabGroups.onDidChangeTabs((e) => {
      for (const tab of e.closed) this.forgetRevealed(tab);
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.contents.get(uri.toString()) ?? '(this document is no longer available; open it again from the NATS view)'
    );
  }

  /** Stores `content` under a URI built from `path` (e.g. `/conn/streams/ORDERS.json`) and returns it. */
  set(path: string, content: string, options: DocumentOptions = {}): vscode.Uri {
    // A revealed document gets a URI of its own, so closing it forgets the secret and the hidden view stays apart.
    const uri = vscode.Uri.from({
      scheme: DOC_SCHEME,
      path: path.startsWith('/') ? path : `/${path}`,
      ...(options.revealed ? { query: 'revealed' } : {}),
    });
    const key = uri.toString();
    this.contents.delete(key);
    this.contents.set(key, options.revealed ? content : this.scrub(content));
    if (options.revealed) this.revealed.add(key);
    // Bounded: old documents are dropped first (Map keeps insertion order).
    while (this.contents.size > ReadOnlyDocuments.MAX_DOCS) this.forget(this.contents.keys().next().value!);
    this.changed.fire(uri);
    return uri;
  }

  /** Stores and opens a document in a preview editor; `language` picks the highlighting. */
  async show(
    path: string,
    content: string,
    language?: string,
    options: DocumentOptions = {},
  ): Promise<vscode.TextEditor> {
    const uri = this.set(path, content, options);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (language && doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  private forgetRevealed(tab: vscode.Tab): void {
    const input = tab.input;
    const uris =
      input instanceof vscode.TabInputText
        ? [input.uri]
        : input instanceof vscode.TabInputTextDiff
          ? [input.original, input.modified]
          : [];
    for (const uri of uris) {
      if (uri.scheme !== DOC_SCHEME || !this.revealed.has(uri.toString())) continue;
      // Still open in another tab group: keep it until the last tab goes.
      if (
        vscode.window.tabGroups.all.some((g) =>
          g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()),
        )
      )
        continue;
      this.forget(uri.toString());
      this.changed.fire(uri);
    }
  }

  private forget(key: string): void {
    this.contents.delete(key);
    this.revealed.delete(key);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.contents.clear();
    this.revealed.clear();
  }
}
