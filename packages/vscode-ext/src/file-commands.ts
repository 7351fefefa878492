import type { JobSpec, Priority } from '@kwqm/core';
import { KwqmError } from '@kwqm/core';
import type { BuiltinOperations } from '@kwqm/node-runtime';
import * as vscode from 'vscode';
import { batchLogLine } from './batch-log-line.js';
import { identityFailures, passphraseFailures } from './batch-notification.js';
import { type SecretsOptions, secretsFor, settleDecryptPassphrase } from './batch-secrets.js';
import { FILE_OPERATIONS, type FileOperation, OPERATION_WORDING } from './file-operation.js';
import { notifyBatchFinished, notifyFinished } from './finish-notifier.js';
import { type BatchEntry, JobBatch } from './job-batch.js';
import { baseName } from './job-presentation.js';
import { defaultOutputPath } from './output-path.js';
import { askOverwrite, pickPriority, QUICK_PICK_OPTIONS } from './prompts.js';
import type { QueueSession } from './queue-session.js';
import type { SecretStore } from './secret-store.js';
import {
  type SelectedEntry,
  selectedPaths,
  selectionArgument,
  selectTargets,
  whyNotApplicable,
} from './selection.js';
import type { KwqmSettings } from './settings.js';
import { unsavedInputs, unsavedInputsQuestion } from './unsaved-inputs.js';

/** What the Explorer commands need. */
export interface FileCommandContext {
  readonly session: QueueSession;
  readonly secrets: SecretStore;
  readonly settings: () => KwqmSettings;
  readonly log: vscode.LogOutputChannel;
  /** Import Identity File…: how many new identities it stored, `undefined` when none was imported. */
  readonly importIdentity: () => Promise<number | undefined>;
}

/**
 * The handler of an Explorer command: VS Code passes the clicked entry and every selected entry;
 * from the command palette there are none, and the active editor's file (or a file dialog) is used.
 */
export async function runFileOperation(
  context: FileCommandContext,
  operation: FileOperation,
  priority: Priority | undefined,
  clicked: vscode.Uri | undefined,
  selected: unknown,
  options: SecretsOptions = {},
): Promise<void> {
  if (selected !== undefined && !Array.isArray(selected))
    context.log.warn(
      `${operation}: ignored a selection argument that is not a list (${describeValue(selected)})`,
    );
  const entries = await describeEntries(await chooseUris(operation, clicked, selected));
  const { targets, skipped } = selectTargets(operation, entries);
  for (const entry of skipped) context.log.info(`skipped ${JSON.stringify(entry.path)}: ${entry.reason}`);
  if (targets.length === 0) {
    if (entries.length > 0) {
      const first = skipped[0];
      void vscode.window.showWarningMessage(
        `KWQM: nothing to ${OPERATION_WORDING[operation].verb.toLowerCase()}${first === undefined ? '' : `: ${baseName(first.path)} ${first.reason}`}`,
      );
    }
    return;
  }
  if (!(await settleUnsavedInputs(operation, targets, context.log))) return;
  const settings = context.settings();
  // Outputs first: a file the user skips needs no passphrase, and the password box then names
  // only the files that will run.
  const jobs = await withOverwriteDecisions(operation, targets, settings, context.log);
  if (jobs.length === 0) {
    context.log.info(`${operation}: every file was skipped (its output exists); nothing queued`);
    return;
  }
  const batchSecrets = await secretsFor(
    context.secrets,
    operation,
    jobs.map((job) => job.input),
    settings,
    context.importIdentity,
    options,
  );
  if (batchSecrets === null) return;
  const { secrets, decryptPassphrase } = batchSecrets;
  const level = priority ?? settings.defaultPriority;
  // One notification per command: a single file's own (with its buttons), or one summary for a
  // batch of two or more once every file has ended.
  const batch = new JobBatch(jobs.length);
  const ended = (index: number, entry: BatchEntry) => {
    const entries = batch.settle(index, entry);
    if (entries !== undefined) void reportEnded(context, operation, level, entries);
  };
  for (const [index, job] of jobs.entries()) {
    const spec = {
      operation,
      params: paramsFor(operation, job.input, job.output, job.overwrite, settings),
      secrets,
      priority: level,
      label: baseName(job.input),
    } as JobSpec<BuiltinOperations>;
    try {
      const handle = await context.session.submit(spec, (snapshot) =>
        ended(index, { kind: 'job', input: job.input, job: snapshot }),
      );
      context.log.info(`submitted ${handle.id} ${operation} ${JSON.stringify(job.input)} priority=${level}`);
      if (decryptPassphrase !== undefined) {
        const settle = (code: string | undefined) =>
          settleDecryptPassphrase(context.secrets, settings, decryptPassphrase, code).then(
            (action) => {
              if (action !== 'keep')
                context.log.info(`${handle.id}: ${action} the workspace's decrypt passphrase`);
            },
            (error: unknown) =>
              context.log.warn(`could not update the remembered passphrase: ${KwqmError.from(error).code}`),
          );
        handle.result.then(
          () => settle(undefined),
          (error: unknown) => settle(KwqmError.from(error).code),
        );
      }
    } catch (error) {
      const failure = KwqmError.from(error);
      context.log.error(
        `could not submit ${operation} ${JSON.stringify(job.input)}: ${failure.code} ${failure.message}`,
      );
      ended(index, { kind: 'not-queued', input: job.input, error: failure.toJSON() });
    }
  }
}

