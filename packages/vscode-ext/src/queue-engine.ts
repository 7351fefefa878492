import { createQueueService, KwqmError, type QueueService } from '@kwqm/core';
import { type BuiltinOperations, connectOrStart, createKwqmQueue, DaemonClient } from '@kwqm/node-runtime';
import type { KwqmSettings } from './settings.js';
import { effectiveWorkerCount } from './settings.js';

/** A running queue the extension submits to, wherever it runs. */
export interface QueueEngine {
  /** The queue, behind core's `QueueService` so the glue drives the in-editor queue and the daemon alike. */
  readonly service: QueueService<BuiltinOperations>;
  /** Where jobs run, for the log. */
  readonly location: 'editor' | 'daemon';
  /** Stops the queue (in the editor: cancels its jobs and ends the worker threads) or disconnects. */
  close(): Promise<void>;
}

/** What {@link openQueueEngine} needs besides the settings. */
export interface QueueEngineOptions {
  /** The worker-thread entry bundled next to the extension (`dist/worker.js`). */
  readonly workerUrl: URL;
  /** The daemon entry bundled next to the extension (`dist/daemon.mjs`), for `kwqm.useDaemon: always`. */
  readonly daemonEntry: string;
  /** `os.availableParallelism()`, for `kwqm.workers: 0`. */
  readonly cpuCount: number;
  /** Where to say which engine was chosen and why. */
  readonly log: (line: string) => void;
  /** The daemon's socket. @default node-runtime's per-user path (`$KWQM_SOCKET`, `$XDG_RUNTIME_DIR/kwqm/kwqm.sock`, …) */
  readonly socketPath?: string;
  /** Extra environment for a daemon this extension starts (tests point its state folder elsewhere). @default {} */
  readonly daemonEnv?: Readonly<Record<string, string>>;
}

const CLIENT_NAME = 'kwqm-vscode';

/**
 * Opens the queue the settings ask for. `never`: a queue in the extension host whose jobs run on
 * worker threads (the host thread only routes messages). `auto`: the user's daemon when one
 * answers, else the in-editor queue. `always`: the daemon, started when none runs.
 */
export async function openQueueEngine(
  settings: KwqmSettings,
  options: QueueEngineOptions,
): Promise<QueueEngine> {
  const socket = options.socketPath === undefined ? {} : { socketPath: options.socketPath };
  switch (settings.useDaemon) {
    case 'never':
      return openEditorQueue(settings, options);
    case 'auto': {
      try {
        const client = await DaemonClient.connect({
          ...socket,
          clientName: CLIENT_NAME,
          connectTimeoutMs: 1000,
        });
        return daemonEngine(client, options);
      } catch (error) {
        const reason = KwqmError.from(error);
        options.log(`no daemon answered (${reason.code}); running the queue in the editor`);
        return openEditorQueue(settings, options);
      }
    }
    case 'always': {
      const workers = effectiveWorkerCount(settings, options.cpuCount);
      const client = await connectOrStart({
        ...socket,
        clientName: CLIENT_NAME,
        daemonEntry: options.daemonEntry,
        env: {
          // Desktop VS Code's process.execPath is Electron: make it behave as Node for the daemon.
          ELECTRON_RUN_AS_NODE: '1',
          KWQM_CONCURRENCY: String(workers),
          KWQM_CAPACITY: String(settings.queueCapacity),
          ...options.daemonEnv,
        },
      });
      return daemonEngine(client, options);
    }
  }
}

function daemonEngine(client: DaemonClient, options: QueueEngineOptions): QueueEngine {
  options.log(`queue runs in the kwqm daemon (pid ${client.serverPid}, socket ${client.socketPath})`);
  return {
    // The daemon serves any operation map; the built-in one is what this extension submits.
    service: client as QueueService<BuiltinOperations>,
    location: 'daemon',
    // Jobs belong to the daemon: closing the window leaves them running.
    close: async () => client.close(),
  };
}

/** The in-editor queue: node-runtime's createKwqmQueue, one worker thread per running job. */
export function openEditorQueue(settings: KwqmSettings, options: QueueEngineOptions): QueueEngine {
  const workers = effectiveWorkerCount(settings, options.cpuCount);
  const queue = createKwqmQueue({
    workers,
    capacity: settings.queueCapacity,
    historyLimit: 200,
    workerUrl: options.workerUrl,
  });
  options.log(`queue runs in the editor: ${workers} worker thread(s), capacity ${settings.queueCapacity}`);
  return {
    service: createQueueService(queue),
    location: 'editor',
    close: () => queue.close({ cancelPending: true }),
  };
}
