// No import cycles in the product: a cycle makes module load order matter (a value read before its module finished
// loading is undefined) and ties concerns together that the folders say are apart. The graph is esbuild's, so it
// holds what runs: type-only imports, which vanish at build time, cannot make a cycle here.
import * as assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { repoRoot } from '../harness/tools';
import { moduleGraph, tsUnder } from './moduleGraph';

/** The strongly connected components of more than one file (Tarjan), each sorted: the cycles. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const at = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    at.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!at.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, at.get(w)!));
      }
    }
    if (low.get(v) === at.get(v)) {
      const component: string[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) {
        onStack.delete(w);
        component.push(w);
        if (w === v) break;
      }
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!at.has(v)) visit(v);
  return found;
}

async function importGraph(entries: string[]): Promise<Map<string, string[]>> {
  return new Map(
    Object.entries(await moduleGraph(entries)).map(([file, input]) => [
      file,
      input.imports.map((i) => i.path).filter((p) => p.startsWith('src/')),
    ]),
  );
}

describe('import cycles', () => {
  it('src has none', async () => {
    const entries = tsUnder(join(repoRoot, 'src')).map((f) => relative(repoRoot, f));
    const found = cycles(await importGraph(entries));
    assert.deepEqual(found, [], `import cycles: ${found.map((c) => c.join(' ↔ ')).join('; ')}`);
  });

  it('the check finds a cycle of two and of three, and none in a chain', () => {
    assert.deepEqual(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
        ]),
      ),
      [['a', 'b']],
    );
    assert.deepEqual(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
      [['a', 'b', 'c']],
    );
    assert.deepEqual(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
      [],
    );
  });
});
