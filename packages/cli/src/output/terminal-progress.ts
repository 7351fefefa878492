import type { JobProgress } from '@kwqm/core';
import cliProgress from 'cli-progress';
import type { Colors } from './colors.js';
import { formatBytes } from './format-bytes.js';
import { printable } from './printable.js';
import type { ProgressDisplay } from './progress-display.js';
import type { BarLayout } from './progress-layout.js';

/** A cli-progress multibar on a terminal: one bar per file, redrawn at most 10 times a second. */
export class TerminalProgress implements ProgressDisplay {
  readonly #multibar: cliProgress.MultiBar;
  readonly #bars = new Map<string, cliProgress.SingleBar>();
  readonly #labelWidth: number;
  #stopped = false;

  constructor(stream: NodeJS.WritableStream, colors: Colors, layout: BarLayout) {
    this.#labelWidth = layout.labelWidth;
    this.#multibar = new cliProgress.MultiBar(
      {
        barsize: layout.barWidth,
        stream: stream as NodeJS.WriteStream,
        format: `{label} ${colors.cyan('{bar}')} {percentage}% | {doneText} / {totalText}`,
        barCompleteChar: '\u2588',
        barIncompleteChar: '\u2591',
        hideCursor: true,
        clearOnComplete: false,
        // The CLI owns SIGINT (it cancels the jobs first); cli-progress must not grab it.
        gracefulExit: false,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  #fit(name: string): string {
    const label = printable(name);
    const width = this.#labelWidth;
    return label.length > width ? `…${label.slice(label.length - width + 1)}` : label.padEnd(width);
  }

  add(key: string, label: string): void {
    const bar = this.#multibar.create(1, 0, { label: this.#fit(label), doneText: '0 B', totalText: '?' });
    this.#bars.set(key, bar);
  }

  update(key: string, progress: JobProgress): void {
    const bar = this.#bars.get(key);
    if (bar === undefined) return;
    const total = progress.total ?? Math.max(progress.done, 1);
    bar.setTotal(Math.max(total, 1));
    bar.update(progress.done, {
      doneText: formatBytes(progress.done),
      totalText: progress.total === undefined ? '?' : formatBytes(progress.total),
    });
  }

  end(key: string, succeeded: boolean): void {
    const bar = this.#bars.get(key);
    if (bar === undefined) return;
    if (succeeded) bar.update(bar.getTotal());
    bar.stop();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#multibar.stop();
  }
}
