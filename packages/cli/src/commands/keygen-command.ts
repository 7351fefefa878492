import { resolve } from 'node:path';
import { KwqmError } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';
import { refuseSpecialOutput } from './refuse-special-output.js';

/**
 * `kwqm keygen [-o FILE]`: a new X25519 identity in `age-keygen`'s format. Without `-o` (or with
 * `-o -`) the identity file goes to standard output; with it, to FILE (mode 0600, written atomically, never
 * over an existing file without `--force`) and the public key to standard error, as
 * `age-keygen` does.
 */
export async function run(context: CliContext, options: Record<string, unknown>): Promise<ExitCode> {
  const { formatIdentityFile, generateIdentity, writeIdentityFile } = await import('@kwqm/node-runtime');
  // `-o -` is standard output, as for every other command (age-keygen would write a file named `-`).
  if (options.output !== undefined && options.output !== '-') {
    if (options.output === '') {
      throw new KwqmError('INVALID_OPTION', '-o/--output cannot be an empty name', {
        details: { option: 'output' },
      });
    }
    const output = resolve(context.cwd, String(options.output));
    refuseSpecialOutput(output);
    const { recipient, path } = await writeIdentityFile(output, { overwrite: options.force === true });
    if (options.json === true) context.stdout.write(`${JSON.stringify({ recipient, output: path })}\n`);
    else context.stderr.write(`Public key: ${recipient}\n`);
    return EXIT_CODES.ok;
  }
  const pair = generateIdentity();
  if (options.json === true) {
    context.stdout.write(
      `${JSON.stringify({ recipient: pair.recipient, identity: pair.identity, output: null })}\n`,
    );
  } else {
    context.stdout.write(formatIdentityFile(pair));
  }
  return EXIT_CODES.ok;
}
