import type { JobSnapshot, Priority } from '@kwqm/core';

/** A live job as the journal keeps it: enough to run it again, never its secrets. */
export interface JournaledJob {
  readonly id: string;
  readonly operation: string;
  readonly params: unknown;
  readonly priority: Priority;
  readonly label?: string;
  readonly createdAt: number;
  /** The submit carried secrets. They are gone after a restart, so a rerun fails with `SECRET_LOST`. */
  readonly hadSecrets: boolean;
}

/**
 * One line of the journal. `finished` covers every final state, `removed` included: the
 * snapshot says which, and it is what `list({ includeFinished })` shows after a restart.
 */
export type JournalRecord =
  | { readonly type: 'queued'; readonly job: JournaledJob }
  | { readonly type: 'started'; readonly id: string; readonly at: number }
  | { readonly type: 'priority'; readonly id: string; readonly priority: Priority }
  /**
   * A running job was asked to stop (its worker may still be finishing). A restart ends such a
   * job `canceled` instead of running it again; its `finished` record, if written, supersedes this.
   */
  | { readonly type: 'cancel'; readonly id: string; readonly at: number }
  | { readonly type: 'finished'; readonly job: JobSnapshot };
