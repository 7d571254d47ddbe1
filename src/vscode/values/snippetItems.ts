// The values snippets as completion items; where they fit is decided in the core (valuesSnippets.ts).
import * as vscode from 'vscode';
import { parseSnippets, type ValuesSnippet } from '../../core/values/valuesSnippets';

/** A values snippet as a completion item: inserted as a snippet (tab stops), sorted before the keys. */
export function snippetItem(snippet: ValuesSnippet, range: vscode.Range): vscode.CompletionItem {
  const item = new vscode.CompletionItem(snippet.prefix, vscode.CompletionItemKind.Snippet);
  item.insertText = new vscode.SnippetString(snippet.body);
  item.detail = snippet.name;
  item.documentation = new vscode.MarkdownString(snippet.description);
  item.sortText = `!${snippet.prefix}`;
  item.range = range;
  return item;
}

/** The extension's values snippets, read once on first use. */
export class SnippetFile {
  private loaded: Promise<ValuesSnippet[]> | undefined;

  constructor(
    private readonly uri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  all(): Promise<ValuesSnippet[]> {
    this.loaded ??= Promise.resolve(vscode.workspace.fs.readFile(this.uri)).then(
      (bytes) => parseSnippets(new TextDecoder().decode(bytes)),
      (err: Error) => {
        this.log.warn(`values snippets: cannot read ${this.uri.fsPath}: ${err.message}`);
        return [];
      },
    );
    return this.loaded;
  }
}
