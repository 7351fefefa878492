import type { KwqmError } from '@kwqm/core';
import { describe, expect, it } from 'vitest';
import { encodeFrame, NdjsonDecoder } from './ndjson-framing.js';

function collect(maxFrameBytes?: number) {
  const frames: string[] = [];
  const errors: KwqmError[] = [];
  const decoder = new NdjsonDecoder(
    { onFrame: (text) => frames.push(text), onOversized: (error) => errors.push(error) },
    maxFrameBytes,
  );
  return { decoder, frames, errors };
}

describe('NdjsonDecoder', () => {
  it('splits lines across and within chunks, skipping empty lines', () => {
    const { decoder, frames } = collect();
    decoder.push(Buffer.from('{"a":1}\n{"b"'));
    decoder.push(Buffer.from(':2}\n\n{"c":3}\r\n'));
    decoder.push(Buffer.from('\r\n{"d":4}\n\n7\n'));
    expect(frames).toEqual(['{"a":1}', '{"b":2}', '{"c":3}\r', '{"d":4}', '7']);
  });

  it('decodes a multi-byte character split across chunks', () => {
    const { decoder, frames } = collect();
    const bytes = Buffer.from('"héllo ✓"\n');
    for (const byte of bytes) decoder.push(Buffer.from([byte]));
    expect(frames).toEqual(['"héllo ✓"']);
  });

  it('reports an oversized line once and stops, also without a newline', () => {
    const { decoder, frames, errors } = collect(16);
    decoder.push(Buffer.from('{"ok":1}\n'));
    decoder.push(Buffer.from('x'.repeat(10)));
    decoder.push(Buffer.from('x'.repeat(10)));
    decoder.push(Buffer.from('{"later":1}\n'));
    expect(frames).toEqual(['{"ok":1}']);
    expect(errors.map((error) => error.code)).toEqual(['PROTOCOL_ERROR']);
  });

  it('accepts a line of exactly the limit and rejects one byte more', () => {
    const exact = collect(8);
    exact.decoder.push(Buffer.from('12345678\n'));
    expect(exact.frames).toEqual(['12345678']);
    const over = collect(8);
    over.decoder.push(Buffer.from('123456789\n'));
    expect(over.errors).toHaveLength(1);
    expect(over.frames).toEqual([]);
  });
});

describe('encodeFrame', () => {
  it('writes JSON and a newline', () => {
    expect(encodeFrame({ id: 1 })).toBe('{"id":1}\n');
  });

  it('refuses a message longer than the limit with PROTOCOL_ERROR', () => {
    expect(() => encodeFrame({ text: 'x'.repeat(100) }, 50)).toThrow(
      expect.objectContaining({ code: 'PROTOCOL_ERROR' }),
    );
  });
});
