import * as vscode from 'vscode';
import { settingsInText } from '../../core/text/settingsText';
import { RESTRICTED_SETTINGS } from '../ids';

/** A workspace setting VS Code ignores in Restricted Mode, and the file that sets it. */
export interface IgnoredSetting {
  /** The full id, e.g. `natsK3s.helmPath`. */
  readonly key: string;
  readonly value: unknown;
  /** The settings file, relative to its folder where it has one (`.vscode/settings.json`). */
  readonly file: string;
}

/**
 * The workspace's values of RESTRICTED_SETTINGS that Restricted Mode ignores, read from the files themselves: VS Code
 * hides them from `getConfiguration().inspect()` until the workspace is trusted. Empty in a trusted workspace.
 */
export async function ignoredWorkspaceSettings(
  keys: readonly string[] = RESTRICTED_SETTINGS,
): Promise<IgnoredSetting[]> {
  if (vscode.workspace.isTrusted) return [];
  const files: { uri: vscode.Uri; label: string; within?: 'settings' }[] = (
    vscode.workspace.workspaceFolders ?? []
  ).map((f) => ({
    uri: vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'),
    label: vscode.workspace.workspaceFolders!.length > 1 ? `${f.name}/.vscode/settings.json` : '.vscode/settings.json',
  }));
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled')
    files.unshift({
      uri: workspaceFile,
      label: workspaceFile.path.split('/').pop() ?? 'the workspace file',
      within: 'settings',
    });
  const found: IgnoredSetting[] = [];
  for (const { uri, label, within } of files) {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      continue; // No settings file there.
    }
    for (const s of settingsInText(text, keys, within))
      if (!found.some((f) => f.key === s.key)) found.push({ ...s, file: label });
  }
  return found;
}

/** `natsK3s.helmPath (/repo/helm.sh)`, for sentences that list ignored settings. */
export function describeIgnored(settings: readonly IgnoredSetting[]): string {
  return settings
    .map((s) => `${s.key} (${typeof s.value === 'string' ? s.value : JSON.stringify(s.value)})`)
    .join(', ');
}
