import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import { KWQM_COMMANDS, QUEUE_VIEW_ID } from './commands.js';
import { type FileCommandContext, retryDecrypt, runFileOperation, runWithPriority } from './file-commands.js';
import type { FileOperation } from './file-operation.js';
import { notifyFinished } from './finish-notifier.js';
import { IdentityCommands } from './identity-commands.js';
import { loadEngineModule } from './load-engine-module.js';
import { QueueCommands } from './queue-commands.js';
import { QueueSession } from './queue-session.js';
import { QueueStatusPresenter } from './queue-status-presenter.js';
import { type QueueNode, QueueTreeProvider } from './queue-tree-provider.js';
import { mayReopenNow } from './reopen-policy.js';
import { SecretStore } from './secret-store.js';
import { type KwqmSettings, readSettings, settingsWarning } from './settings.js';

/** The session of the active extension, closed (and awaited) by {@link deactivate}. */
let activeSession: QueueSession | undefined;

/** Set by the bundle's first and last lines (scripts/build.mjs): how long evaluating the bundle took. */
declare const __kwqmBundleStart: number | undefined;
declare const __kwqmApiLoaded: number | undefined;
declare const __kwqmBundleEnd: number | undefined;
/** CPU time (all threads of the host process) spent evaluating the bundle. */
declare const __kwqmCpuBundle: NodeJS.CpuUsage | undefined;

/**
 * Activation: only cheap wiring — the log, the view, the status bar and the commands. The queue
 * (and its worker threads, or the daemon connection) opens on first use, never here.
 */
