import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where scripts/setup.sh put the tools the tests need; it writes out/tools.json. */
export interface Tools {
  readonly node24: string;
  readonly codeServer: string;
  readonly chromium: string;
  readonly natsServer: string;
}

export const repoRoot = join(__dirname, '..', '..', '..');

export function tools(): Tools {
  const file = join(repoRoot, 'out', 'tools.json');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run 'npm run setup' first (npm test does it for you).`);
  }
  const found = JSON.parse(readFileSync(file, 'utf8')) as Partial<Tools>;
  const resolved: Tools = {
    node24: process.env.NATS_K3S_NODE24 ?? found.node24 ?? '',
    codeServer: process.env.NATS_K3S_CODE_SERVER ?? found.codeServer ?? '',
    chromium: process.env.NATS_K3S_CHROMIUM ?? found.chromium ?? '/usr/bin/chromium',
    natsServer: process.env.NATS_K3S_NATS_SERVER ?? found.natsServer ?? 'nats-server',
  };
  return resolved;
}
