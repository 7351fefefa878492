import type { FileOutputResult } from '@kwqm/node-runtime';
import type { CliContext } from '../cli-context.js';
import { displayPath } from '../output/display-path.js';
import { formatBytes } from '../output/format-bytes.js';
import type { StreamCounts } from './run-stream.js';
import { STANDARD_STREAM, type StreamPlan } from './stream-plan.js';

/**
 * The `--json` result of a stream that writes bytes: the shape of a file job's result, with
 * `output` `"-"` for standard output.
 */
export function streamFileResult(counts: StreamCounts): FileOutputResult {
  return { output: counts.output ?? STANDARD_STREAM, bytesIn: counts.bytesIn, bytesOut: counts.bytesOut };
}

/** `- -> notes.txt.age (1.2 KiB)`: the line of a stream written to an `-o` file. */
export function streamResultLine(context: CliContext, plan: StreamPlan): (result: unknown) => string {
  return (result) => {
    const { output, bytesOut } = result as FileOutputResult;
    const shown = output === STANDARD_STREAM ? output : displayPath(output, context.cwd);
    return `${plan.file} -> ${shown} (${formatBytes(bytesOut)})`;
  };
}
