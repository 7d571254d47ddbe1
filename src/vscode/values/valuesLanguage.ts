import * as vscode from 'vscode';
import type { MigrationResult } from '../../core/values/migrateValues';
import { migrationReportLines } from '../../core/values/migrationReport';
import { isBlankYaml, parseSnippets, snippetsThatFit, type ValuesSnippet } from '../../core/values/valuesSnippets';
import type { ValuesMethod, ValuesMethods } from '../../core/values/valuesProtocol';
import type { ValuesThread } from '../../core/values/valuesThread';
import type { TextRange, ValuesDiagnostic } from '../../core/values/valuesTypes';
import { registerSafeCommand, UserInputError } from '../commandRunner';
import { Commands } from '../ids';
import { setState, StateKeys } from '../walkthrough/stateKeys';
import type { ValuesFiles } from './valuesFiles';
import type { ValuesPins } from './valuesPins';

const SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }];
const SOURCE = 'nats-k3s';
const PREVIEW_SCHEME = 'nats-k3s-migration';
const APPLY = 'Apply Migration';
/** Diagnostics wait for a pause in typing this long; analysis itself takes a few milliseconds for a real file. */
const DEBOUNCE_MS = 150;

const SEVERITY: Record<ValuesDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

function toRange(r: TextRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** A VS Code diagnostic that remembers the core diagnostic, for its quick fix. */
class ValuesDiagnosticItem extends vscode.Diagnostic {
  constructor(readonly values: ValuesDiagnostic) {
    super(toRange(values.range), values.message, SEVERITY[values.severity]);
    this.source = SOURCE;
    this.code = values.code;
  }
}

/** Lines a modal lists before the rest is left to the log: a dialog taller than the screen hides its buttons. */
const PREVIEW_LINES = 40;

function previewDetail(report: readonly string[]): string {
  if (report.length <= PREVIEW_LINES) return report.join('\n');
  return [
    ...report.slice(0, PREVIEW_LINES),
    `…and ${report.length - PREVIEW_LINES} more, listed in the "NATS for K3s" output.`,
  ].join('\n');
}

/** A values snippet as a completion item: inserted as a snippet (tab stops), sorted before the keys. */
function snippetItem(snippet: ValuesSnippet, range: vscode.Range): vscode.CompletionItem {
  const item = new vscode.CompletionItem(snippet.prefix, vscode.CompletionItemKind.Snippet);
  item.insertText = new vscode.SnippetString(snippet.body);
  item.detail = snippet.name;
  item.documentation = new vscode.MarkdownString(snippet.description);
  item.sortText = `!${snippet.prefix}`;
  item.range = range;
  return item;
}

/** The extension's values snippets, read once on first use. */
class SnippetFile {
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

/**
 * Completion, hover, diagnostics, quick fixes and the migrate command for NATS chart values files. The values core
 * runs in `values`' worker thread: on this thread only the text is sent and plain results converted.
 */
export function registerValuesLanguage(
  files: ValuesFiles,
  values: ValuesThread,
  log: vscode.LogOutputChannel,
  pins: ValuesPins,
  extensionUri: vscode.Uri,
): vscode.Disposable[] {
  const snippets = new SnippetFile(vscode.Uri.joinPath(extensionUri, 'snippets', 'nats-values.json'), log);
  const diagnostics = vscode.languages.createDiagnosticCollection(SOURCE);
  // Migrated texts shown in the diff preview, by the id in the preview URI's query.
  const previews = new Map<string, string>();
  let previewCount = 0;
  const timers = new Map<string, NodeJS.Timeout>();
  // For the providers and diagnostics: a failed call (a stalled worker, stopped) is logged and offers nothing.
  const ask = <M extends ValuesMethod>(
    doc: vscode.TextDocument,
    method: M,
    ...args: Parameters<ValuesMethods[M]>
  ): Promise<ReturnType<ValuesMethods[M]> | undefined> =>
    values.call(method, ...args).catch((err: Error) => {
      log.warn(`${method} on ${doc.uri.fsPath}: ${err.message}`);
      return undefined;
    });

  // The setting, and the files around the document that may pin its chart version (read before the text is taken).
  const options = async (doc: vscode.TextDocument) => ({
    chartVersion: files.chartVersionSetting(),
    ...(await pins.forDocument(doc)),
  });
  const isValues = async (doc: vscode.TextDocument): Promise<boolean> => {
    if (files.isValues(doc)) return true;
    if (doc.languageId !== 'yaml' || !(await pins.isUmbrellaValues(doc))) return false;
    files.markUmbrella(doc);
    return true;
  };

  const analyze = async (doc: vscode.TextDocument) => {
    if (!(await isValues(doc))) {
      diagnostics.delete(doc.uri);
      return;
    }
    const opts = await options(doc);
    const version = doc.version;
    const result = await ask(doc, 'analyzeValues', doc.getText(), opts);
    // A newer edit or a close while the worker was busy has its own analysis coming.
    if (!result || doc.isClosed || doc.version !== version) return;
    diagnostics.set(
      doc.uri,
      result.diagnostics.map((d) => new ValuesDiagnosticItem(d)),
    );
    // The walkthrough's first two steps: a values file is there, and it has no errors.
    setState(StateKeys.valuesWritten);
    if (!result.diagnostics.some((d) => d.severity === 'error')) setState(StateKeys.valuesClean);
  };
  const schedule = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void analyze(doc);
      }, DEBOUNCE_MS),
    );
  };
  let fixAllCache: { doc: vscode.TextDocument; version: number; result: MigrationResult } | undefined;
  // "Fix all in file": one action migrating every 0.x key, as a quick fix beside the one-key fix and as source.fixAll.
  const fixAllActions = async (doc: vscode.TextDocument, context: vscode.CodeActionContext) => {
    const legacy = (diagnostics.get(doc.uri) ?? []).filter(
      (d) => d instanceof ValuesDiagnosticItem && d.values.code === 'legacy-chart-key',
    );
    if (legacy.length === 0) return [];
    const wanted = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.SourceFixAll].filter(
      (kind) => !context.only || context.only.contains(kind) || kind.contains(context.only),
    );
    if (wanted.length === 0) return [];
    const version = doc.version;
    // The editor asks for actions on every cursor move: the migration is computed once per version of the text.
    const known = fixAllCache?.doc === doc && fixAllCache.version === version ? fixAllCache.result : undefined;
    const result = known ?? (await ask(doc, 'migrateValues', doc.getText()));
    if (!result || doc.version !== version) return [];
    fixAllCache = { doc, version, result };
    if (result.errors.length > 0 || result.text === doc.getText()) return [];
    return wanted.map((kind) => {
      const action = new vscode.CodeAction(
        `Migrate all ${legacy.length} chart 0.x key(s) in this file to chart 2.x`,
        kind,
      );
      if (kind === vscode.CodeActionKind.QuickFix) action.diagnostics = legacy;
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(
        doc.uri,
        new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)),
        result.text,
        // Labelled, so the refactor preview (Shift+Enter on the quick fix) groups the change; applied without a
        // prompt, since source.fixAll may run on save.
        { label: 'Migrate to chart 2.x', needsConfirmation: false },
      );
      return action;
    });
  };
  const analyzeAll = () => vscode.workspace.textDocuments.forEach((doc) => void analyze(doc));
  // The first analysis builds the schema index (tens of milliseconds): it runs after activate() returns, so
  // opening a YAML file never waits for it.
  const initial = setTimeout(analyzeAll, 0);

  return [
    diagnostics,
    {
      dispose: () => {
        for (const t of [initial, ...timers.values()]) clearTimeout(t);
      },
    },
    vscode.workspace.onDidOpenTextDocument((doc) => void analyze(doc)),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => diagnostics.delete(doc.uri)),
    files.onDidChange(analyzeAll),
    pins.onDidChange(analyzeAll),

    vscode.languages.registerCompletionItemProvider(
      SELECTOR,
      {
        async provideCompletionItems(doc, position) {
          if (!(await isValues(doc))) {
            // A YAML file with nothing in it yet may become a values file: the snippets are where it starts.
            if (!isBlankYaml(doc.getText())) return undefined;
            const word = doc.getWordRangeAtPosition(position, /[\w-]+/) ?? new vscode.Range(position, position);
            return (await snippets.all()).map((s) => snippetItem(s, word));
          }
          const opts = await options(doc);
          const result = await ask(doc, 'completeValues', doc.getText(), doc.offsetAt(position), opts);
          if (!result) return undefined;
          const range = toRange(result.replaceRange);
          const fitting = result.topLevelKeys ? snippetsThatFit(await snippets.all(), result.topLevelKeys) : [];
          return [
            ...fitting.map((s) => snippetItem(s, range)),
            ...result.items.map((i) => {
              const item = new vscode.CompletionItem(
                i.label,
                i.kind === 'key' ? vscode.CompletionItemKind.Property : vscode.CompletionItemKind.Value,
              );
              item.insertText = i.insertText;
              item.detail = i.detail;
              item.documentation = new vscode.MarkdownString(i.documentation);
              item.sortText = i.sortText;
              item.range = range;
              return item;
            }),
          ];
        },
      },
      ':',
      ' ',
    ),

    vscode.languages.registerHoverProvider(SELECTOR, {
      async provideHover(doc, position) {
        if (!(await isValues(doc))) return undefined;
        const opts = await options(doc);
        const hover = await ask(doc, 'hoverValues', doc.getText(), doc.offsetAt(position), opts);
        return hover ? new vscode.Hover(new vscode.MarkdownString(hover.markdown), toRange(hover.range)) : undefined;
      },
    }),

    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
      provideTextDocumentContent: (uri) => previews.get(uri.query) ?? '',
    }),

    vscode.languages.registerCodeActionsProvider(
      SELECTOR,
      {
        async provideCodeActions(doc, _range, context) {
          const actions: vscode.CodeAction[] = [];
          const fixAll = await fixAllActions(doc, context);
          if (!context.diagnostics.some((d) => d instanceof ValuesDiagnosticItem && d.values.fix)) return fixAll;
          for (const d of context.diagnostics) {
            if (!(d instanceof ValuesDiagnosticItem) || !d.values.fix) continue;
            const version = doc.version;
            const edits = await ask(doc, 'resolveFixEdits', doc.getText(), d.values.fix);
            // Edits computed for an older text would land in the wrong place; VS Code asks again after the edit.
            if (!edits || edits.length === 0 || doc.version !== version) continue;
            const action = new vscode.CodeAction(d.values.fix.title, vscode.CodeActionKind.QuickFix);
            action.diagnostics = [d];
            action.edit = new vscode.WorkspaceEdit();
            for (const e of edits) action.edit.replace(doc.uri, toRange(e.range), e.newText);
            action.isPreferred = d.values.code === 'legacy-chart-key';
            actions.push(action);
          }
          return [...actions, ...fixAll];
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.SourceFixAll] },
    ),

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
          {
            preview: true,
          },
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
    registerSafeCommand(log, Commands.treatAsValues, async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (doc?.languageId !== 'yaml') throw new UserInputError('Open a YAML file first.');
      await files.force(doc);
      void vscode.window.showInformationMessage(
        `${vscode.workspace.asRelativePath(doc.uri)} is now checked as NATS chart values.`,
      );
    }),
  ];
}
