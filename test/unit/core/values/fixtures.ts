import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../harness/tools';

export { repoRoot };

const fixtureDir = join(repoRoot, 'test', 'fixtures', 'values');

/** The chart's own values.yaml for a version (a verbatim copy under test/fixtures/values). */
export function chartValuesText(version: string): string {
  return fixtureText(`chart-values-${version}.yaml`);
}

export function fixtureText(name: string): string {
  return readFileSync(join(fixtureDir, name), 'utf8');
}
