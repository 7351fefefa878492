import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One step of a terminal conversation: wait for `expect`, then type `send` (a `\r` is added). */
export interface PtyStep {
  readonly expect: string;
  /** Text to type, or `'^C'` for Ctrl-C. Omit to only wait. */
  readonly send?: string;
}

/** The end of a conversation: the program's exit status and everything the terminal showed. */
export interface PtyRun {
  readonly code: number;
  readonly transcript: string;
}

function tclQuote(text: string): string {
  return `{${text.replace(/[{}\\]/g, (character) => `\\${character}`)}}`;
}

/**
 * Runs a command on a real pseudo-terminal with /usr/bin/expect, answering prompts as a person
 * would: this is how the hidden passphrase prompt (raw mode, no echo) is tested for real.
 */
export async function runInPty(
  command: readonly string[],
  steps: readonly PtyStep[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutSeconds?: number },
): Promise<PtyRun> {
  const lines = [
    `set timeout ${options.timeoutSeconds ?? 60}`,
    'log_user 1',
    `spawn -noecho ${command.map(tclQuote).join(' ')}`,
  ];
  for (const step of steps) {
    // The braced form must span lines: on one line expect takes the whole list as one pattern.
    lines.push(
      'expect {',
      `  -exact ${tclQuote(step.expect)} {}`,
      `  timeout { puts "\\nPTY-TIMEOUT waiting for ${step.expect.replace(/[^\w ]/g, '')}"; exit 99 }`,
      `  eof { puts "\\nPTY-EOF waiting for ${step.expect.replace(/[^\w ]/g, '')}"; exit 98 }`,
      '}',
    );
    if (step.send === '^C') lines.push('send "\\003"');
    else if (step.send !== undefined) lines.push(`send -- ${tclQuote(step.send)}`, 'send "\\r"');
  }
  lines.push('expect eof', 'set result [wait]', 'exit [lindex $result 3]');
  const script = join(tmpdir(), `kwqm-pty-${process.pid}-${Math.random().toString(36).slice(2)}.exp`);
  await writeFile(script, `${lines.join('\n')}\n`);
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn('/usr/bin/expect', ['-f', script], { cwd: options.cwd, env: options.env });
      let transcript = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        transcript += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        transcript += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, transcript }));
    });
  } finally {
    await rm(script, { force: true });
  }
}
