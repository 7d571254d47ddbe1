import * as vscode from 'vscode';
import { RenderChartError, resolveRenderChart, type RenderChart } from '../../core/renderChecks/renderChart';
import { renderCheckValues, type RenderCheckResult } from '../../core/renderChecks/renderCheckValues';
import type { InstalledRelease } from '../../core/values/installedRelease';
import { resolveChartContext } from '../../core/values/valuesContext';
import type { TextRange, ValuesDiagnostic } from '../../core/values/valuesTypes';
import type { ClusterAccess } from '../cluster/clusterAccess';
import type { InstalledReleases } from '../cluster/installedReleases';
import { registerClusterCommand, withCancellableProgress } from '../cluster/clusterCommandRunner';
import { ClusterSettings } from '../cluster/clusterIds';
import { UserInputError } from '../commandRunner';
import { Commands, Settings } from '../ids';
import { isRestricted } from '../trust/restrictedMode';
import type { ValuesFiles } from './valuesFiles';
import type { DocumentPins, ValuesPins } from './valuesPins';

/** Render diagnostics have their own collection: the as-you-type analysis never clears them, an edit does. */
export const RENDER_SOURCE = 'nats-k3s render';

const SEVERITY: Record<ValuesDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

const toRange = (r: TextRange) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/** What the command resolves with (the host tests read it). */
export interface RenderCheckOutcome {
  readonly file: string;
  readonly chart: string;
  readonly diagnostics: number;
  readonly checks: readonly string[];
}

export interface RenderCheckDeps {
  readonly access: ClusterAccess;
  readonly files: ValuesFiles;
  readonly log: vscode.LogOutputChannel;
  /** The files around a values file that pin its chart version (an umbrella's Chart.yaml, a helmfile, Argo CD). */
  readonly pins: ValuesPins;
  /** The release each values file was installed into, as the Releases view last listed it. */
  readonly installed?: InstalledReleases;
}

/** What decides a document's chart version besides its text: the files that pin it and the release it went into. */
type VersionSources = Partial<DocumentPins> & { release?: InstalledRelease };

function describeChart(chart: RenderChart): string {
  return chart.kind === 'local' ? chart.path : `${chart.repoUrl} nats ${chart.version ?? '(newest)'}`;
}

/**
 * "NATS: Check Values by Rendering the Chart" and, with natsK3s.values.renderOnSave, the same check on every save.
 * Both run helm, so neither runs in Restricted Mode.
 */
