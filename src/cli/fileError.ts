/** What a failed file read or write means, with what to do, in place of Node's bare code (`ENOENT`). */
const REASONS: Record<string, string> = {
  ENOENT: 'there is no such file. Check the path',
  EACCES: 'permission denied. Check the file’s permissions or run as a user who may read it',
  EPERM: 'the operation is not permitted. Check the file’s permissions',
  EISDIR: 'it is a directory. Name a file',
  ENOTDIR: 'a part of the path is not a directory. Check the path',
  EMFILE: 'too many files are open. Close some programs and try again',
  ENOSPC: 'the disk is full. Free some space and try again',
  EROFS: 'the file system is read-only. Write somewhere else',
};

/** One sentence: `cannot read FILE: there is no such file. Check the path.`; undefined for a non-file error. */
export function describeFileError(err: unknown, verb: 'read' | 'write', file?: string): string | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  if (!e || typeof e.code !== 'string' || !/^E[A-Z]+$/.test(e.code) || (file === undefined && e.path === undefined))
    return undefined;
  const reason = REASONS[e.code] ?? `${e.message.replace(/^[A-Z]+: /, '').split(',')[0]} (${e.code})`;
  return `cannot ${verb} ${file ?? e.path}: ${reason}.`;
}

/** A file the command needed could not be read or written; the message is `describeFileError`'s sentence. */
export class FileError extends Error {
  override readonly name = 'FileError';
  constructor(
    readonly file: string,
    verb: 'read' | 'write',
    cause: unknown,
  ) {
    super(describeFileError(cause, verb, file) ?? `cannot ${verb} ${file}: ${(cause as Error).message}.`, { cause });
  }
}
