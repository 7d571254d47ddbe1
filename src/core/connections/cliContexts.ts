import { readFile, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import type { ConnectionAuth, ConnectionSpec, TlsSpec } from './connectionSpec';

/** The fields of a nats CLI context file that matter for connecting (natscli's `settings` struct). */
interface CliContextFile {
  description?: string;
  url?: string;
  user?: string;
  password?: string;
  token?: string;
  creds?: string;
  nkey?: string;
  cert?: string;
  key?: string;
  ca?: string;
  jetstream_domain?: string;
  jetstream_api_prefix?: string;
  inbox_prefix?: string;
  user_jwt?: string;
  user_seed?: string;
  tls_first?: boolean;
}

export interface CliContexts {
  readonly dir: string;
  readonly specs: ConnectionSpec[];
  /** One sentence per context file that could not be read. */
  readonly problems: string[];
}

/** `$XDG_CONFIG_HOME/nats/context`, else `~/.config/nats/context`, as natscli does. */
export function cliContextDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const config = env.XDG_CONFIG_HOME || join(home, '.config');
  return join(config, 'nats', 'context');
}

/**
 * Reads every `*.json` context of the nats CLI, marking the one named in `../context.txt` as selected.
 * A missing directory yields no contexts and no problem; a broken file yields a problem and is skipped.
 * Secrets stay in the context files: the specs reference them and they are re-read at connect time.
 */
export async function readCliContexts(dir: string = cliContextDir()): Promise<CliContexts> {
  const specs: ConnectionSpec[] = [];
  const problems: string[] = [];
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return { dir, specs, problems };
  }
  const selected = (await readFile(join(dir, '..', 'context.txt'), 'utf8').catch(() => '')).trim();
  for (const fileName of names) {
    const file = join(dir, fileName);
    const name = basename(fileName, '.json');
    let raw: CliContextFile;
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
      raw = parsed as CliContextFile;
    } catch (err) {
      problems.push(`nats CLI context '${name}' (${file}) could not be read: ${(err as Error).message}.`);
      continue;
    }
    specs.push(contextToSpec(name, file, raw, name === selected));
  }
  return { dir, specs, problems };
}

function contextToSpec(name: string, file: string, raw: CliContextFile, selected: boolean): ConnectionSpec {
  const servers = (str(raw.url) ?? 'nats://127.0.0.1:4222')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const tls = tlsOf(raw, servers);
  const domain = str(raw.jetstream_domain);
  const apiPrefix = str(raw.jetstream_api_prefix);
  return {
    name,
    origin: 'cliContext',
    description: str(raw.description),
    servers,
    auth: authOf(raw, file),
    tls,
    inboxPrefix: str(raw.inbox_prefix),
    jetstream: domain || apiPrefix ? { domain, apiPrefix: domain ? undefined : apiPrefix } : undefined,
    selected,
    file,
  };
}

/** natscli's precedence: creds, then nkey, then an inline JWT and seed, then token, then user (and password). */
function authOf(raw: CliContextFile, file: string): ConnectionAuth {
  const creds = str(raw.creds);
  if (creds) return { kind: 'creds', creds: { source: 'file', path: expandHome(creds) } };
  const nkey = str(raw.nkey);
  if (nkey) return { kind: 'nkey', seed: { source: 'file', path: expandHome(nkey) } };
  if (str(raw.user_jwt) && str(raw.user_seed))
    return { kind: 'creds', creds: { source: 'cliContext', path: file, field: 'user_jwt' } };
  if (str(raw.token)) return { kind: 'token', token: { source: 'cliContext', path: file, field: 'token' } };
  const user = str(raw.user);
  if (user && str(raw.password))
    return { kind: 'userPassword', user, password: { source: 'cliContext', path: file, field: 'password' } };
  // The CLI's --user flag doubles as a token when no password is given.
  if (user) return { kind: 'token', token: { source: 'cliContext', path: file, field: 'user' } };
  return { kind: 'none' };
}

function tlsOf(raw: CliContextFile, servers: string[]): TlsSpec | undefined {
  const ca = str(raw.ca);
  const cert = str(raw.cert);
  const key = str(raw.key);
  if (!ca && !cert && !key && !raw.tls_first && !servers.some((s) => s.startsWith('tls://'))) return undefined;
  return {
    caFile: ca ? expandHome(ca) : undefined,
    certFile: cert ? expandHome(cert) : undefined,
    keyFile: key ? expandHome(key) : undefined,
    handshakeFirst: raw.tls_first ? true : undefined,
  };
}

/**
 * Reads one secret field of a context file at connect time. `user_jwt` stands for the pair user_jwt + user_seed,
 * returned as a decorated creds text so it goes through the same authenticator as a creds file.
 */
export async function readCliContextSecret(
  path: string,
  field: 'password' | 'token' | 'user' | 'user_seed' | 'user_jwt',
): Promise<string | undefined> {
  const raw = JSON.parse(await readFile(path, 'utf8')) as CliContextFile;
  if (field === 'user_jwt') {
    const jwt = str(raw.user_jwt);
    const seed = str(raw.user_seed);
    if (!jwt || !seed) return undefined;
    return `-----BEGIN NATS USER JWT-----\n${jwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`;
  }
  return str(raw[field]);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}
