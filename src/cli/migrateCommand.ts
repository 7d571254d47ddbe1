import { readFile, writeFile } from 'node:fs/promises';
import { migrateValues } from '../core/values/migrateValues';
import { parseCliArgs, UsageError } from './cliArgs';
import type { CliIo } from './cliIo';

const USAGE = 'Usage: nats-k3s migrate FILE [-o OUT]\n';

/** `nats-k3s migrate`: prints (or writes with -o) the chart 2.x file, lists on stderr what was not carried; 2 on usage or I/O errors. */
export async function runMigrateCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.out(USAGE);
    return 0;
  }
  let parsed;
  try {
    parsed = parseCliArgs(args, { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } });
  } catch (err) {
    if (err instanceof UsageError) return usage(io, err.message);
    throw err;
  }
  const out = parsed.values.output;
  const [file, ...extra] = parsed.positionals;
  if (extra.length > 0) return usage(io, 'only one FILE can be migrated at a time.');
  if (file === undefined) return usage(io, 'no FILE given.');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    io.err(`nats-k3s migrate: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return 2;
  }
  const result = migrateValues(text);
  if (out === undefined) io.out(result.text);
  else {
    try {
      await writeFile(out, result.text);
    } catch (err) {
      io.err(`nats-k3s migrate: cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      return 2;
    }
  }
  for (const kept of result.keptDefaults) io.err(`kept the 0.x default: ${kept}\n`);
  for (const n of result.notCarried) io.err(`not carried: ${n.path}: ${n.reason}\n`);
  return 0;
}

function usage(io: CliIo, problem: string): number {
  io.err(`nats-k3s migrate: ${problem}\n${USAGE}`);
  return 2;
}
