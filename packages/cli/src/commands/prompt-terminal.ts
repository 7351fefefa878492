import { closeSync, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import type { CliContext } from '../cli-context.js';
import type { PromptTerminal } from '../input/read-hidden-line.js';

/** A terminal to prompt on, and how to let go of it afterwards. */
export interface OpenedPromptTerminal {
  readonly terminal: PromptTerminal | undefined;
  close(): void;
}

const NOTHING_TO_CLOSE = (): void => {};

/**
 * The terminal to ask a passphrase on. Normally standard input when it is a TTY, prompts on
 * standard error. Otherwise the controlling terminal `/dev/tty` is opened, for reading and for the
 * prompts, as age does: when standard input carries the data (`… | kwqm encrypt -p`), and when it
 * is no terminal at all (`< /dev/null`, a `while read f; do kwqm encrypt "$f"; done < list` loop,
 * whose person still sits at the terminal). With no controlling terminal (cron, CI, `setsid`)
 * there is none and the caller reports `PASSPHRASE_REQUIRED`.
 */
export function promptTerminal(context: CliContext, stdinIsData = false): OpenedPromptTerminal {
  if (!stdinIsData && context.stdin.isTTY === true) {
    return { terminal: { input: context.stdin, output: context.stderr }, close: NOTHING_TO_CLOSE };
  }
  let readFd: number | undefined;
  let writeFd: number | undefined;
  try {
    readFd = openSync('/dev/tty', 'r');
    writeFd = openSync('/dev/tty', 'w');
  } catch {
    if (readFd !== undefined) closeSync(readFd);
    return { terminal: undefined, close: NOTHING_TO_CLOSE };
  }
  const input = new ReadStream(readFd);
  const output = new WriteStream(writeFd);
  return {
    terminal: { input: input as NodeJS.ReadStream, output },
    close: () => {
      input.destroy();
      output.destroy();
    },
  };
}
