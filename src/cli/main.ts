import { runKineCommand } from './kineCommand';
import { runLintCommand } from './lintCommand';
import { runMigrateCommand } from './migrateCommand';

declare const NATS_K3S_VERSION: string;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Standard input as bytes, for commands that read it (`kine decode`). */
  readStdin?(): Promise<Uint8Array>;
  /** The environment credentials are read from (NATS_PASSWORD, …); process.env when absent. */
  readonly env?: NodeJS.ProcessEnv;
}

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  lint: runLintCommand,
  migrate: runMigrateCommand,
  kine: runKineCommand,
};

const HELP = `nats-k3s: the command-line companion of the NATS for K3s extension.

Usage:
  nats-k3s <command> [options]

Commands:
  lint FILE...     Check NATS Helm chart values files (schema, 0.x keys, chart pitfalls)
  migrate FILE     Rewrite a 0.x values file for chart 1.x/2.x (-o OUT to write it)
  kine <command>   Read K3s's kine bucket in NATS when the API server is down

Options:
  -h, --help       Show this help ('nats-k3s <command> --help' for a command's options).
  -V, --version    Print the version.
`;

/** Runs the CLI with `argv` (without node and the script) and returns the exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.out(HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === '-V' || first === '--version') {
    io.out(`nats-k3s ${version()}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) {
    io.err(`nats-k3s: unknown command '${first}'. Run 'nats-k3s --help' to see the commands.\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    io.err(`nats-k3s ${first}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

function version(): string {
  return typeof NATS_K3S_VERSION === 'string' ? NATS_K3S_VERSION : '0.0.0-dev';
}
