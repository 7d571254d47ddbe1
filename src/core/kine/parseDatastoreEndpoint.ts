import type { DatastoreWarning, WarningLevel } from './datastoreEndpoint';
import { goUserinfoEscape, kineMangles } from './goUserinfo';

/** A `--datastore-endpoint=nats://…` value read the way kine 0.17.5 reads it (`pkg/drivers/nats/config.go`). */
export interface ParsedDatastoreEndpoint {
  /** `nats://host:port` per URL, without credentials or query: safe to print. */
  readonly servers: readonly string[];
  /** As kine hands them to nats.go: the URL's user info split at ':', still percent-encoded. */
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  /** kine's settings, its defaults filled in. */
  readonly bucket: string;
  readonly replicas: number;
  readonly revHistory: number;
  readonly credsFile?: string;
  readonly contextFile?: string;
  /** What kine ignores or what surprises users; errors are thrown instead. */
  readonly notes: readonly DatastoreWarning[];
}

/** kine's defaults (`pkg/drivers/nats/new.go`). */
export const KINE_DEFAULTS = { bucket: 'kine', replicas: 1, revHistory: 10 } as const;

/** A value kine would refuse at start; the message is one sentence. */
export class EndpointParseError extends Error {
  override readonly name = 'EndpointParseError';
}

/** Read only by kine built with its embedded server, which stock K3s is not (kine-format.md §1.3). */
const EMBEDDED_ONLY = ['noEmbed', 'serverConfig', 'stdoutLogging', 'dontListen', 'dataDir'];
const KNOWN = ['bucket', 'replicas', 'revHistory', 'slowMethod', 'credsFile', 'contextFile', ...EMBEDDED_ONLY];
const MAX_LENGTH = 8192;

/**
 * Parses the endpoint as kine does, with kine's refusals as `EndpointParseError` (one sentence each) and what kine
 * silently ignores as notes. Never echoes the credentials in a message.
 */
