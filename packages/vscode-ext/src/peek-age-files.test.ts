import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FILES_OPEN_AT_ONCE } from './files-open-at-once.js';
import { peekAgeFiles } from './peek-age-files.js';

// Counts the files open at once through the real `open`.
const handles = vi.hoisted(() => ({ open: 0, most: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      handles.open += 1;
      handles.most = Math.max(handles.most, handles.open);
      const close = handle.close.bind(handle);
      handle.close = async () => {
        handles.open -= 1;
        return close();
      };
      return handle;
    },
  };
});

const folder = mkdtempSync(join(tmpdir(), 'kwqm-peek-files-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('peekAgeFiles', () => {
  it('keeps at most 32 files open while it reads a selection of 600, and judges each in order', async () => {
    // Headers as age writes them (the peek reads only the intro line and the stanza types).
    const plain = join(folder, 'plain.txt');
    writeFileSync(plain, 'hello\n');
    const passphraseFile = join(folder, 'p.age');
    writeFileSync(
      passphraseFile,
      'age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 18\nYm9keQ\n--- bWFj\n',
    );
    const recipientFile = join(folder, 'r.age');
    writeFileSync(recipientFile, 'age-encryption.org/v1\n-> X25519 c2hhcmU\nYm9keQ\n--- bWFj\n');
    const paths = Array.from({ length: 600 }, (_, index) =>
      index % 3 === 0 ? recipientFile : index % 3 === 1 ? plain : join(folder, `missing-${index}.age`),
    );
    handles.most = 0;
    const kinds = await peekAgeFiles(paths);
    expect(kinds).toEqual(
      paths.map((_, index) => (['recipients', 'not-age', 'unknown'] as const)[index % 3]),
    );
    expect(handles.most).toBeLessThanOrEqual(FILES_OPEN_AT_ONCE);
    expect(handles.open).toBe(0);
    expect(await peekAgeFiles([passphraseFile])).toEqual(['passphrase']);
  });
});
