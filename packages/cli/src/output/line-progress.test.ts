import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineProgress } from './line-progress.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

describe('LineProgress', () => {
  it('writes one line per quarter crossed, never for 0 % or 100 %', () => {
    const { stream, text } = capture();
    const progress = new LineProgress(stream);
    progress.add('j1', 'big.iso');
    const total = 4 * 1024 * 1024;
    for (const done of [0, 1, total / 4, total / 4 + 1, (total * 3) / 5, (total * 3) / 4, total]) {
      progress.update('j1', { done, total });
    }
    expect(text()).toBe(
      'kwqm: big.iso: 25% (1.0 MiB of 4.0 MiB)\n' +
        'kwqm: big.iso: 50% (2.4 MiB of 4.0 MiB)\n' +
        'kwqm: big.iso: 75% (3.0 MiB of 4.0 MiB)\n',
    );
  });

  it('says nothing without a total, or for files it does not track', () => {
    const { stream, text } = capture();
    const progress = new LineProgress(stream);
    progress.add('j1', 'a');
    progress.update('j1', { done: 10 });
    progress.update('unknown', { done: 3, total: 4 });
    progress.end('j1');
    progress.update('j1', { done: 3, total: 4 });
    expect(text()).toBe('');
  });
});
