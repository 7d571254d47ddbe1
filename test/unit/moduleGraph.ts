import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';

/** The .ts files under `dir`, declarations left out. */
export function tsUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsUnder(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * esbuild's import graph of `entries` (`vscode` and packages left external): what runs, so type-only imports, which
 * vanish at build time, are not in it; re-exports and require() are.
 */
export async function moduleGraph(entries: string[]): Promise<Metafile['inputs']> {
  const result = await build({
    entryPoints: entries,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    outdir: '/nonexistent',
    external: ['vscode'],
    logLevel: 'silent',
    packages: 'external',
  });
  return result.metafile.inputs;
}
