import { KwqmError } from '@kwqm/core';
import { decodeIdentity } from './bech32-keys.js';

/**
 * Reads identities the way `age -i` does: one `AGE-SECRET-KEY-1…` key per line; blank lines and
 * `#` comments (as age-keygen writes them) are ignored. A single key without newline works too.
 * Returns raw 32-byte private keys; any other line is `INVALID_KEY` (with its line number,
 * never its content).
 */
export function parseIdentities(text: string): Uint8Array[] {
  const keys: Uint8Array[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      keys.push(decodeIdentity(line));
    } catch (error) {
      throw new KwqmError(
        'INVALID_KEY',
        `Line ${index + 1} of the identities is not an age X25519 identity`,
        {
          cause: error,
          details: { line: index + 1 },
        },
      );
    }
  }
  if (keys.length === 0)
    throw new KwqmError('INVALID_KEY', 'No identity found (expected AGE-SECRET-KEY-1… lines)');
  return keys;
}
