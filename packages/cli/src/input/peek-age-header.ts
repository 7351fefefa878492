import { open } from 'node:fs/promises';

const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const VERSION_LINE = 'age-encryption.org/v1\n';
/** A header with a handful of stanzas is a few hundred bytes; 64 KiB covers any sane one. */
export const PEEK_BYTES = 64 * 1024;

/** What the start of a file says about how it was encrypted. */
export interface AgeHeaderPeek {
  /** True when a `-> scrypt` stanza is present: the file needs a passphrase. */
  readonly passphrase: boolean;
}

// The header as text: the bytes themselves, or the base64 of an armored file decoded.
function headerText(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  if (!text.trimStart().startsWith(ARMOR_BEGIN)) return text;
  const body = text.trimStart().slice(ARMOR_BEGIN.length).split(/\r?\n/);
  const base64Lines: string[] = [];
  for (const line of body) {
    if (line.trim() === '') continue;
    if (line.startsWith('-----')) break;
    base64Lines.push(line.trim());
  }
  return Buffer.from(base64Lines.join(''), 'base64').toString('latin1');
}

/**
 * True once `bytes` (the start of a stream) hold a whole age header (its `---` MAC line), or show
 * they are not age at all: reading more from a pipe would tell nothing new.
 */
export function ageHeaderSeen(bytes: Buffer): boolean {
  if (headerText(bytes).includes('\n---')) return true;
  const raw = bytes.toString('latin1', 0, 256);
  const binary = raw.startsWith(VERSION_LINE) || VERSION_LINE.startsWith(raw);
  const trimmed = raw.trimStart();
  const armored = trimmed.startsWith(ARMOR_BEGIN) || ARMOR_BEGIN.startsWith(trimmed);
  return !binary && !armored;
}

/**
 * What the first bytes of an age file (binary or armored) say: whether decrypting it needs a
 * passphrase. `undefined` when they are not an age header (the decryptor reports the real error).
 */
export function inspectAgeHeader(bytes: Buffer): AgeHeaderPeek | undefined {
  const text = headerText(bytes);
  if (!text.startsWith(VERSION_LINE)) return undefined;
  const headerEnd = text.indexOf('\n---');
  const header = headerEnd === -1 ? text : text.slice(0, headerEnd);
  return { passphrase: /\n-> scrypt /.test(header) };
}

/**
 * Looks at the header of an age file to learn whether decrypting it needs a passphrase, so
 * `kwqm decrypt` prompts only then. Only a hint for the prompt: the decrypt job parses and
 * authenticates the header itself. An unreadable file answers `undefined` and the job reports
 * the real error.
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
  return inspectAgeHeader(bytes);
}
