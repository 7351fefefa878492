import type { JobProgress } from '@kwqm/core';
import { formatBytes } from './format-bytes.js';
import { printable } from './printable.js';
import type { ProgressDisplay } from './progress-display.js';

/**
 * Progress for a stream that is not a terminal (a log, CI): one line when a file starts and one
 * each time it crosses 25 %, 50 % and 75 % — a bounded number of lines however big the file.
 */
export class LineProgress implements ProgressDisplay {
  readonly #stream: NodeJS.WritableStream;
  readonly #files = new Map<string, { label: string; quarter: number }>();

  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
  }

  add(key: string, label: string): void {
    this.#files.set(key, { label: printable(label), quarter: 0 });
  }

  update(key: string, progress: JobProgress): void {
    const file = this.#files.get(key);
    if (file === undefined || progress.total === undefined || progress.total === 0) return;
    const quarter = Math.floor((progress.done / progress.total) * 4);
    if (quarter <= file.quarter || quarter >= 4) return;
    file.quarter = quarter;
    this.#stream.write(
      `kwqm: ${file.label}: ${quarter * 25}% (${formatBytes(progress.done)} of ${formatBytes(progress.total)})\n`,
    );
  }

  end(key: string): void {
    this.#files.delete(key);
  }

  stop(): void {
    this.#files.clear();
  }
}
