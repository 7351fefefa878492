/**
 * How an age file can be opened, judged from its header: `not-age` when it starts neither with
 * the age intro line nor with armor (the engine would refuse it with AGE_BAD_HEADER whatever the
 * secret), `unknown` when it looks like age but the stanzas cannot be read from the head.
 */
export type AgeFileKind = 'passphrase' | 'recipients' | 'unknown' | 'not-age';

const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const BINARY_INTRO = 'age-encryption.org/v1\n';

/**
 * Tells from the first bytes of a file (4 KiB is plenty) whether it was encrypted to a
 * passphrase (an `scrypt` stanza) or to recipients, so Decrypt File asks for a passphrase only
 * when one can help. A guess for the prompt, not a validation: the engine checks the header.
 */
export function peekAgeFileKind(head: Uint8Array): AgeFileKind {
  let text = new TextDecoder('latin1').decode(head);
  const armorStart = text.indexOf(ARMOR_BEGIN);
  if (armorStart !== -1 && text.slice(0, armorStart).trim() === '') {
    const body = text
      .slice(armorStart + ARMOR_BEGIN.length)
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('-----'))
      .join('');
    // Decode whole 4-character groups only: the head may end mid-line.
    const usable = body.slice(0, body.length - (body.length % 4));
    try {
      text = new TextDecoder('latin1').decode(Uint8Array.from(atob(usable), (c) => c.charCodeAt(0)));
    } catch {
      return 'unknown';
    }
  } else if (!text.startsWith(BINARY_INTRO)) return 'not-age';
  if (!text.startsWith(BINARY_INTRO)) return 'unknown';
  const stanzaTypes = text
    .slice(BINARY_INTRO.length)
    .split('\n')
    .filter((line) => line.startsWith('-> '))
    .map((line) => line.split(' ')[1]);
  if (stanzaTypes.length === 0) return 'unknown';
  return stanzaTypes.includes('scrypt') ? 'passphrase' : 'recipients';
}
