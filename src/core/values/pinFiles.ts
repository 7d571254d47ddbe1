// Collects the files that may pin a values file's chart version (pinnedChart.ts reads them): Chart.yaml and
// Chart.lock beside it, and helmfiles and Argo CD Applications in its folder and the folders above, within limits.
// The file system is passed in: the extension reads through VS Code's, the CLI through Node's.
import { normalizePath, type PinFile } from './pinnedChart';

export interface PinFileSystem {
  /** Names of the plain files in a folder; empty when it cannot be read. */
  listFiles(dir: string): Promise<string[]>;
  /** The file's text, or undefined when it is larger than `maxBytes` or cannot be read. */
  readText(path: string, maxBytes: number): Promise<string | undefined>;
}

export const PIN_FILE_LIMITS = {
  /** Folders looked at: the values file's own and this many above it at most. */
  maxLevelsUp: 6,
  /** YAML files read per folder. */
  maxFilesPerFolder: 40,
  maxBytes: 256 * 1024,
};

export interface CollectedPinFiles {
  files: PinFile[];
  /** Limits hit on the way, one sentence each (for the log). */
  notes: string[];
}

const YAML = /\.ya?ml(\.gotmpl)?$/;
const HELMFILE = /^helmfile.*\.ya?ml(\.gotmpl)?$/;

/**
 * Reads candidate pin files for `valuesPath`, from its folder up to `stopAt` (a workspace root; inclusive) or the
 * level limit. Only files that can pin the nats chart are kept: Chart.yaml/Chart.lock beside the values file,
 * helmfiles, and YAML files that mention Argo CD (`argoproj.io`).
 */
export async function collectPinFiles(
  valuesPath: string,
  stopAt: string | undefined,
  fs: PinFileSystem,
  limits = PIN_FILE_LIMITS,
): Promise<CollectedPinFiles> {
  const files: PinFile[] = [];
  const notes: string[] = [];
  const target = normalizePath(valuesPath);
  const stop = stopAt === undefined ? undefined : normalizePath(stopAt);
  let dir = target.slice(0, Math.max(target.lastIndexOf('/'), 0)) || '/';
  for (let level = 0; level <= limits.maxLevelsUp; level++) {
    const names = (await fs.listFiles(dir)).filter(
      (n) => (YAML.test(n) || n === 'Chart.lock') && `${dir === '/' ? '' : dir}/${n}` !== target,
    );
    // Pin files by name first, so a crowded folder still has its Chart.yaml and helmfile read.
    const rank = (n: string): number => (n === 'Chart.yaml' || n === 'Chart.lock' ? 0 : HELMFILE.test(n) ? 1 : 2);
    const ordered = names
      .filter((n) => level === 0 || rank(n) !== 0)
      .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
    if (ordered.length > limits.maxFilesPerFolder)
      notes.push(`${dir}: read the first ${limits.maxFilesPerFolder} of ${ordered.length} YAML files for chart pins.`);
    for (const name of ordered.slice(0, limits.maxFilesPerFolder)) {
      const path = `${dir === '/' ? '' : dir}/${name}`;
      if (path === target) continue;
      const text = await fs.readText(path, limits.maxBytes);
      if (text === undefined) {
        if (rank(name) < 2)
          notes.push(`${path}: not read for chart pins (unreadable or over ${limits.maxBytes} bytes).`);
        continue;
      }
      if (rank(name) < 2 || text.includes('argoproj.io')) files.push({ path, text });
    }
    if (dir === stop || dir === '/' || dir === '.' || (stop !== undefined && !dir.startsWith(`${stop}/`))) break;
    dir = dir.slice(0, Math.max(dir.lastIndexOf('/'), 0)) || '/';
  }
  return { files, notes };
}
