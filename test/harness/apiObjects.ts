/**
 * What the API server serves, read through real kubectl (`get --raw`): every group/version from discovery, each
 * listable resource in it, and its live objects as the API returns them (items carry no apiVersion/kind in a list,
 * so they are set from the list, as a GET would print them).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tools } from './tools';

const run = promisify(execFile);

export interface ServedResource {
  readonly groupVersion: string;
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export type ApiObject = Record<string, unknown> & { metadata: Record<string, unknown> };

export async function getRaw(kubeconfig: string, path: string): Promise<unknown> {
  const { stdout } = await run(tools().kubectl, ['--kubeconfig', kubeconfig, 'get', '--raw', path], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

/** Every resource the API serves that can be listed, at every served version (subresources left out). */
export async function servedResources(kubeconfig: string): Promise<ServedResource[]> {
  const groupVersions = ['v1'];
  const apis = (await getRaw(kubeconfig, '/apis')) as { groups: { versions: { groupVersion: string }[] }[] };
  for (const g of apis.groups) for (const v of g.versions) groupVersions.push(v.groupVersion);
  const out: ServedResource[] = [];
  for (const gv of groupVersions) {
    const list = (await getRaw(kubeconfig, basePath(gv))) as {
      resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[];
    };
    for (const r of list.resources)
      if (!r.name.includes('/') && r.verbs.includes('list'))
        out.push({ groupVersion: gv, name: r.name, kind: r.kind, namespaced: r.namespaced });
  }
  return out;
}

export function basePath(groupVersion: string): string {
  return groupVersion === 'v1' ? '/api/v1' : `/apis/${groupVersion}`;
}

/** The path of one object of `r`. */
export function objectPath(r: ServedResource, namespace: string | undefined, name: string): string {
  return `${basePath(r.groupVersion)}${r.namespaced && namespace ? `/namespaces/${namespace}` : ''}/${r.name}/${name}`;
}

/** The live objects of `r` in all namespaces, each with apiVersion and kind first as a GET prints them. */
export async function listObjects(kubeconfig: string, r: ServedResource): Promise<ApiObject[]> {
  const list = (await getRaw(kubeconfig, `${basePath(r.groupVersion)}/${r.name}`)) as { items?: ApiObject[] };
  return (list.items ?? []).map((item) => ({ apiVersion: r.groupVersion, kind: r.kind, ...item }));
}
