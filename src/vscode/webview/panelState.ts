import { escapeHtml } from './webviewHtml';

/**
 * `data-restore="…"` for a page's root element: the page's script hands it to VS Code's webview state, which VS Code
 * keeps across a window reload and gives back to the panel serializer. It names a connection and what the panel
 * shows, never a secret.
 */
export function restoreAttribute(state: object): string {
  return `data-restore="${escapeHtml(JSON.stringify(state))}"`;
}

/** Longest string a restored state may carry: it comes back from storage, so it is checked like any outside input. */
const MAX_FIELD = 1_024;

/** The string fields `names` of a restored state, or undefined when any is missing, not a string or too long. */
export function restoredFields<K extends string>(
  state: unknown,
  names: readonly K[],
  optional: readonly K[] = [],
): Record<K, string> | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const out = {} as Record<K, string>;
  for (const name of [...names, ...optional]) {
    const value = (state as Record<string, unknown>)[name];
    if (value === undefined && optional.includes(name)) continue;
    if (typeof value !== 'string' || !value || value.length > MAX_FIELD) return undefined;
    out[name] = value;
  }
  return out;
}
