// The chart version a values file is deployed with, read from the files that pin it (pure: the faces read the files
// and pass their text in; pinFiles.ts collects them). In order: the umbrella chart's Chart.lock/Chart.yaml in the
// file's folder, a helmfile release naming the file, an Argo CD Application naming it.
import { isMap, parseAllDocuments } from 'yaml';
import { publishedChartVersions } from './chartKeyVersions';
import { isExactVersion, newestMatching } from './chartVersionOrder';
import { inlineText } from './messageText';

/** A file that may pin the chart version; paths are `/`-separated and absolute (or all relative to one root). */
export interface PinFile {
  path: string;
  text: string;
}

export type PinSource = 'chart-yaml' | 'chart-lock' | 'helmfile' | 'argocd';

export interface PinnedChart {
  source: PinSource;
  /** The pinning file, relative to the values file's folder (`../Chart.yaml`, `helmfile.yaml`). */
  origin: string;
  /** The exact version the pin resolves to among the published ones; undefined when it cannot be read. */
  version?: string;
  /** The version or constraint as written (`1.3.14`, `~1.3.0`). */
  written?: string;
  /** For an umbrella chart: the key its values sit under (the dependency's alias, else its name). */
  valuesRoot?: string[];
  /** Keys under the values root that are the umbrella's own switches (a dependency `condition` such as `nats.enabled`). */
  umbrellaKeys?: string[];
  /** The pin names Bitnami's `nats` chart (its repository), which is another chart with the same name. */
  bitnami?: boolean;
}

type Obj = Record<string, unknown>;

const MAX_DOCUMENTS = 50;

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Normalises `a/./b/../c` to `a/c`; keeps a leading `/`. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/');
}

/** `to` relative to the folder `from` (both normalised the same way). */
export function relativePath(from: string, to: string): string {
  const a = normalizePath(from)
    .split('/')
    .filter((p) => p !== '');
  const b = normalizePath(to)
    .split('/')
    .filter((p) => p !== '');
  let common = 0;
  while (common < a.length && common < b.length - 1 && a[common] === b[common]) common++;
  return [...Array(a.length - common).fill('..'), ...b.slice(common)].join('/');
}

function documents(text: string): Obj[] {
  try {
    return parseAllDocuments(text)
      .slice(0, MAX_DOCUMENTS)
      .filter((d) => !Array.isArray(d) && d.errors.length === 0 && isMap(d.contents))
      .map((d) => d.toJS({ maxAliasCount: 100 }) as Obj);
  } catch {
    return [];
  }
}

const asObj = (v: unknown): Obj | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
const asStr = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const isBitnamiRepo = (repo: string | undefined): boolean => !!repo && /bitnami/i.test(repo);

function resolve(written: string | undefined): string | undefined {
  if (written === undefined) return undefined;
  return isExactVersion(written) ? written.replace(/^v/, '') : newestMatching(written, publishedChartVersions());
}

function pinned(base: Omit<PinnedChart, 'version'>): PinnedChart {
  const version = resolve(base.written);
  return version ? { ...base, version } : base;
}

function fromChartYaml(valuesPath: string, files: readonly PinFile[]): PinnedChart | undefined {
  const dir = dirOf(valuesPath);
  const chartFile = files.find((f) => dirOf(f.path) === dir && baseOf(f.path) === 'Chart.yaml');
  if (!chartFile || baseOf(valuesPath) === 'Chart.yaml') return undefined;
  const deps = documents(chartFile.text)[0]?.['dependencies'];
  if (!Array.isArray(deps)) return undefined;
  const dep = deps.map(asObj).find((d) => d && asStr(d['name']) === 'nats');
  if (!dep) return undefined;
  const root = asStr(dep['alias']) ?? 'nats';
  const conditions = (asStr(dep['condition']) ?? '')
    .split(',')
    .map((c) => c.trim().split('.'))
    .filter((c) => c.length === 2 && c[0] === root)
    .map((c) => c[1] as string);
  const lockFile = files.find((f) => dirOf(f.path) === dir && baseOf(f.path) === 'Chart.lock');
  const locked = lockFile
    ? (documents(lockFile.text)[0]?.['dependencies'] as unknown[] | undefined)
        ?.map(asObj)
        .find((d) => d && asStr(d['name']) === 'nats')
    : undefined;
  const written = asStr(dep['version']);
  const common = {
    valuesRoot: [root],
    ...(conditions.length ? { umbrellaKeys: conditions } : {}),
    ...(isBitnamiRepo(asStr(dep['repository'])) ? { bitnami: true } : {}),
  };
  const lockedVersion = asStr(locked?.['version']);
  // helm dependency build resolves a range once and writes the result to Chart.lock: that is what gets deployed.
  if (lockFile && lockedVersion && !(written && isExactVersion(written)))
    return pinned({
      source: 'chart-lock',
      origin: relativePath(dir, lockFile.path),
      written: lockedVersion,
      ...common,
    });
  return pinned({
    source: 'chart-yaml',
    origin: relativePath(dir, chartFile.path),
    ...(written ? { written } : {}),
    ...common,
  });
}

