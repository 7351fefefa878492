import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAtomicOutput, WRITE_PIECE_BYTES } from './atomic-output.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'kwqm-atomic-'));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Writes `data` in 64 KiB pieces, as the block runner does. */
async function writeInPieces(
  output: Awaited<ReturnType<typeof openAtomicOutput>>,
  data: Buffer,
): Promise<void> {
  for (let offset = 0; offset < data.byteLength; offset += 64 * 1024) {
    await output.write([data.subarray(offset, offset + 64 * 1024)]);
  }
}

describe('openAtomicOutput', () => {
  it('names a missing folder of the output (ENOENT), and creates nothing', async () => {
    const path = join(folder, 'missing', 'out.bin');
    const error = await openAtomicOutput(path).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'ENOENT',
      errno: 'ENOENT',
      details: { path, folder: join(folder, 'missing') },
    });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('publishes every byte when flushes run in the background while it writes', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 123);
    // A flush after every 128 KiB: many background flushes overlap the writes.
    const output = await openAtomicOutput(join(folder, 'out'), { writeBehindBytes: 128 * 1024 });
    await writeInPieces(output, data);
    expect(readdirSync(folder)).toEqual([expect.stringMatching(/^\.out\.kwqm-[0-9a-f]{12}\.tmp$/)]);
    await output.commit();
    expect(readdirSync(folder)).toEqual(['out']);
    expect(output.bytesWritten).toBe(data.byteLength);
    expect(sha256(readFileSync(join(folder, 'out')))).toBe(sha256(data));
  });

  it('writes chunks larger and smaller than a write piece, synchronously or not, in order', async () => {
    const data = randomBytes(5 * WRITE_PIECE_BYTES + 4321);
    // Cut at sizes that straddle piece boundaries: one chunk over two pieces, then small ones
    // sharing a piece, an empty one, and a remainder.
    const cuts = [
      2 * WRITE_PIECE_BYTES + 17,
      ...Array.from({ length: 200 }, () => 1000),
      0,
      WRITE_PIECE_BYTES - 1,
    ];
    const chunks: Buffer[] = [];
    let offset = 0;
    for (const size of cuts) {
      chunks.push(data.subarray(offset, offset + size));
      offset += size;
    }
    chunks.push(data.subarray(offset));
    const output = await openAtomicOutput(join(folder, 'out'), { writeBehindBytes: WRITE_PIECE_BYTES });
    output.writeSync(chunks.slice(0, 100));
    await output.write(chunks.slice(100, 150));
    output.writeSync(chunks.slice(150));
    expect(output.bytesWritten).toBe(data.byteLength);
    await output.commit();
    expect(sha256(readFileSync(join(folder, 'out')))).toBe(sha256(data));
    expect(() => output.writeSync([data])).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });

  it('leaves nothing behind when aborted while a background flush may be in flight', async () => {
    const output = await openAtomicOutput(join(folder, 'out'), { writeBehindBytes: 64 * 1024 });
    await writeInPieces(output, randomBytes(1024 * 1024));
    await output.abort();
    expect(readdirSync(folder)).toEqual([]);
  });

  it('writes a stream of small chunks in batches, skipping empty ones, in order', async () => {
    const data = randomBytes(100 * 1000);
    async function* smallChunks() {
      for (let offset = 0; offset < data.byteLength; offset += 1000) {
        yield data.subarray(offset, offset + 1000);
        yield new Uint8Array(0);
      }
    }
    const output = await openAtomicOutput(join(folder, 'out'));
    const write = output.write.bind(output);
    let writes = 0;
    output.write = (chunks) => {
      if (chunks.length > 0) writes += 1;
      return write(chunks);
    };
    await output.writeFrom(smallChunks(), 4096);
    await output.commit();
    // Five 1000-byte chunks reach 4096 bytes: 20 batches, not 100 (or 200) writes.
    expect(writes).toBe(20);
    expect(sha256(readFileSync(join(folder, 'out')))).toBe(sha256(data));
  });

  it("rejects with the source's error when the stream fails, and abort leaves nothing", async () => {
    const failure = new Error('the pipe broke');
    async function* failing() {
      yield randomBytes(10_000);
      throw failure;
    }
    const output = await openAtomicOutput(join(folder, 'out'));
    await expect(output.writeFrom(failing(), 4096)).rejects.toBe(failure);
    await output.abort();
    expect(readdirSync(folder)).toEqual([]);
  });

  it('refuses a write-behind size that is not a positive integer (INVALID_OPTION)', async () => {
    for (const writeBehindBytes of [0, -1, 1.5, Number.NaN]) {
      await expect(openAtomicOutput(join(folder, 'out'), { writeBehindBytes })).rejects.toMatchObject({
        code: 'INVALID_OPTION',
      });
    }
    expect(readdirSync(folder)).toEqual([]);
  });
});
