import type * as vscode from 'vscode';

/** A Memento in memory, for a ClusterAccess of a test's own (the extension's is not exposed). */
export function memento(): vscode.Memento {
  const data = new Map<string, unknown>();
  return {
    keys: () => [...data.keys()],
    get: <T>(k: string, d?: T) => (data.has(k) ? (data.get(k) as T) : d),
    update: async (k: string, v: unknown) => void data.set(k, v),
  } as vscode.Memento;
}
