import { explainNatsError } from '../core/nats/explainError';
import { KineBucketNotFoundError, KineKeyNotFoundError, KineNotKvBucketError } from '../core/kine/bucketErrors';
import { bucketHealth } from '../core/kine/bucketHealth';
import { healthReportLines } from '../core/kine/healthReport';
import { buildDatastoreEndpoint } from '../core/kine/datastoreEndpoint';
import { checkDatastoreEndpoint } from '../core/kine/endpointCheck';
import { endpointCheckLines, hasCheckErrors } from '../core/kine/endpointCheckReport';
import { EndpointParseError, parseDatastoreEndpoint } from '../core/kine/parseDatastoreEndpoint';
import { KineDecodeError } from '../core/kine/errors';
import type { KineBucket } from '../core/kine/kineBucket';
import { encodeKinePrefix } from '../core/kine/keyCodec';
import { getHistory, getObject } from '../core/kine/kineObject';
import { displayKey } from '../core/kine/kineLevels';
import { listTopLevel } from '../core/kine/kineTree';
import { decodeKineBody } from '../core/kine/record';
import { recordJson, revisionJson } from '../core/kine/recordView';
import { isSensitiveKey } from '../core/kine/resourcePath';
import { atRestSentence } from '../core/kine/encryptionAtRest';
import { parseCliArgs, UsageError } from './cliArgs';
import type { CliIo } from './cliIo';
import { scrubCredentials, withCredentials } from './credentialOptions';
import { describeFileError, FileError } from './fileError';
import { objectOutput } from './kineObjectOutput';
import { hasCredentials, kineTarget, withBucket, type KineTarget } from './kineConnection';
import { KINE_OPTIONS, type KineOptions } from './kineOptions';
import { describeRevision, keysText, topLevelText, type ListedKey } from './kineOutput';
import { EXPORT_HELP, exportUsageProblem, runKineExport } from './kineExportCommand';
import { streamTopLevelText } from './kineTopLevelStream';
import { describeUnexpected, isInternalError } from './unexpectedError';

/** The IO `kine` uses: stdin for `kine decode` (tests pass bytes; the CLI reads process.stdin). */
export type KineCliIo = CliIo;

const HELP = `Usage: nats-k3s kine <command> [options]

Reads K3s's kine bucket straight from NATS, for the day the API server is down.

Commands:
  ls [PREFIX]            Resource types with counts, or the keys under PREFIX (e.g. /registry/pods/default/)
  get KEY                The newest revision of KEY, decoded (--revision N for an older one, --history for all;
                         --object prints only the Kubernetes object, as the API server returns it)
  history KEY            Every stored revision of KEY
  health                 Live and deleted keys, messages, bytes, churn, compaction, the stream's replicas, and
                         findings: each risky condition, the kine failure it predicts and what to do
                         (alias: stats; exit status 3 when a finding is an error)
  endpoint               The --datastore-endpoint value and k3s command lines
  endpoint --check [ENDPOINT]
                         Checks a --datastore-endpoint string (or the one the options build) against the server it
                         names, as kine would meet it: reachable, TLS (--ca-file, --cert-file, --key-file stand for
                         K3s's --datastore-cafile/-certfile/-keyfile), credentials, JetStream, the bucket and its
                         replicas and history; exit status 3 when kine would fail
  decode                 Decode one raw message body from stdin (or --hex HEX)
  export [PREFIX]        The live objects as one List for 'kubectl apply -f', for recovery
                         ('nats-k3s kine export --help' says what it keeps and leaves out)

Options:
  --server URL[,URL]     NATS server (default nats://127.0.0.1:4222); like kine, reads credentials from the URL
                         (nats://user:password@host:4222, nats://token@host:4222) and ?bucket=, so the endpoint
                         that 'endpoint' prints works here too
  --user U --password P  NATS user and password (win over the URL's)
  --token T              NATS token
  --creds FILE           NATS credentials file
  --password-file F, --token-file F
                         The password or token from a file. A secret on the command line shows in every local
                         user's process list: use these, or $NATS_USER, $NATS_PASSWORD, $NATS_TOKEN and
                         $NATS_CREDS (the nats CLI's names), which count when the flags and the URL give none
  --timeout MS           Connect timeout in milliseconds (default 5000)
  --bucket NAME          KV bucket (default kine)
  --format text|json     Output format (--json is short for --format json); with --object and export: yaml
                         (default) or json
  --deleted              ls: include deleted keys
  --revision N           get: that revision instead of the newest (--history: every stored one)
  --reveal               Show values of Secrets and /bootstrap/ keys
  --replicas N, --rev-history N, --ca-file F, --cert-file F, --key-file F
                         endpoint: kine options
`;

const USAGE = 'Usage: nats-k3s kine <command> [options]';

