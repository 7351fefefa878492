import { constants } from 'node:fs';
import { link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { KwqmError } from '@kwqm/core';
import type { CliContext } from '../cli-context.js';
import { EXIT_CODES, type ExitCode } from '../exit-codes.js';

/** The identity file text, in `age-keygen`'s format so `age -i` reads it. */
export function identityFileText(identity: string, recipient: string, created: Date): string {
  return `# created: ${created.toISOString().replace(/\.\d{3}Z$/, 'Z')}\n# public key: ${recipient}\n${identity}\n`;
}

// The key is written to a 0600 temp file beside the target and renamed in place, so a reader
// never sees a half-written key and an existing file is only replaced with --force.
async function writeKeyFile(path: string, text: string, force: boolean): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.kwqm-${process.pid}-${Date.now()}.tmp`);
  try {
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (force) await rename(temp, path);
    else {
      // link() fails with EEXIST instead of replacing: no window between a check and the write.
      await link(temp, path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') {
          throw new KwqmError('EEXIST', `${path} already exists (use --force to replace it)`, {
            details: { path },
          });
        }
        throw error;
      });
      await rm(temp, { force: true });
    }
  } catch (error) {
    await rm(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof KwqmError) throw error;
    throw new KwqmError(
      code === 'EACCES' ? 'EACCES' : code === 'ENOENT' ? 'ENOENT' : 'IO_ERROR',
      `Cannot write ${path}: ${code ?? 'error'}`,
      {
        cause: error,
        details: { path },
      },
    );
  }
}

/**
 * `kwqm keygen [-o FILE]`: a new X25519 identity. Without `-o` the identity file goes to standard
 * output; with it, to FILE (0600) and the public key to standard error, as `age-keygen` does.
 */
export async function run(context: CliContext, options: Record<string, unknown>): Promise<ExitCode> {
  const { generateIdentity } = (await import('@kwqm/node-runtime')) as unknown as {
    generateIdentity(): { identity: string; recipient: string };
  };
  const { identity, recipient } = generateIdentity();
  const text = identityFileText(identity, recipient, new Date(context.now()));
  const output = options.output === undefined ? undefined : resolve(context.cwd, String(options.output));
  if (output !== undefined) await writeKeyFile(output, text, options.force === true);
  if (options.json === true) {
    const shown = output === undefined ? { recipient, identity, output: null } : { recipient, output };
    context.stdout.write(`${JSON.stringify(shown)}\n`);
  } else if (output === undefined) {
    context.stdout.write(text);
  } else {
    context.stderr.write(`Public key: ${recipient}\n`);
  }
  return EXIT_CODES.ok;
}
