import { resolve } from 'node:path';
import { KwqmError, mapFewAtATime } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { FILES_OPEN_AT_ONCE } from '../input/files-open-at-once.js';
import { checkRecipient, readIdentityFileRecipients, readRecipientsFile } from '../input/key-files.js';
import { parseIntegerInRange } from '../input/option-parsers.js';
import { runStream } from '../streams/run-stream.js';
import { keyFilePaths, readStreamPlan, STANDARD_STREAM } from '../streams/stream-plan.js';
import { streamFileResult, streamResultLine } from '../streams/stream-result-line.js';
import { fileJob } from './file-job.js';
import { fileResultLine } from './file-result-line.js';
import { readJobOptions } from './job-options.js';
import { passphraseFromOptions } from './passphrase-from-options.js';
import { refuseDoomedFile } from './refuse-doomed-file.js';
import { runFileJobs } from './run-file-jobs.js';

/**
 * `kwqm encrypt FILE…`: age files for recipients (`-r`, `-R`, and `-i`: the public keys of an
 * identity file's keys, as `age -e -i`) or a passphrase (the default).
 * `-`, or no FILE, encrypts standard input; `-o -` writes standard output (streams, in this process).
 */
export async function run(
  context: CliContext,
  options: Record<string, unknown>,
  files: string[],
): Promise<ExitCode> {
  const armor = options.armor === true;
  const plan = readStreamPlan(context, options, files, {
    defaultOutput: 'stdout',
    binary: !armor,
    binaryHint: '-a/--armor, ',
  });
  const stdinIsData = plan !== undefined && plan.inputPath === undefined;
  const jobOptions = readJobOptions(context, options, plan === undefined ? files : [plan.file]);
  const workFactor = parseIntegerInRange('work-factor', 1, 22, String(options.workFactor ?? '18'));
  const recipients: string[] = [];
  for (const recipient of (options.recipient as string[] | undefined) ?? [])
    recipients.push(await checkRecipient(recipient, '-r'));
  const recipientFiles = (options.recipientsFile as string[] | undefined) ?? [];
  const identityFiles = (options.identity as string[] | undefined) ?? [];
  // Standard input can be read once: `-R -` and `-i -` together would leave the second one empty.
  if (recipientFiles.includes(STANDARD_STREAM) && identityFiles.includes(STANDARD_STREAM)) {
    throw new KwqmError('INVALID_OPTION', '-R - and -i - cannot both read standard input', {
      details: { option: '-i' },
    });
  }
  for (const path of keyFilePaths(context, recipientFiles, '-R', stdinIsData)) {
    recipients.push(...(await readRecipientsFile(path)));
  }
  // `-i`, as `age -e -i`: encrypt to the public keys of the identities in the file.
  for (const path of keyFilePaths(context, identityFiles, '-i', stdinIsData)) {
    recipients.push(...(await readIdentityFileRecipients(path)));
  }
  // As in age: a passphrase file is encrypted to nothing else, so mixing is a usage error.
  if (recipients.length > 0 && (options.passphrase === true || options.passphraseFile !== undefined)) {
    throw new KwqmError('INVALID_OPTION', '-p/--passphrase-file cannot be combined with -r/-R/-i recipients');
  }
  // Files whose job could only fail are refused before the passphrase is asked for (twice).
  const refusals =
    plan === undefined && recipients.length === 0
      ? await mapFewAtATime(
          files,
          (file) => {
            const input = resolve(context.cwd, file);
            return refuseDoomedFile(input, jobOptions.output ?? `${input}.age`, jobOptions.overwrite);
          },
          FILES_OPEN_AT_ONCE,
        )
      : [];
  const passphrase =
    recipients.length === 0 && (plan !== undefined || refusals.some((refusal) => refusal === undefined))
      ? await passphraseFromOptions('encrypt', context, options, stdinIsData)
      : undefined;

  if (plan !== undefined) {
    const { createAgeEncryptor } = await import('@kwqm/node-runtime');
    return runStream(
      context,
      {
        operation: 'encrypt',
        plan,
        overwrite: jobOptions.overwrite,
        createStage: () => ({
          kind: 'chunks',
          transform: createAgeEncryptor({
            armor,
            workFactor,
            ...(passphrase === undefined ? { recipients } : { passphrase }),
          }),
        }),
        result: streamFileResult,
        resultLine: streamResultLine(context, plan),
      },
      jobOptions,
    );
  }

  const jobs = files.map((file, index) => {
    const input = resolve(context.cwd, file);
    const job = fileJob(
      file,
      jobOptions.priority,
      'encrypt',
      {
        input,
        output: jobOptions.output ?? `${input}.age`,
        overwrite: jobOptions.overwrite,
        armor,
        workFactor,
        ...(recipients.length > 0 ? { recipients } : {}),
      },
      passphrase === undefined ? undefined : { passphrase },
    );
    const refused = refusals[index];
    return refused === undefined ? job : { ...job, refused };
  });
  return runFileJobs(context, jobs, jobOptions, fileResultLine(context));
}
