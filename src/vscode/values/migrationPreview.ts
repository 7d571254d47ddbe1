// NATS: Migrate Values to Chart 2.x: a diff of the file and the migrated text, and a modal listing every key written
// and why; nothing changes until the user applies it.
import * as vscode from 'vscode';
import { migrationReportLines } from '../../core/values/migrationReport';
import type { ValuesThread } from '../../core/values/valuesThread';
import { registerSafeCommand, UserInputError } from '../commandRunner';
import { Commands } from '../ids';

const PREVIEW_SCHEME = 'nats-k3s-migration';
const APPLY = 'Apply Migration';

/** Lines a modal lists before the rest is left to the log: a dialog taller than the screen hides its buttons. */
const PREVIEW_LINES = 40;

function previewDetail(report: readonly string[]): string {
  if (report.length <= PREVIEW_LINES) return report.join('\n');
  return [
    ...report.slice(0, PREVIEW_LINES),
    `…and ${report.length - PREVIEW_LINES} more, listed in the "NATS for K3s" output.`,
  ].join('\n');
}

export function registerMigrationPreview(values: ValuesThread, log: vscode.LogOutputChannel): vscode.Disposable[] {
  // Migrated texts shown in the diff preview, by the id in the preview URI's query.
  const previews = new Map<string, string>();
  let previewCount = 0;
  return [
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
      provideTextDocumentContent: (uri) => previews.get(uri.query) ?? '',
    }),

    registerSafeCommand(log, Commands.migrateValues, async () => {
      const editor = vscode.window.activeTextEditor;
      if (editor?.document.languageId !== 'yaml')
        throw new UserInputError('Open a NATS chart values file (YAML) first.');
      const doc = editor.document;
      if (doc.uri.scheme === PREVIEW_SCHEME)
        throw new UserInputError('This is the migration preview: run the migration from the values file itself.');
      const version = doc.version;
      const result = await values.call('migrateValues', doc.getText());
      if (doc.version !== version)
        throw new UserInputError('The file changed while it was being migrated; run the migration again.');
      if (result.errors.length > 0) {
        const [first] = result.errors;
        // The errors are in the Problems view already (the same analysis); the first one says where to start.
        throw new UserInputError(
          `The file was not migrated: fix its ${result.errors.length === 1 ? 'error' : `${result.errors.length} errors`} first (line ${(first?.range.start.line ?? 0) + 1}: ${first?.message.replace(/\.$/, '') ?? ''}).`,
        );
      }
      if (result.text === doc.getText()) {
        void vscode.window.showInformationMessage('Nothing to migrate: this file has no chart 0.x keys.');
        return;
      }
      // Nothing changes before the user has seen the diff and the list of every key written and why.
      const report = migrationReportLines(result);
      for (const line of report) log.info(`migrate preview ${doc.uri.fsPath}: ${line}`);
      const name = vscode.workspace.asRelativePath(doc.uri);
      const id = String(++previewCount);
      previews.set(id, result.text);
      const preview = vscode.Uri.from({
        scheme: PREVIEW_SCHEME,
        path: `/${doc.uri.path.split('/').pop() ?? name}`,
        query: id,
      });
      try {
        await vscode.commands.executeCommand(
          'vscode.diff',
          doc.uri,
          preview,
          `${name} ↔ migrated to chart 2.x (preview)`,
          // Its own tab: a preview tab would replace the values file's own when that was opened with a single click,
          // and closing the diff afterwards would leave the user with no editor on the file they migrated.
          { preview: false },
        );
        const pick = await vscode.window.showWarningMessage(
          `Migrate ${name} to chart 2.x? ${result.changes.length} key(s) written${result.notCarried.length ? `, ${result.notCarried.length} not carried` : ''}.`,
          { modal: true, detail: previewDetail(report) },
          APPLY,
        );
        if (pick !== APPLY) return;
        if (doc.version !== version)
          throw new UserInputError('The file changed while the preview was open; run the migration again.');
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), result.text);
        await vscode.workspace.applyEdit(edit);
      } finally {
        previews.delete(id);
        // The preview has served its purpose: applied or declined, it would only show a stale text from now on.
        const tabs = vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .filter(
            (t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === preview.toString(),
          );
        if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
      }
      log.info(`migrate ${doc.uri.fsPath}: applied`);
      if (result.notCarried.length) {
        const pick = await vscode.window.showWarningMessage(
          `Migrated to chart 2.x; ${result.notCarried.length} setting(s) could not be carried: ${result.notCarried.map((n) => n.path).join(', ')}.`,
          'Show Details',
        );
        if (pick) log.show();
      } else {
        void vscode.window.showInformationMessage(
          `Migrated to chart 2.x; every setting was carried, ${result.changes.length} key(s) written (listed in the log).`,
        );
      }
    }),
  ];
}
