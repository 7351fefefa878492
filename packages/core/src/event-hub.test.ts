import { describe, expect, it } from 'vitest';
import { EventHub } from './event-hub.js';

type Event = { type: 'a'; value: number } | { type: 'b'; text: string };

describe('EventHub', () => {
  it('delivers typed events to type listeners and to subscribers of all', () => {
    const hub = new EventHub<Event>();
    const seen: string[] = [];
    hub.on('a', (event) => seen.push(`a:${event.value}`));
    hub.subscribe((event) => seen.push(`all:${event.type}`));
    expect(hub.wants('a')).toBe(true);
    hub.emit({ type: 'a', value: 1 });
    hub.emit({ type: 'b', text: 'x' });
    expect(seen).toEqual(['a:1', 'all:a', 'all:b']);
  });

  it('reports whether anyone listens, so events need not be built', () => {
    const hub = new EventHub<Event>();
    expect(hub.wants('a')).toBe(false);
    const stop = hub.on('b', () => {});
    expect(hub.wants('a')).toBe(false);
    expect(hub.wants('b')).toBe(true);
    stop();
    expect(hub.wants('b')).toBe(false);
  });

  it('lets a listener unsubscribe another during delivery without skipping anyone this time', () => {
    const hub = new EventHub<Event>();
    const seen: string[] = [];
    let stopSecond = () => {};
    hub.subscribe(() => {
      seen.push('first');
      stopSecond();
    });
    stopSecond = hub.subscribe(() => seen.push('second'));
    hub.emit({ type: 'a', value: 1 });
    hub.emit({ type: 'a', value: 2 });
    expect(seen).toEqual(['first', 'second', 'first']);
  });
});
