import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { clusterServersMarkdown, jetstreamHealthMarkdown } from '../core/nats/cluster/clusterMarkdown';
import { discoverServers } from '../core/nats/cluster/clusterServers';
import { jetstreamHealth } from '../core/nats/cluster/jetstreamHealth';
import { explainNatsError } from '../core/nats/explainError';
import type { NatsAccess } from '../core/nats/session';
import { parseCliArgs, UsageError } from './cliArgs';
import type { CliIo } from './cliIo';
import { scrubCredentials, withCredentials } from './credentialOptions';
import { hasCredentials, kineTarget, withConnection, type KineTarget } from './kineConnection';
import { describeUnexpected, isInternalError } from './unexpectedError';

const OPTIONS = {
  server: { type: 'string' },
  creds: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  token: { type: 'string' },
  'password-file': { type: 'string' },
  'token-file': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: nats-k3s cluster <command> [options]

Reads a NATS cluster's own state, as 'nats server report jetstream' and 'nats server check stream' do.

Commands:
  report     JetStream health: every server's JetStream usage, the meta group's leader and peers, and each
             stream's and consumer's leader and replicas (current, lagging, offline); exit status 3 when a
             replica is lagging or offline or a group has no leader
  servers    Every server: version, cluster, routes, gateways and leafnodes

A user of the system account sees every server and every account; any other account sees its own streams
and only the server it is connected to, and the output says so.

Options:
  --server URL[,URL]     NATS server (default nats://127.0.0.1:4222)
  --user U --password P  NATS user and password; --token T; --creds FILE
  --password-file F, --token-file F
                         Read the password or token from a file (or NATS_USER, NATS_PASSWORD, NATS_TOKEN,
                         NATS_CREDS), so it stays out of the process list
  --timeout MS           Connect timeout in milliseconds
  --json                 Print JSON instead of text
  -h, --help             Show this help
`;

const USAGE = 'Usage: nats-k3s cluster <command> [options]';

/** Runs `nats-k3s cluster …`; 0 when healthy, 3 when `report` finds trouble, 1 on a failure, 2 on a usage error. */
export async function runClusterCommand(args: readonly string[], io: CliIo): Promise<number> {
  let opts: ReturnType<typeof parseCliArgs<typeof OPTIONS>>['values'];
  let positionals: string[];
  let target: KineTarget;
  try {
    ({ values: opts, positionals } = parseCliArgs(args, OPTIONS));
    opts = withCredentials(opts, io.env);
    target = kineTarget(opts);
  } catch (err) {
    if (err instanceof UsageError) return usage(io, err.message);
    throw err;
  }
  const [command, ...rest] = positionals;
  if (opts.help || command === undefined || command === 'help') {
    io.out(HELP);
    return command === undefined && !opts.help ? 2 : 0;
  }
  if (command !== 'report' && command !== 'servers') return usage(io, `unknown command '${command}'.`);
  if (rest.length > 0) return usage(io, `'${command}' takes no arguments.`);
  const title = target.servers.join(',');
  try {
    return await withConnection(target, async (nc) => {
      const access = accessOf(nc);
      if (command === 'servers') {
        const view = await discoverServers(access);
        io.out(opts.json ? `${JSON.stringify(view, null, 2)}\n` : clusterServersMarkdown(view, title));
        return 0;
      }
      const health = await jetstreamHealth(access);
      io.out(opts.json ? `${JSON.stringify(health, null, 2)}\n` : jetstreamHealthMarkdown(health, title));
      const trouble = health.meta?.degraded || health.assets.some((a) => a.placement?.degraded);
      return trouble ? 3 : 0;
    });
  } catch (err) {
    io.err(`nats-k3s cluster: ${scrubCredentials(explain(err, target), target)}\n`);
    return 1;
  }
}

/** A one-shot connection as the core's queries take it; the CLI only reads. */
function accessOf(nc: NatsConnection): NatsAccess {
  return {
    readOnly: true,
    name: 'nats-k3s cluster',
    connection: () => nc,
    jetstreamManager: () => jetstreamManager(nc, { checkAPI: false }),
    jetstream: () => jetstream(nc),
  };
}

function usage(io: CliIo, message: string): number {
  io.err(`nats-k3s cluster: ${message} Run 'nats-k3s cluster --help'.\n${USAGE}\n`);
  return 2;
}

function explain(err: unknown, t: KineTarget): string {
  if (isInternalError(err)) return describeUnexpected(err);
  const sentence = explainNatsError(err, t.servers.join(','));
  if (sentence.startsWith('Authorization failed') && !hasCredentials(t))
    return `${sentence.slice(0, sentence.indexOf(': the server'))}: the server wants credentials and none were given. Pass --user with --password, --token, or --creds; or set NATS_USER with NATS_PASSWORD, NATS_TOKEN or NATS_CREDS.`;
  return sentence;
}
