import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StreamSource } from './stream-source.js';

async function collect(source: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

describe('StreamSource', () => {
  it('peeks until enough bytes and still delivers every byte once, in order', async () => {
    const source = new StreamSource(Readable.from(['ab', 'cd', 'ef', 'gh'].map((text) => Buffer.from(text))));
    const peeked = await source.peek((bytes) => bytes.includes('d'), 1024);
    expect(peeked.toString()).toBe('abcd');
    expect(await collect(source)).toBe('abcdefgh');
  });

  it('stops peeking at the limit or at the end of the stream', async () => {
    const limited = new StreamSource(Readable.from([Buffer.from('0123'), Buffer.from('4567')]));
    expect((await limited.peek(() => false, 3)).toString()).toBe('0123');
    expect(await collect(limited)).toBe('01234567');
    const short = new StreamSource(Readable.from([Buffer.from('xy')]));
    expect((await short.peek(() => false, 100)).toString()).toBe('xy');
    expect(await collect(short)).toBe('xy');
  });
});
