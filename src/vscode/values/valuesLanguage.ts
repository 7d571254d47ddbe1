import * as vscode from 'vscode';
import type { MigrationResult } from '../../core/values/migrateValues';
import { isBlankYaml, snippetsThatFit } from '../../core/values/valuesSnippets';
import type { ValuesMethod, ValuesMethods } from '../../core/values/valuesProtocol';
import type { ValuesThread } from '../../core/values/valuesThread';
import type { TextRange, ValuesDiagnostic } from '../../core/values/valuesTypes';
import { registerSafeCommand, UserInputError } from '../commandRunner';
import type { InstalledReleases } from '../cluster/installedReleases';
import { Commands } from '../ids';
import { setState, StateKeys } from '../walkthrough/stateKeys';
import type { ValuesFiles } from './valuesFiles';
import { registerMigrationPreview } from './migrationPreview';
import { SnippetFile, snippetItem } from './snippetItems';
import type { ValuesPins } from './valuesPins';

const SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }];
const SOURCE = 'nats-k3s';
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

/**
 * Completion, hover, diagnostics, quick fixes and the migrate command for NATS chart values files. The values core
 * runs in `values`' worker thread: on this thread only the text is sent and plain results converted.
 */
export function registerValuesLanguage(
  files: ValuesFiles,
  values: ValuesThread,
  log: vscode.LogOutputChannel,
  pins: ValuesPins,
  installed: InstalledReleases,
  extensionUri: vscode.Uri,
): vscode.Disposable[] {
  const snippets = new SnippetFile(vscode.Uri.joinPath(extensionUri, 'snippets', 'nats-values.json'), log);
  const diagnostics = vscode.languages.createDiagnosticCollection(SOURCE);
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

  // The setting, the files around the document that may pin its chart version (read before the text is taken), and
  // the release the file was installed into as the Releases view last listed it.
  const options = async (doc: vscode.TextDocument) => {
    const release = installed.forFile(doc.uri);
    return {
      chartVersion: files.chartVersionSetting(),
      ...(await pins.forDocument(doc)),
      ...(release ? { release } : {}),
    };
  };
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
    installed.onDidChange(analyzeAll),

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

    ...registerMigrationPreview(values, log),
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
