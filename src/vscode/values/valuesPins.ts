import * as vscode from 'vscode';
import { collectPinFiles, type PinFileSystem } from '../../core/values/pinFiles';
import { findPinnedChart, type PinFile } from '../../core/values/pinnedChart';

/** What the values core needs to find the chart version pinned around a document. */
export interface DocumentPins {
  filePath: string;
  pinFiles: PinFile[];
}

/** How long a folder's pin files are trusted without a change event; edits and saves clear it at once. */
const CACHE_MS = 30_000;

// Through VS Code's file system, so remote and virtual workspaces work as local ones. Reading is all it does (no
// program runs), so it works in Restricted Mode as the rest of the values features do.
const workspaceFs: PinFileSystem = {
  async listFiles(dir) {
    try {
      const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(dir));
      return entries.filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
    } catch {
      return [];
    }
  },
  async readText(path, maxBytes) {
    try {
      const uri = vscode.Uri.file(path);
      if ((await vscode.workspace.fs.stat(uri)).size > maxBytes) return undefined;
      return new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
  },
};

/**
 * The files around a values document that may pin its chart version (an umbrella's Chart.yaml, a helmfile, an Argo
 * CD Application), read within limits and cached per document until a YAML file or Chart.lock changes.
 */
export class ValuesPins implements vscode.Disposable {
  private readonly cache = new Map<string, { at: number; pins: Promise<DocumentPins | undefined> }>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a file that may pin a version changed, so open values files are checked again. */
  readonly onDidChange = this.changed.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/{*.yaml,*.yml,*.gotmpl,Chart.lock}');
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly log: vscode.LogOutputChannel) {
    const clear = () => {
      this.cache.clear();
      this.changed.fire();
    };
    this.subscriptions = [
      this.watcher,
      this.changed,
      this.watcher.onDidChange(clear),
      this.watcher.onDidCreate(clear),
      this.watcher.onDidDelete(clear),
    ];
  }

  /** The pin files for a document on disk; undefined for untitled and virtual documents. */
  forDocument(doc: vscode.TextDocument): Promise<DocumentPins | undefined> {
    if (doc.uri.scheme !== 'file') return Promise.resolve(undefined);
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.pins;
    const pins = this.read(doc);
    this.cache.set(key, { at: Date.now(), pins });
    return pins;
  }

  /** Whether a Chart.yaml beside the document names the nats chart as a dependency (an umbrella's values). */
  async isUmbrellaValues(doc: vscode.TextDocument): Promise<boolean> {
    if (!/^values.*\.ya?ml$/.test(doc.uri.path.slice(doc.uri.path.lastIndexOf('/') + 1))) return false;
    const pins = await this.forDocument(doc);
    return !!pins && !!findPinnedChart(pins.filePath, pins.pinFiles)?.valuesRoot;
  }

  private async read(doc: vscode.TextDocument): Promise<DocumentPins | undefined> {
    const filePath = doc.uri.path;
    // Up to the workspace folder; a file outside every folder gets its own folder looked at, not the whole disk.
    const root = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.path ?? filePath.slice(0, filePath.lastIndexOf('/'));
    try {
      const { files, notes } = await collectPinFiles(filePath, root, workspaceFs);
      for (const note of notes) this.log.info(`values pins: ${note}`);
      return { filePath, pinFiles: files };
    } catch (err) {
      this.log.warn(`values pins for ${doc.uri.fsPath}: ${(err as Error).message}`);
      return undefined;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
