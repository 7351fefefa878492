/**
 * The URL of the built file this code runs from, to find the entries shipped beside it
 * (`worker.js`, `daemon.js`), from the caller's `import.meta.url` (each caller passes its own: the
 * source files sit at different depths), in ESM and in the package's own CJS build (tsup
 * shims it there). A CommonJS bundle made by a bundler (esbuild `format: 'cjs'`) empties
 * `import.meta`: then `undefined`, and the caller asks for `workerUrl` / `daemonEntry` with
 * `INVALID_OPTION` instead of failing with a `TypeError` from deep inside. (`__filename` is no way
 * out: naming it makes tsup add a shim that itself fails in such a bundle.)
 */
export function moduleUrl(metaUrl: string | undefined): string | undefined {
  return typeof metaUrl === 'string' && metaUrl !== '' ? metaUrl : undefined;
}
