import { createHash } from 'node:crypto';
import { openAtomicOutput } from '../files/atomic-output.js';
import { openInput } from '../files/open-input.js';
import { transformFile } from '../files/transform-file.js';
import type { HashAlgorithm, HashParams, HashResult } from './builtin-operation-types.js';
import { defineOperation } from './operation.js';
import { optionalChoice, optionalFlag, optionalPath, requireParams, requirePath } from './param-checks.js';

/** The algorithms `hash` accepts, as OpenSSL and coreutils name them (`sha256sum`, `sha512sum`, `b2sum`). */
export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha256', 'sha512', 'blake2b512'];

/**
 * `hash`: streams the input through `node:crypto` and returns the lower-case hex digest. With
 * `output`, also writes one checksum line in the format of `sha256sum` (and `sha512sum`, `b2sum`),
 * atomically, so `sha256sum -c <output>` verifies it.
 */
export const hash = defineOperation<HashParams, HashResult>({
  name: 'hash',
  async run(rawParams, _secrets, { signal, reportProgress }) {
    const params = requireParams(rawParams, ['input', 'algorithm', 'output', 'overwrite']);
    const input = requirePath('input', params.input);
    const algorithm = optionalChoice('algorithm', params.algorithm, HASH_ALGORITHMS, 'sha256');
    const output = optionalPath('output', params.output);
    const overwrite = optionalFlag('overwrite', params.overwrite);

    if (output !== undefined) {
      // The input checks, including "the checksum file is not the input" (SAME_FILE), and the
      // checksum file opened before reading gigabytes, so an existing one fails at once (EEXIST).
      await (await openInput(input, { outputPath: output })).handle.close();
    }
    const checksumFile = output === undefined ? undefined : await openAtomicOutput(output, { overwrite });
    try {
      const hasher = createHash(algorithm);
      const { bytesIn } = await transformFile({
        input,
        signal,
        onProgress: reportProgress,
        transform: {
          update: (block) => {
            hasher.update(block);
            return [];
          },
          final: () => [],
        },
      });
      const digest = hasher.digest('hex');
      if (checksumFile === undefined) return { algorithm, digest, bytesIn };
      await checksumFile.write([Buffer.from(checksumLine(digest, input))]);
      await checksumFile.commit();
      return { algorithm, digest, bytesIn, output: checksumFile.path };
    } catch (error) {
      await checksumFile?.abort();
      throw error;
    }
  },
});

/**
 * One line as coreutils writes it: `<hex>  <name>\n`. A name with a backslash or a line break is
 * escaped and the line starts with `\`, as `sha256sum` does, so `sha256sum -c` reads it back.
 */
export function checksumLine(digest: string, name: string): string {
  if (!/[\\\n\r]/.test(name)) return `${digest}  ${name}\n`;
  const escaped = name.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('\r', '\\r');
  return `\\${digest}  ${escaped}\n`;
}
