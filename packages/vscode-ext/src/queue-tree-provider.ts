import type { JobSnapshot } from '@kwqm/core';
import * as vscode from 'vscode';
import {
  jobContextValue,
  jobDescription,
  jobIconId,
  jobInput,
  jobLabel,
  jobTooltip,
} from './job-presentation.js';
import type { QueueGroupId, QueueModel, QueueModelChange } from './queue-model.js';

/** A group row of the queue view. */
export interface QueueGroupNode {
  readonly kind: 'group';
  readonly id: QueueGroupId;
}

/** A job row of the queue view; queue commands receive it as their argument. */
export interface QueueJobNode {
  readonly kind: 'job';
  readonly jobId: string;
}

/** Any row of the queue view. */
export type QueueNode = QueueGroupNode | QueueJobNode;

/**
 * The "KWQM Queue" tree: groups from {@link QueueModel}, refreshed from queue events. Nodes are
 * kept per id so a progress event refreshes one row, not the tree.
 */
export class QueueTreeProvider implements vscode.TreeDataProvider<QueueNode>, vscode.Disposable {
  readonly #model: QueueModel;
  readonly #changed = new vscode.EventEmitter<QueueNode | undefined>();
  readonly #groupNodes = new Map<QueueGroupId, QueueGroupNode>();
  readonly #jobNodes = new Map<string, QueueJobNode>();
  readonly #onFirstShow: () => void;
  #shown = false;

  readonly onDidChangeTreeData = this.#changed.event;

  /** `onFirstShow` runs when the view first asks for rows (to connect to a daemon's shared queue). */
  constructor(model: QueueModel, onFirstShow: () => void) {
    this.#model = model;
    this.#onFirstShow = onFirstShow;
  }

  /** Refreshes what `change` touched. */
  refresh(change: QueueModelChange): void {
    if (change.kind === 'none') return;
    if (change.kind === 'job') {
      const node = this.#jobNodes.get(change.jobId);
      if (node !== undefined) {
        this.#changed.fire(node);
        return;
      }
    }
    this.#changed.fire(undefined);
  }

  getChildren(element?: QueueNode): QueueNode[] {
    if (!this.#shown) {
      this.#shown = true;
      this.#onFirstShow();
    }
    const groups = this.#model.groups();
    if (element === undefined) {
      // The welcome view shows while the root is empty.
      return groups.map((group) => this.#groupNode(group.id));
    }
    if (element.kind === 'job') return [];
    const group = groups.find((candidate) => candidate.id === element.id);
    const jobs = group?.jobs ?? [];
    // Forget rows of jobs the model dropped (finished history trimmed or cleared).
    for (const id of this.#jobNodes.keys()) if (this.#model.get(id) === undefined) this.#jobNodes.delete(id);
    return jobs.map((job) => this.#jobNode(job.id));
  }

  getTreeItem(element: QueueNode): vscode.TreeItem {
    if (element.kind === 'group') {
      const group = this.#model.groups().find((candidate) => candidate.id === element.id);
      const item = new vscode.TreeItem(
        `${group?.label ?? element.id} (${group?.jobs.length ?? 0})`,
        vscode.TreeItemCollapsibleState.Expanded,
      );
      item.id = `group:${element.id}`;
      item.contextValue = 'kwqm.group';
      return item;
    }
    const job = this.#model.get(element.jobId);
    if (job === undefined) return new vscode.TreeItem(element.jobId);
    return jobTreeItem(job);
  }

  getParent(element: QueueNode): QueueNode | undefined {
    if (element.kind === 'group') return undefined;
    const group = this.#model
      .groups()
      .find((candidate) => candidate.jobs.some((job) => job.id === element.jobId));
    return group === undefined ? undefined : this.#groupNode(group.id);
  }

  dispose(): void {
    this.#changed.dispose();
  }

  #groupNode(id: QueueGroupId): QueueGroupNode {
    let node = this.#groupNodes.get(id);
    if (node === undefined) {
      node = { kind: 'group', id };
      this.#groupNodes.set(id, node);
    }
    return node;
  }

  #jobNode(jobId: string): QueueJobNode {
    let node = this.#jobNodes.get(jobId);
    if (node === undefined) {
      node = { kind: 'job', jobId };
      this.#jobNodes.set(jobId, node);
    }
    return node;
  }
}

function jobTreeItem(job: JobSnapshot): vscode.TreeItem {
  const item = new vscode.TreeItem(jobLabel(job), vscode.TreeItemCollapsibleState.None);
  // The id stays the same while the job moves between groups, so VS Code keeps its selection.
  item.id = `job:${job.id}`;
  item.description = jobDescription(job);
  item.tooltip = jobTooltip(job);
  item.contextValue = jobContextValue(job.state);
  item.iconPath = new vscode.ThemeIcon(jobIconId(job.state));
  const input = jobInput(job);
  if (input !== undefined) item.resourceUri = vscode.Uri.file(input);
  return item;
}
