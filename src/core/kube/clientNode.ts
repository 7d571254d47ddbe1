/**
 * Loads @kubernetes/client-node on demand. Version 1.4 is used rather than 2.x: 2.x pulls in undici 8, which needs
 * Node 22.19 or newer and so would break on the Node of older VS Code builds and in plain-Node tests. Importing it
 * lazily keeps activation free of its weight: the extension's build puts it in a bundle of its own (see
 * scripts/build.mjs), which is CommonJS, so its exports arrive as the namespace's `default`.
 */
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type * as ClientNode from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

export type ClientNodeModule = typeof ClientNode;

let loading: Promise<ClientNodeModule> | undefined;

/** Imports client-node once and hands the same module to every caller. */
export function loadClientNode(): Promise<ClientNodeModule> {
  loading ??= import('@kubernetes/client-node').then((m) => {
    const wrapped = m as ClientNodeModule & { default?: ClientNodeModule };
    return typeof wrapped.KubeConfig === 'function' ? wrapped : (wrapped.default ?? wrapped);
  });
  return loading;
}
