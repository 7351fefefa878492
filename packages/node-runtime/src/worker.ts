// The worker-thread entry: its own build output (`dist/worker.js`, also exported as
// `@kwqm/node-runtime/worker`), loaded by `WorkerPool` in each thread. Bundlers must emit it as a
// second entry and pass its URL as `workerUrl` (docs/guides/bundling.md).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loadOperationRegistry } from './operations/operation-registry.js';
import type { WorkerStartData } from './pool/thread-messages.js';
import { serveWorkerThread } from './pool/worker-thread.js';

if (!isMainThread && parentPort !== null) {
  const { operationModules } = (workerData ?? { operationModules: [] }) as WorkerStartData;
  serveWorkerThread(parentPort, loadOperationRegistry(operationModules));
}
