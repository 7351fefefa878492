import type { KwqmError } from '@kwqm/core';
import { cliReason } from './cli-reason.js';
import type { Colors } from './colors.js';
import { printable } from './printable.js';

/**
 * The one shape of every error the CLI prints: `kwqm: <subject>: <reason> (<CODE>)`, where the
 * subject is the file or job id concerned (left out when the error is about the whole command).
 * With `debug`, the stack and the cause chain follow on the next lines.
 */
export function formatErrorLine(
  error: KwqmError,
  options: { subject?: string; colors: Colors; debug?: boolean },
): string {
  const { subject, colors, debug = false } = options;
  const reason = printable(cliReason(error).replace(/\s*\n\s*/g, ' '));
  const head = `kwqm: ${subject === undefined ? '' : `${printable(subject)}: `}${reason} ${colors.dim(`(${error.code})`)}`;
  if (!debug) return colors.enabled ? `${colors.red('kwqm:')}${head.slice('kwqm:'.length)}` : head;
  const lines = [head];
  let current: unknown = error;
  while (current instanceof Error) {
    if (current.stack !== undefined) lines.push(current.stack);
    current = current.cause;
    if (current !== undefined) lines.push('Caused by:');
  }
  if (current !== undefined && !(current instanceof Error)) lines.push(String(current));
  return lines.join('\n');
}
