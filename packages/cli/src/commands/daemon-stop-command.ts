import { KwqmError } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';

/** `kwqm daemon stop` (provisional). */
export async function run(_context: CliContext, _options: Record<string, unknown>): Promise<ExitCode> {
  throw new KwqmError('DAEMON_UNAVAILABLE', 'not yet');
}