/** Runs `nats-k3s kine …`; returns 0 on success, 1 when the server, bucket, key or bytes fail, 2 on a usage error; never throws. */
export async function runKineCommand(args: readonly string[], io: KineCliIo): Promise<number> {
  let opts: KineOptions;
  let positionals: string[];
  try {
    ({ values: opts, positionals } = parseCliArgs(args, KINE_OPTIONS));
    opts = withCredentials(opts, io.env);
  } catch (err) {
    if (err instanceof UsageError) return usage(io, err.message);
    throw err;
  }
  const [command, ...rest] = positionals;
  if (command === 'export' && opts.help) {
    io.out(EXPORT_HELP);
    return 0;
  }
  if (opts.help || command === undefined || command === 'help') {
    io.out(HELP);
    return command === undefined && !opts.help ? 2 : 0;
  }
  const json = opts.json || opts.format === 'json';
  if (command === 'export') {
    const problem = exportUsageProblem(opts, rest);
    if (problem) return usage(io, problem);
  } else if (opts.object) {
    if (command !== 'get' || opts.history) return usage(io, `--object goes with 'get KEY' (one revision).`);
    if (opts.format !== undefined && !['yaml', 'json'].includes(opts.format))
      return usage(io, `--format must be yaml or json with --object.`);
  } else if (opts.format !== undefined && !['text', 'json'].includes(opts.format))
    return usage(io, `--format must be text or json.`);
  const reveal = opts.reveal ?? false;
  const print = (value: unknown, text: string) => io.out(json ? `${JSON.stringify(value, null, 2)}\n` : text);
  let target: KineTarget;
  try {
    target = kineTarget(opts);
  } catch (err) {
    if (err instanceof UsageError) return usage(io, err.message);
    throw err;
  }
  try {
    switch (command) {
      case 'decode':
        return await decodeCommand(io, opts, json, reveal);
      case 'endpoint':
        if (rest.length > 1) return usage(io, `'endpoint' takes at most one ENDPOINT.`);
        if (rest.length === 1 && !opts.check) return usage(io, 'An ENDPOINT argument goes with --check.');
        return await endpointCommand(io, opts, print, target, rest[0]);
      case 'export':
        return await withBucket(target, (b) => runKineExport(b, rest[0], opts, io));
      case 'ls':
      case 'get':
      case 'history':
      case 'health':
      case 'stats': {
        if ((command === 'get' || command === 'history') && rest.length !== 1)
          return usage(io, `'${command}' needs exactly one KEY.`);
        if (opts.revision !== undefined && !/^[1-9]\d*$/.test(opts.revision))
          return usage(
            io,
            '--revision must be a whole number from 1 up (revisions are stream sequences, which start at 1).',
          );
        return await withBucket(target, async (b) => {
          if (command === 'ls')
            return ls(
              b,
              rest[0] ?? opts.prefix,
              opts.deleted ?? false,
              print,
              json ? () => undefined : (t) => io.err(t),
              json ? undefined : (t) => io.out(t),
            );
          if (command === 'health' || command === 'stats') {
            const h = await bucketHealth(b);
            const lines = healthReportLines(h);
            print(h, `${lines.join('\n')}\n`);
            return h.findings.some((f) => f.severity === 'error') ? 3 : 0;
          }
          const key = rest[0];
          if (command === 'history' || opts.history) {
            const revs = await getHistory(b, key);
            print(
              revs.map((r) => revisionJson(r, reveal)),
              revs.map((r) => describeRevision(revisionJson(r, reveal))).join('\n---\n'),
            );
            return 0;
          }
          const revision = opts.revision !== undefined ? Number(opts.revision) : undefined;
          const o = await getObject(b, key, { revision });
          const encryption = o.decoded?.value?.encryption;
          if (reveal && encryption && !opts.object)
            io.err(`nats-k3s kine: --reveal shows nothing more for ${key}. ${atRestSentence(encryption)}\n`);
          if (opts.object) {
            const shown = objectOutput(o, json ? 'json' : 'yaml', reveal);
            if ('error' in shown) {
              io.err(`nats-k3s kine: ${shown.error}\n`);
              return 1;
            }
            io.out(shown.text);
            return 0;
          }
          print(
            { ...revisionJson(o, reveal), storedRevisions: o.storedRevisions },
            describeRevision({ ...revisionJson(o, reveal), storedRevisions: o.storedRevisions }),
          );
          return 0;
        });
      }
      default:
        return usage(io, `unknown command '${command}'.`);
    }
  } catch (err) {
    io.err(`nats-k3s kine: ${scrubCredentials(explain(err, target, command), target)}\n`);
    return 1;
  }
}

async function decodeCommand(io: KineCliIo, opts: KineOptions, json: boolean, reveal: boolean): Promise<number> {
  let body: Uint8Array;
  if (opts.hex !== undefined) {
    const hex = opts.hex.replace(/\s+/g, '');
    if (!/^([0-9a-f]{2})*$/i.test(hex)) return usage(io, '--hex must be an even number of hex digits.');
    body = new Uint8Array(Buffer.from(hex, 'hex'));
  } else body = await (io.readStdin ?? readProcessStdin)();
  const d = decodeKineBody(body);
  const rec = recordJson(d, isSensitiveKey(d.envelope.key), reveal);
  io.out(json ? `${JSON.stringify(rec, null, 2)}\n` : describeRevision({ ...rec, encoding: rec.value?.encoding }));
  return 0;
}

