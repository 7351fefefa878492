import { KwqmError, type Priority } from '@kwqm/core';
import * as vscode from 'vscode';
import type { DecryptRetry } from './file-commands.js';
import { isInWorkspace } from './finish-notifier.js';
import { baseName, folderOf, jobInput, jobLabel, jobOutput } from './job-presentation.js';
import { errorDetails } from './notification-text.js';
import { pickPriority } from './prompts.js';
import type { QueueSession } from './queue-session.js';
import type { QueueJobNode } from './queue-tree-provider.js';

/** The queue view's row actions, keyed on the row's `contextValue` in the manifest. */
export class QueueCommands {
  readonly #session: QueueSession;
  readonly #log: vscode.LogOutputChannel;
  readonly #retryDecrypt: (how: DecryptRetry, inputs: readonly string[], priority: Priority) => Promise<void>;

  /** `retryDecrypt`: Show Error's Try Again and Import Identity File… (see `retryDecrypt` in file-commands). */
  constructor(
    session: QueueSession,
    log: vscode.LogOutputChannel,
    retryDecrypt: (how: DecryptRetry, inputs: readonly string[], priority: Priority) => Promise<void>,
  ) {
    this.#session = session;
    this.#log = log;
    this.#retryDecrypt = retryDecrypt;
  }

  /** Takes a queued job out of the queue; it never runs. */
  async remove(node: QueueJobNode | undefined): Promise<void> {
    await this.#act(node, 'remove', async (id) => (await this.#session.engine()).service.remove(id));
  }

  /** Moves a queued job to another level, chosen in a quick pick. */
  async changePriority(node: QueueJobNode | undefined): Promise<void> {
    const job = node === undefined ? undefined : this.#session.model.get(node.jobId);
    if (job === undefined) return;
    const priority = await pickPriority(job.priority, `KWQM: priority of ${jobLabel(job)}`);
    if (priority === undefined || priority === job.priority) return;
    await this.#act(node, 'change the priority of', async (id) =>
      (await this.#session.engine()).service.setPriority(id, priority),
    );
  }

  /**
   * Stops a running job; its partial output is discarded by the engine. The row shows
   * "canceling…" until the worker has stopped and the job's final event arrives.
   */
  async cancel(node: QueueJobNode | undefined): Promise<void> {
    await this.#act(node, 'cancel', async (id) => {
      const reply = await (await this.#session.engine()).service.cancel(id);
      this.#session.noteCancelRequested(reply);
      return reply;
    });
  }

  /** Shows a finished job's output in the Explorer. */
  async revealOutput(node: QueueJobNode | undefined): Promise<void> {
    const job = node === undefined ? undefined : this.#session.model.get(node.jobId);
    const output = job === undefined ? undefined : jobOutput(job);
    if (output === undefined) return;
    if (!isInWorkspace(output)) {
      // The Explorer shows only the workspace folders: revealing a file elsewhere does nothing.
      void vscode.window.showInformationMessage(
        `KWQM: ${baseName(output)} is outside the workspace folders, in ${folderOf(output)}`,
      );
      return;
    }
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(output));
  }

  /**
   * Shows why a job failed, with the log one click away, and for a failed decrypt the same way out
   * as its notification: Try Again, Import Identity File… (each runs that file again).
   */
  async showError(node: QueueJobNode | undefined): Promise<void> {
    const job = node === undefined ? undefined : this.#session.model.get(node.jobId);
    const details = job === undefined ? undefined : errorDetails(job);
    if (job === undefined || details === undefined) return;
    const choice = await vscode.window.showErrorMessage(
      details.message,
      { modal: false, detail: details.detail },
      ...details.actions,
    );
    const input = jobInput(job);
    if (choice === 'Show Log') this.#log.show(true);
    else if (choice === 'Try Again' && input !== undefined)
      await this.#retryDecrypt('ask-passphrase', [input], job.priority);
    else if (choice === 'Import Identity File…' && input !== undefined)
      await this.#retryDecrypt('import-identity', [input], job.priority);
  }

  async #act(
    node: QueueJobNode | undefined,
    verb: string,
    action: (id: string) => Promise<unknown>,
  ): Promise<void> {
    if (node === undefined) return;
    try {
      await action(node.jobId);
    } catch (error) {
      // Typical: the job started or ended between the menu opening and the click (INVALID_STATE).
      const failure = KwqmError.from(error);
      this.#log.warn(`could not ${verb} ${node.jobId}: ${failure.code} ${failure.message}`);
      void vscode.window.showWarningMessage(
        `KWQM: could not ${verb} the job: ${failure.message} (${failure.code})`,
      );
    }
  }
}
