// Files the product writes are replaced whole or not at all: a write that fails half-way (disk full, a file size
// limit, a signal) must never leave a truncated file behind, least of all the input of `migrate F -o F`.
import { randomBytes } from 'node:crypto';
import { open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to a new temp file in the target's own folder (so the rename cannot cross file systems), flushes it,
 * and renames it over `path`. On any failure the temp file is removed and `path` is left exactly as it was.
 * A symlink is followed (the file it names is replaced, the link stays); an existing file keeps its permissions.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const target = await realpath(path).catch(() => path);
  const mode = await stat(target).then(
    (s) => s.mode & 0o7777,
    () => 0o666,
  );
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temp, 'wx', mode);
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
