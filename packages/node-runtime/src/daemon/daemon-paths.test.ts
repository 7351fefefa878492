import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNamedPipe, resolveDaemonPaths } from './daemon-paths.js';
import { ensurePrivateDirectory } from './private-directory.js';

describe('resolveDaemonPaths', () => {
  it('uses XDG_RUNTIME_DIR and XDG_STATE_HOME', () => {
    const paths = resolveDaemonPaths({
      env: { XDG_RUNTIME_DIR: '/run/user/7', XDG_STATE_HOME: '/s' },
      uid: 7,
    });
    expect(paths).toEqual({
      runtimeDir: '/run/user/7/kwqm',
      socketPath: '/run/user/7/kwqm/kwqm.sock',
      lockPath: '/run/user/7/kwqm/kwqm.sock.lock',
      stateDir: '/s/kwqm',
      journalPath: '/s/kwqm/journal.ndjson',
      logPath: '/s/kwqm/daemon.log',
    });
  });

  it('falls back to a per-user folder in the temp dir and ~/.local/state', () => {
    const paths = resolveDaemonPaths({ env: {}, uid: 1234, tmpDir: '/tmp', homeDir: '/home/u' });
    expect(paths.socketPath).toBe('/tmp/kwqm-1234/kwqm.sock');
    expect(paths.stateDir).toBe('/home/u/.local/state/kwqm');
  });

  it('lets KWQM_SOCKET and KWQM_STATE_DIR override', () => {
    const paths = resolveDaemonPaths({
      env: { KWQM_SOCKET: '/x/y.sock', KWQM_STATE_DIR: '/st', XDG_RUNTIME_DIR: '/r' },
    });
    expect(paths.runtimeDir).toBe('/x');
    expect(paths.socketPath).toBe('/x/y.sock');
    expect(paths.journalPath).toBe('/st/journal.ndjson');
  });
});

describe('resolveDaemonPaths on win32', () => {
  it('uses a per-user named pipe, %LOCALAPPDATA%\\kwqm, and keeps the lock in the state folder', () => {
    const paths = resolveDaemonPaths({
      platform: 'win32',
      env: { USERNAME: 'Ada Lovelace', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' },
    });
    expect(paths).toEqual({
      runtimeDir: undefined,
      socketPath: '\\\\.\\pipe\\kwqm-Ada_Lovelace',
      lockPath: 'C:\\Users\\ada\\AppData\\Local\\kwqm\\daemon.lock',
      stateDir: 'C:\\Users\\ada\\AppData\\Local\\kwqm',
      journalPath: 'C:\\Users\\ada\\AppData\\Local\\kwqm\\journal.ndjson',
      logPath: 'C:\\Users\\ada\\AppData\\Local\\kwqm\\daemon.log',
    });
    expect(isNamedPipe(paths.socketPath)).toBe(true);
  });

  it('falls back to the home folder and the given user name, and lets KWQM_SOCKET name another pipe', () => {
    const paths = resolveDaemonPaths({
      platform: 'win32',
      env: { KWQM_SOCKET: '\\\\?\\pipe\\mine' },
      username: 'bob',
      homeDir: 'D:\\home\\bob',
    });
    expect(paths.socketPath).toBe('\\\\?\\pipe\\mine');
    expect(paths.runtimeDir).toBeUndefined();
    expect(paths.stateDir).toBe('D:\\home\\bob\\AppData\\Local\\kwqm');
    expect(paths.lockPath).toBe('D:\\home\\bob\\AppData\\Local\\kwqm\\daemon.lock');
    expect(resolveDaemonPaths({ platform: 'win32', env: {}, username: 'bob' }).socketPath).toBe(
      '\\\\.\\pipe\\kwqm-bob',
    );
  });

  it('leaves the Linux layout alone', () => {
    expect(
      isNamedPipe(resolveDaemonPaths({ platform: 'linux', env: {}, uid: 5, tmpDir: '/tmp' }).socketPath),
    ).toBe(false);
  });
});

describe('ensurePrivateDirectory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kwqm-dir-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates nested folders 0700', () => {
    const target = join(dir, 'a', 'kwqm');
    ensurePrivateDirectory(target);
    expect(statSync(target).mode & 0o777).toBe(0o700);
  });

  it('tightens our own folder that others could enter', () => {
    const target = join(dir, 'open');
    mkdirSync(target);
    chmodSync(target, 0o777);
    ensurePrivateDirectory(target);
    expect(statSync(target).mode & 0o777).toBe(0o700);
  });

  it('on win32 makes the folder but leaves modes to the ACLs (no chmod)', () => {
    const target = join(dir, 'open');
    mkdirSync(target);
    chmodSync(target, 0o755);
    ensurePrivateDirectory(target, 'win32');
    expect(statSync(target).mode & 0o777).toBe(0o755);
    ensurePrivateDirectory(join(dir, 'new', 'kwqm'), 'win32');
    expect(statSync(join(dir, 'new', 'kwqm')).isDirectory()).toBe(true);
  });

  it('refuses a symlink with EACCES', () => {
    const real = join(dir, 'real');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, join(dir, 'link'));
    expect(() => ensurePrivateDirectory(join(dir, 'link'))).toThrow(
      expect.objectContaining({ code: 'EACCES' }),
    );
  });

  it('refuses a folder owned by another user with EACCES', () => {
    // As root, hand a folder to `nobody`; as anyone else, root's /tmp is someone else's folder.
    let foreign = '/tmp';
    if (process.getuid?.() === 0) {
      foreign = join(dir, 'foreign');
      mkdirSync(foreign, { mode: 0o700 });
      chownSync(foreign, 65534, 65534);
    }
    expect(() => ensurePrivateDirectory(foreign)).toThrow(expect.objectContaining({ code: 'EACCES' }));
  });
});