function fromHelmfile(valuesPath: string, files: readonly PinFile[]): PinnedChart | undefined {
  const target = normalizePath(valuesPath);
  for (const file of files) {
    if (!/^helmfile.*\.ya?ml(\.gotmpl)?$/.test(baseOf(file.path))) continue;
    const dir = dirOf(file.path);
    const docs = documents(file.text);
    const repos = new Map<string, string>();
    for (const doc of docs)
      for (const r of Array.isArray(doc['repositories']) ? doc['repositories'] : []) {
        const name = asStr(asObj(r)?.['name']);
        const url = asStr(asObj(r)?.['url']);
        if (name && url) repos.set(name, url);
      }
    for (const doc of docs) {
      for (const release of Array.isArray(doc['releases']) ? doc['releases'].map(asObj) : []) {
        const chart = asStr(release?.['chart']);
        if (!release || !chart || baseOf(chart.replace(/\/+$/, '')) !== 'nats') continue;
        const values = Array.isArray(release['values']) ? release['values'] : [];
        if (!values.some((v) => typeof v === 'string' && normalizePath(`${dir}/${v}`) === target)) continue;
        const repoName = chart.includes('/') ? chart.slice(0, chart.indexOf('/')) : '';
        const written = asStr(release['version']);
        return pinned({
          source: 'helmfile',
          origin: relativePath(dirOf(valuesPath), file.path),
          ...(written ? { written } : {}),
          ...(isBitnamiRepo(repos.get(repoName) ?? chart) ? { bitnami: true } : {}),
        });
      }
    }
  }
  return undefined;
}

/** Whether an Argo CD value file entry (`values/nats.yaml`, `$values/envs/prod/nats.yaml`) names the values file. */
function namesFile(entry: string, valuesPath: string): boolean {
  const rest = normalizePath(entry.replace(/^\$[\w-]+\//, ''));
  return (
    rest !== '' && !rest.startsWith('..') && `/${normalizePath(valuesPath)}`.endsWith(`/${rest.replace(/^\//, '')}`)
  );
}

function fromArgo(valuesPath: string, files: readonly PinFile[]): PinnedChart | undefined {
  for (const file of files) {
    for (const doc of documents(file.text)) {
      if (!/^argoproj\.io\//.test(asStr(doc['apiVersion']) ?? '') || doc['kind'] !== 'Application') continue;
      const spec = asObj(doc['spec']);
      const sources = [spec?.['source'], ...(Array.isArray(spec?.['sources']) ? (spec['sources'] as unknown[]) : [])]
        .map(asObj)
        .filter((s): s is Obj => s !== undefined);
      for (const source of sources) {
        if (asStr(source['chart']) !== 'nats') continue;
        const helm = asObj(source['helm']);
        const valueFiles = Array.isArray(helm?.['valueFiles']) ? (helm['valueFiles'] as unknown[]) : [];
        if (!valueFiles.some((v) => typeof v === 'string' && namesFile(v, valuesPath))) continue;
        const written = asStr(source['targetRevision']);
        return pinned({
          source: 'argocd',
          origin: relativePath(dirOf(valuesPath), file.path),
          ...(written ? { written } : {}),
          ...(isBitnamiRepo(asStr(source['repoURL'])) ? { bitnami: true } : {}),
        });
      }
    }
  }
  return undefined;
}

/** The pin that applies to the values file at `valuesPath`, from the given files' text; undefined when none names it. */
export function findPinnedChart(valuesPath: string, files: readonly PinFile[]): PinnedChart | undefined {
  const path = normalizePath(valuesPath);
  const list = files.map((f) => ({ path: normalizePath(f.path), text: f.text }));
  return fromChartYaml(path, list) ?? fromHelmfile(path, list) ?? fromArgo(path, list);
}

/** `chart 1.3.14 from ../Chart.yaml`, for hover and the CLI. */
export function describePin(pin: PinnedChart): string {
  // The constraint and the path come from files on disk: escaped, so they cannot break a line or a terminal.
  const written = pin.written && pin.written !== pin.version ? ` (${inlineText(pin.written, 40)})` : '';
  return `chart ${pin.version ?? 'version unknown'}${written} from ${inlineText(pin.origin, 200)}`;
}
