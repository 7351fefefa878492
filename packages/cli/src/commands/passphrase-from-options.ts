import { resolve } from 'node:path';
import type { CliContext } from '../cli-context.js';
import { getPassphrase, type PassphrasePurpose } from '../input/passphrase.js';
import { promptTerminal } from './prompt-terminal.js';

/**
 * The passphrase for `encrypt` / `decrypt` from the command's own sources: `--passphrase-file`
 * (relative to the working folder), `KWQM_PASSPHRASE`, else the terminal.
 */
export function passphraseFromOptions(
  purpose: PassphrasePurpose,
  context: CliContext,
  options: Record<string, unknown>,
): Promise<string> {
  return getPassphrase(purpose, {
    passphraseFile:
      options.passphraseFile === undefined ? undefined : resolve(context.cwd, String(options.passphraseFile)),
    env: context.env,
    terminal: promptTerminal(context),
  });
}
