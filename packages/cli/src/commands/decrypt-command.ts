import { createReadStream } from 'node:fs';
import { basename, resolve } from 'node:path';
import { KwqmError, mapFewAtATime } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import type { ExitCode } from '../exit-codes.js';
import { FILES_OPEN_AT_ONCE } from '../input/files-open-at-once.js';
import { readIdentityFile } from '../input/key-files.js';
import { parseIntegerInRange } from '../input/option-parsers.js';
import {
  type AgeHeaderPeek,
  ageHeaderSeen,
  inspectAgeHeader,
  PEEK_BYTES,
  peekAgeHeader,
} from '../input/peek-age-header.js';
import { runStream } from '../streams/run-stream.js';
import { keyFilePaths, readStreamPlan } from '../streams/stream-plan.js';
import { streamFileResult, streamResultLine } from '../streams/stream-result-line.js';
import { StreamSource } from '../streams/stream-source.js';
import { fileJob } from './file-job.js';
import { fileResultLine } from './file-result-line.js';
import { readJobOptions } from './job-options.js';
import { passphraseFromOptions } from './passphrase-from-options.js';
import { refuseDoomedFile } from './refuse-doomed-file.js';
import { runFileJobs } from './run-file-jobs.js';

function refuseRecipientFile(file: string): KwqmError {
  return new KwqmError('INVALID_OPTION', `${file}: encrypted to recipients; give -i IDENTITY_FILE`, {
    details: { path: file },
  });
}

// The error of a file whose header peek found no age header: it cannot be read, or it is not age.
async function whyNotAgeFile(input: string, file: string): Promise<KwqmError> {
  const { openInput } = await import('@kwqm/node-runtime');
  try {
    const opened = await openInput(input);
    await opened.handle.close();
  } catch (error) {
    // Named as a job's error line names its file: `kwqm: FILE: <reason> (CODE)`.
    const cause = KwqmError.from(error, 'INTERNAL');
    return new KwqmError(cause.code, `${file}: ${cause.message}`, {
      cause,
      errno: cause.errno,
      ...(cause.details === undefined ? {} : { details: cause.details }),
    });
  }
  return new KwqmError('AGE_BAD_HEADER', `${file}: not an age file`, { details: { path: input } });
}

/**
 * `kwqm decrypt FILE…`: with `-i` identity files, or a passphrase asked only when one of the
 * files was encrypted with one (its header has an scrypt stanza). `-`, or no FILE, decrypts
 * standard input (its header is read first and fed on); `-o -` writes standard output.
 */
