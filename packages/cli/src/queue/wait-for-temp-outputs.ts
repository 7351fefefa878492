import { readdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

const POLL_MS = 50;

/**
 * Waits until no temp file of the given outputs is left (`.<name>.kwqm-<random>.tmp` beside
 * each, the documented name of node-runtime's atomic outputs), for at most `timeoutMs`.
 *
 * Why: the core queue reports a running job `canceled` as soon as it is told to stop, while its
 * worker is still unlinking the temp file. In-process, closing the queue waits for the worker;
 * a daemon client has nothing to wait on, so after Ctrl-C the CLI watches the folder instead,
 * to keep its promise of leaving no partial output behind when it exits. The bound covers the
 * pool's cancel grace period (2 s by default) after which the worker is replaced.
 */
export async function waitForTempOutputs(outputs: readonly string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let pending = false;
    for (const output of outputs) {
      const prefix = `.${basename(output)}.kwqm-`;
      const entries = await readdir(dirname(output)).catch(() => [] as string[]);
      if (entries.some((entry) => entry.startsWith(prefix) && entry.endsWith('.tmp'))) pending = true;
    }
    if (!pending) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
