import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { KwqmError } from '@kwqm/core';

/**
 * Creates `path` (and missing parents) as a folder only this user can enter, or checks an
 * existing one. Anyone who can write the socket's folder could swap the socket for their own
 * and read every submitted passphrase, so a folder owned by another user, or a symlink, is
 * refused with `EACCES`; our own folder with looser permissions is tightened to 0700. On
 * `win32` only the folder itself is checked (see below).
 */
export function ensurePrivateDirectory(path: string, platform: NodeJS.Platform = process.platform): void {
  makeDirectories(path);
  const stats = lstatSync(path);
  if (!stats.isDirectory()) {
    throw new KwqmError('EACCES', `Refusing ${path}: it is not a directory (a symlink or a file)`, {
      details: { path },
    });
  }
  // Windows has no uid or mode bits (Node reports made-up ones; chmod only flips read-only):
  // the state folder's privacy comes from the ACL of the user's profile folder it sits in.
  if (platform === 'win32') return;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new KwqmError(
      'EACCES',
      `Refusing ${path}: it belongs to uid ${stats.uid}, not to this user (${uid})`,
      {
        details: { path, owner: stats.uid },
      },
    );
  }
  if ((stats.mode & 0o077) !== 0) chmodSync(path, 0o700);
}

/**
 * `mkdir -p` with 0700 folders. Not `mkdirSync(path, { recursive: true })`: Node's loops forever
 * (one core at 100 %) when a parent exists but cannot hold the child, as under /proc, where mkdir
 * answers ENOENT; here the second ENOENT, after the parent was made or found, is final.
 */
function makeDirectories(path: string): void {
  try {
    mkdirSync(path, { mode: 0o700 });
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(path) === path) throw error;
  }
  makeDirectories(dirname(path));
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    // Made meanwhile by a racing start: as good as ours (checked below like any existing folder).
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
