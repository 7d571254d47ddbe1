import * as vscode from 'vscode';
import type { ValuesMethod, ValuesMethods } from '../../core/values/valuesProtocol';
import type { ValuesThread } from '../../core/values/valuesThread';
import type { TextRange, ValuesDiagnostic } from '../../core/values/valuesTypes';
import { registerSafeCommand, UserInputError } from '../commandRunner';
import type { InstalledReleases } from '../cluster/installedReleases';
import { Commands } from '../ids';
import { setState, StateKeys } from '../walkthrough/stateKeys';
import type { ValuesFiles } from './valuesFiles';
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
): vscode.Disposable[] {
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
          if (!(await isValues(doc))) return undefined;
          const opts = await options(doc);
          const result = await ask(doc, 'completeValues', doc.getText(), doc.offsetAt(position), opts);
          if (!result) return undefined;
          const range = toRange(result.replaceRange);
          return result.items.map((i) => {
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
          });
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
          if (!context.diagnostics.some((d) => d instanceof ValuesDiagnosticItem && d.values.fix)) return actions;
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
          return actions;
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),

    registerSafeCommand(log, Commands.migrateValues, async () => {
      const editor = vscode.window.activeTextEditor;
      if (editor?.document.languageId !== 'yaml')
        throw new UserInputError('Open a NATS chart values file (YAML) first.');
      const doc = editor.document;
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
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), result.text);
      await vscode.workspace.applyEdit(edit);
      for (const n of result.notCarried) log.warn(`migrate ${doc.uri.fsPath}: ${n.path} not carried: ${n.reason}`);
      const kept = result.keptDefaults.length
        ? ` Kept ${result.keptDefaults.length} 0.x default(s) that changed in 2.x.`
        : '';
      if (result.notCarried.length) {
        const pick = await vscode.window.showWarningMessage(
          `Migrated to chart 2.x; ${result.notCarried.length} setting(s) could not be carried: ${result.notCarried.map((n) => n.path).join(', ')}.${kept}`,
          'Show Details',
        );
        if (pick) log.show();
      } else {
        void vscode.window.showInformationMessage(`Migrated to chart 2.x; every setting was carried.${kept}`);
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
