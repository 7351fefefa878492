/**
 * A pure, synchronous transform of a byte stream, fed block by block. File operations (encrypt,
 * decrypt, hash, compress) are one of these plus the shared file runner ({@link transformFile}).
 *
 * Ownership rules, which let the runner reuse its read buffers and overlap I/O with the transform:
 * - the `block` passed to {@link ChunkTransform.update} is only valid during the call: keep a copy
 *   of anything needed later;
 * - the chunks returned are handed over to the caller: the transform must not modify them later,
 *   and they must not alias `block`.
 */
export interface ChunkTransform {
  /** Consumes the next block of input; returns the output produced so far (possibly none). */
  update(block: Uint8Array): readonly Uint8Array[];
  /** Ends the input; returns the rest of the output. Throws when the input as a whole is invalid. */
  final(): readonly Uint8Array[];
}

/** Runs `first`'s output through `second`: one transform that does both. */
export function chainTransforms(first: ChunkTransform, second: ChunkTransform): ChunkTransform {
  const feed = (chunks: readonly Uint8Array[]): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (const chunk of chunks) for (const produced of second.update(chunk)) out.push(produced);
    return out;
  };
  return {
    update: (block) => feed(first.update(block)),
    final: () => {
      const out = feed(first.final());
      for (const produced of second.final()) out.push(produced);
      return out;
    },
  };
}

/** Runs a whole in-memory input through a transform and joins the output. */
export function transformBytes(transform: ChunkTransform, input: Uint8Array): Buffer {
  const chunks = [...transform.update(input), ...transform.final()];
  return Buffer.concat(chunks);
}
