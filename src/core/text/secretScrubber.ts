/**
 * Hides secrets in text bound for a log, an error message, a tooltip or a document. Two kinds are found: secrets this
 * process was handed (every password, token, seed or creds text a connection resolved, remembered as they pass) and
 * secrets recognisable by their shape, which need no memory: the user info of a URL, nkey seeds, creds files' armoured
 * blocks, JWTs, and the value of a `password`/`token`/`seed` key in JSON, YAML, a query string or a flag.
 */
export class SecretScrubber {
  readonly #known = new Set<string>();
  #pattern: RegExp | undefined;

  /**
   * Remembers `value` (and its URL-encoded form) so that `scrub` hides it wherever it appears. Values shorter than
   * MIN_KNOWN_LENGTH are left to the shape rules: hiding every "abc" would blank out ordinary words.
   */
  remember(value: string | undefined): void {
    for (const v of [value?.trim(), value && safeEncode(value.trim())]) {
      if (!v || v.length < MIN_KNOWN_LENGTH || this.#known.has(v)) continue;
      this.#known.add(v);
      // A creds file's lines are secrets too when they appear on their own.
      for (const line of v.split(/\r?\n/)) if (line.trim().length >= MIN_LINE_LENGTH) this.#known.add(line.trim());
      this.#pattern = undefined;
    }
  }

  /** `text` with every remembered secret and every secret-shaped part replaced by `***` (or a short label). */
  scrub(text: string): string {
    let out = scrubSecretShapes(text);
    if (this.#known.size === 0) return out;
    // Longest first, so a creds text goes whole before its lines are looked for.
    this.#pattern ??= new RegExp(
      [...this.#known]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    out = out.replace(this.#pattern, HIDDEN);
    return out;
  }
}

const HIDDEN = '***';
const MIN_KNOWN_LENGTH = 4;
const MIN_LINE_LENGTH = 16;

/** Keys whose value is a secret, in JSON (`"token": "…"`), YAML (`password: …`), queries (`?token=…`) and flags (`--password …`). */
const SECRET_KEYS = 'password|passwd|pass|token|auth_token|seed|user_seed|nkey_seed';

const SHAPES: ReadonlyArray<readonly [RegExp, string | ((...m: string[]) => string)]> = [
  // A creds file's armoured blocks (JWT and seed), dashes as nsc writes them (5 or 6).
  [/-{3,}BEGIN [A-Z ]+-{3,}[\s\S]*?-{3,}END [A-Z ]+-{3,}/g, '[creds hidden]'],
  // nkey seeds: S, the key type (user, account, operator, server, cluster, curve), 56 more base32 characters.
  [/\bS[UAONCX][A-Z2-7]{56}\b/g, '[nkey seed hidden]'],
  // JWTs (a NATS user JWT, a Kubernetes token): three base64url parts, the first a JSON header.
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]+/g, '[jwt hidden]'],
  // URL user info: `nats://alice:s3cret@host` keeps the user, `nats://t0ken@host` (a token) hides it all.
  [
    /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]*)(?::([^\s/?#@]*))?@/gi,
    (_m, scheme, user, pass) => (pass !== undefined ? `${scheme}${user}:${HIDDEN}@` : `${scheme}${HIDDEN}@`),
  ],
  [new RegExp(`("(?:${SECRET_KEYS})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1"${HIDDEN}"`],
  [new RegExp(`^(\\s*(?:- )?(?:${SECRET_KEYS})\\s*:[ \\t]+)(?![|>]?\\s*$)\\S.*$`, 'gim'), `$1${HIDDEN}`],
  [new RegExp(`([?&;](?:${SECRET_KEYS})=)[^&\\s#]+`, 'gi'), `$1${HIDDEN}`],
  [new RegExp(`(--(?:${SECRET_KEYS})(?:=|\\s+))(?!-)\\S+`, 'gi'), `$1${HIDDEN}`],
];

/** The shape rules of SecretScrubber alone, for text outside any connection (a CLI error, a core sentence). */
export function scrubSecretShapes(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SHAPES) out = out.replace(pattern, replacement as string);
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeEncode(s: string): string | undefined {
  try {
    const encoded = encodeURIComponent(s);
    return encoded === s ? undefined : encoded;
  } catch {
    return undefined;
  }
}
