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
 * standard error. When standard input carries the data (`… | kwqm encrypt -p`), the controlling
 * terminal `/dev/tty` is opened instead, for reading and for the prompts, as age does; with no
 * controlling terminal (cron, CI, `setsid`) there is none and the caller reports
 * `PASSPHRASE_REQUIRED`.
 */
export function promptTerminal(context: CliContext, stdinIsData = false): OpenedPromptTerminal {
  if (!stdinIsData) {
    return {
      terminal: context.stdin.isTTY === true ? { input: context.stdin, output: context.stderr } : undefined,
      close: NOTHING_TO_CLOSE,
    };
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
