import { KwqmError } from '@kwqm/core';
import { createAgeEncryptor } from '../age/age-encryptor.js';
import { DEFAULT_WORK_FACTOR } from '../age/scrypt-stanza.js';
import { transformFile } from '../files/transform-file.js';
import type { EncryptParams, EncryptSecrets, FileOutputResult } from './builtin-operation-types.js';
import { defineOperation } from './operation.js';
import {
  checkSecretsObject,
  optionalFlag,
  optionalIntegerInRange,
  optionalPath,
  requireParams,
  requirePath,
} from './param-checks.js';

/**
 * `encrypt`: writes an age v1 file (default `input + '.age'`) for one or more X25519
 * `recipients`, or for `secrets.passphrase` (scrypt, `workFactor` 18 by default). The output
 * appears only when complete (atomic rename); a failed or canceled job leaves nothing.
 */
export const encrypt = defineOperation<EncryptParams, FileOutputResult, EncryptSecrets>({
  name: 'encrypt',
  async run(rawParams, secrets, { signal, reportProgress }) {
    const params = requireParams(rawParams, [
      'input',
      'output',
      'overwrite',
      'recipients',
      'armor',
      'workFactor',
    ]);
    checkSecretsObject(secrets, ['passphrase']);
    const input = requirePath('input', params.input);
    const output = optionalPath('output', params.output) ?? `${input}.age`;
    const overwrite = optionalFlag('overwrite', params.overwrite);
    const armor = optionalFlag('armor', params.armor);
    const workFactor = optionalIntegerInRange('workFactor', params.workFactor, 1, 30, DEFAULT_WORK_FACTOR);
    const recipients = params.recipients ?? [];
    if (!Array.isArray(recipients) || !recipients.every((recipient) => typeof recipient === 'string')) {
      throw new KwqmError('INVALID_JOB', 'Expected `recipients` to be an array of age1… strings', {
        details: { field: 'recipients' },
      });
    }
    const passphrase = secrets?.passphrase;
    if (passphrase !== undefined && (typeof passphrase !== 'string' || passphrase === '')) {
      throw new KwqmError('INVALID_JOB', 'Expected the passphrase to be a non-empty string', {
        details: { field: 'passphrase' },
      });
    }
    if (recipients.length > 0 && passphrase !== undefined) {
      throw new KwqmError(
        'INVALID_JOB',
        'Give either `recipients` or a passphrase, not both (age allows one scrypt stanza alone)',
        { details: { field: 'recipients' } },
      );
    }
    // Parse the keys now: a typo fails before any file is touched.
    const makeEncryptor = () =>
      createAgeEncryptor({
        recipients,
        workFactor,
        armor,
        ...(passphrase === undefined ? {} : { passphrase }),
      });
    if (passphrase === undefined) makeEncryptor();
    const result = await transformFile({
      input,
      output,
      overwrite,
      signal,
      onProgress: reportProgress,
      transform: makeEncryptor,
    });
    return { output: result.output ?? output, bytesIn: result.bytesIn, bytesOut: result.bytesOut };
  },
});
