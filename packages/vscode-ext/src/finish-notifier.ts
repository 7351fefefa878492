import type { JobSnapshot } from '@kwqm/core';
import * as vscode from 'vscode';
import { batchNotification, hashListText } from './batch-notification.js';
import { QUEUE_VIEW_ID } from './commands.js';
import type { FileOperation } from './file-operation.js';
import type { BatchEntry } from './job-batch.js';
import { jobOutput } from './job-presentation.js';
import { type FinishNotification, finishNotification, type NotificationAction } from './notification-text.js';

/**
 * Shows the notification for a job this window submitted and runs the chosen action: reveal or
 * open the output, copy a digest, or show the log. Removed and canceled jobs stay quiet.
 */
export async function notifyFinished(
  job: JobSnapshot,
  log: vscode.LogOutputChannel,
  actions: FinishActions = {},
): Promise<void> {
  const output = jobOutput(job);
  const notification = finishNotification(job, {
    outputInWorkspace: output === undefined || isInWorkspace(output),
  });
  if (notification === undefined) return;
  const choice = await show(notification);
  switch (choice) {
    case 'Reveal in Explorer':
      if (output !== undefined)
        await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(output));
      break;
    case 'Open':
      if (output !== undefined) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(output));
      break;
    case 'Copy Hash': {
      const digest = (job.result as { digest?: unknown } | undefined)?.digest;
      if (typeof digest === 'string') await vscode.env.clipboard.writeText(digest);
      break;
    }
    default:
      await runSharedAction(choice, log, actions);
  }
}

/** What the buttons of a finish notification call back into. */
export interface FinishActions {
  /** Import Identity File…: imports an identity, then runs the decrypt of the failed file(s) again. */
  readonly importIdentityAndRetry?: () => Promise<void>;
  /**
   * Try Again: asks the passphrase again (never the remembered one, which just failed) and runs
   * the decrypt of the file(s) that failed with a wrong passphrase again.
   */
  readonly askPassphraseAndRetry?: () => Promise<void>;
}

/**
 * The one notification of a batch (two or more files from one command), once every file has
 * ended; see {@link batchNotification}.
 */
export async function notifyBatchFinished(
  operation: FileOperation,
  entries: readonly BatchEntry[],
  log: vscode.LogOutputChannel,
  actions: FinishActions = {},
): Promise<void> {
  const notification = batchNotification(operation, entries);
  if (notification === undefined) return;
  const choice = await show(notification);
  switch (choice) {
    case 'Copy Hashes':
      await vscode.env.clipboard.writeText(
        hashListText(entries, (path) => vscode.workspace.asRelativePath(path, false)),
      );
      break;
    case 'Show Queue':
      await vscode.commands.executeCommand(`${QUEUE_VIEW_ID}.focus`);
      break;
    default:
      await runSharedAction(choice, log, actions);
  }
}

/** The buttons a single file's notification and a batch summary share: the retries and the log. */
async function runSharedAction(
  choice: NotificationAction | undefined,
  log: vscode.LogOutputChannel,
  actions: FinishActions,
): Promise<void> {
  switch (choice) {
    case 'Import Identity File…':
      await actions.importIdentityAndRetry?.();
      break;
    case 'Try Again':
      await actions.askPassphraseAndRetry?.();
      break;
    case 'Show Log':
      log.show(true);
      break;
    default:
      break;
  }
}

function show(notification: FinishNotification): Thenable<NotificationAction | undefined> {
  const message = `KWQM: ${notification.message}`;
  return notification.severity === 'error'
    ? vscode.window.showErrorMessage(message, ...notification.actions)
    : vscode.window.showInformationMessage(message, ...notification.actions);
}

/** Whether `path` lies in one of the window's workspace folders (the Explorer shows only those). */
export function isInWorkspace(path: string): boolean {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path)) !== undefined;
}
