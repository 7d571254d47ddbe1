import { parseJsonc } from './jsonc';

/** A setting a settings file gives a value. */
export interface SettingInFile {
  /** The full id, e.g. `natsK3s.helmPath`. */
  readonly key: string;
  readonly value: unknown;
}

/**
 * The settings among `keys` that a settings.json text (or a .code-workspace file's `settings` object, passed as
 * `within: 'settings'`) gives a value, in the order of `keys`; written flat (`"natsK3s.helmPath"`) or nested
 * (`"natsK3s": { "helmPath": … }`), as VS Code reads both. A text that is not JSON gives none.
 */
export function settingsInText(text: string, keys: readonly string[], within?: 'settings'): SettingInFile[] {
  const parsed = parseJsonc(text);
  const root = within ? (isRecord(parsed) ? parsed[within] : undefined) : parsed;
  if (!isRecord(root)) return [];
  return keys.flatMap((key) => {
    const value = key in root ? root[key] : nested(root, key.split('.'));
    return value === undefined ? [] : [{ key, value }];
  });
}

function nested(obj: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = obj;
  for (const part of path) {
    if (!isRecord(current) || !(part in current)) return undefined;
    current = current[part];
  }
  return current;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