export function registerRenderChecks(deps: RenderCheckDeps): vscode.Disposable[] {
  const { access, files, log, pins } = deps;
  const collection = vscode.languages.createDiagnosticCollection(RENDER_SOURCE);
  const running = new Map<string, AbortController>();

  /** The chart and helm to use; throws a sentence (with the setting's button) when the settings name no usable chart. */
  const chartFor = async (
    doc: vscode.TextDocument,
  ): Promise<{ chart: RenderChart; helmPath: string; pinned: VersionSources }> => {
    const helm = access.helm();
    const release = deps.installed?.forFile(doc.uri);
    const pinned: VersionSources = { ...(await pins.forDocument(doc)), ...(release ? { release } : {}) };
    const setting = files.chartVersionSetting();
    const version = resolveChartContext(doc.getText(), {
      ...(setting ? { chartVersion: setting } : {}),
      ...pinned,
    }).chartVersion;
    try {
      return {
        chart: resolveRenderChart(access.localChart(), version, helm.repository),
        helmPath: access.setting(ClusterSettings.helmPath, ''),
        pinned,
      };
    } catch (err) {
      if (err instanceof RenderChartError)
        throw new UserInputError(err.message, {
          fix: { title: 'Open Settings', command: 'workbench.action.openSettings', args: ['natsK3s.helm.chart'] },
        });
      throw err;
    }
  };

  /** Renders `doc`'s current text; a newer run on the same file cancels this one. */
  const run = async (
    doc: vscode.TextDocument,
    signal: AbortSignal,
    chart: RenderChart,
    helmPath: string,
    pinned: VersionSources,
  ) => {
    const key = doc.uri.toString();
    running.get(key)?.abort();
    const mine = new AbortController();
    running.set(key, mine);
    const onAbort = () => mine.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const version = doc.version;
    try {
      const chartVersion = files.chartVersionSetting();
      const result = await renderCheckValues(doc.getText(), {
        chart,
        helmPath,
        signal: mine.signal,
        ...(chartVersion ? { chartVersion } : {}),
        ...pinned,
        onLine: (stream, line) => log[stream === 'stderr' ? 'warn' : 'trace'](`helm template: ${line}`),
      });
      // Findings for an older text would sit on the wrong lines.
      if (result.kind === 'checked' && (doc.isClosed || doc.version !== version)) return undefined;
      if (result.kind === 'checked')
        collection.set(
          doc.uri,
          result.diagnostics.map((d) => {
            const item = new vscode.Diagnostic(toRange(d.range), d.message, SEVERITY[d.severity]);
            item.source = RENDER_SOURCE;
            item.code = d.check ?? d.code;
            return item;
          }),
        );
      return result;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (running.get(key) === mine) running.delete(key);
    }
  };

  const notChecked = (result: Extract<RenderCheckResult, { kind: 'not-checked' }>): Error => {
    if (result.reason === 'cancelled') return new vscode.CancellationError();
    const setting =
      result.reason === 'helm-missing' ? 'natsK3s.helmPath' : result.reason === 'helm-failed' ? 'natsK3s.helm' : '';
    return new UserInputError(
      result.explanation,
      setting ? { fix: { title: 'Open Settings', command: 'workbench.action.openSettings', args: [setting] } } : {},
    );
  };

  const onSave = async (doc: vscode.TextDocument) => {
    const enabled = vscode.workspace
      .getConfiguration(Settings.section)
      .get<boolean>(Settings.valuesRenderOnSave, false);
    if (!enabled || isRestricted() || !files.isValues(doc)) return;
    try {
      const { chart, helmPath, pinned } = await chartFor(doc);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'NATS: rendering the chart' },
        () => run(doc, new AbortController().signal, chart, helmPath, pinned),
      );
      // On save nothing pops up: a check that could not run says so in the status bar and the log.
      if (result?.kind === 'not-checked' && result.reason !== 'cancelled') {
        log.warn(`render check of ${doc.uri.fsPath}: ${result.explanation}`);
        vscode.window.setStatusBarMessage(`$(warning) NATS render check: ${result.explanation}`, 10_000);
      }
    } catch (err) {
      log.warn(`render check of ${doc.uri.fsPath}: ${(err as Error).message}`);
    }
  };

  return [
    collection,
    {
      dispose: () => {
        for (const c of running.values()) c.abort();
      },
    },
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0) collection.delete(e.document.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      running.get(doc.uri.toString())?.abort();
      collection.delete(doc.uri);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => void onSave(doc)),
    registerClusterCommand(access, log, Commands.renderCheckValues, async (arg?: vscode.Uri) => {
      const doc = arg ? await vscode.workspace.openTextDocument(arg) : vscode.window.activeTextEditor?.document;
      if (doc?.languageId !== 'yaml') throw new UserInputError('Open a NATS chart values file (YAML) first.');
      const { chart, helmPath, pinned } = await chartFor(doc);
      const result = await withCancellableProgress('NATS: rendering the chart to check the values', (signal) =>
        run(doc, signal, chart, helmPath, pinned),
      );
      if (!result) throw new UserInputError('The file changed while it was rendered; run the check again.');
      if (result.kind === 'not-checked') throw notChecked(result);
      const found = result.diagnostics.length;
      log.info(`render check of ${doc.uri.fsPath} with ${describeChart(chart)}: ${found} finding(s)`);
      void vscode.window.showInformationMessage(
        found === 0
          ? `The chart renders this file without a problem the render checks know (${result.objects.length} objects).`
          : `The rendered chart shows ${found} problem${found === 1 ? '' : 's'}: see the Problems view (source "${RENDER_SOURCE}").`,
      );
      return {
        file: doc.uri.fsPath,
        chart: describeChart(chart),
        diagnostics: found,
        checks: result.diagnostics.map((d) => d.check ?? d.code),
      } satisfies RenderCheckOutcome;
    }),
  ];
}
