import type { JobSpec, Priority } from '@kwqm/core';
import type { BuiltinOperationName, BuiltinOperations } from '@kwqm/node-runtime';
import type { FileJob } from './run-file-jobs.js';

/**
 * One file's job as every file command submits it: labelled with the input's absolute path
 * (what `kwqm list` and the editor show), at the command's priority.
 */
export function fileJob<Op extends BuiltinOperationName>(
  file: string,
  priority: Priority,
  operation: Op,
  params: BuiltinOperations[Op]['params'],
  secrets?: BuiltinOperations[Op]['secrets'],
): FileJob {
  const spec = {
    operation,
    label: params.input,
    priority,
    params,
    ...(secrets === undefined ? {} : { secrets }),
  } as JobSpec<BuiltinOperations>;
  return { file, spec };
}
