// The engine half of the extension, bundled apart as dist/engine.cjs and loaded on first use
// (see load-engine-module.ts): node-runtime pulls in node:crypto, zlib and worker_threads, which
// cost more to load than the whole activation budget. Activation never loads this file.
export { formatIdentityFile, generateIdentity, parseIdentities } from '@kwqm/node-runtime';
export { openQueueEngine } from './queue-engine.js';
