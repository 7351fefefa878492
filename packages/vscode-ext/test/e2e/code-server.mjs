// Installs, configures, starts and stops code-server 4.100.3 for the end-to-end suite.
// Everything it writes lives in one run folder (user data, extensions, XDG dirs), so a run never
// touches the home folder or another run. See shared notes "vscode-e2e.md" for why each flag is set.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
const repoRoot = join(packageDir, '../..');

/** The folder code-server is installed in (KWQM_CODE_SERVER_DIR or <repo>/.cache/code-server). */
export const codeServerDir = process.env.KWQM_CODE_SERVER_DIR ?? join(repoRoot, '.cache/code-server');
const codeServerBin = join(codeServerDir, 'node_modules/.bin/code-server');

/** Runs the idempotent install script (seconds when installed, about 90 s cold). */
export function installCodeServer() {
  const result = spawnSync('bash', [join(packageDir, 'scripts/install-code-server.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`install-code-server.sh failed (exit ${result.status})`);
}

/** Builds both bundles and packages the .vsix; returns its path. */
export function packageExtension() {
  const result = spawnSync(process.execPath, [join(packageDir, 'scripts/build.mjs'), '--package'], {
    cwd: packageDir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`build --package failed (exit ${result.status})`);
  return join(packageDir, 'dist/kwqm-vscode.vsix');
}

/** Folders of one run. */
export function runFolders(runDir) {
  const folders = {
    runDir,
    userData: join(runDir, 'user-data'),
    extensions: join(runDir, 'extensions'),
    xdgConfig: join(runDir, 'xdg-config'),
    xdgData: join(runDir, 'xdg-data'),
    browserProfile: join(runDir, 'browser-profile'),
    workspace: join(runDir, 'workspace'),
  };
  for (const folder of Object.values(folders)) mkdirSync(folder, { recursive: true });
  return folders;
}

function codeServerEnv(folders) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: folders.xdgConfig,
    XDG_DATA_HOME: folders.xdgData,
    // The daemon (kwqm.useDaemon auto/always) must be this run's own, never a developer's real
    // one: its socket and its journal live in the run folder.
    XDG_RUNTIME_DIR: join(folders.runDir, 'xdg-runtime'),
    XDG_STATE_HOME: join(folders.runDir, 'xdg-state'),
    KWQM_SOCKET: join(folders.runDir, 'xdg-runtime', 'kwqm.sock'),
  };
}

/** Installs the .vsix into the run's extensions folder. */
export function installExtension(folders, vsixPath) {
  const result = spawnSync(
    codeServerBin,
    [
      '--install-extension',
      vsixPath,
      '--force',
      '--extensions-dir',
      folders.extensions,
      '--user-data-dir',
      folders.userData,
    ],
    { env: codeServerEnv(folders), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.status !== 0) throw new Error(`--install-extension failed: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Writes the user settings: no welcome page, no trust prompt, no telemetry, plus `extra`. */
export function writeUserSettings(folders, extra) {
  const settingsDir = join(folders.userData, 'User');
  mkdirSync(settingsDir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'workbench.enableExperiments': false,
    'explorer.confirmDragAndDrop': false,
    // The tests edit settings.json by typing into the editor: no auto-closing or re-indenting.
    'editor.autoClosingBrackets': 'never',
    'editor.autoClosingQuotes': 'never',
    'editor.autoIndent': 'none',
    'editor.autoSurround': 'never',
    'editor.formatOnType': false,
    ...extra,
  };
  writeFileSync(join(settingsDir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** A free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server in its own process group (so stopping it ends its extension host too) and
 * waits for /healthz. Returns { url, pid, stop }.
 */
export async function startCodeServer(folders, logFile) {
  const port = await freePort();
  const { openSync } = await import('node:fs');
  const log = openSync(logFile, 'a');
  const child = spawn(
    codeServerBin,
    [
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--user-data-dir',
      folders.userData,
      '--extensions-dir',
      folders.extensions,
      folders.workspace,
    ],
    { env: codeServerEnv(folders), stdio: ['ignore', log, log], detached: true },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`code-server did not answer /healthz within 60 s; see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // The whole group this test started: code-server, its extension host and their children.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
