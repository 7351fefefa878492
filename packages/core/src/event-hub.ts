import type { Unsubscribe } from './queue-events.js';

type Listener<Event> = (event: Event) => void;

/**
 * A small typed emitter, so core needs no Node `EventEmitter`. Listener lists are copied on
 * change, never on emit, so a listener may (un)subscribe while an event is delivered. A listener
 * that throws does not stop the others nor corrupt the queue: its error is rethrown as an
 * unhandled rejection, where the host reports it.
 */
export class EventHub<Event extends { readonly type: string }> {
  #all: ReadonlyArray<Listener<Event>> = [];
  readonly #byType = new Map<string, ReadonlyArray<Listener<Event>>>();

  /** True when an event of `type` would reach anyone; lets callers skip building it. */
  wants(type: Event['type']): boolean {
    return this.#all.length > 0 || (this.#byType.size > 0 && this.#byType.has(type));
  }

  /** Calls `listener` for every event. */
  subscribe(listener: Listener<Event>): Unsubscribe {
    this.#all = [...this.#all, listener];
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.#all = without(this.#all, listener);
    };
  }

  /** Calls `listener` for events of one type. */
  on<Type extends Event['type']>(
    type: Type,
    listener: Listener<Extract<Event, { type: Type }>>,
  ): Unsubscribe {
    const typed = listener as Listener<Event>;
    this.#byType.set(type, [...(this.#byType.get(type) ?? []), typed]);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const remaining = without(this.#byType.get(type) ?? [], typed);
      if (remaining.length === 0) this.#byType.delete(type);
      else this.#byType.set(type, remaining);
    };
  }

  /** Delivers `event` to the listeners of its type, then to the subscribers of all events. */
  emit(event: Event): void {
    // Both lists are taken before delivery: a listener added meanwhile starts with the next event.
    const typed = this.#byType.get(event.type);
    const all = this.#all;
    if (typed !== undefined) deliver(typed, event);
    if (all.length > 0) deliver(all, event);
  }
}

function without<T>(list: ReadonlyArray<T>, item: T): ReadonlyArray<T> {
  const index = list.indexOf(item);
  return index === -1 ? list : [...list.slice(0, index), ...list.slice(index + 1)];
}

/** Calls each listener; one that throws is reported without stopping the rest. */
export function deliver<Event>(listeners: ReadonlyArray<Listener<Event>>, event: Event): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      // Surfaces as the host's unhandled-rejection report, outside the queue's own call stack.
      void Promise.reject(error);
    }
  }
}
