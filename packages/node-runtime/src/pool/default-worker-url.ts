import { KwqmError } from '@kwqm/core';
import { moduleUrl } from '../module-url.js';

/**
 * Where the pool finds its worker entry when no `workerUrl` is given: `worker.js` next to the
 * built file that contains this code (tsup bundles it into `dist/index.js` / `dist/index.cjs`;
 * `shims: true` gives the CJS build an `import.meta.url`). When this module runs from its
 * TypeScript source (vitest, tsx), there is no built worker beside it, so the package's
 * `dist/worker.js` is used — tests need `npm run build` first (the vitest global setup does it).
 */
export function defaultWorkerUrl(): URL {
  const here = moduleUrl(import.meta.url);
  if (here === undefined) {
    throw new KwqmError(
      'INVALID_OPTION',
      'Cannot tell where the worker entry is (this code runs from a bundle); pass `workerUrl` (see docs/guides/bundling.md)',
      { details: { option: 'workerUrl' } },
    );
  }
  return here.endsWith('.ts') ? new URL('../../dist/worker.js', here) : new URL('./worker.js', here);
}
