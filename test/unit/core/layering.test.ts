import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from '../../harness/tools';
import { moduleGraph, tsUnder } from '../moduleGraph';

/**
 * Files under `entries` that reach the `vscode` module, directly or through anything they import.
 * Uses esbuild's import graph, so `import type`, re-exports and require() are all seen.
 */
async function filesReachingVscode(entries: string[]): Promise<string[]> {
  return Object.entries(await moduleGraph(entries))
    .filter(([, input]) => input.imports.some((i) => i.path === 'vscode'))
    .map(([file]) => file);
}

/** esbuild drops type-only imports from the graph, so these are caught from the text. */
function typeOnlyVscodeImports(files: string[]): string[] {
  const pattern = /(?:import|export)\s+type\b[^;]*?from\s*['"]vscode['"]|import\(\s*['"]vscode['"]\s*\)/;
  return files.filter((f) => pattern.test(readFileSync(f, 'utf8')));
}

describe('layering: the core never imports vscode', () => {
  it('no file under src/core reaches the vscode module', async () => {
    const core = tsUnder(join(repoRoot, 'src', 'core'));
    assert.ok(core.length > 0, 'src/core has files');
    const offenders = [
      ...(await filesReachingVscode(core)),
      ...typeOnlyVscodeImports(core).map((f) => relative(repoRoot, f)),
    ];
    assert.deepEqual(offenders, [], `core files importing vscode: ${offenders.join(', ')}`);
  });

  it('the check catches a direct import, an indirect one and a type-only one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nk3s-layer-'));
    try {
      writeFileSync(join(dir, 'direct.ts'), "import * as vscode from 'vscode';\nexport const x = vscode.version;\n");
      writeFileSync(join(dir, 'indirect.ts'), "import { x } from './direct';\nexport const y = x;\n");
      writeFileSync(join(dir, 'typeOnly.ts'), "import type { Uri } from 'vscode';\nexport let u: Uri | undefined;\n");
      writeFileSync(join(dir, 'clean.ts'), 'export const z = 1;\n');
      const graph = await filesReachingVscode([join(dir, 'indirect.ts'), join(dir, 'clean.ts')]);
      assert.equal(graph.length, 1);
      assert.match(graph[0]!, /direct\.ts$/);
      const typed = typeOnlyVscodeImports([join(dir, 'typeOnly.ts'), join(dir, 'clean.ts')]);
      assert.deepEqual(typed, [join(dir, 'typeOnly.ts')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
