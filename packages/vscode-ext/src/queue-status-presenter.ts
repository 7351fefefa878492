import * as vscode from 'vscode';
import { KWQM_COMMANDS } from './commands.js';
import type { QueueModel, QueueModelChange } from './queue-model.js';
import type { QueueNode, QueueTreeProvider } from './queue-tree-provider.js';
import { statusBarText } from './status-bar-text.js';

/** How often, at most, the view and the status bar catch up with the queue. */
const REFRESH_INTERVAL_MS = 100;

/**
 * Keeps the quiet progress displays in step with the queue model: the tree rows, the view's
 * badge and the status bar item (`KWQM n running · m queued`, hidden while idle). Progress events
 * can come many times a second per job, so changes are coalesced and applied at most every
 * {@link REFRESH_INTERVAL_MS} ms; a structural change refreshes the tree, progress only its row.
 */
export class QueueStatusPresenter implements vscode.Disposable {
  readonly #model: QueueModel;
  readonly #tree: QueueTreeProvider;
  readonly #view: vscode.TreeView<QueueNode>;
  readonly #status: vscode.StatusBarItem;
  readonly #pendingJobs = new Set<string>();
  #pendingTree = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(model: QueueModel, tree: QueueTreeProvider, view: vscode.TreeView<QueueNode>) {
    this.#model = model;
    this.#tree = tree;
    this.#view = view;
    this.#status = vscode.window.createStatusBarItem('kwqm.status', vscode.StatusBarAlignment.Left, 10);
    this.#status.name = 'KWQM Queue';
    this.#status.command = KWQM_COMMANDS.focusQueue.id;
    this.#status.tooltip = 'KWQM: show the queue';
  }

  /** Records a model change; the displays follow within {@link REFRESH_INTERVAL_MS} ms. */
  changed(change: QueueModelChange): void {
    if (change.kind === 'none') return;
    if (change.kind === 'tree') this.#pendingTree = true;
    else this.#pendingJobs.add(change.jobId);
    this.#timer ??= setTimeout(() => this.#flush(), REFRESH_INTERVAL_MS);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#status.dispose();
  }

  #flush(): void {
    this.#timer = undefined;
    if (this.#pendingTree) this.#tree.refresh({ kind: 'tree' });
    else for (const jobId of this.#pendingJobs) this.#tree.refresh({ kind: 'job', jobId });
    this.#pendingTree = false;
    this.#pendingJobs.clear();
    const counts = this.#model.counts();
    const text = statusBarText(counts);
    if (text === undefined) this.#status.hide();
    else {
      this.#status.text = text;
      this.#status.show();
    }
    const active = counts.running + counts.queued;
    this.#view.badge = active > 0 ? { value: active, tooltip: 'KWQM jobs running or queued' } : undefined;
  }
}
