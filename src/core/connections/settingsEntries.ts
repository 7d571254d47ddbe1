// Changes to the raw `natsK3s.connections` array as settings.json holds it: entries are matched by name and kept
// otherwise as the user wrote them (fields this extension does not know included).

/** The list without the entry named `name`; undefined when no entry has that name. */
export function withoutConnection(entries: readonly unknown[], name: string): unknown[] | undefined {
  const at = entries.findIndex((e) => nameOf(e) === name);
  return at < 0 ? undefined : entries.filter((_, i) => i !== at);
}

/** The list with the servers of the entry named `name` replaced; undefined when no entry has that name. */
export function withServers(
  entries: readonly unknown[],
  name: string,
  servers: readonly string[],
): unknown[] | undefined {
  const at = entries.findIndex((e) => nameOf(e) === name);
  if (at < 0) return undefined;
  return entries.map((e, i) => (i === at ? { ...(e as Record<string, unknown>), servers: [...servers] } : e));
}

function nameOf(entry: unknown): string | undefined {
  return entry && typeof entry === 'object' && typeof (entry as { name?: unknown }).name === 'string'
    ? (entry as { name: string }).name.trim()
    : undefined;
}
