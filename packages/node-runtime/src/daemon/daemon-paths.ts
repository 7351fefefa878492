import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Where one daemon keeps its socket, lock, journal and log. */
export interface DaemonPaths {
  /** The private (0700) folder holding the socket and the lock. */
  readonly runtimeDir: string;
  /** The Unix socket (0600). */
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
}

/**
 * The daemon's files for this user, as gpg-agent and ssh-agent place theirs:
 * the socket in `$KWQM_SOCKET`, else `$XDG_RUNTIME_DIR/kwqm/kwqm.sock`, else
 * `<tmpdir>/kwqm-<uid>/kwqm.sock`; the journal and log in `$KWQM_STATE_DIR`, else
 * `$XDG_STATE_HOME/kwqm/`, else `~/.local/state/kwqm/`. Pure: it creates nothing.
 */
export function resolveDaemonPaths(options: DaemonPathsOptions = {}): DaemonPaths {
  const env = options.env ?? process.env;
  const uid = options.uid ?? process.getuid?.() ?? 0;
  const socketPath =
    nonEmpty(env.KWQM_SOCKET) ?? join(defaultRuntimeDir(env, uid, options.tmpDir), 'kwqm.sock');
  const runtimeDir = dirname(socketPath);
  const stateDir =
    nonEmpty(env.KWQM_STATE_DIR) ??
    join(nonEmpty(env.XDG_STATE_HOME) ?? join(options.homeDir ?? homedir(), '.local', 'state'), 'kwqm');
  return {
    runtimeDir,
    socketPath,
    lockPath: `${socketPath}.lock`,
    stateDir,
    journalPath: join(stateDir, 'journal.ndjson'),
    logPath: join(stateDir, 'daemon.log'),
  };
}

function defaultRuntimeDir(env: NodeJS.ProcessEnv, uid: number, tmpDir: string | undefined): string {
  const xdg = nonEmpty(env.XDG_RUNTIME_DIR);
  return xdg === undefined ? join(tmpDir ?? tmpdir(), `kwqm-${uid}`) : join(xdg, 'kwqm');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
