import type { JobSnapshot } from '@kwqm/core';
import * as vscode from 'vscode';
import { jobOutput } from './job-presentation.js';
import { finishNotification } from './notification-text.js';

/**
 * Shows the notification for a job this window submitted and runs the chosen action: reveal or
 * open the output, copy a digest, or show the log. Removed and canceled jobs stay quiet.
 */
export async function notifyFinished(job: JobSnapshot, log: vscode.LogOutputChannel): Promise<void> {
  const output = jobOutput(job);
  const notification = finishNotification(job, {
    outputInWorkspace: output === undefined || isInWorkspace(output),
  });
  if (notification === undefined) return;
  const show =
    notification.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
  const choice = await show(`KWQM: ${notification.message}`, ...notification.actions);
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
    case 'Show Log':
      log.show(true);
      break;
    default:
      break;
  }
}

/** Whether `path` lies in one of the window's workspace folders (the Explorer shows only those). */
export function isInWorkspace(path: string): boolean {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path)) !== undefined;
}
