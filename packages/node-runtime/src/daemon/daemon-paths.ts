import { homedir, tmpdir, userInfo } from 'node:os';
import { posix, win32 } from 'node:path';

/** Where one daemon keeps its socket, lock, journal and log. */
export interface DaemonPaths {
  /**
   * The private (0700) folder holding the socket and the lock; `undefined` when the socket is
   * a Windows named pipe, which lives in no folder (the lock is then in `stateDir`).
   */
  readonly runtimeDir: string | undefined;
  /** The Unix socket (0600), or on Windows the named pipe (`\\.\pipe\kwqm-<user>`). */
  readonly socketPath: string;
  /** The O_EXCL lock file that makes one start win a race; holds the daemon's pid. */
  readonly lockPath: string;
  /** The private (0700) folder holding the journal and the log. */
  readonly stateDir: string;
  /** The append-only NDJSON journal of the queue. */
  readonly journalPath: string;
  /** The daemon's log file. */
  readonly logPath: string;
}

/** What {@link resolveDaemonPaths} reads; defaults to this process's environment. */
export interface DaemonPathsOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default process.getuid() (0 where there is none) */
  readonly uid?: number;
  /** @default os.tmpdir() */
  readonly tmpDir?: string;
  /** @default os.homedir() */
  readonly homeDir?: string;
  /** Which platform's layout to use (`win32`: a named pipe and `%LOCALAPPDATA%`). @default process.platform */
  readonly platform?: NodeJS.Platform;
  /** The user name in the Windows pipe's name. @default `%USERNAME%`, else os.userInfo().username */
  readonly username?: string;
}

/**
 * The daemon's files for this user, as gpg-agent and ssh-agent place theirs:
 * the socket in `$KWQM_SOCKET`, else `$XDG_RUNTIME_DIR/kwqm/kwqm.sock`, else
 * `<tmpdir>/kwqm-<uid>/kwqm.sock`; the journal and log in `$KWQM_STATE_DIR`, else
 * `$XDG_STATE_HOME/kwqm/`, else `~/.local/state/kwqm/`. On Windows the socket is the named pipe
 * `$KWQM_SOCKET`, else `\\.\pipe\kwqm-<user>`, the state folder `$KWQM_STATE_DIR`, else
 * `$XDG_STATE_HOME\kwqm`, else `%LOCALAPPDATA%\kwqm`, and the lock lives in the state folder.
 * Pure: it creates nothing.
 */
export function resolveDaemonPaths(options: DaemonPathsOptions = {}): DaemonPaths {
  const env = options.env ?? process.env;
  if ((options.platform ?? process.platform) === 'win32') return windowsPaths(env, options);
  const uid = options.uid ?? process.getuid?.() ?? 0;
  const socketPath =
    nonEmpty(env.KWQM_SOCKET) ?? posix.join(defaultRuntimeDir(env, uid, options.tmpDir), 'kwqm.sock');
  const stateDir =
    nonEmpty(env.KWQM_STATE_DIR) ??
    posix.join(
      nonEmpty(env.XDG_STATE_HOME) ?? posix.join(options.homeDir ?? homedir(), '.local', 'state'),
      'kwqm',
    );
  return {
    runtimeDir: posix.dirname(socketPath),
    socketPath,
    lockPath: `${socketPath}.lock`,
    stateDir,
    journalPath: posix.join(stateDir, 'journal.ndjson'),
    logPath: posix.join(stateDir, 'daemon.log'),
  };
}

/** True for a Windows named pipe path (`\\.\pipe\…` or `\\?\pipe\…`), which has no folder and no mode. */
export function isNamedPipe(path: string): boolean {
  return /^[\\/]{2}[.?][\\/]pipe[\\/]/i.test(path);
}

function windowsPaths(env: NodeJS.ProcessEnv, options: DaemonPathsOptions): DaemonPaths {
  // Pipe names are machine-wide, so the user's name keeps two users' daemons apart.
  const user = (options.username ?? nonEmpty(env.USERNAME) ?? userInfo().username).replace(
    /[^A-Za-z0-9._-]/g,
    '_',
  );
  const socketPath = nonEmpty(env.KWQM_SOCKET) ?? `\\\\.\\pipe\\kwqm-${user}`;
  const stateDir =
    nonEmpty(env.KWQM_STATE_DIR) ??
    win32.join(
      nonEmpty(env.XDG_STATE_HOME) ??
        nonEmpty(env.LOCALAPPDATA) ??
        win32.join(options.homeDir ?? homedir(), 'AppData', 'Local'),
      'kwqm',
    );
  const pipe = isNamedPipe(socketPath);
  return {
    runtimeDir: pipe ? undefined : win32.dirname(socketPath),
    socketPath,
    lockPath: pipe ? win32.join(stateDir, 'daemon.lock') : `${socketPath}.lock`,
    stateDir,
    journalPath: win32.join(stateDir, 'journal.ndjson'),
    logPath: win32.join(stateDir, 'daemon.log'),
  };
}

function defaultRuntimeDir(env: NodeJS.ProcessEnv, uid: number, tmpDir: string | undefined): string {
  const xdg = nonEmpty(env.XDG_RUNTIME_DIR);
  return xdg === undefined ? posix.join(tmpDir ?? tmpdir(), `kwqm-${uid}`) : posix.join(xdg, 'kwqm');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
