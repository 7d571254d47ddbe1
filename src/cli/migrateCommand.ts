import { writeFileAtomic } from '../core/fs/atomicWrite';
import { NotUtf8Error, readUtf8File } from '../core/fs/readUtf8';
import { migrateValues } from '../core/values/migrateValues';
import { migrationReportLines } from '../core/values/migrationReport';
import { parseCliArgs, UsageError } from './cliArgs';
import type { CliIo } from './cliIo';
import { describeFileError } from './fileError';

const USAGE = 'Usage: nats-k3s migrate FILE [-o OUT]\n';

/**
 * `nats-k3s migrate`: prints (or writes with -o) the chart 2.x file, lists on stderr what was not carried; 1 when the
 * file has YAML errors (listed as `lint` lists them; nothing is written), 2 on usage or I/O errors.
 */
export async function runMigrateCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.out(USAGE);
    return 0;
  }
  const options = { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } as const;
  let parsed: ReturnType<typeof parseCliArgs<typeof options>>;
  try {
    parsed = parseCliArgs(args, options);
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
    text = await readUtf8File(file);
  } catch (err) {
    io.err(
      `nats-k3s migrate: ${err instanceof NotUtf8Error ? err.message : (describeFileError(err, 'read', file) ?? `cannot read ${file}: ${(err as Error).message}.`)}\n`,
    );
    return 2;
  }
  const result = migrateValues(text);
  if (result.errors.length > 0) {
    // The lines `nats-k3s lint` prints for the same file.
    for (const d of result.errors)
      io.err(
        `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} [${d.code}] ${d.message}\n`,
      );
    const n = result.errors.filter((d) => d.severity === 'error').length;
    io.err(
      `nats-k3s migrate: ${file} was not migrated (nothing was written): fix the ${n === 1 ? 'error' : `${n} errors`} above, which \`nats-k3s lint\` reports too, and run it again.\n`,
    );
    return 1;
  }
  if (out === undefined) io.out(result.text);
  else {
    try {
      // Through a temp file and a rename: `-o FILE` may name the input, which a failed write must not truncate.
      await writeFileAtomic(out, result.text);
    } catch (err) {
      io.err(
        `nats-k3s migrate: ${describeFileError(err, 'write', out) ?? `cannot write ${out}: ${(err as Error).message}.`}\n`,
      );
      return 2;
    }
  }
  // Every key written and why (the kept 0.x defaults by name), then what was left behind: the editor's preview list.
  for (const line of migrationReportLines(result)) io.err(`${line}\n`);
  return 0;
}

function usage(io: CliIo, problem: string): number {
  io.err(`nats-k3s migrate: ${problem}\n${USAGE}`);
  return 2;
}
