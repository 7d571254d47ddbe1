import { readFileSync } from 'node:fs';
import { readEndpoint } from '../core/kine/readEndpoint';
import { SecretScrubber } from '../core/text/secretScrubber';
import { UsageError } from './cliArgs';

/** The credential options of a command, as parseCliArgs returns them. */
export interface CredentialOptions {
  readonly server?: string;
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  readonly creds?: string;
  readonly 'password-file'?: string;
  readonly 'token-file'?: string;
}

/** The environment variables the nats CLI reads for these options (`nats --help`), read the same way here. */
export const CREDENTIAL_ENV = {
  user: 'NATS_USER',
  password: 'NATS_PASSWORD',
  token: 'NATS_TOKEN',
  creds: 'NATS_CREDS',
} as const;

/** Options that name a file holding the secret of another option. */
const CREDENTIAL_FILES = { 'password-file': 'password', 'token-file': 'token' } as const;

/**
 * Fills the credential options the command line left out: from a file (--password-file, --token-file; one trailing
 * newline dropped), else from the nats CLI's environment variables, unless the --server URL carries credentials
 * (as kine's own endpoint does). A secret on the command line shows in every local user's process list; these keep
 * it out. A flag wins over its file, which wins over the environment, which only completes the kind of credentials
 * the flags gave. Throws a UsageError naming a file it cannot read.
 */
export function withCredentials<T extends CredentialOptions>(
  opts: T,
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): T & CredentialOptions {
  const out: Record<string, unknown> = { ...(opts as Record<string, unknown>) };
  for (const [fileOption, option] of Object.entries(CREDENTIAL_FILES)) {
    const path = opts[fileOption as keyof typeof CREDENTIAL_FILES];
    if (path === undefined || out[option] !== undefined) continue;
    let text: string;
    try {
      text = readFile(path);
    } catch (err) {
      throw new UsageError(
        `cannot read --${fileOption} ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`,
      );
    }
    out[option] = text.replace(/\r?\n$/, '');
  }
  if (!serverHasCredentials(opts.server)) {
    // The environment completes what the command line gave (a user and its password), never mixes in another kind.
    const given = Object.keys(CREDENTIAL_ENV).filter((k) => out[k] !== undefined);
    for (const [option, variable] of Object.entries(CREDENTIAL_ENV)) {
      const value = env[variable];
      const clashes = CLASHES[option as keyof typeof CLASHES].some((k) => given.includes(k));
      if (out[option] === undefined && value && !clashes) out[option] = value;
    }
  }
  return out as T;
}

/** Credentials of another kind than each option's: a user and password, a token, a creds file exclude each other. */
const CLASHES = {
  user: ['token', 'creds'],
  password: ['token', 'creds'],
  token: ['user', 'password', 'creds'],
  creds: ['user', 'password', 'token'],
} as const;

/** `text` (an error for stderr) without the secrets among `opts` or any secret-shaped part (a URL's user info, a seed). */
export function scrubCredentials(text: string, opts: CredentialOptions): string {
  const scrubber = new SecretScrubber();
  for (const secret of [opts.password, opts.token]) scrubber.remember(secret);
  return scrubber.scrub(text);
}

function serverHasCredentials(server: string | undefined): boolean {
  if (server === undefined) return false;
  try {
    const parts = readEndpoint(server);
    return parts.user !== undefined || parts.token !== undefined;
  } catch {
    return false; // kineTarget says what is wrong with it.
  }
}
