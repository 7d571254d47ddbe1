import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VersionedValues } from './keyVersions';

/** Where the values.yaml of every published version sits, from the repository root (beside it in CI too). */
export const VALUES_BY_VERSION_LABEL = '../shared/charts/values-by-version';

/** Reads `<version>.yaml` files of the shared folder beside the repository. */
export function readValuesByVersion(repoRoot: string): VersionedValues[] {
  const dir = join(repoRoot, VALUES_BY_VERSION_LABEL);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => ({ version: name.slice(0, -'.yaml'.length), text: readFileSync(join(dir, name), 'utf8') }));
}
