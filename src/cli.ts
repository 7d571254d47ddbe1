import { runCli } from './cli/main';

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`nats-k3s: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
