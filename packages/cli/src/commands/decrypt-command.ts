import { basename, resolve } from 'node:path';
import { KwqmError } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { readIdentityFile } from '../input/key-files.js';
import { parseIntegerInRange } from '../input/option-parsers.js';
import { peekAgeHeader } from '../input/peek-age-header.js';
import { fileJob } from './file-job.js';
import { fileResultLine } from './file-result-line.js';
import { readJobOptions } from './job-options.js';
import { passphraseFromOptions } from './passphrase-from-options.js';
import { runFileJobs } from './run-file-jobs.js';

/**
 * `kwqm decrypt FILE…`: with `-i` identity files, or a passphrase asked only when one of the
 * files was encrypted with one (its header has an scrypt stanza).
 */
export async function run(
  context: CliContext,
  options: Record<string, unknown>,
  files: string[],
): Promise<ExitCode> {
  const jobOptions = readJobOptions(context, options, files);
  const maxWorkFactor = parseIntegerInRange('max-work-factor', 1, 30, String(options.maxWorkFactor ?? '22'));
  const identities: string[] = [];
  for (const path of (options.identity as string[] | undefined) ?? [])
    identities.push(await readIdentityFile(resolve(context.cwd, path)));

  const inputs = files.map((file) => resolve(context.cwd, file));
  // Without -o, the output is the input minus `.age`; refuse up front rather than fail each job.
  if (jobOptions.output === undefined) {
    const without = files.find((file) => !file.endsWith('.age') || basename(file) === '.age');
    if (without !== undefined) {
      throw new KwqmError('INVALID_OPTION', `${without}: does not end in .age; name the output with -o`, {
        details: { path: without },
      });
    }
  }
  // Peek at every header: ask for a passphrase only when some file was encrypted with one, and
  // refuse recipient-encrypted files up front when no identity was given.
  const peeks = await Promise.all(inputs.map((input) => peekAgeHeader(input)));
  const toRecipients = identities.length === 0 ? peeks.findIndex((peek) => peek?.passphrase === false) : -1;
  if (toRecipients !== -1) {
    throw new KwqmError(
      'INVALID_OPTION',
      `${files[toRecipients]}: encrypted to recipients; give -i IDENTITY_FILE`,
      {
        details: { path: String(files[toRecipients]) },
      },
    );
  }
  const passphrase =
    options.passphraseFile !== undefined || peeks.some((peek) => peek?.passphrase === true)
      ? await passphraseFromOptions('decrypt', context, options)
      : undefined;
  const secrets = {
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(identities.length === 0 ? {} : { identities }),
  };
  const jobs = files.map((file, index) => {
    const input = inputs[index] as string;
    return fileJob(
      file,
      jobOptions.priority,
      'decrypt',
      {
        input,
        output: jobOptions.output ?? input.slice(0, -'.age'.length),
        overwrite: jobOptions.overwrite,
        maxWorkFactor,
      },
      secrets,
    );
  });
  return runFileJobs(context, jobs, jobOptions, fileResultLine(context));
}
