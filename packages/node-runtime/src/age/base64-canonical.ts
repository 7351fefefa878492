const ALPHABET = /^[A-Za-z0-9+/]*$/;

/** Standard base64 without padding, as the age header uses it. */
export function encodeBase64NoPadding(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/=+$/, '');
}

/**
 * Decodes unpadded standard base64 strictly, as the age spec requires: only the base64
 * alphabet, no padding, and canonical (the unused low bits of the last character are zero).
 * Returns `undefined` for anything else; callers turn that into their own error.
 */
export function decodeBase64NoPadding(text: string): Buffer | undefined {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return encodeBase64NoPadding(bytes) === text ? bytes : undefined;
}
