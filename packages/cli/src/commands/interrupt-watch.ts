import { KwqmError } from '@kwqm/core';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';

/**
 * The signals that end a waiting command the same careful way, with the status a shell expects
 * (128 + the signal's number): Ctrl-C, a `kill` or a service manager's stop, a closed terminal.
 * Node's default for each is to die on the spot, leaving the temp outputs of running jobs behind.
 */
const INTERRUPTS = {
  SIGINT: EXIT_CODES.interrupted,
  SIGTERM: EXIT_CODES.terminated,
  SIGHUP: EXIT_CODES.hangUp,
} as const satisfies Partial<Record<NodeJS.Signals, ExitCode>>;

type InterruptSignal = keyof typeof INTERRUPTS;

/**
 * Turns the first Ctrl-C (or SIGTERM, SIGHUP) into an abort the command can act on (cancel its
 * jobs, wait for them to stop, exit 130, 143 or 129) instead of Node's default of dying on the
 * spot with outputs half written. A second one means "now": exit at once.
 */
export class InterruptWatch {
  readonly #controller = new AbortController();
  readonly #listeners: (() => void)[] = [];
  #signal: InterruptSignal | undefined;
  readonly #onSignal = (signal: InterruptSignal): void => {
    if (this.#controller.signal.aborted) {
      process.exit(INTERRUPTS[signal]);
    }
    this.#signal = signal;
    const why = signal === 'SIGINT' ? 'Interrupted' : `Interrupted by ${signal}`;
    this.#controller.abort(new KwqmError('ABORTED', why, { details: { signal } }));
    for (const listener of this.#listeners) listener();
  };

  constructor() {
    for (const signal of Object.keys(INTERRUPTS) as InterruptSignal[]) process.on(signal, this.#onSignal);
  }

  /** Aborted at the first interrupt, with an `ABORTED` KwqmError as reason. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True once Ctrl-C was pressed (or SIGTERM or SIGHUP came). */
  get interrupted(): boolean {
    return this.#controller.signal.aborted;
  }

  /** The status to exit with after an interrupt: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP. */
  get exitCode(): ExitCode {
    return INTERRUPTS[this.#signal ?? 'SIGINT'];
  }

  /** Calls `listener` at the first interrupt. */
  onInterrupt(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** Gives the signals back to Node's defaults. */
  dispose(): void {
    for (const signal of Object.keys(INTERRUPTS) as InterruptSignal[]) process.off(signal, this.#onSignal);
  }
}
