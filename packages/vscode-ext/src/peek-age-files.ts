import { open } from 'node:fs/promises';
import { mapFewAtATime } from '@kwqm/core';
import { type AgeFileKind, peekAgeFileKind } from './age-header-peek.js';
import { FILES_OPEN_AT_ONCE } from './files-open-at-once.js';

/** Bytes read from the start of each file: age's header names its stanzas well within this. */
const HEAD_BYTES = 4096;

/**
 * The {@link AgeFileKind} of each file, in order, read from its first 4 KiB with at most
 * `FILES_OPEN_AT_ONCE` (32) files open at a time (a selection can hold thousands). A file that
 * cannot be read is `unknown`: its job will say why.
 */
export async function peekAgeFiles(paths: readonly string[]): Promise<AgeFileKind[]> {
  return mapFewAtATime(paths, (path) => peekAgeFile(path), FILES_OPEN_AT_ONCE);
}

async function peekAgeFile(path: string): Promise<AgeFileKind> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = new Uint8Array(HEAD_BYTES);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return peekAgeFileKind(head.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch {
    return 'unknown';
  }
}
