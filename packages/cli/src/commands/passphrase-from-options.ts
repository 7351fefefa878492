import { resolve } from 'node:path';
import type { CliContext } from '../cli-context.js';
import { getPassphrase, type PassphrasePurpose } from '../input/passphrase.js';
import { promptTerminal } from './prompt-terminal.js';

/**
 * The passphrase for `encrypt` / `decrypt` from the command's own sources: `--passphrase-file`
 * (relative to the working folder), `KWQM_PASSPHRASE`, else the terminal — standard input when
 * it is one and not the data (`stdinIsData`), else `/dev/tty`, opened only if it is needed.
 */
export async function passphraseFromOptions(
  purpose: PassphrasePurpose,
  context: CliContext,
  options: Record<string, unknown>,
  stdinIsData = false,
): Promise<string> {
  const passphraseFile =
    options.passphraseFile === undefined ? undefined : resolve(context.cwd, String(options.passphraseFile));
  const needsTerminal = passphraseFile === undefined && context.env.KWQM_PASSPHRASE === undefined;
  const opened = needsTerminal ? promptTerminal(context, stdinIsData) : undefined;
  try {
    return await getPassphrase(purpose, {
      passphraseFile,
      env: context.env,
      terminal: opened?.terminal,
    });
  } finally {
    opened?.close();
  }
}
