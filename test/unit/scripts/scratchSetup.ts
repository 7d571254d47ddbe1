import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../harness/tools';

/**
 * setup.sh in a copy of what it reads (its scripts, tools/, package.json and the lockfile, with node_modules recorded
 * as installed from that lockfile): it works on the folder it sits in, and a run here must never `npm ci` the real
 * node_modules (npm empties it before it finds the registry down) nor write the real out/tools.json.
 */
export function scratchSetup(scratch: string): string {
  const copy = join(scratch, 'repo');
  cpSync(join(repoRoot, 'scripts', 'setup.sh'), join(copy, 'scripts', 'setup.sh'));
  cpSync(join(repoRoot, 'scripts', 'setup'), join(copy, 'scripts', 'setup'), { recursive: true });
  cpSync(join(repoRoot, 'tools'), join(copy, 'tools'), { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(repoRoot, f), join(copy, f));
  mkdirSync(join(copy, 'node_modules'));
  copyFileSync(join(repoRoot, 'package-lock.json'), join(copy, 'node_modules', '.nats-k3s-setup-lock.json'));
  return join(copy, 'scripts', 'setup.sh');
}
