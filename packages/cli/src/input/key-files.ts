import { readFile } from 'node:fs/promises';
import { KwqmError } from '@kwqm/core';

// An age X25519 recipient: `age1` + 58 bech32 characters (32-byte key + checksum). The worker
// checks the checksum; this catches typos and SSH keys before any job is submitted.
const RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

/** Refuses anything that is not an `age1…` X25519 recipient with `INVALID_KEY` (a usage error). */
export function checkRecipient(recipient: string, where: string): string {
  if (RECIPIENT.test(recipient)) return recipient;
  // Never echo the value: a secret key pasted in the wrong place must not reach a log.
  const reason = /^AGE-SECRET-KEY-1/i.test(recipient)
    ? 'this is a secret key (an identity), not a recipient; give its public key (age1…)'
    : 'not an age X25519 recipient (age1…)';
  throw new KwqmError('INVALID_KEY', `${where}: ${reason}`, { details: { where } });
}

async function readKeyFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new KwqmError('INVALID_OPTION', `Cannot read the ${what} file ${path}: ${code}`, {
      cause: error,
      details: { path },
    });
  }
}

/**
 * Reads an age recipients file (`-R`): one recipient per line; blank lines and lines starting
 * with `#` are ignored, as `age -R` does.
 */
export async function readRecipientsFile(path: string): Promise<string[]> {
  const text = await readKeyFile(path, 'recipients');
  const recipients: string[] = [];
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    recipients.push(checkRecipient(line, `${path}:${index + 1}`));
  }
  if (recipients.length === 0) {
    throw new KwqmError('INVALID_KEY', `${path}: no recipients found`, { details: { path } });
  }
  return recipients;
}

/**
 * Reads an identity file (`-i`) as text, comments and all (the format `age-keygen` writes); the
 * decrypt operation parses it. At least one `AGE-SECRET-KEY-1` line is required here so a wrong
 * file fails as a usage error, not as one failed job per input.
 */
export async function readIdentityFile(path: string): Promise<string> {
  const text = await readKeyFile(path, 'identity');
  if (!/^AGE-SECRET-KEY-1[0-9A-Z]+$/m.test(text)) {
    throw new KwqmError('INVALID_KEY', `${path}: no AGE-SECRET-KEY-1 identity found`, { details: { path } });
  }
  return text;
}
