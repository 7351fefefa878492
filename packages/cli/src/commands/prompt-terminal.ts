import type { CliContext } from '../cli-context.js';
import type { PromptTerminal } from '../input/read-hidden-line.js';

/** The terminal to ask a passphrase on: standard input when it is a TTY, prompts on standard error. */
export function promptTerminal(context: CliContext): PromptTerminal | undefined {
  return context.stdin.isTTY === true ? { input: context.stdin, output: context.stderr } : undefined;
}
