// The pin files' file system for plain Node (the CLI): Node's fs, with the size limit checked before reading.
import { readdir, readFile, stat } from 'node:fs/promises';
import { firstInvalidUtf8 } from '../fs/readUtf8';
import type { PinFileSystem } from './pinFiles';

export const nodePinFileSystem: PinFileSystem = {
  async listFiles(dir) {
    try {
      return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    } catch {
      return [];
    }
  },
  async readText(path, maxBytes) {
    try {
      if ((await stat(path)).size > maxBytes) return undefined;
      const bytes = await readFile(path);
      return firstInvalidUtf8(bytes) === -1 ? bytes.toString('utf8') : undefined;
    } catch {
      return undefined;
    }
  },
};
