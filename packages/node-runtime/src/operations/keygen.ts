import { formatIdentityFile, generateIdentity } from '../age/generate-identity.js';
import { openAtomicOutput } from '../files/atomic-output.js';

export type { AgeKeyPair } from '../age/generate-identity.js';
export { formatIdentityFile, generateIdentity, identityToRecipient } from '../age/generate-identity.js';
export { parseIdentities } from '../age/identity-file.js';

/** Options of {@link writeIdentityFile}. */
export interface WriteIdentityFileOptions {
  /** Replace an existing file. @default false */
  readonly overwrite?: boolean;
}

/**
 * `kwqm keygen -o FILE`: generates a key pair and writes it as `age-keygen` does (comments with
 * the creation time and public key, then the secret key), mode 0600, atomically, refusing to
 * replace an existing file unless `overwrite`. Returns the public key to print.
 */
export async function writeIdentityFile(
  path: string,
  options: WriteIdentityFileOptions = {},
): Promise<{ recipient: string; path: string }> {
  const pair = generateIdentity();
  const output = await openAtomicOutput(path, { overwrite: options.overwrite ?? false, mode: 0o600 });
  try {
    await output.write([Buffer.from(formatIdentityFile(pair))]);
    await output.commit();
  } catch (error) {
    await output.abort();
    throw error;
  }
  return { recipient: pair.recipient, path: output.path };
}
