import { readFileSync } from 'node:fs';
import { SecretScrubber } from '../core/text/secretScrubber';

/** The environment variables the nats CLI reads for these options (`nats --help`), read the same way here. */
export const CREDENTIAL_ENV: Readonly<Record<string, string>> = {
  '--user': 'NATS_USER',
  '--password': 'NATS_PASSWORD',
  '--token': 'NATS_TOKEN',
  '--creds': 'NATS_CREDS',
};

/** Options that name a file holding the secret of another option. */
export const CREDENTIAL_FILES: Readonly<Record<string, string>> = {
  '--password-file': '--password',
  '--token-file': '--token',
};

/**
 * Fills the credential options the command line left out: from a file (--password-file, --token-file; one trailing
 * newline dropped), else from the nats CLI's environment variables. A secret on the command line shows in every
 * local user's process list; these keep it out. A flag wins over its file, which wins over the environment.
 * Throws one sentence when a file cannot be read.
 */
export function withCredentials(opts: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv = process.env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Map<string, string> {
  const out = new Map(opts);
  for (const [fileOption, option] of Object.entries(CREDENTIAL_FILES)) {
    const path = opts.get(fileOption);
    if (path === undefined || out.has(option)) continue;
    let text: string;
    try {
      text = readFile(path);
    } catch (err) {
      throw new Error(`cannot read ${fileOption} ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
    }
    out.set(option, text.replace(/\r?\n$/, ''));
  }
  for (const [option, variable] of Object.entries(CREDENTIAL_ENV)) {
    const value = env[variable];
    if (!out.has(option) && value) out.set(option, value);
  }
  return out;
}

/** `text` (an error for stderr) without the secrets among `opts` or any secret-shaped part (a URL's user info, a seed). */
export function scrubCredentials(text: string, opts: ReadonlyMap<string, string>): string {
  const scrubber = new SecretScrubber();
  for (const option of ['--password', '--token']) scrubber.remember(opts.get(option));
  return scrubber.scrub(text);
}