/**
 * Tells the user how the command's files ended: one file gets its own notification (or, when it
 * could not be queued, that error); a batch gets one summary, and the log a line naming every
 * file that failed. Import Identity File… and Try Again on either run the decrypt of the files
 * that failed that way again (see {@link retryDecrypt}).
 */
async function reportEnded(
  context: FileCommandContext,
  operation: FileOperation,
  priority: Priority,
  entries: readonly BatchEntry[],
): Promise<void> {
  const only = entries.length === 1 ? entries[0] : undefined;
  if (only !== undefined) {
    if (only.kind === 'not-queued')
      await showSubmitError(context, only.input, KwqmError.fromJSON(only.error));
    else
      await notifyFinished(only.job, context.log, {
        importIdentityAndRetry: () => retryDecrypt(context, 'import-identity', [only.input], priority),
        askPassphraseAndRetry: () => retryDecrypt(context, 'ask-passphrase', [only.input], priority),
      });
    return;
  }
  context.log.info(batchLogLine(operation, entries));
  await notifyBatchFinished(operation, entries, context.log, {
    importIdentityAndRetry: () =>
      retryDecrypt(context, 'import-identity', identityFailures(entries), priority),
    askPassphraseAndRetry: () =>
      retryDecrypt(context, 'ask-passphrase', passphraseFailures(entries), priority),
  });
}

/** How a failed decrypt is tried again: see {@link retryDecrypt}. */
export type DecryptRetry = 'import-identity' | 'ask-passphrase';

/**
 * Runs the decrypt of `inputs` again, at `priority`, after what made them fail was put right:
 * `import-identity` first imports an identity file (and runs nothing when it stored no new
 * identity: the retry would fail the same way); `ask-passphrase` asks the passphrase again, never
 * taking the remembered one (it is the one that failed). Used by the finish notification, the
 * batch summary and Show Error on a queue row.
 */
export async function retryDecrypt(
  context: FileCommandContext,
  how: DecryptRetry,
  inputs: readonly string[],
  priority: Priority,
): Promise<void> {
  if (inputs.length === 0) return;
  if (how === 'import-identity') {
    const added = await context.importIdentity();
    if (added === undefined || added === 0) return;
    context.log.info(`decrypt: running ${inputs.length} file(s) again with the imported identity`);
  } else {
    context.log.info(`decrypt: running ${inputs.length} file(s) again with a passphrase asked again`);
  }
  await runFileOperation(
    context,
    'decrypt',
    priority,
    undefined,
    inputs.map((input) => vscode.Uri.file(input)),
    { askPassphrase: how === 'ask-passphrase' },
  ).catch((error: unknown) => {
    context.log.error(`decrypt failed to start again: ${String(error)}`);
    void vscode.window.showErrorMessage(`KWQM: ${error instanceof Error ? error.message : String(error)}`);
  });
}

