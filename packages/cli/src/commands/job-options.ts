import { resolve } from 'node:path';
import { KwqmError, type Priority } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import { parsePriority } from '../input/option-parsers.js';
import type { QueueMode } from '../queue/queue-mode.js';
import { refuseSpecialOutput } from './refuse-special-output.js';

/** The flags every file command shares, checked and normalised. */
export interface JobOptions {
  readonly priority: Priority;
  readonly overwrite: boolean;
  /** Absolute path from `-o`, only ever set for a single file. */
  readonly output: string | undefined;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly debug: boolean;
  readonly mode: QueueMode;
}

/**
 * Reads the shared flags; `-o` with more than one file, or naming a device, pipe or socket, is a
 * usage error.
 */
export function readJobOptions(
  context: CliContext,
  options: Record<string, unknown>,
  files: readonly string[],
): JobOptions {
  const output = options.output as string | undefined;
  if (output !== undefined && files.length > 1) {
    throw new KwqmError('INVALID_OPTION', `-o/--output takes a single input file, got ${files.length}`, {
      details: { option: 'output' },
    });
  }
  const outputPath = output === undefined ? undefined : resolve(context.cwd, output);
  if (outputPath !== undefined && output !== '-') refuseSpecialOutput(outputPath);
  let mode: QueueMode = 'auto';
  if (options.detach === true) mode = 'detach';
  else if (options.daemon === true) mode = 'daemon';
  else if (options.embedded === true) mode = 'embedded';
  return {
    priority: parsePriority(String(options.priority ?? 'medium')),
    overwrite: options.force === true,
    output: outputPath,
    json: options.json === true,
    quiet: options.quiet === true,
    debug: options.debug === true,
    mode,
  };
}
