import type * as vscode from 'vscode';
import { scrubSecretShapes, type SecretScrubber } from '../core/text/secretScrubber';

/**
 * The extension's log channel with every line scrubbed of secrets before VS Code sees it: the channel is shown in the
 * Output view and written to a log file on disk, so a password, token, seed or creds text must never reach it.
 */
export class ScrubbedLog implements vscode.LogOutputChannel {
  constructor(
    private readonly channel: vscode.LogOutputChannel,
    private readonly scrubber: SecretScrubber,
  ) {}

  /** `text` as this log would write it. */
  scrub(text: string): string {
    return this.scrubber.scrub(text);
  }

  get name(): string {
    return this.channel.name;
  }

  get logLevel(): vscode.LogLevel {
    return this.channel.logLevel;
  }

  get onDidChangeLogLevel(): vscode.Event<vscode.LogLevel> {
    return this.channel.onDidChangeLogLevel;
  }

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(this.scrub(message), ...this.scrubArgs(args));
  }

  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(this.scrub(message), ...this.scrubArgs(args));
  }

  info(message: string, ...args: unknown[]): void {
    this.channel.info(this.scrub(message), ...this.scrubArgs(args));
  }

  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(this.scrub(message), ...this.scrubArgs(args));
  }

  error(error: string | Error, ...args: unknown[]): void {
    // An Error would be logged with its message and stack as they are: log its scrubbed text instead.
    const text = typeof error === 'string' ? error : `${error.name}: ${error.message}`;
    this.channel.error(this.scrub(text), ...this.scrubArgs(args));
  }

  append(value: string): void {
    this.channel.append(this.scrub(value));
  }

  appendLine(value: string): void {
    this.channel.appendLine(this.scrub(value));
  }

  replace(value: string): void {
    this.channel.replace(this.scrub(value));
  }

  clear(): void {
    this.channel.clear();
  }

  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === 'boolean' || columnOrPreserveFocus === undefined)
      this.channel.show(columnOrPreserveFocus);
    else this.channel.show(columnOrPreserveFocus, preserveFocus);
  }

  hide(): void {
    this.channel.hide();
  }

  dispose(): void {
    this.channel.dispose();
  }

  private scrubArgs(args: unknown[]): unknown[] {
    return args.map((a) =>
      this.scrub(typeof a === 'string' ? a : a instanceof Error ? `${a.name}: ${a.message}` : safeJson(a)),
    );
  }
}

/** How text bound for `log`'s readers is scrubbed: with the log's own scrubber, or by the shape rules alone. */
export function scrubberOf(log: vscode.LogOutputChannel): (text: string) => string {
  return log instanceof ScrubbedLog ? (text) => log.scrub(text) : scrubSecretShapes;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