/** "Run with Priority…": picks one of the operations that apply to the selection, then a level. */
export async function runWithPriority(
  context: FileCommandContext,
  clicked: vscode.Uri | undefined,
  selected: unknown,
): Promise<void> {
  const uris = await chooseUris(undefined, clicked, selected);
  const entries = await describeEntries(uris);
  const applicable = FILE_OPERATIONS.filter((operation) =>
    entries.some((entry) => whyNotApplicable(operation, entry) === undefined),
  );
  if (applicable.length === 0) return;
  const picked = await vscode.window.showQuickPick(
    applicable.map((operation) => ({ label: OPERATION_WORDING[operation].verb, operation })),
    { ...QUICK_PICK_OPTIONS, title: 'KWQM: Run with Priority', placeHolder: 'Operation' },
  );
  if (picked === undefined) return;
  const priority = await pickPriority(context.settings().defaultPriority, `KWQM: ${picked.label} — priority`);
  if (priority === undefined) return;
  await runFileOperation(context, picked.operation, priority, uris[0], uris);
}

/** The shape of an unexpected argument, for the log: its type and keys, never its values. */
function describeValue(value: unknown): string {
  const type = Object.prototype.toString.call(value);
  return typeof value === 'object' && value !== null ? `${type} keys ${Object.keys(value).join(',')}` : type;
}

