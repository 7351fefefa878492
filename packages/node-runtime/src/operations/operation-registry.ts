import { KwqmError } from '@kwqm/core';
import { compress } from './compress.js';
import { decompress } from './decompress.js';
import { decrypt } from './decrypt.js';
import { encrypt } from './encrypt.js';
import { hash } from './hash.js';
import type { AnyOperation } from './operation.js';

/** The operations one worker can run, by name. */
export interface OperationRegistry {
  /** The operation called `name`, or `undefined`. */
  get(name: string): AnyOperation | undefined;
  /** Every name, built-ins first, then custom modules' operations in load order. */
  names(): string[];
}

/** The operations every worker ships with. */
export const builtinOperations: readonly AnyOperation[] = [encrypt, decrypt, hash, compress, decompress];

/** True when `value` has an operation's shape (`{ name: string, run: function }`), as `defineOperation` makes. */
export function isOperation(value: unknown): value is AnyOperation {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    (value as { name: string }).name.length > 0 &&
    typeof (value as { run?: unknown }).run === 'function'
  );
}

/**
 * Builds a registry from the built-ins plus custom operation modules. Each module is
 * `import()`ed; every export that is an operation (or an array of operations) is registered.
 * A module that fails to load, exports no operation, or reuses a name for another operation fails
 * with `INVALID_OPTION` (a module listed twice is loaded once),
 * so a typo in a URL shows up on the first job instead of as `UNKNOWN_OPERATION` later.
 */
export async function loadOperationRegistry(
  moduleUrls: readonly (string | URL)[],
  builtins: readonly AnyOperation[] = builtinOperations,
): Promise<OperationRegistry> {
  const byName = new Map<string, AnyOperation>();
  const add = (operation: AnyOperation, source: string): void => {
    // The same module listed twice (or under two spellings of its URL) gives the same objects:
    // nothing clashes. Only another operation under a taken name does.
    if (byName.get(operation.name) === operation) return;
    if (byName.has(operation.name)) {
      throw new KwqmError(
        'INVALID_OPTION',
        `Operation \`${operation.name}\` from ${source} is already defined; operation names must be unique`,
        { details: { operation: operation.name, module: source } },
      );
    }
    byName.set(operation.name, operation);
  };
  for (const operation of builtins) add(operation, 'the built-in operations');
  for (const url of moduleUrls) {
    const href = String(url);
    let namespace: Record<string, unknown>;
    try {
      namespace = (await import(href)) as Record<string, unknown>;
    } catch (error) {
      throw new KwqmError(
        'INVALID_OPTION',
        `Could not load the operation module ${href}: ${messageOf(error)}`,
        {
          cause: error,
          details: { module: href },
        },
      );
    }
    const found = operationsIn(namespace);
    if (found.length === 0) {
      throw new KwqmError('INVALID_OPTION', `The operation module ${href} exports no operation`, {
        details: { module: href },
      });
    }
    for (const operation of found) add(operation, href);
  }
  return {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()],
  };
}

function operationsIn(namespace: Record<string, unknown>): AnyOperation[] {
  const found = new Set<AnyOperation>();
  for (const value of Object.values(namespace)) {
    // The same operation may be both a named and the default export; register it once.
    if (isOperation(value)) found.add(value);
    else if (Array.isArray(value)) for (const item of value) if (isOperation(item)) found.add(item);
  }
  return [...found];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
