import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The end-to-end tests run the built binary (bin/kwqm.js -> dist/cli.js) and the built
// node-runtime (worker threads need dist/worker.js). `npm test` gets both through turbo's
// test -> build dependency; a bare `npx vitest run` needs `npx tsup` (and node-runtime's build) first.
export default function setup(): void {
  const required = [
    new URL('../dist/cli.js', import.meta.url),
    new URL('../../node-runtime/dist/index.js', import.meta.url),
    new URL('../../core/dist/index.js', import.meta.url),
  ];
  const missing = required.map((url) => fileURLToPath(url)).filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `Build first (npm run build -w kwqm, with its dependencies); missing: ${missing.join(', ')}`,
    );
  }
}
