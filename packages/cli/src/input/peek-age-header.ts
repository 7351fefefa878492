import { open } from 'node:fs/promises';

const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
// A header with a handful of stanzas is a few hundred bytes; 64 KiB covers any sane one.
const PEEK_BYTES = 64 * 1024;

/** What the start of a file says about how it was encrypted. */
export interface AgeHeaderPeek {
  /** True when a `-> scrypt` stanza is present: the file needs a passphrase. */
  readonly passphrase: boolean;
}

/**
 * Looks at the header of an age file (binary or armored) to learn whether decrypting it needs a
 * passphrase, so `kwqm decrypt` prompts only then. Only a hint for the prompt: the decrypt job
 * parses and authenticates the header itself. An unreadable file answers `undefined` and the job
 * reports the real error.
 */
export async function peekAgeHeader(path: string): Promise<AgeHeaderPeek | undefined> {
  let bytes: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(PEEK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, PEEK_BYTES, 0);
      bytes = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  let text = bytes.toString('latin1');
  if (text.trimStart().startsWith(ARMOR_BEGIN)) {
    const body = text.trimStart().slice(ARMOR_BEGIN.length).split(/\r?\n/);
    const base64Lines: string[] = [];
    for (const line of body) {
      if (line.trim() === '') continue;
      if (line.startsWith('-----')) break;
      base64Lines.push(line.trim());
    }
    text = Buffer.from(base64Lines.join(''), 'base64').toString('latin1');
  }
  if (!text.startsWith('age-encryption.org/v1\n')) return undefined;
  const headerEnd = text.indexOf('\n---');
  const header = headerEnd === -1 ? text : text.slice(0, headerEnd);
  return { passphrase: /\n-> scrypt /.test(header) };
}
