import {
  AUTH_KINDS,
  defaultSecretKey,
  type AuthKind,
  type ClusterTarget,
  type ConnectionAuth,
  type ConnectionSpec,
  type TlsSpec,
} from './connectionSpec';

export interface ParsedConnections {
  readonly specs: ConnectionSpec[];
  /** One sentence per entry that was skipped or field that was ignored, naming the entry. */
  readonly problems: string[];
}

const SECRET_FIELDS = ['password', 'token', 'seed', 'nkeySeed', 'secret'];

/**
 * Parses the `natsK3s.connections` setting. Never throws: a bad entry is skipped with a problem sentence, a bad
 * optional field is dropped with one, and a secret written into settings is refused (secrets go to the secret store).
 */
export function parseConnectionSettings(value: unknown): ParsedConnections {
  const specs: ConnectionSpec[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { specs, problems };
  if (!Array.isArray(value)) {
    return { specs, problems: ['natsK3s.connections must be a list of connections.'] };
  }
  const names = new Set<string>();
  value.forEach((entry, index) => {
    const label = `natsK3s.connections[${index}]`;
    if (!isRecord(entry)) {
      problems.push(`${label} is not an object and was skipped.`);
      return;
    }
    const name = typeof entry.name === 'string' ? entry.name.trim() : '';
    if (!name) {
      problems.push(`${label} has no name and was skipped.`);
      return;
    }
    const where = `Connection '${name}'`;
    if (names.has(name)) {
      problems.push(`${where} is defined twice; the second one was skipped.`);
      return;
    }
    const leaked = SECRET_FIELDS.filter((f) => f in entry || (isRecord(entry.auth) && f in entry.auth));
    if (leaked.length) {
      problems.push(
        `${where} has a secret (${leaked.join(', ')}) in settings and was skipped: store it with "Set Secret" instead.`,
      );
      return;
    }
    const servers = serversOf(entry.servers ?? entry.url);
    const cluster = clusterOf(entry.cluster, where, problems);
    if (servers === undefined || (servers.length === 0 && !cluster)) {
      problems.push(`${where} needs "servers" (a URL or a list of URLs) or a "cluster" target, and was skipped.`);
      return;
    }
    const bad = servers.find((s) => !isServerUrl(s));
    if (bad) {
      problems.push(`${where} has a server "${bad}" that is not a nats://, tls:// or host:port URL, and was skipped.`);
      return;
    }
    const auth = authOf(entry.auth, name, where, problems);
    if (!auth) return;
    names.add(name);
    specs.push({
      name,
      origin: 'settings',
      description: typeof entry.description === 'string' ? entry.description : undefined,
      servers,
      auth,
      tls: tlsOf(entry.tls, servers, where, problems),
      inboxPrefix: optionalString(entry.inboxPrefix, `${where}: inboxPrefix`, problems),
      jetstream: jetstreamOf(entry.jetstream, where, problems),
      cluster,
    });
  });
  return { specs, problems };
}

function authOf(raw: unknown, name: string, where: string, problems: string[]): ConnectionAuth | undefined {
  if (raw === undefined) return { kind: 'none' };
  const obj: Record<string, unknown> = typeof raw === 'string' ? { kind: raw } : isRecord(raw) ? raw : {};
  const kind = obj.kind as AuthKind;
  if (!AUTH_KINDS.includes(kind)) {
    problems.push(
      `${where} has auth kind "${String(obj.kind)}"; expected one of ${AUTH_KINDS.join(', ')}. It was skipped.`,
    );
    return undefined;
  }
  const key = typeof obj.secretKey === 'string' && obj.secretKey ? obj.secretKey : defaultSecretKey(name, kind);
  const store = { source: 'secretStore', key } as const;
  switch (kind) {
    case 'none':
      return { kind };
    case 'userPassword':
      if (typeof obj.user !== 'string' || !obj.user) {
        problems.push(`${where} uses userPassword auth without "user" and was skipped.`);
        return undefined;
      }
      return { kind, user: obj.user, password: store };
    case 'token':
      return { kind, token: store };
    case 'nkey':
      return {
        kind,
        seed: typeof obj.seedFile === 'string' && obj.seedFile ? { source: 'file', path: obj.seedFile } : store,
      };
    case 'creds':
      return {
        kind,
        creds: typeof obj.credsFile === 'string' && obj.credsFile ? { source: 'file', path: obj.credsFile } : store,
      };
  }
}

function tlsOf(raw: unknown, servers: readonly string[], where: string, problems: string[]): TlsSpec | undefined {
  const wantsTls = servers.some((s) => s.startsWith('tls://'));
  if (raw === undefined || raw === false) return wantsTls ? {} : undefined;
  if (raw === true) return {};
  if (!isRecord(raw)) {
    problems.push(`${where}: "tls" must be true or an object with caFile, certFile, keyFile; it was ignored.`);
    return wantsTls ? {} : undefined;
  }
  const tls: TlsSpec = {
    caFile: optionalString(raw.caFile, `${where}: tls.caFile`, problems),
    certFile: optionalString(raw.certFile, `${where}: tls.certFile`, problems),
    keyFile: optionalString(raw.keyFile, `${where}: tls.keyFile`, problems),
    handshakeFirst: raw.handshakeFirst === true ? true : undefined,
  };
  if (Boolean(tls.certFile) !== Boolean(tls.keyFile)) {
    problems.push(`${where}: tls.certFile and tls.keyFile go together; the client certificate was ignored.`);
    return { caFile: tls.caFile, handshakeFirst: tls.handshakeFirst };
  }
  return tls;
}

function jetstreamOf(raw: unknown, where: string, problems: string[]): ConnectionSpec['jetstream'] {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) {
    problems.push(`${where}: "jetstream" must be an object with domain or apiPrefix; it was ignored.`);
    return undefined;
  }
  const domain = optionalString(raw.domain, `${where}: jetstream.domain`, problems);
  const apiPrefix = optionalString(raw.apiPrefix, `${where}: jetstream.apiPrefix`, problems);
  if (domain && apiPrefix) {
    problems.push(`${where}: jetstream.domain and jetstream.apiPrefix exclude each other; the domain was used.`);
    return { domain };
  }
  return domain || apiPrefix ? { domain, apiPrefix } : undefined;
}

function clusterOf(raw: unknown, where: string, problems: string[]): ClusterTarget | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw) || typeof raw.release !== 'string' || !raw.release) {
    problems.push(`${where}: "cluster" needs at least a "release" (and usually a "namespace"); it was ignored.`);
    return undefined;
  }
  return {
    context: typeof raw.context === 'string' && raw.context ? raw.context : undefined,
    namespace: typeof raw.namespace === 'string' && raw.namespace ? raw.namespace : 'default',
    release: raw.release,
  };
}

function serversOf(raw: unknown): string[] | undefined {
  if (raw === undefined) return [];
  const list = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
  if (!list || list.some((s) => typeof s !== 'string')) return undefined;
  return (list as string[]).map((s) => s.trim()).filter(Boolean);
}

/** Accepts what nats.js accepts: nats://, tls://, ws(s):// URLs or a bare host[:port]. */
export function isServerUrl(s: string): boolean {
  if (/\s/.test(s)) return false;
  const withScheme = /^[a-z]+:\/\//i.test(s) ? s : `nats://${s}`;
  try {
    const url = new URL(withScheme);
    return ['nats:', 'tls:', 'ws:', 'wss:'].includes(url.protocol) && Boolean(url.hostname);
  } catch {
    return false;
  }
}

function optionalString(raw: unknown, label: string, problems: string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw === 'string') return raw;
  problems.push(`${label} must be a string; it was ignored.`);
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