async function chooseUris(
  operation: FileOperation | undefined,
  clicked: vscode.Uri | undefined,
  selected: unknown,
): Promise<vscode.Uri[]> {
  const isFileUri = (uri: unknown): uri is vscode.Uri => uri instanceof vscode.Uri && uri.scheme === 'file';
  const selection = selectionArgument(selected, isFileUri);
  const clickedFile = isFileUri(clicked) ? clicked : undefined;
  if (clickedFile !== undefined || selection.length > 0) {
    const paths = selectedPaths(
      clickedFile?.fsPath,
      selection.map((uri) => uri.fsPath),
    );
    return paths.map((path) => vscode.Uri.file(path));
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') return [active];
  const filters: Record<string, string[]> | undefined =
    operation === 'decrypt'
      ? { 'age files': ['age'] }
      : operation === 'decompress'
        ? { Compressed: ['gz', 'br'] }
        : undefined;
  // An untitled editor has no file to run on: say so, rather than a file dialog out of nowhere.
  const why = active?.scheme === 'untitled' ? ' (the active editor is unsaved: save it to a file first)' : '';
  return (
    (await vscode.window.showOpenDialog({
      title: `KWQM: ${operation === undefined ? 'Run with Priority' : OPERATION_WORDING[operation].verb}: choose files${why}`,
      canSelectMany: true,
      openLabel: operation === undefined ? 'Select' : OPERATION_WORDING[operation].verb,
      ...(filters === undefined ? {} : { filters }),
    })) ?? []
  );
}

async function describeEntries(uris: readonly vscode.Uri[]): Promise<SelectedEntry[]> {
  return Promise.all(
    uris.map(async (uri) => ({ path: uri.fsPath, isDirectory: (await entryKind(uri)) === 'folder' })),
  );
}

interface PlannedJob {
  readonly input: string;
  readonly output: string | undefined;
  readonly overwrite: boolean;
}

/**
 * Asks, unless `kwqm.overwrite` is on, before any existing output is replaced; skipped files drop
 * out, as do files whose output is a folder.
 */
async function withOverwriteDecisions(
  operation: FileOperation,
  inputs: readonly string[],
  settings: KwqmSettings,
  log: vscode.LogOutputChannel,
): Promise<PlannedJob[]> {
  const planned: PlannedJob[] = [];
  let replaceAll = settings.overwrite;
  for (const [index, input] of inputs.entries()) {
    const output = defaultOutputPath(operation, input, { compressionFormat: settings.compressionFormat });
    const existing = output === undefined ? 'none' : await entryKind(vscode.Uri.file(output));
    if (output !== undefined && existing === 'folder') {
      // Not even Replace All may replace a folder (the job would only fail with EISDIR), so the
      // file is left out before any question or passphrase.
      log.warn(`skipped ${JSON.stringify(input)}: its output ${JSON.stringify(output)} is a folder`);
      void vscode.window.showWarningMessage(
        `KWQM: cannot ${OPERATION_WORDING[operation].verb.toLowerCase()} ${baseName(input)}: ${baseName(output)} is a folder`,
      );
      continue;
    }
    let overwrite = replaceAll;
    if (output !== undefined && existing === 'file' && !replaceAll) {
      const answer = await askOverwrite(output, index < inputs.length - 1);
      if (answer === 'skip') continue;
      overwrite = true;
      if (answer === 'replace-all') replaceAll = true;
    }
    planned.push({ input, output, overwrite });
  }
  return planned;
}

/**
 * Jobs read the file on disk: when an editor holds unsaved changes to an input, asks whether to
 * save them first or to use the saved version (from the command palette the file is the active
 * editor's, and the text in view is what the user means). `false` when the user closed the
 * question, or a save did not happen: nothing runs then.
 */
async function settleUnsavedInputs(
  operation: FileOperation,
  targets: readonly string[],
  log: vscode.LogOutputChannel,
): Promise<boolean> {
  const dirty = vscode.workspace.textDocuments.filter(
    (document) => document.isDirty && document.uri.scheme === 'file',
  );
  const unsaved = unsavedInputs(
    targets,
    dirty.map((document) => document.uri.fsPath),
  );
  if (unsaved.length === 0) return true;
  const question = unsavedInputsQuestion(operation, unsaved);
  const answer = await vscode.window.showWarningMessage(
    question.message,
    { modal: true, detail: question.detail },
    question.save,
    question.useSaved,
  );
  if (answer === question.useSaved) {
    log.info(`${operation}: ${unsaved.length} input(s) with unsaved changes run as saved on disk`);
    return true;
  }
  if (answer !== question.save) {
    log.info(`${operation}: not started (inputs with unsaved changes)`);
    return false;
  }
  for (const document of dirty.filter((candidate) => unsaved.includes(candidate.uri.fsPath))) {
    if (!(await document.save())) {
      log.warn(`${operation}: could not save ${JSON.stringify(document.uri.fsPath)}; not started`);
      void vscode.window.showErrorMessage(
        `KWQM: could not save ${baseName(document.uri.fsPath)}; nothing was queued`,
      );
      return false;
    }
  }
  return true;
}

/** What is at `uri`: nothing, a folder, or something else (a file a job may read or replace). */
async function entryKind(uri: vscode.Uri): Promise<'none' | 'folder' | 'file'> {
  return vscode.workspace.fs.stat(uri).then(
    (stat) => ((stat.type & vscode.FileType.Directory) !== 0 ? 'folder' : 'file'),
    () => 'none',
  );
}

function paramsFor(
  operation: FileOperation,
  input: string,
  output: string | undefined,
  overwrite: boolean,
  settings: KwqmSettings,
): JobSpec<BuiltinOperations>['params'] {
  switch (operation) {
    case 'encrypt':
      return {
        input,
        output,
        overwrite,
        ...(settings.recipients.length > 0
          ? { recipients: settings.recipients }
          : { workFactor: settings.scryptWorkFactor }),
      };
    case 'decrypt':
    case 'decompress':
      return { input, output, overwrite };
    case 'compress':
      return { input, output, overwrite, format: settings.compressionFormat };
    case 'hash':
      return { input, algorithm: 'sha256' };
  }
}

async function showSubmitError(context: FileCommandContext, input: string, error: KwqmError): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    `KWQM: could not queue ${baseName(input)}: ${error.message} (${error.code})`,
    'Show Log',
  );
  if (choice === 'Show Log') context.log.show(true);
}
