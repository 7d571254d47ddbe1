// The values snippets (snippets/nats-values.json) and where each one fits: offered by the completion provider rather
// than contributed to every YAML file, so a top-level block is never offered inside `config.jetstream`.

export interface ValuesSnippet {
  name: string;
  prefix: string;
  description: string;
  /** VS Code snippet syntax, lines joined with `\n`. */
  body: string;
  /** The top-level keys the snippet writes. */
  topKeys: string[];
}

/** More than the file ever holds; a larger or malformed file gives no snippets rather than a slow completion. */
const MAX_SNIPPETS = 200;

/** The snippets of a VS Code snippets file; entries of the wrong shape are skipped. */
export function parseSnippets(json: string): ValuesSnippet[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return [];
  }
  if (typeof data !== 'object' || data === null) return [];
  const out: ValuesSnippet[] = [];
  for (const [name, entry] of Object.entries(data).slice(0, MAX_SNIPPETS)) {
    const { prefix, description, body } = (entry ?? {}) as Record<string, unknown>;
    if (typeof prefix !== 'string' || !Array.isArray(body) || !body.every((l) => typeof l === 'string')) continue;
    const lines = body as string[];
    out.push({
      name,
      prefix,
      description: typeof description === 'string' ? description : '',
      body: lines.join('\n'),
      topKeys: lines.flatMap((l) => /^([A-Za-z_][\w-]*):/.exec(l)?.[1] ?? []),
    });
  }
  return out;
}

/** The snippets whose top-level keys are all absent: a second `config:` would make Helm read only one of them. */
export function snippetsThatFit(snippets: readonly ValuesSnippet[], present: readonly string[]): ValuesSnippet[] {
  const has = new Set(present);
  return snippets.filter((s) => s.topKeys.every((k) => !has.has(k)));
}

/** True for a YAML text with no content yet (blank lines and comments only): where a new values file starts. */
export function isBlankYaml(text: string): boolean {
  return text.length < 64 * 1024 && text.split(/\r\n|\r|\n/).every((l) => l.trim() === '' || l.trim().startsWith('#'));
}
