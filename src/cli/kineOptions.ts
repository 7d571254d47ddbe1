import type { parseCliArgs } from './cliArgs';

/** Every option `nats-k3s kine` takes, for `parseCliArgs`; the help text in kineCommand.ts describes them. */
export const KINE_OPTIONS = {
  server: { type: 'string' },
  bucket: { type: 'string' },
  creds: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  token: { type: 'string' },
  'password-file': { type: 'string' },
  'token-file': { type: 'string' },
  timeout: { type: 'string' },
  format: { type: 'string' },
  json: { type: 'boolean' },
  prefix: { type: 'string' },
  deleted: { type: 'boolean' },
  revision: { type: 'string' },
  history: { type: 'boolean' },
  object: { type: 'boolean' },
  reveal: { type: 'boolean' },
  hex: { type: 'string' },
  check: { type: 'boolean' },
  replicas: { type: 'string' },
  'rev-history': { type: 'string' },
  'ca-file': { type: 'string' },
  'cert-file': { type: 'string' },
  'key-file': { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  output: { type: 'string', short: 'o' },
  'include-generated': { type: 'boolean' },
  'max-objects': { type: 'string' },
  'max-bytes': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The parsed values of `KINE_OPTIONS`. */
export type KineOptions = ReturnType<typeof parseCliArgs<typeof KINE_OPTIONS>>['values'];