export function parseDatastoreEndpoint(value: string): ParsedDatastoreEndpoint {
  const notes: DatastoreWarning[] = [];
  const note = (level: WarningLevel, code: string, message: string) => notes.push({ level, code, message });
  const text = value.trim();
  if (text === '') throw new EndpointParseError('The endpoint is empty; give it as nats://host:4222?bucket=kine.');
  if (text.length > MAX_LENGTH)
    throw new EndpointParseError(`The endpoint is longer than ${MAX_LENGTH} characters; it cannot be a server list.`);
  const parts = text.split(',').map((s) => s.trim());
  const servers: string[] = [];
  let first: URL | undefined;
  for (const [i, raw] of parts.entries()) {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw)?.[1];
    if (scheme === undefined)
      throw new EndpointParseError(
        `URL ${i + 1} of the endpoint has no scheme: kine needs nats://host:port for every server.`,
      );
    if (scheme.toLowerCase() !== 'nats')
      throw new EndpointParseError(
        `URL ${i + 1} starts with ${scheme}:// and kine refuses it ("invalid connection string"): every URL must start with nats://${scheme.toLowerCase() === 'tls' ? ', and TLS comes from --datastore-cafile, --datastore-certfile and --datastore-keyfile' : ''}.`,
      );
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new EndpointParseError(
        `URL ${i + 1} of the endpoint does not parse; percent-encode special characters in a user or password.`,
      );
    }
    if (url.pathname && url.pathname !== '/')
      note('warning', 'path', `URL ${i + 1} has a path (${url.pathname}), which kine ignores.`);
    if (i === 0) first = url;
    else {
      if (url.username || url.password)
        note('warning', 'later-credentials', `URL ${i + 1} has credentials; kine reads them only from the first URL.`);
      if (url.search)
        note('warning', 'later-query', `URL ${i + 1} has parameters; kine reads them only from the first URL.`);
    }
    if (url.host) servers.push(`nats://${url.host}`);
    else if (i > 0) throw new EndpointParseError(`URL ${i + 1} of the endpoint names no host.`);
  }
  const u = first!;
  const q = u.searchParams;
  const bucket = q.get('bucket') || KINE_DEFAULTS.bucket;
  if (!/^[A-Za-z0-9_-]+$/.test(bucket))
    throw new EndpointParseError(`bucket '${bucket}' is not a KV bucket name: use letters, digits, - and _.`);
  const replicas = uintParam(q.get('replicas'), 'replicas', 1, 5, KINE_DEFAULTS.replicas, note);
  const revHistory = uintParam(q.get('revHistory'), 'revHistory', 2, 64, KINE_DEFAULTS.revHistory, note);
  const slow = q.get('slowMethod');
  if (slow && !/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(slow))
    throw new EndpointParseError(`slowMethod '${slow}' is not a Go duration such as 500ms; kine refuses it.`);
  const credsFile = q.get('credsFile') || undefined;
  const contextFile = q.get('contextFile') || undefined;
  if (contextFile && u.host)
    throw new EndpointParseError(
      'With contextFile the first URL must have no host (nats://?contextFile=…): kine refuses it otherwise.',
    );
  if (contextFile)
    note(
      'info',
      'context-file',
      `The servers and credentials come from the context file ${contextFile} on the K3s host, which this check does not read.`,
    );
  if (!contextFile && servers.length === 0) {
    servers.push('nats://127.0.0.1:4222');
    note('info', 'no-host', 'No host is given: kine dials port 4222 on the K3s host, checked here as 127.0.0.1:4222.');
  }
  for (const name of new Set(q.keys())) {
    if (EMBEDDED_ONLY.includes(name))
      note(
        'info',
        'embedded-only',
        `${name} is read only by kine with an embedded NATS server, which stock K3s does not have; it is ignored.`,
      );
    else if (!KNOWN.includes(name))
      note(
        'warning',
        /tls|ca$|^ca|cert|key|secure/i.test(name) ? 'tls-parameter' : 'unknown-parameter',
        /tls|ca$|^ca|cert|key|secure/i.test(name)
          ? `kine ignores '${name}': it reads no TLS setting from the URL; K3s passes TLS files as --datastore-cafile, --datastore-certfile and --datastore-keyfile.`
          : `kine ignores the unknown parameter '${name}' (kine's are ${KNOWN.slice(0, 6).join(', ')}).`,
      );
  }
  // kine splits url.User.String(), the re-encoded user info, at ':' and passes the pieces on as they are.
  const decode = (v: string) => {
    try {
      return decodeURIComponent(v);
    } catch {
      throw new EndpointParseError('The user info of the endpoint has a % that starts no percent-encoding.');
    }
  };
  const rawUser = decode(u.username);
  const rawPassword = decode(u.password);
  const creds: { user?: string; password?: string; token?: string } = {};
  if (u.password) Object.assign(creds, { user: goUserinfoEscape(rawUser), password: goUserinfoEscape(rawPassword) });
  else if (u.username) creds.token = goUserinfoEscape(rawUser);
  if (u.username || u.password) {
    if (credsFile || contextFile)
      note(
        'warning',
        'mixed-credentials',
        'The URL has credentials and a credsFile or contextFile too; the server sees both and may refuse.',
      );
    if ([rawUser, rawPassword].some(kineMangles))
      note(
        'warning',
        'encoded-credentials',
        'The credentials have characters kine sends to NATS percent-encoded (it does not decode the user info it splits), so the server must hold the encoded text; checked here as kine sends them. A credsFile avoids this.',
      );
    note(
      'info',
      'secret-in-url',
      'The endpoint holds a credential, which K3s keeps in its config and process list; a credsFile keeps it out.',
    );
  }
  return { servers, bucket, replicas, revHistory, credsFile, contextFile, notes, ...creds };
}

function uintParam(
  value: string | null,
  name: string,
  min: number,
  max: number,
  fallback: number,
  note: (level: WarningLevel, code: string, message: string) => void,
): number {
  if (value === null || value === '') return fallback;
  // kine parses with strconv.ParseUint(v, 10, 8): anything else it silently ignores.
  if (!/^\d+$/.test(value) || Number(value) > 255) {
    note('warning', name, `kine ignores ${name}='${value}' (not a number from 0 to 255) and uses ${fallback}.`);
    return fallback;
  }
  const n = Number(value);
  if (n < min || n > max) throw new EndpointParseError(`${name} must be ${min} to ${max}; kine refuses ${n}.`);
  return n;
}
