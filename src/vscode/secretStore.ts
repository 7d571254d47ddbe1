import type * as vscode from 'vscode';
import type { SecretSource } from '../core/connections/connectionSpec';
import type { SecretScrubber } from '../core/text/secretScrubber';

/**
 * The core's SecretSource backed by VS Code's SecretStorage: the only place passwords, tokens and seeds are kept.
 * Every secret stored, read or resolved elsewhere (a creds file, a nats context) is told to the scrubber, so the log,
 * errors, tooltips and documents never show it.
 */
export class SecretStore implements SecretSource {
  constructor(
    private readonly storage: vscode.SecretStorage,
    private readonly scrubber: SecretScrubber,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const value = await this.storage.get(key);
    this.scrubber.remember(value);
    return value;
  }

  async set(key: string, value: string): Promise<void> {
    this.scrubber.remember(value);
    await this.storage.store(key, value);
  }

  delete(key: string): Promise<void> {
    return Promise.resolve(this.storage.delete(key));
  }

  noteSecret(value: string): void {
    this.scrubber.remember(value);
  }
}
