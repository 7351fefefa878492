import { KwqmError } from '@kwqm/core';
import { EXIT_CODES } from '../exit-codes.js';

/**
 * Turns the first Ctrl-C into an abort the command can act on (cancel its jobs, wait for them to
 * stop, exit 130) instead of Node's default of dying on the spot with outputs half
 * written. A second Ctrl-C means "now": exit 130 at once.
 */
export class InterruptWatch {
  readonly #controller = new AbortController();
  readonly #listeners: (() => void)[] = [];
  readonly #onSignal = (): void => {
    if (this.#controller.signal.aborted) {
      process.exit(EXIT_CODES.interrupted);
    }
    this.#controller.abort(new KwqmError('ABORTED', 'Interrupted'));
    for (const listener of this.#listeners) listener();
  };

  constructor() {
    process.on('SIGINT', this.#onSignal);
  }

  /** Aborted at the first Ctrl-C, with an `ABORTED` KwqmError as reason. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True once Ctrl-C was pressed. */
  get interrupted(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Calls `listener` at the first Ctrl-C. */
  onInterrupt(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** Gives SIGINT back to Node's default. */
  dispose(): void {
    process.off('SIGINT', this.#onSignal);
  }
}
