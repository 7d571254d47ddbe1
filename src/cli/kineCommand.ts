import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { scrubCredentials, withCredentials } from './credentialOptions';
import type { CliIo } from './main';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../core/nats/connectionDefaults';
import { explainNatsError } from '../core/nats/explainError';
import { KineBucketNotFoundError, KineKeyNotFoundError } from '../core/kine/bucketErrors';
import { bucketHealth } from '../core/kine/bucketHealth';
import { healthReportLines } from '../core/kine/healthReport';
import { buildDatastoreEndpoint } from '../core/kine/datastoreEndpoint';
import { inspectDatastoreTarget } from '../core/kine/datastoreTarget';
import { KineDecodeError } from '../core/kine/errors';
import { KineBucket } from '../core/kine/kineBucket';
import { encodeKinePrefix } from '../core/kine/keyCodec';
import { getHistory, getObject } from '../core/kine/kineObject';
import { displayKey, listTopLevel } from '../core/kine/kineTree';
import { decodeKineBody } from '../core/kine/record';
import { recordJson, revisionJson } from '../core/kine/recordView';
import { isSensitiveKey } from '../core/kine/resourcePath';

/** CliIo plus stdin for `kine decode` (tests pass bytes; the CLI reads process.stdin). */
export interface KineCliIo extends CliIo {
  readStdin?(): Promise<Uint8Array>;
}

const HELP = `Usage: nats-k3s kine <command> [options]

Reads K3s's kine bucket straight from NATS, for the day the API server is down.

Commands:
  ls [PREFIX]            Resource types with counts, or the keys under PREFIX (e.g. /registry/pods/default/)
  get KEY                The newest revision of KEY, decoded (--revision N for an older one, --history for all)
  history KEY            Every stored revision of KEY
  health                 Live and deleted keys, messages, bytes, churn, compaction (alias: stats)
  endpoint               The --datastore-endpoint value and k3s command lines (--check inspects the server)
  decode                 Decode one raw message body from stdin (or --hex HEX)

Options:
  --server URL           NATS server (default nats://127.0.0.1:4222)
  --bucket NAME          KV bucket (default kine)
  --creds FILE           NATS credentials file
  --format text|json     Output format (--json is short for --format json)
  --deleted              ls: include deleted keys
  --reveal               Show values of Secrets and /bootstrap/ keys
  --user U, --password P, --token T
                         NATS user and password, or token; kept out of the process list when they come from
                         $NATS_USER, $NATS_PASSWORD, $NATS_TOKEN (as the nats CLI reads them) or from
                         --password-file F, --token-file F ($NATS_CREDS names a --creds file)
  --replicas N, --rev-history N, --ca-file F, --cert-file F, --key-file F
                         endpoint: kine options (the endpoint carries the user, password or token too)
`;

const FLAGS = new Set(['--json', '--deleted', '--reveal', '--history', '--check', '-h', '--help']);
const VALUED = new Set(['--server', '--bucket', '--creds', '--format', '--revision', '--prefix', '--hex', '--replicas', '--rev-history', '--user', '--password', '--token', '--password-file', '--token-file', '--ca-file', '--cert-file', '--key-file', '--timeout']);

class UsageError extends Error {}

interface Parsed {
  readonly positional: string[];
  readonly opts: Map<string, string>;
}

