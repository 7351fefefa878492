import type { JobProgress } from '@kwqm/core';

/**
 * Shows how far each file of a command has got. The terminal version draws a bar per file; the
 * line version writes a plain line at each quarter for logs; the silent one is for `--json` and
 * `--quiet`. Result lines are printed by the caller after {@link ProgressDisplay.stop}.
 */
export interface ProgressDisplay {
  /** Starts tracking one file under `key` (a job id). */
  add(key: string, label: string): void;
  /** Records new progress for `key`. */
  update(key: string, progress: JobProgress): void;
  /** Marks `key` finished (its bar is filled when it succeeded). */
  end(key: string, succeeded: boolean): void;
  /** Removes the display from the screen for good. Safe to call twice. */
  stop(): void;
}

/** A display that shows nothing. */
export const silentProgress: ProgressDisplay = {
  add: () => {},
  update: () => {},
  end: () => {},
  stop: () => {},
};
