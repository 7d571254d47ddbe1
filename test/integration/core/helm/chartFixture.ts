/**
 * What the real-helm tests share: both helm binaries, each with its own throwaway HELM_* folders (so a test never
 * reads or writes the user's helm config), the vendored NATS charts, and readers for what `helm template` renders.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { HelmClient } from '../../../../src/core/helm/helmClient';
import { helmEnv } from '../../../harness/chartRepo';
import { repoRoot, tools } from '../../../harness/tools';

export { CHART_VERSIONS, chartDir } from '../../../harness/chartRepo';

/** helm v3 and v4; every real-helm suite runs once per entry (the paths come from tools() when a suite starts). */
export const HELMS = ['helm3', 'helm4'] as const;
export type HelmName = (typeof HELMS)[number];

/** A temp folder for one suite: a HelmClient whose helm keeps its cache, config and data there, and files to render. */
export interface HelmSandbox {
  readonly dir: string;
  readonly helmPath: string;
  /** HELM_CACHE_HOME, HELM_CONFIG_HOME, HELM_DATA_HOME and the paths derived from them, inside `dir` (harness helmEnv). */
  readonly env: Readonly<Record<string, string>>;
  readonly client: HelmClient;
  /** Writes `text` to a file in the sandbox and returns its path. */
  file(name: string, text: string): string;
  remove(): void;
}

export function helmSandbox(helm: HelmName): HelmSandbox {
  const dir = mkdtempSync(join(tmpdir(), `nats-k3s-${helm}-`));
  const env = helmEnv(dir);
  const helmPath = tools()[helm];
  return {
    dir,
    helmPath,
    env,
    client: new HelmClient({ helmPath, kubeconfigPaths: [], env }),
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A Kubernetes object as helm renders it (only the fields the tests read are typed). */
export interface K8sObject {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly [field: string]: unknown;
}

/** The objects of `helm template`'s multi-document output, empty documents left out. */
export function renderedObjects(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`helm rendered YAML that does not parse: ${doc.errors[0]!.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export function findObject(objects: readonly K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

/**
 * nats.conf as the 1.x/2.x chart writes it: JSON, except for bare tokens the server resolves itself (`$SERVER_NAME`,
 * `$APP_PASSWORD`) and unquoted sizes (`10Gi`). The chart pretty-prints one value per line, so each bare value on a
 * line is quoted before JSON.parse; `$X` thus reads as the string "$X".
 */
export function parseNatsConf(text: string): Record<string, unknown> {
  const quoted = text.replace(
    /^(\s*(?:"[^"]*":\s*)?)([^\s"{}[\],][^,]*?)(,?)$/gm,
    (line, head: string, value: string, comma: string) =>
      /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(value) ? line : `${head}${JSON.stringify(value)}${comma}`,
  );
  return JSON.parse(quoted) as Record<string, unknown>;
}

/** helm 4 ends every rendered manifest with a blank line; helm 3 does not. Dropping those lines gives helm 3's text. */
export function withoutBlankLineBeforeSeparators(yaml: string): string {
  return yaml.replace(/\n\n(?=---\n)/g, '\n').replace(/\n+$/, '');
}

const execFileP = promisify(execFile);

/** `nats-server -t -c FILE`: the server parses the config and checks its options, then exits; rejects with its stderr. */
export async function natsServerAccepts(confFile: string, env: Record<string, string>): Promise<void> {
  try {
    await execFileP(tools().natsServer, ['-t', '-c', confFile], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 20_000,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`nats-server refused ${confFile}: ${(e.stderr || e.message).trim()}`);
  }
}

/** The values snippets the extension contributes (snippets/nats-values.json), by title. */
export const SNIPPETS = JSON.parse(readFileSync(join(repoRoot, 'snippets', 'nats-values.json'), 'utf8')) as Record<
  string,
  { prefix: string; body: string[] }
>;

/** Expands a snippet body as VS Code does when the user tabs through: each placeholder takes its default, `$0` goes. */
export function expandSnippet(body: readonly string[]): string {
  return body
    .join('\n')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\\$/g, '$');
}
