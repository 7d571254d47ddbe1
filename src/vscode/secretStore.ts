import type * as vscode from 'vscode';
import type { SecretSource } from '../core/connections/connectionSpec';

/** The core's SecretSource backed by VS Code's SecretStorage: the only place passwords, tokens and seeds live. */
export class SecretStore implements SecretSource {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.storage.get(key));
  }

  set(key: string, value: string): Promise<void> {
    return Promise.resolve(this.storage.store(key, value));
  }

  delete(key: string): Promise<void> {
    return Promise.resolve(this.storage.delete(key));
  }
}
