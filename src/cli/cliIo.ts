/** Where a command writes and reads: the process's streams in the CLI, strings in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Standard input as bytes, for commands that read it (`kine decode`). */
  readStdin?(): Promise<Uint8Array>;
  /** The environment credentials are read from (NATS_PASSWORD, …); process.env when absent. */
  readonly env?: NodeJS.ProcessEnv;
}
