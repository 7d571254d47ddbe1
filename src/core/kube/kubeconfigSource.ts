import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';

/** Where K3s writes its own kubeconfig (root-readable unless K3s runs with --write-kubeconfig-mode). */
export const K3S_KUBECONFIG = '/etc/rancher/k3s/k3s.yaml';
/** The setting that names a kubeconfig file. */
export const KUBECONFIG_SETTING = 'natsK3s.kubeconfig';

/** Which kubeconfig files to use, and why those. */
export interface KubeconfigChoice {
  /** One or more files; KUBECONFIG may list several, merged first-wins like kubectl does. */
  readonly paths: readonly string[];
  readonly source: 'setting' | 'env' | 'default' | 'k3s';
}

export interface KubeconfigLookup {
  /** The value of natsK3s.kubeconfig; empty means unset. */
  readonly setting?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
  readonly isReadable?: (path: string) => boolean;
}

export function isReadableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Picks the kubeconfig the way kubectl does, with the setting first: natsK3s.kubeconfig, then the readable files in
 * KUBECONFIG, then ~/.kube/config, then K3s's own file when it is readable. Undefined when none exists.
 * A setting that points at a missing file is still returned, so that the error names the file the user chose.
 */
export function resolveKubeconfig(lookup: KubeconfigLookup = {}): KubeconfigChoice | undefined {
  const readable = lookup.isReadable ?? isReadableFile;
  const env = lookup.env ?? process.env;
  const setting = lookup.setting?.trim();
  if (setting) return { paths: [expandHome(setting, lookup.home)], source: 'setting' };
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p && readable(p));
  if (fromEnv.length > 0) return { paths: fromEnv, source: 'env' };
  const home = join(lookup.home ?? homedir(), '.kube', 'config');
  if (readable(home)) return { paths: [home], source: 'default' };
  if (readable(K3S_KUBECONFIG)) return { paths: [K3S_KUBECONFIG], source: 'k3s' };
  return undefined;
}

/** K3s's kubeconfig path when it exists and this user may read it, to offer in a picker; otherwise undefined. */
export function k3sKubeconfigOffer(isReadable: (path: string) => boolean = isReadableFile): string | undefined {
  return isReadable(K3S_KUBECONFIG) ? K3S_KUBECONFIG : undefined;
}

function expandHome(path: string, home = homedir()): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

export interface KubeContext {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  /** The context's default namespace, when it sets one. */
  readonly namespace?: string;
}

export interface KubeContexts {
  readonly contexts: readonly KubeContext[];
  /** `current-context` of the first file that sets one. */
  readonly current?: string;
}

/** Thrown when a kubeconfig file cannot be read or is not a kubeconfig. */
export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

/**
 * Reads the contexts from kubeconfig files without contacting any cluster (and without client-node, so it works on
 * every Node). With several files, the first file that names a context wins, as in kubectl.
 */
export function readContexts(paths: readonly string[]): KubeContexts {
  const byName = new Map<string, KubeContext>();
  let current: string | undefined;
  for (const path of paths) {
    const doc = readKubeconfig(path);
    if (!current && typeof doc['current-context'] === 'string' && doc['current-context'])
      current = doc['current-context'];
    for (const entry of (Array.isArray(doc.contexts) ? doc.contexts : []) as ({
      name?: unknown;
      context?: unknown;
    } | null)[]) {
      const name = typeof entry?.name === 'string' ? entry.name : undefined;
      if (!name || byName.has(name)) continue;
      const ctx = (entry?.context ?? {}) as Record<string, unknown>;
      byName.set(name, {
        name,
        cluster: typeof ctx.cluster === 'string' ? ctx.cluster : '',
        user: typeof ctx.user === 'string' ? ctx.user : '',
        ...(typeof ctx.namespace === 'string' && ctx.namespace ? { namespace: ctx.namespace } : {}),
      });
    }
  }
  return { contexts: [...byName.values()], current };
}

function readKubeconfig(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES'
        ? 'permission denied (K3s makes its file readable by root only unless started with --write-kubeconfig-mode 644)'
        : code === 'ENOENT'
          ? 'it does not exist'
          : String(code);
    throw new KubeconfigError(
      `The kubeconfig ${path} cannot be read: ${why}. Choose another file in ${KUBECONFIG_SETTING}.`,
    );
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    doc = undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new KubeconfigError(
      `The file ${path} is not a kubeconfig (it is not a YAML mapping): choose another file in ${KUBECONFIG_SETTING}.`,
    );
  }
  return doc as Record<string, unknown>;
}