export async function run(
  context: CliContext,
  options: Record<string, unknown>,
  files: string[],
): Promise<ExitCode> {
  const plan = readStreamPlan(context, options, files, { defaultOutput: 'stdout', binary: false });
  const stdinIsData = plan !== undefined && plan.inputPath === undefined;
  const jobOptions = readJobOptions(context, options, plan === undefined ? files : [plan.file]);
  const maxWorkFactor = parseIntegerInRange('max-work-factor', 1, 30, String(options.maxWorkFactor ?? '22'));
  const identities: string[] = [];
  const identityFiles = (options.identity as string[] | undefined) ?? [];
  for (const path of keyFilePaths(context, identityFiles, '-i', stdinIsData))
    identities.push(await readIdentityFile(path));

  if (plan !== undefined) {
    // From a pipe the header cannot be re-read: the source keeps the bytes peeked and feeds them on.
    let source: StreamSource | undefined;
    if (stdinIsData) source = new StreamSource(context.stdin);
    else if (plan.inputIsPipe) source = new StreamSource(createReadStream(plan.inputPath as string));
    let passphrase: string | undefined;
    try {
      let peek: AgeHeaderPeek | undefined;
      if (source !== undefined) peek = inspectAgeHeader(await source.peek(ageHeaderSeen, PEEK_BYTES));
      else peek = await peekAgeHeader(plan.inputPath as string);
      if (identities.length === 0 && peek?.passphrase === false) throw refuseRecipientFile(plan.file);
      if (options.passphraseFile !== undefined || peek?.passphrase === true) {
        passphrase = await passphraseFromOptions('decrypt', context, options, stdinIsData);
      }
    } catch (error) {
      source?.close();
      throw error;
    }
    const { createAgeDecryptor } = await import('@kwqm/node-runtime');
    return runStream(
      context,
      {
        operation: 'decrypt',
        plan,
        ...(source === undefined ? {} : { source }),
        overwrite: jobOptions.overwrite,
        createStage: () => ({
          kind: 'chunks',
          transform: createAgeDecryptor({
            maxWorkFactor,
            identities,
            ...(passphrase === undefined ? {} : { passphrase }),
          }),
        }),
        result: streamFileResult,
        resultLine: streamResultLine(context, plan),
      },
      jobOptions,
    );
  }

  const inputs = files.map((file) => resolve(context.cwd, file));
  // Without -o, the output is the input minus `.age` (in any case, as the library and the editor
  // take it); refuse up front rather than fail each job.
  if (jobOptions.output === undefined) {
    const without = files.find((file) => withoutAgeExtension(file) === undefined);
    if (without !== undefined) {
      throw new KwqmError('INVALID_OPTION', `${without}: does not end in .age; name the output with -o`, {
        details: { path: without },
      });
    }
  }
  // Peek at every header: ask for a passphrase only when some file was encrypted with one, and
  // refuse recipient-encrypted files up front when no identity was given.
  const peeks = await mapFewAtATime(inputs, (input) => peekAgeHeader(input), FILES_OPEN_AT_ONCE);
  const toRecipients = identities.length === 0 ? peeks.findIndex((peek) => peek?.passphrase === false) : -1;
  if (toRecipients !== -1) throw refuseRecipientFile(String(files[toRecipients]));
  const outputOf = (input: string): string => jobOptions.output ?? String(withoutAgeExtension(input));
  // Before a prompt, files whose job could only fail (output exists, input gone) are refused, so
  // that no passphrase is typed for them; they are reported with the others.
  const refusals = peeks.some((peek) => peek?.passphrase === true)
    ? await mapFewAtATime(
        inputs,
        (input) => refuseDoomedFile(input, outputOf(input), jobOptions.overwrite),
        FILES_OPEN_AT_ONCE,
      )
    : [];
  const passphrase =
    options.passphraseFile !== undefined ||
    peeks.some((peek, index) => peek?.passphrase === true && refusals[index] === undefined)
      ? await passphraseFromOptions('decrypt', context, options)
      : undefined;
  const firstLeft = inputs.findIndex((_, index) => refusals[index] === undefined);
  if (passphrase === undefined && identities.length === 0 && firstLeft !== -1) {
    // Nothing to decrypt with, so no file left here is a readable age file (those were refused
    // above or got a passphrase): say what is wrong with the first rather than submit jobs that
    // could only fail with PASSPHRASE_REQUIRED (a typo in a name would read "give a passphrase").
    throw await whyNotAgeFile(String(inputs[firstLeft]), String(files[firstLeft]));
  }
  const secrets = {
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(identities.length === 0 ? {} : { identities }),
  };
  const jobs = files.map((file, index) => {
    const input = inputs[index] as string;
    const job = fileJob(
      file,
      jobOptions.priority,
      'decrypt',
      { input, output: outputOf(input), overwrite: jobOptions.overwrite, maxWorkFactor },
      secrets,
    );
    const refused = refusals[index];
    return refused === undefined ? job : { ...job, refused };
  });
  return runFileJobs(context, jobs, jobOptions, fileResultLine(context));
}

/** `file` without its `.age` extension (any case), or `undefined` when it has none or is only `.age`. */
function withoutAgeExtension(file: string): string | undefined {
  const name = basename(file);
  return name.length > 4 && name.toLowerCase().endsWith('.age') ? file.slice(0, -4) : undefined;
}