/** Runs `nats-k3s kine …`; returns 0 on success, 1 when the server, bucket, key or bytes fail, 2 on a usage error; never throws. */
export async function runKineCommand(args: readonly string[], io: KineCliIo): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(args);
  } catch (err) {
    io.err(`nats-k3s kine: ${(err as Error).message} Run 'nats-k3s kine --help'.\n`);
    return 2;
  }
  const { positional } = parsed;
  let opts: Map<string, string>;
  try {
    opts = withCredentials(parsed.opts, io.env);
  } catch (err) {
    io.err(`nats-k3s kine: ${(err as Error).message}\n`);
    return 2;
  }
  const [command, ...rest] = positional;
  if (opts.has('--help') || opts.has('-h') || command === undefined || command === 'help') {
    io.out(HELP);
    return command === undefined && !opts.has('--help') && !opts.has('-h') ? 2 : 0;
  }
  const json = opts.has('--json') || opts.get('--format') === 'json';
  if (opts.has('--format') && !['text', 'json'].includes(opts.get('--format')!)) return usage(io, `--format must be text or json.`);
  const reveal = opts.has('--reveal');
  const print = (value: unknown, text: string) => io.out(json ? JSON.stringify(value, null, 2) + '\n' : text);
  const url = opts.get('--server') ?? 'nats://127.0.0.1:4222';
  try {
    switch (command) {
      case 'decode':
        return await decodeCommand(io, opts, json, reveal);
      case 'endpoint':
        return await endpointCommand(opts, print, url);
      case 'ls':
      case 'get':
      case 'history':
      case 'health':
      case 'stats': {
        if ((command === 'get' || command === 'history') && rest.length !== 1) return usage(io, `'${command}' needs exactly one KEY.`);
        if (opts.has('--revision') && !/^\d+$/.test(opts.get('--revision')!)) return usage(io, '--revision must be a positive number.');
        return await withBucket(url, opts, async (b) => {
          if (command === 'ls') return ls(b, rest[0] ?? opts.get('--prefix'), opts.has('--deleted'), print);
          if (command === 'health' || command === 'stats') {
            const h = await bucketHealth(b);
            const lines = healthReportLines(h);
            print(h, lines.join('\n') + '\n');
            return 0;
          }
          const key = rest[0];
          if (command === 'history' || opts.has('--history')) {
            const revs = await getHistory(b, key);
            print(revs.map((r) => revisionJson(r, reveal)), revs.map((r) => describeRevision(revisionJson(r, reveal))).join('\n---\n'));
            return 0;
          }
          const revision = opts.has('--revision') ? Number(opts.get('--revision')) : undefined;
          const o = await getObject(b, key, { revision });
          print({ ...revisionJson(o, reveal), storedRevisions: o.storedRevisions }, describeRevision({ ...revisionJson(o, reveal), storedRevisions: o.storedRevisions }));
          return 0;
        });
      }
      default:
        return usage(io, `unknown command '${command}'.`);
    }
  } catch (err) {
    io.err(`nats-k3s kine: ${scrubCredentials(explain(err, url), opts)}\n`);
    return 1;
  }
}

async function decodeCommand(io: KineCliIo, opts: Map<string, string>, json: boolean, reveal: boolean): Promise<number> {
  let body: Uint8Array;
  if (opts.has('--hex')) {
    const hex = opts.get('--hex')!.replace(/\s+/g, '');
    if (!/^([0-9a-f]{2})*$/i.test(hex)) return usage(io, '--hex must be an even number of hex digits.');
    body = new Uint8Array(Buffer.from(hex, 'hex'));
  } else body = await (io.readStdin ?? readProcessStdin)();
  const d = decodeKineBody(body);
  const rec = recordJson(d, isSensitiveKey(d.envelope.key), reveal);
  io.out(json ? JSON.stringify(rec, null, 2) + '\n' : describeRevision({ ...rec, encoding: rec.value?.encoding }));
  return 0;
}

async function endpointCommand(opts: Map<string, string>, print: (v: unknown, t: string) => void, url: string): Promise<number> {
  const num = (name: string) => (opts.has(name) ? Number(opts.get(name)) : undefined);
  const e = buildDatastoreEndpoint({
    servers: (opts.get('--server') ?? url).split(','),
    bucket: opts.get('--bucket'),
    replicas: num('--replicas'),
    revHistory: num('--rev-history'),
    credsFile: opts.get('--creds'),
    user: opts.get('--user'),
    password: opts.get('--password'),
    token: opts.get('--token'),
    caFile: opts.get('--ca-file'),
    certFile: opts.get('--cert-file'),
    keyFile: opts.get('--key-file'),
  });
  let check: unknown;
  if (opts.has('--check')) {
    check = await withConnection(url, opts, (nc) => inspectDatastoreTarget(nc, opts.get('--bucket') ?? 'kine'));
  }
  const lines = [e.flags[0], '', `k3s command:  ${e.k3sCommand}`, `install:      ${e.systemdInstall}`, '', ...e.warnings.map((w) => `${w.level}: ${w.message}`)];
  if (check) lines.push('', `server check: ${JSON.stringify(check)}`);
  print({ ...e, check }, lines.join('\n') + '\n');
  return e.warnings.some((w) => w.level === 'error') ? 1 : 0;
}

