// The nats.conf the 1.x/2.x chart renders: JSON pretty-printed one value per line, except that values written as
// `<< 8MB >>` or `<< $VAR >>` in the values reach the file bare (`8MB`, `$SERVER_NAME`). Whether a value is quoted or
// bare is exactly what the server cares about (a quoted "8MB" is a string, a bare 8MB a size), so it is kept.

/** A scalar with the way it was written: `quoted` ("8MB"), `bare` (8MB, $VAR), or a JSON number/boolean/null. */
export interface ConfScalar {
  readonly kind: 'quoted' | 'bare' | 'number' | 'boolean' | 'null';
  readonly text: string;
}
export interface ConfObject {
  readonly kind: 'object';
  readonly entries: ReadonlyMap<string, ConfValue>;
  /** Files named by `include` directives, whose settings the checks cannot see. */
  readonly includes?: readonly string[];
}
export interface ConfList {
  readonly kind: 'list';
  readonly items: readonly ConfValue[];
}
export type ConfValue = ConfScalar | ConfObject | ConfList;

/** nats.conf text that is not the chart's JSON shape (a hand-written config in `config.patch`, say). */
export class NatsConfSyntaxError extends Error {
  override readonly name = 'NatsConfSyntaxError';
}

const MAX_DEPTH = 64;

/**
 * Reads the chart's nats.conf; throws NatsConfSyntaxError for anything else. Linear in the text's length, and nesting
 * is bounded, so a hostile config cannot exhaust the stack.
 */
export function parseNatsConf(text: string): ConfObject {
  let at = 0;
  const includes: string[] = [];
  const fail = (what: string): never => {
    const line = text.slice(0, at).split('\n').length;
    throw new NatsConfSyntaxError(`nats.conf line ${line}: ${what}`);
  };
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const quoted = (): string => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    if (at >= text.length) fail('a string is not closed');
    at++;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      return fail('a string has a bad escape');
    }
  };
  const value = (depth: number): ConfValue => {
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    skipSpace();
    const c = text[at];
    if (c === '{') return object(depth);
    if (c === '[') return list(depth);
    if (c === '"') return { kind: 'quoted', text: quoted() };
    // A bare token runs to the end of its line or to the comma, bracket or brace that closes it.
    const start = at;
    while (at < text.length && !/[,\n\r}\]]/.test(text[at]!)) at++;
    const token = text.slice(start, at).trim();
    if (!token) return fail('a value is missing');
    if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(token)) return { kind: 'number', text: token };
    if (token === 'true' || token === 'false') return { kind: 'boolean', text: token };
    if (token === 'null') return { kind: 'null', text: token };
    return { kind: 'bare', text: token };
  };
  const object = (depth: number): ConfObject => {
    at++;
    const entries = new Map<string, ConfValue>();
    for (;;) {
      skipSpace();
      if (text[at] === '}') {
        at++;
        return { kind: 'object', entries };
      }
      // A key ending in `$include` renders as an include directive; the included file is not part of this text.
      const include = /^include\s+[^;\n]*;?/.exec(text.slice(at, at + 4096));
      if (include) {
        at += include[0].length;
        includes.push(include[0].replace(/^include\s+|;$/g, '').trim());
        continue;
      }
      if (text[at] !== '"') fail('a key is not a quoted string');
      const key = quoted();
      skipSpace();
      if (text[at] !== ':') fail(`"${key}" has no ':'`);
      at++;
      entries.set(key, value(depth + 1));
      skipSpace();
      if (text[at] === ',') at++;
      else if (text[at] !== '}') fail(`a ',' or '}' is missing after "${key}"`);
    }
  };
  const list = (depth: number): ConfList => {
    at++;
    const items: ConfValue[] = [];
    for (;;) {
      skipSpace();
      if (text[at] === ']') {
        at++;
        return { kind: 'list', items };
      }
      items.push(value(depth + 1));
      skipSpace();
      if (text[at] === ',') at++;
      else if (text[at] !== ']') fail(`a ',' or ']' is missing in a list`);
    }
  };
  skipSpace();
  if (text[at] !== '{') fail('it does not start with {');
  const conf = object(0);
  skipSpace();
  if (at < text.length) fail('text follows the closing }');
  return includes.length > 0 ? { ...conf, includes } : conf;
}

/** The value at `path` (object keys), or undefined. */
export function confAt(conf: ConfValue | undefined, path: readonly string[]): ConfValue | undefined {
  let v = conf;
  for (const key of path) v = v?.kind === 'object' ? v.entries.get(key) : undefined;
  return v;
}

/** Every scalar with its path of keys (list items count as their list's path), depth first. */
export function* confScalars(conf: ConfValue, path: readonly string[] = []): Generator<[string[], ConfScalar]> {
  if (conf.kind === 'object') for (const [k, v] of conf.entries) yield* confScalars(v, [...path, k]);
  else if (conf.kind === 'list') for (const v of conf.items) yield* confScalars(v, path);
  else yield [[...path], conf];
}
