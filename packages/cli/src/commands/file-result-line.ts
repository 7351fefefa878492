import type { FileOutputResult } from '@kwqm/node-runtime';
import type { CliContext } from '../cli-context.js';
import { displayPath } from '../output/display-path.js';
import { formatBytes } from '../output/format-bytes.js';
import { printable } from '../output/printable.js';
import type { ResultLine } from './run-file-jobs.js';

/** `notes.txt -> notes.txt.age (1.2 KiB)`: the result line of every command that writes a file. */
export function fileResultLine(context: CliContext): ResultLine {
  return (job, result) => {
    const { output, bytesOut } = result as FileOutputResult;
    return `${printable(job.file)} -> ${printable(displayPath(output, context.cwd))} (${formatBytes(bytesOut)})`;
  };
}