async function ls(b: KineBucket, prefix: string | undefined, deleted: boolean, print: (v: unknown, t: string) => void): Promise<number> {
  if (!prefix || prefix === '/' || prefix === '/registry' || prefix === '/registry/') {
    const top = await listTopLevel(b);
    const rows = top.resources.map((r) => `${String(r.liveKeys).padStart(8)} live ${String(r.deletedKeys).padStart(7)} deleted  ${r.resource}${r.namespaced ? '' : '  (cluster-scoped)'}`);
    rows.push(`${String(top.other.liveKeys).padStart(8)} live ${String(top.other.deletedKeys).padStart(7)} deleted  (other keys: ${top.otherKeys.map((k) => k.key).join(', ')})`);
    print(top, `revision ${top.revision}\n${rows.join('\n')}\n`);
    return 0;
  }
  const tokens = encodeKinePrefix(prefix);
  const filter = prefix.endsWith('/') ? `${tokens}.>` : tokens;
  const entries: { key: string; kvKey: string; revision: number; deleted: boolean }[] = [];
  await b.scan(filter, (e) => {
    if (deleted || !e.deleted) entries.push({ key: displayKey(e.kvKey) ?? e.kvKey, kvKey: e.kvKey, revision: e.revision, deleted: e.deleted });
  });
  entries.sort((x, y) => x.key.localeCompare(y.key));
  print(entries, entries.map((e) => `${e.key}${e.deleted ? '  (deleted)' : ''}  [rev ${e.revision}]`).join('\n') + (entries.length ? '\n' : ''));
  return 0;
}

function describeRevision(r: Record<string, unknown>): string {
  const lines = Object.entries(r)
    .filter(([k, v]) => v !== undefined && k !== 'value')
    .map(([k, v]) => `${(k + ':').padEnd(16)}${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  const value = r.value as Record<string, unknown> | null | undefined;
  if (value) {
    lines.push(`${'value:'.padEnd(16)}${value.encoding}, ${value.size} bytes, sha256 ${value.sha256}${value.hidden ? ' (hidden: pass --reveal)' : ''}`);
    for (const [k, v] of Object.entries(value)) {
      if (['encoding', 'size', 'sha256', 'hidden'].includes(k) || v === undefined) continue;
      lines.push(`${(k + ':').padEnd(16)}${typeof v === 'object' ? JSON.stringify(v, null, 2).replace(/\n/g, '\n' + ' '.repeat(16)) : String(v)}`);
    }
  }
  return lines.join('\n') + '\n';
}

async function withConnection<T>(url: string, opts: Map<string, string>, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const creds = opts.get('--creds');
  const nc = await connect({
    servers: url.split(',').map((s) => s.trim()).filter(Boolean),
    name: 'nats-k3s kine',
    timeout: opts.has('--timeout') ? Number(opts.get('--timeout')) : DEFAULT_CONNECT_TIMEOUT_MS,
    reconnect: false,
    authenticator: creds ? credsAuthenticator(readFileSync(creds)) : undefined,
    user: opts.get('--user'),
    pass: opts.get('--password'),
    token: opts.get('--token'),
  });
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}

function withBucket(url: string, opts: Map<string, string>, fn: (b: KineBucket) => Promise<number>): Promise<number> {
  return withConnection(url, opts, async (nc) => fn(await KineBucket.open(nc, opts.get('--bucket') ?? 'kine')));
}

function parse(args: readonly string[]): Parsed {
  const positional: string[] = [];
  const opts = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (FLAGS.has(name)) opts.set(name, '');
    else if (VALUED.has(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value.`);
      opts.set(name, v);
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'.`);
    else positional.push(a);
  }
  return { positional, opts };
}

function usage(io: CliIo, message: string): number {
  io.err(`nats-k3s kine: ${message} Run 'nats-k3s kine --help'.\n`);
  return 2;
}

function explain(err: unknown, url: string): string {
  if (err instanceof KineBucketNotFoundError || err instanceof KineKeyNotFoundError) return err.message;
  if (err instanceof KineDecodeError) return `cannot decode the input (${err.reason}): ${err.message}.`;
  if ((err as NodeJS.ErrnoException)?.code === 'ENOENT') return `cannot read ${(err as NodeJS.ErrnoException).path}: no such file.`;
  return explainNatsError(err, url);
}

async function readProcessStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
