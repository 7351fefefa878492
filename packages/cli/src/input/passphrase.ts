import { KwqmError } from '@kwqm/core';
import { type PromptTerminal, readHiddenLine } from './read-hidden-line.js';
import { readSmallFile } from './read-small-file.js';

/** Where a passphrase may come from, in the order they are tried. */
export interface PassphraseSources {
  /** `--passphrase-file F`: the first line of F (a trailing newline is not part of it). */
  readonly passphraseFile?: string;
  /** The environment; `KWQM_PASSPHRASE` is read from it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The terminal to prompt on, or `undefined` when there is none (a script, a pipe without `/dev/tty`). */
  readonly terminal: PromptTerminal | undefined;
}

/** Why a passphrase is needed: encryption asks twice, decryption once. */
export type PassphrasePurpose = 'encrypt' | 'decrypt';

async function readPassphraseFile(path: string): Promise<string> {
  const text = await readSmallFile(path, 'passphrase', { untilLineBreak: true });
  return text.split(/\r?\n/, 1)[0] ?? '';
}

function requireNonEmpty(passphrase: string, source: string): string {
  if (passphrase === '') {
    throw new KwqmError('INVALID_OPTION', `The passphrase from ${source} is empty`, { details: { source } });
  }
  return passphrase;
}

/**
 * Gets the passphrase: `--passphrase-file`, else `KWQM_PASSPHRASE`, else a hidden prompt on the
 * terminal (twice when encrypting, and both must match). With none of them — a script without a
 * terminal — it fails with `PASSPHRASE_REQUIRED`, a usage error: the CLI never waits on a pipe.
 */
export async function getPassphrase(purpose: PassphrasePurpose, sources: PassphraseSources): Promise<string> {
  if (sources.passphraseFile !== undefined) {
    return requireNonEmpty(await readPassphraseFile(sources.passphraseFile), '--passphrase-file');
  }
  const fromEnvironment = sources.env.KWQM_PASSPHRASE;
  if (fromEnvironment !== undefined) return requireNonEmpty(fromEnvironment, 'KWQM_PASSPHRASE');
  if (sources.terminal === undefined) {
    throw new KwqmError(
      'PASSPHRASE_REQUIRED',
      'A passphrase is needed but there is no terminal to ask on: use --passphrase-file FILE or KWQM_PASSPHRASE',
    );
  }
  if (purpose === 'decrypt') {
    return requireNonEmpty(await readHiddenLine('Enter passphrase: ', sources.terminal), 'the prompt');
  }
  const first = requireNonEmpty(await readHiddenLine('Enter passphrase: ', sources.terminal), 'the prompt');
  const second = await readHiddenLine('Confirm passphrase: ', sources.terminal);
  if (first !== second) throw new KwqmError('INVALID_OPTION', 'The passphrases do not match');
  return first;
}
