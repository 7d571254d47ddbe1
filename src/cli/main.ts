import { parseCliArgs, UsageError } from './cliArgs';
import type { CliIo } from './cliIo';
import { runClusterCommand } from './clusterCommand';
import { runKineCommand } from './kineCommand';
import { runLintCommand } from './lintCommand';
import { runMigrateCommand } from './migrateCommand';
import { describeUnexpected } from './unexpectedError';
import { escapeControlKeepLines } from '../core/text/escapeControl';

export type { CliIo } from './cliIo';

declare const NATS_K3S_VERSION: string;

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  lint: runLintCommand,
  migrate: runMigrateCommand,
  kine: runKineCommand,
  cluster: runClusterCommand,
};

const USAGE = 'Usage: nats-k3s <command> [options]';

const HELP = `nats-k3s: the command-line companion of the NATS for K3s extension.

Usage:
  nats-k3s <command> [options]

Commands:
  lint FILE...     Check NATS Helm chart values files (schema, 0.x keys, chart pitfalls)
  migrate FILE     Rewrite a 0.x values file for chart 1.x/2.x (-o OUT to write it)
  kine <command>   Read K3s's kine bucket in NATS when the API server is down
  cluster report   JetStream health of a NATS cluster ('cluster servers': every server)

Options:
  -h, --help       Show this help ('nats-k3s <command> --help' for a command's options).
  -V, --version    Print the version.
`;

/**
 * Runs the CLI with `argv` (without node and the script) and returns the exit code; never throws. Everything it
 * prints passes `escapeControlKeepLines`: keys, values and server text can hold terminal escape sequences.
 */
export async function runCli(argv: readonly string[], rawIo: CliIo): Promise<number> {
  const io: CliIo = {
    ...rawIo,
    out: (t) => rawIo.out(escapeControlKeepLines(t)),
    err: (t) => rawIo.err(escapeControlKeepLines(t)),
  };
  // Options before the command are the CLI's own; everything after the command is the command's.
  const at = argv.findIndex((a) => !a.startsWith('-') || a === '-');
  let own: { help?: boolean; version?: boolean };
  try {
    own = parseCliArgs(at < 0 ? argv : argv.slice(0, at), {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
    }).values;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`nats-k3s: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  const command = at < 0 ? undefined : argv[at];
  if (own.help || command === 'help' || (command === undefined && !own.version)) {
    io.out(HELP);
    return command === undefined && !own.help ? 2 : 0;
  }
  if (own.version) {
    io.out(`nats-k3s ${version()}\n`);
    return 0;
  }
  const run = Object.hasOwn(COMMANDS, command!) ? COMMANDS[command!] : undefined;
  if (!run) {
    io.err(`nats-k3s: unknown command '${command}'. Run 'nats-k3s --help' to see the commands.\n`);
    return 2;
  }
  try {
    return await run(argv.slice(at + 1), io);
  } catch (err) {
    io.err(`nats-k3s ${command}: ${describeUnexpected(err)}\n`);
    return 1;
  }
}

function version(): string {
  return typeof NATS_K3S_VERSION === 'string' ? NATS_K3S_VERSION : '0.0.0-dev';
}
