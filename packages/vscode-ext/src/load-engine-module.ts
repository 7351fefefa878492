import type * as EngineModule from './engine-module.js';

/** What dist/engine.cjs exports. */
export type EngineModuleExports = typeof EngineModule;

/**
 * Loads the engine bundle (dist/engine.cjs, next to dist/extension.cjs) on first use. Node's
 * module cache makes later calls free. `require` of a path kept external by scripts/build.mjs.
 */
export function loadEngineModule(): EngineModuleExports {
  return require('./engine.cjs') as EngineModuleExports;
}
