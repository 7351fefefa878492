import type { DaemonConnection } from './daemon-connection.js';

/**
 * Who gets which job's events: connections subscribed to everything, and connections watching
 * single jobs (their own submits and `subscribe` by id) until the job's final event.
 */
export class EventSubscriptions {
  readonly #all = new Set<DaemonConnection>();
  readonly #byJob = new Map<string, Set<DaemonConnection>>();

  subscribeAll(connection: DaemonConnection): void {
    connection.subscribedAll = true;
    this.#all.add(connection);
  }

  unsubscribeAll(connection: DaemonConnection): void {
    connection.subscribedAll = false;
    this.#all.delete(connection);
  }

  watch(connection: DaemonConnection, id: string): void {
    connection.jobIds.add(id);
    let watchers = this.#byJob.get(id);
    if (watchers === undefined) {
      watchers = new Set();
      this.#byJob.set(id, watchers);
    }
    watchers.add(connection);
  }

  unwatch(connection: DaemonConnection, id: string): void {
    connection.jobIds.delete(id);
    const watchers = this.#byJob.get(id);
    watchers?.delete(connection);
    if (watchers?.size === 0) this.#byJob.delete(id);
  }

  /** Drops a closed connection everywhere. */
  forget(connection: DaemonConnection): void {
    this.#all.delete(connection);
    for (const id of connection.jobIds) this.unwatch(connection, id);
  }

  /** The connections watching one job (not counting subscribers of all), or `undefined`. */
  watchersOf(id: string): ReadonlySet<DaemonConnection> | undefined {
    return this.#byJob.get(id);
  }

  /** True when nobody would receive an event of this job. */
  isUnwatched(watchers: ReadonlySet<DaemonConnection> | undefined): boolean {
    return this.#all.size === 0 && watchers === undefined;
  }

  /**
   * Writes one encoded event to every subscriber of all and to `watchers` (each once); after a
   * final event the job's watchers are dropped.
   */
  publish(
    id: string,
    frame: string,
    watchers: ReadonlySet<DaemonConnection> | undefined,
    final: boolean,
  ): void {
    for (const connection of this.#all) connection.writeFrame(frame);
    if (watchers === undefined) return;
    for (const connection of watchers) if (!connection.subscribedAll) connection.writeFrame(frame);
    if (final) {
      for (const connection of watchers) connection.jobIds.delete(id);
      this.#byJob.delete(id);
    }
  }
}
