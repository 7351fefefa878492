import { KwqmError } from '@kwqm/core';
import { readSmallFile } from './read-small-file.js';

// An age X25519 recipient: `age1` + 58 bech32 characters (32-byte key + checksum). The shape
// first, for a reason to give; the checksum is checked below, before any job is submitted.
const RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

// Key types age knows and kwqm does not: named, so the user is not left guessing at a typo.
const SSH_PUBLIC_KEY = /^(ssh-(ed25519|rsa)|ecdsa-sha2-|sk-(ssh|ecdsa))/;
const SSH_PRIVATE_KEY = /^-----BEGIN (OPENSSH|RSA|EC) PRIVATE KEY-----/m;
// An identity file encrypted with a passphrase (`age -p -o key.age key.txt`), binary or armored.
const ENCRYPTED_IDENTITY = /^(age-encryption\.org\/v1\n|-----BEGIN AGE ENCRYPTED FILE-----)/;

function invalidRecipient(where: string, reason: string): KwqmError {
  return new KwqmError('INVALID_KEY', `${where}: ${reason}`, { details: { where } });
}

/**
 * Refuses anything that is not an `age1…` X25519 recipient with `INVALID_KEY` (a usage error),
 * its Bech32 checksum included: a mistyped key fails here, once, not as one failed job per file.
 */
export async function checkRecipient(recipient: string, where: string): Promise<string> {
  // Never echo the value: a secret key pasted in the wrong place must not reach a log.
  if (!RECIPIENT.test(recipient)) {
    let reason = 'not an age X25519 recipient (age1…)';
    if (/^AGE-SECRET-KEY-1/i.test(recipient))
      reason = 'this is a secret key (an identity), not a recipient; give its public key (age1…)';
    else if (SSH_PUBLIC_KEY.test(recipient))
      reason = 'an SSH key; kwqm encrypts only to age X25519 recipients (age1…)';
    throw invalidRecipient(where, reason);
  }
  const { createAgeEncryptor } = await import('@kwqm/node-runtime');
  try {
    createAgeEncryptor({ recipients: [recipient] });
  } catch {
    throw invalidRecipient(where, 'not a valid age X25519 recipient: its checksum does not match (a typo?)');
  }
  return recipient;
}

/**
 * Reads an age recipients file (`-R`): one recipient per line; blank lines and lines starting
 * with `#` are ignored, as `age -R` does.
 */
export async function readRecipientsFile(path: string): Promise<string[]> {
  const text = await readSmallFile(path, 'recipients');
  const recipients: string[] = [];
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    recipients.push(await checkRecipient(line, `${path}:${index + 1}`));
  }
  if (recipients.length === 0) {
    throw new KwqmError('INVALID_KEY', `${path}: no recipients found`, { details: { path } });
  }
  return recipients;
}

/**
 * Reads an identity file (`-i`) as text, comments and all (the format `age-keygen` writes); the
 * decrypt operation parses it again. Every key is checked here, checksum included, so a wrong or
 * damaged file fails as a usage error naming the file and line, not as one failed job per input.
 */
export async function readIdentityFile(path: string): Promise<string> {
  const text = await readSmallFile(path, 'identity');
  const refuse = (where: string, reason: string) =>
    new KwqmError('INVALID_KEY', `${where}: ${reason}`, { details: { path } });
  if (ENCRYPTED_IDENTITY.test(text)) {
    throw refuse(
      path,
      'a passphrase-protected identity file, which kwqm cannot read; decrypt it first (age -d)',
    );
  }
  if (SSH_PRIVATE_KEY.test(text)) {
    throw refuse(path, 'an SSH key; kwqm supports only age X25519 identities (AGE-SECRET-KEY-1…)');
  }
  const { parseIdentities } = await import('@kwqm/node-runtime');
  try {
    parseIdentities(text);
  } catch (error) {
    const line = (error as KwqmError).details?.line;
    if (typeof line !== 'number') throw refuse(path, 'no AGE-SECRET-KEY-1 identity found');
    const plugin = /^AGE-PLUGIN-/i.test(text.split(/\r?\n/)[line - 1]?.trim() ?? '');
    throw refuse(
      `${path}:${line}`,
      plugin
        ? 'an age plugin identity (AGE-PLUGIN-…); kwqm supports only age X25519 identities (AGE-SECRET-KEY-1…)'
        : 'not a valid age X25519 identity (AGE-SECRET-KEY-1…)',
    );
  }
  return text;
}

/**
 * The recipients of the identities in an identity file, for `kwqm encrypt -i` as `age -e -i`: the
 * same as `-R` with the output of `age-keygen -y PATH`. The file is checked as for decrypt (SSH
 * keys, passphrase-protected files and damaged keys are `INVALID_KEY`), and only the public keys
 * leave this function: the secret keys never reach a job, a worker or the daemon.
 */
export async function readIdentityFileRecipients(path: string): Promise<string[]> {
  const text = await readIdentityFile(path);
  const { identityToRecipient } = await import('@kwqm/node-runtime');
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((identity) => identityToRecipient(identity));
}
