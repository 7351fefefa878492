// A custom KWQM operation: counts the lines of a file, streamed in constant memory.
// Workers load this module by URL (`operations: [new URL('./line-count-operation.mjs', import.meta.url)]`)
// and register every exported operation. Plain JavaScript: worker threads cannot load TypeScript,
// so ship your operation module built (see docs/guides/custom-operations.md).

import { KwqmError } from '@kwqm/core';
import { defineOperation, transformFile } from '@kwqm/node-runtime';

const NEWLINE = 0x0a;

/**
 * `line-count`: `{ input }` → `{ lines, bytes }`, counting `\n` like `wc -l`.
 * transformFile gives it the shared input checks (ENOENT, EACCES, EISDIR), progress per block
 * and cancellation between blocks for free.
 * @type {import('@kwqm/node-runtime').Operation<{ input: string }, { lines: number, bytes: number }>}
 */
export const lineCount = defineOperation({
  name: 'line-count',
  async run(params, _secrets, { signal, reportProgress }) {
    if (typeof params?.input !== 'string') {
      throw new KwqmError('INVALID_JOB', 'Expected `input` to be a path', { details: { field: 'input' } });
    }
    let lines = 0;
    const { bytesIn } = await transformFile({
      input: params.input,
      signal,
      onProgress: reportProgress,
      transform: {
        update(block) {
          for (let index = block.indexOf(NEWLINE); index !== -1; index = block.indexOf(NEWLINE, index + 1))
            lines += 1;
          return [];
        },
        final: () => [],
      },
    });
    return { lines, bytes: bytesIn };
  },
});
