import { KwqmError } from '@kwqm/core';
import { createAgeDecryptor } from '../age/age-decryptor.js';
import { DEFAULT_MAX_WORK_FACTOR } from '../age/scrypt-stanza.js';
import { transformFile } from '../files/transform-file.js';
import type { DecryptParams, DecryptSecrets, FileOutputResult } from './builtin-operation-types.js';
import { nameWithoutExtension } from './name-without-extension.js';
import { defineOperation } from './operation.js';
import {
  checkSecretsObject,
  optionalFlag,
  optionalIntegerInRange,
  optionalPath,
  requireParams,
  requirePath,
} from './param-checks.js';

/** Decrypted files are readable by their owner only. */
const DECRYPTED_MODE = 0o600;

/**
 * `decrypt`: any age v1 file, binary or armored, with `secrets.passphrase` and/or
 * `secrets.identities`. The default output strips `.age`; other names need an explicit
 * `output` (`INVALID_JOB`). Plaintext is written to a temporary file and renamed into place only
 * after the last chunk authenticated, so a modified, truncated or wrongly keyed file never
 * leaves plaintext at the output path. Output mode 0600.
 */
export const decrypt = defineOperation<DecryptParams, FileOutputResult, DecryptSecrets>({
  name: 'decrypt',
  async run(rawParams, secrets, { signal, reportProgress }) {
    const params = requireParams(rawParams, ['input', 'output', 'overwrite', 'maxWorkFactor']);
    checkSecretsObject(secrets, ['passphrase', 'identities']);
    const input = requirePath('input', params.input);
    const output = optionalPath('output', params.output) ?? defaultOutput(input);
    const overwrite = optionalFlag('overwrite', params.overwrite);
    const maxWorkFactor = optionalIntegerInRange(
      'maxWorkFactor',
      params.maxWorkFactor,
      1,
      30,
      DEFAULT_MAX_WORK_FACTOR,
    );
    const identities = secrets?.identities ?? [];
    if (!Array.isArray(identities) || !identities.every((identity) => typeof identity === 'string')) {
      throw new KwqmError('INVALID_JOB', 'Expected `identities` to be an array of strings', {
        details: { field: 'identities' },
      });
    }
    const passphrase = secrets?.passphrase;
    if (passphrase !== undefined && (typeof passphrase !== 'string' || passphrase === '')) {
      throw new KwqmError('INVALID_JOB', 'Expected the passphrase to be a non-empty string', {
        details: { field: 'passphrase' },
      });
    }
    if (identities.length === 0 && passphrase === undefined) {
      throw new KwqmError('PASSPHRASE_REQUIRED', 'Give a passphrase or identities to decrypt with');
    }
    const options = { identities, maxWorkFactor, ...(passphrase === undefined ? {} : { passphrase }) };
    createAgeDecryptor(options); // Bad identities fail before any file is touched (INVALID_KEY).
    const result = await transformFile({
      input,
      output,
      overwrite,
      mode: DECRYPTED_MODE,
      signal,
      onProgress: reportProgress,
      transform: () => createAgeDecryptor(options),
    });
    return { output: result.output ?? output, bytesIn: result.bytesIn, bytesOut: result.bytesOut };
  },
});

function defaultOutput(input: string): string {
  const output = nameWithoutExtension(input, '.age');
  if (output !== undefined) return output;
  throw new KwqmError(
    'INVALID_JOB',
    `Cannot derive the output name: ${input} does not end in .age; give \`output\``,
    {
      details: { field: 'output', path: input },
    },
  );
}
