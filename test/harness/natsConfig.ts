import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A nats-server config file in its own temp dir, passed to the harness as `extraArgs: ['-c', file]`. */
export interface NatsConfigFile {
  readonly file: string;
  readonly args: string[];
  remove(): void;
}

/** Writes `text` (nats-server config syntax) to a temp file; call `remove()` in a `finally`/`after`. */
export function writeNatsConfig(text: string): NatsConfigFile {
  const dir = mkdtempSync(join(tmpdir(), 'nats-k3s-conf-'));
  const file = join(dir, 'server.conf');
  writeFileSync(file, text);
  return { file, args: ['-c', file], remove: () => rmSync(dir, { recursive: true, force: true }) };
}
