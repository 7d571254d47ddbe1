import * as vscode from 'vscode';
import { DEFAULT_VALUES_GLOBS, detectValuesFile } from '../../core/values/detectValues';
import { Settings } from '../ids';

const FORCED_KEY = 'natsK3s.values.forcedFiles';

/**
 * Decides which YAML documents are NATS chart values (file name globs, a modeline, the content's shape, or the
 * user's "Treat This File as NATS Chart Values"), caching the answer per document version.
 */
export class ValuesFiles {
  private readonly cache = new WeakMap<vscode.TextDocument, { version: number; isValues: boolean }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Values files of umbrella charts whose Chart.yaml names the nats chart (found by ValuesPins), for this session. */
  private readonly umbrellas = new Set<string>();

  constructor(private readonly state: vscode.Memento) {}

  isValues(doc: vscode.TextDocument): boolean {
    if (doc.languageId !== 'yaml') return false;
    const hit = this.cache.get(doc);
    if (hit && hit.version === doc.version) return hit.isValues;
    const forced = this.forced().includes(doc.uri.toString()) || this.umbrellas.has(doc.uri.toString());
    const isValues = forced || detectValuesFile(doc.uri.path, doc.getText(), this.globs()).isNatsValues;
    this.cache.set(doc, { version: doc.version, isValues });
    return isValues;
  }

  /** Marks a file as NATS chart values for good (kept in the workspace state). */
  async force(doc: vscode.TextDocument): Promise<void> {
    const uri = doc.uri.toString();
    if (!this.forced().includes(uri)) await this.state.update(FORCED_KEY, [...this.forced(), uri]);
    this.cache.delete(doc);
    this.changed.fire();
  }

  /** Marks an umbrella chart's values file (its Chart.yaml names the nats chart) as values while it stays open. */
  markUmbrella(doc: vscode.TextDocument): void {
    this.umbrellas.add(doc.uri.toString());
    this.cache.delete(doc);
  }

  /** Forgets cached answers, e.g. after the globs setting changed. */
  reset(): void {
    this.changed.fire();
  }

  chartVersionSetting(): string | undefined {
    return vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.valuesChartVersion) || undefined;
  }

  private globs(): readonly string[] {
    const configured = vscode.workspace.getConfiguration(Settings.section).get<string[]>(Settings.valuesFiles);
    return configured?.length ? configured : DEFAULT_VALUES_GLOBS;
  }

  private forced(): string[] {
    return this.state.get<string[]>(FORCED_KEY, []);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
