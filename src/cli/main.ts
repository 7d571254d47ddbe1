declare const NATS_K3S_VERSION: string;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const HELP = `nats-k3s: the command-line companion of the NATS for K3s extension.

Usage:
  nats-k3s <command> [options]

Options:
  -h, --help       Show this help.
  -V, --version    Print the version.

Commands arrive with the extension's features: 'lint' and 'migrate' check and
upgrade a NATS chart values.yaml, 'kine' reads K3s's kine bucket in NATS.
`;

/** Runs the CLI with `argv` (without node and the script) and returns the exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.out(HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === '-V' || first === '--version') {
    io.out(`nats-k3s ${version()}\n`);
    return 0;
  }
  io.err(`nats-k3s: unknown command '${first}'. Run 'nats-k3s --help' to see the commands.\n`);
  return 2;
}

function version(): string {
  return typeof NATS_K3S_VERSION === 'string' ? NATS_K3S_VERSION : '0.0.0-dev';
}
