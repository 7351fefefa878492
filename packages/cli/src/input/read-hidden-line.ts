import { KwqmError } from '@kwqm/core';

/** The terminal a prompt talks to: a TTY read stream and where the prompt text goes. */
export interface PromptTerminal {
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WritableStream;
}

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const BACKSPACE = new Set(['\u007f', '\b']);

/**
 * Reads one line from a terminal without echoing it: raw mode, so nothing typed appears on the
 * screen or in the scrollback. Backspace and Ctrl-U edit; Enter ends; Ctrl-C (raw mode turns it
 * into a byte rather than a signal) and Ctrl-D on an empty line reject with `ABORTED`, which the
 * CLI turns into exit status 130.
 */
export function readHiddenLine(prompt: string, terminal: PromptTerminal): Promise<string> {
  const { input, output } = terminal;
  return new Promise((resolve, reject) => {
    let characters: string[] = [];
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: Buffer | string): void => {
      // Iterate code points, not UTF-16 units, so backspace removes a whole character.
      for (const character of String(chunk)) {
        if (ENTER.has(character)) {
          finish();
          resolve(characters.join(''));
          return;
        }
        if (character === CTRL_C || (character === CTRL_D && characters.length === 0)) {
          finish();
          reject(new KwqmError('ABORTED', 'Interrupted at the passphrase prompt'));
          return;
        }
        if (BACKSPACE.has(character)) characters = characters.slice(0, -1);
        else if (character === CTRL_U) characters = [];
        else if (character >= ' ') characters.push(character);
      }
    };
    // Raw mode first, prompt second: whatever is typed (or pasted) the moment the prompt shows
    // must already find echo off.
    input.setEncoding('utf8');
    input.setRawMode(true);
    output.write(prompt);
    input.on('data', onData);
    input.resume();
  });
}