export function activate(context: vscode.ExtensionContext): void {
  const activateStart = performance.now();
  const activateCpuStart = process.cpuUsage();
  const marks =
    typeof __kwqmBundleStart === 'number' &&
    typeof __kwqmApiLoaded === 'number' &&
    typeof __kwqmBundleEnd === 'number';
  const apiLoadMs = marks ? __kwqmApiLoaded - __kwqmBundleStart : 0;
  const bundleLoadMs = marks ? __kwqmBundleEnd - __kwqmApiLoaded : 0;
  const log = vscode.window.createOutputChannel('KWQM', { log: true });

  let warnedProblems = '';
  const settings = (): KwqmSettings => {
    const configuration = vscode.workspace.getConfiguration('kwqm');
    const reading = readSettings((key) => configuration.get(key));
    const problems = reading.problems.join('\n');
    if (problems !== '' && problems !== warnedProblems) {
      for (const problem of reading.problems) log.warn(`${problem}; using the default`);
      void vscode.window.showWarningMessage(settingsWarning(reading.problems) ?? '');
    }
    warnedProblems = problems;
    return reading.settings;
  };

  const workerUrl = pathToFileURL(join(context.extensionPath, 'dist', 'worker.js'));
  const session = new QueueSession({
    openEngine: () =>
      loadEngineModule().openQueueEngine(settings(), {
        workerUrl,
        daemonEntry: join(context.extensionPath, 'dist', 'daemon.mjs'),
        cpuCount: availableParallelism(),
        log: (line) => log.info(line),
      }),
    log,
    onOwnJobFinished: (job) => void notifyFinished(job, log),
  });
  // VS Code disposes an extension's subscriptions right after it calls deactivate, without
  // waiting for it: the log is closed only once the session has closed, so the cancel of the
  // editor's jobs when the window closes or reloads is logged.
  context.subscriptions.push({ dispose: () => void session.dispose().finally(() => log.dispose()) });
  activeSession = session;

  const tree = new QueueTreeProvider(session.model, () => {
    // Only a daemon's shared queue can hold jobs before this window submits one.
    if (settings().useDaemon !== 'never')
      void session.engine().catch((error) => log.warn(`queue not available: ${String(error)}`));
  });
  const view = vscode.window.createTreeView<QueueNode>(QUEUE_VIEW_ID, {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  context.subscriptions.push(tree, view);

  const presenter = new QueueStatusPresenter(session.model, tree, view);
  context.subscriptions.push(
    presenter,
    session.onDidChange((change) => presenter.changed(change)),
  );

  // Where the queue runs and how big it is take effect on the next use. The queue is replaced
  // only when mayReopenNow says so: an in-editor queue while idle (closing it cancels its jobs),
  // a daemon connection once this window's own jobs there have ended (their rows and finish
  // notifications need it).
  let reopenWhenIdle = false;
  const mayReopen = () => {
    const location = session.location;
    return (
      location === undefined ||
      mayReopenNow({ location, ...session.model.counts(), ownUnfinished: session.ownUnfinished })
    );
  };
  const reopenSession = () => {
    // A job may have been submitted since the reopen was scheduled: wait for it too.
    if (!mayReopen()) {
      reopenWhenIdle = true;
      return;
    }
    reopenWhenIdle = false;
    void session.reopen().then(() => log.info('queue settings changed; the queue reopens on next use'));
  };
  context.subscriptions.push(
    session.onDidChange(() => {
      // Deferred so the last job's finish notification reads its snapshot from the old queue first.
      if (reopenWhenIdle && mayReopen()) {
        reopenWhenIdle = false;
        setTimeout(reopenSession, 500);
      }
    }),
  );
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (
        !['kwqm.useDaemon', 'kwqm.workers', 'kwqm.queueCapacity'].some((key) =>
          event.affectsConfiguration(key),
        )
      )
        return;
      if (!session.started) return;
      if (!mayReopen()) {
        reopenWhenIdle = true;
        log.info(
          session.location === 'editor'
            ? 'queue settings changed; they take effect once the queue is idle'
            : "queue settings changed; they take effect once this window's jobs in the daemon have ended",
        );
        return;
      }
      reopenSession();
    }),
  );

  const secrets = new SecretStore(context.secrets);
  const identityCommands = new IdentityCommands(secrets, log);
  const fileContext: FileCommandContext = {
    session,
    secrets,
    settings,
    log,
    importIdentity: () => identityCommands.importIdentity(),
  };
  const queueCommands = new QueueCommands(session, log, (how, inputs, priority) =>
    retryDecrypt(fileContext, how, inputs, priority),
  );
  const fileCommand =
    (operation: FileOperation, priority?: 'high') => (clicked?: vscode.Uri, selected?: unknown) =>
      runFileOperation(fileContext, operation, priority, clicked, selected).catch((error: unknown) => {
        log.error(`${operation} failed to start: ${String(error)}`);
        void vscode.window.showErrorMessage(
          `KWQM: ${error instanceof Error ? error.message : String(error)}`,
        );
      });

  const handlers: Record<keyof typeof KWQM_COMMANDS, (...args: never[]) => unknown> = {
    encryptFile: fileCommand('encrypt'),
    encryptFileHighPriority: fileCommand('encrypt', 'high'),
    decryptFile: fileCommand('decrypt'),
    decryptFileHighPriority: fileCommand('decrypt', 'high'),
    hashFile: fileCommand('hash'),
    compressFile: fileCommand('compress'),
    decompressFile: fileCommand('decompress'),
    runWithPriority: (clicked?: vscode.Uri, selected?: unknown) =>
      runWithPriority(fileContext, clicked, selected),
    importIdentity: () => identityCommands.importIdentity(),
    generateIdentity: () => identityCommands.generateIdentity(),
    forgetSecrets: () => identityCommands.forgetSecrets(),
    removeJob: (node?: QueueNode) => queueCommands.remove(node?.kind === 'job' ? node : undefined),
    changePriority: (node?: QueueNode) =>
      queueCommands.changePriority(node?.kind === 'job' ? node : undefined),
    cancelJob: (node?: QueueNode) => queueCommands.cancel(node?.kind === 'job' ? node : undefined),
    revealOutput: (node?: QueueNode) => queueCommands.revealOutput(node?.kind === 'job' ? node : undefined),
    showError: (node?: QueueNode) => queueCommands.showError(node?.kind === 'job' ? node : undefined),
    clearFinished: () => {
      session.model.clearFinished();
      tree.refresh({ kind: 'tree' });
    },
    showLog: () => log.show(true),
    focusQueue: () => vscode.commands.executeCommand(`${QUEUE_VIEW_ID}.focus`),
  };
  for (const [key, handler] of Object.entries(handlers)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(
        KWQM_COMMANDS[key as keyof typeof KWQM_COMMANDS].id,
        handler as () => unknown,
      ),
    );
  }

  const activateMs = performance.now() - activateStart;
  const activateCpu = process.cpuUsage(activateCpuStart);
  const bundleCpu = typeof __kwqmCpuBundle === 'object' ? __kwqmCpuBundle : { user: 0, system: 0 };
  const cpuMs = (activateCpu.user + activateCpu.system + bundleCpu.user + bundleCpu.system) / 1000;
  // What this extension adds: evaluating its bundle plus activate(). The host's API object is
  // reported apart (every extension pays it on its first `require('vscode')`).
  log.info(
    `activated in ${(bundleLoadMs + activateMs).toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms CPU (bundle load ${bundleLoadMs.toFixed(1)} ms + activate() ${activateMs.toFixed(1)} ms; vscode API object ${apiLoadMs.toFixed(1)} ms)`,
  );
}

/**
 * Closes the queue and waits for it: an in-editor queue cancels its jobs (their partial outputs
 * are discarded) and ends its worker threads; a daemon connection closes, the daemon's jobs go on.
 * Everything else is in `context.subscriptions`.
 */
export async function deactivate(): Promise<void> {
  const session = activeSession;
  activeSession = undefined;
  await session?.dispose();
}
