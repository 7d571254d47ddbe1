import { base58Decode, base58Encode } from './base58';
import { KineDecodeError } from './errors';

/**
 * How a kine version turns an etcd key into a KV key (kine-format.md §3, §6):
 * - `v0.9`: strip one leading `/`; no `meta`; an empty segment is an empty token.
 * - `v0.11`: strip `/` at both ends (`strings.Trim`); no `meta`.
 * - `v0.14.10`: `meta` for keys without a leading `/`; an empty segment is `p`; a trailing `/` is still trimmed.
 * - `v0.15` (current): like v0.14.10 but a trailing `/` is kept as a final `p`.
 */
export type KeyStyle = 'v0.9' | 'v0.11' | 'v0.14.10' | 'v0.15';

/** base58("/"): kine's marker for an empty path segment since v0.14.10. */
export const EMPTY_SEGMENT_TOKEN = 'p';
export const META_TOKEN = 'meta';
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Encodes an etcd key as kine's KV key in the given style; throws `bad-key` for `""` and `"/"`, which kine refuses. */
export function encodeKineKey(key: string, style: KeyStyle = 'v0.15'): string {
  if (key === '' || key === '/') throw new KineDecodeError('bad-key', `kine refuses the key '${key}'`);
  const rooted = key.startsWith('/');
  let rest = rooted ? key.slice(1) : key;
  if (style === 'v0.11') rest = rest.replace(/^\/+|\/+$/g, '');
  if (style === 'v0.14.10' && rest.endsWith('/')) rest = rest.slice(0, -1);
  const modern = style === 'v0.14.10' || style === 'v0.15';
  const tokens = rest
    .split('/')
    .map((segment) => (segment === '' && modern ? EMPTY_SEGMENT_TOKEN : base58Encode(utf8.encode(segment))));
  if (modern && !rooted) tokens.unshift(META_TOKEN);
  return tokens.join('.');
}

export interface DecodedKineKey {
  /** The etcd key, e.g. `/registry/pods/default/nginx` or `compact_rev_key_apiserver`. */
  readonly key: string;
  /** True when the first token was `meta` (a key without a leading `/`, written by kine v0.14.10+). */
  readonly meta: boolean;
}

/** Decodes a KV key for every kine version; throws `KineDecodeError('bad-key')` when a token is not base58 of UTF-8. */
export function decodeKineKey(kvKey: string): DecodedKineKey {
  const tokens = kvKey.split('.');
  const meta = tokens[0] === META_TOKEN && tokens.length > 1;
  const segments = (meta ? tokens.slice(1) : tokens).map(decodeKeyToken);
  return { key: (meta ? '' : '/') + segments.join('/'), meta };
}

/** Decodes one token to its path segment (`p` → empty); throws `bad-key` for non-base58 or non-UTF-8 tokens. */
export function decodeKeyToken(token: string): string {
  if (token === '') return '';
  let text: string;
  try {
    text = strictUtf8.decode(base58Decode(token));
  } catch (err) {
    if (err instanceof KineDecodeError) throw err;
    throw new KineDecodeError('bad-key', `the key token '${token}' does not decode to UTF-8 text`);
  }
  return text === '/' ? '' : text;
}

/**
 * Encodes a key prefix ending at a segment boundary (e.g. `/registry/pods/`) as the KV-key tokens of that subtree,
 * without a trailing token, so that `<result>.>` is its subject filter; `/` alone gives `""` (the whole keyspace).
 */
export function encodeKinePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed === '') return '';
  return encodeKineKey(trimmed);
}
