import * as vscode from 'vscode';

export const DOC_SCHEME = 'natsk3s';

/**
 * Read-only text documents made by the extension (stream info, KV values, KINE objects): the content is kept by
 * URI, so VS Code's diff editor and "reopen" work, and nothing is ever written to disk.
 */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private static readonly MAX_DOCS = 200;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '(this document is no longer available; open it again from the NATS view)';
  }

  /** Stores `content` under a URI built from `path` (e.g. `/conn/streams/ORDERS.json`) and returns it. */
  set(path: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: DOC_SCHEME, path: path.startsWith('/') ? path : `/${path}` });
    const key = uri.toString();
    this.contents.delete(key);
    this.contents.set(key, content);
    // Bounded: old documents are dropped first (Map keeps insertion order).
    while (this.contents.size > ReadOnlyDocuments.MAX_DOCS) this.contents.delete(this.contents.keys().next().value!);
    this.changed.fire(uri);
    return uri;
  }

  /** Stores and opens a document in a preview editor; `language` picks the highlighting. */
  async show(path: string, content: string, language?: string): Promise<vscode.TextEditor> {
    const uri = this.set(path, content);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (language && doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