async function endpointCommand(
  io: CliIo,
  opts: KineOptions,
  print: (v: unknown, t: string) => void,
  t: KineTarget,
  given: string | undefined,
): Promise<number> {
  const num = (v: string | undefined) => (v !== undefined ? Number(v) : undefined);
  const e = buildDatastoreEndpoint({
    servers: t.servers,
    bucket: opts.bucket ?? (t.bucket === 'kine' ? undefined : t.bucket),
    replicas: num(opts.replicas),
    revHistory: num(opts['rev-history']),
    credsFile: t.credsFile,
    user: t.user,
    password: t.password,
    token: t.token,
    caFile: opts['ca-file'],
    certFile: opts['cert-file'],
    keyFile: opts['key-file'],
  });
  if (opts.check) {
    // The string K3s would get: the one given, else the one built from the options.
    let parsed: ReturnType<typeof parseDatastoreEndpoint>;
    try {
      parsed = parseDatastoreEndpoint(given ?? e.endpoint);
    } catch (err) {
      if (err instanceof EndpointParseError) return usage(io, err.message);
      throw err;
    }
    const tls = { caFile: opts['ca-file'], certFile: opts['cert-file'], keyFile: opts['key-file'] };
    const check = await checkDatastoreEndpoint(parsed, tls, { timeoutMs: t.timeoutMs });
    const scrub = (text: string) => scrubCredentials(text, { password: parsed.password, token: parsed.token });
    print(JSON.parse(scrub(JSON.stringify(check))), scrub(`${endpointCheckLines(check).join('\n')}\n`));
    return hasCheckErrors(check) ? 3 : 0;
  }
  const lines = [
    e.flags[0],
    '',
    `k3s command:  ${e.k3sCommand}`,
    `install:      ${e.systemdInstall}`,
    '',
    ...e.warnings.map((w) => `${w.level}: ${w.message}`),
  ];
  print(e, `${lines.join('\n')}\n`);
  return e.warnings.some((w) => w.level === 'error') ? 1 : 0;
}

async function ls(
  b: KineBucket,
  prefix: string | undefined,
  deleted: boolean,
  print: (v: unknown, t: string) => void,
  note: (t: string) => void,
  stream?: (t: string) => void,
): Promise<number> {
  if (!prefix || prefix === '/' || prefix === '/registry' || prefix === '/registry/') {
    // Text goes out line by line as each type is counted; JSON is one document, so it waits for the whole level.
    if (stream) {
      await streamTopLevelText(b, stream);
      return 0;
    }
    const top = await listTopLevel(b);
    print(top, topLevelText(top));
    return 0;
  }
  const tokens = encodeKinePrefix(prefix);
  const filter = prefix.endsWith('/') ? `${tokens}.>` : tokens;
  const entries: ListedKey[] = [];
  await b.scan(filter, (e) => {
    if (deleted || !e.deleted)
      entries.push({ key: displayKey(e.kvKey) ?? e.kvKey, kvKey: e.kvKey, revision: e.revision, deleted: e.deleted });
  });
  entries.sort((x, y) => x.key.localeCompare(y.key));
  print(entries, keysText(entries));
  // Said on stderr, so stdout stays empty for scripts; silence looked like a hang.
  if (entries.length === 0)
    note(`No ${deleted ? '' : 'live '}keys under ${prefix}${deleted ? '' : ' (--deleted includes deleted ones)'}.\n`);
  return 0;
}

/** A usage error: one sentence pointing at the help, then the usage line; exit 2. */
function usage(io: CliIo, message: string): number {
  io.err(`nats-k3s kine: ${message} Run 'nats-k3s kine --help'.\n${USAGE}\n`);
  return 2;
}

/** One sentence for a failure: kine's own errors, files, runtime failures, and only then NATS (decode never talks to NATS). */
function explain(err: unknown, t: KineTarget, command: string): string {
  if (
    err instanceof KineBucketNotFoundError ||
    err instanceof KineKeyNotFoundError ||
    err instanceof KineNotKvBucketError
  )
    return err.message;
  if (err instanceof KineDecodeError) return `cannot decode the input (${err.reason}): ${err.message}.`;
  if (err instanceof FileError) return err.message;
  const file = describeFileError(err, 'read');
  if (file) return file;
  if (isInternalError(err) || command === 'decode') return describeUnexpected(err);
  const sentence = explainNatsError(err, t.servers.join(','));
  // The shared sentence blames the credentials; without any, the server wanted some.
  if (sentence.startsWith('Authorization failed') && !hasCredentials(t)) {
    return `${sentence.slice(0, sentence.indexOf(': the server'))}: the server wants credentials and none were given. Pass --user with --password, --token, or --creds; set NATS_USER with NATS_PASSWORD, NATS_TOKEN or NATS_CREDS; or put user:password@ before the host in --server.`;
  }
  return sentence;
}

async function readProcessStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
