import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseDoomedFile } from './refuse-doomed-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kwqm-doomed-'));
  await writeFile(join(dir, 'in.txt'), 'in');
  await writeFile(join(dir, 'taken.age'), 'old');
  await symlink(join(dir, 'nowhere'), join(dir, 'dangling.age'));
  await mkdir(join(dir, 'folder'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('refuseDoomedFile', () => {
  it('lets a file through whose job can run', async () => {
    expect(await refuseDoomedFile(join(dir, 'in.txt'), join(dir, 'new.age'), false)).toBeUndefined();
    expect(await refuseDoomedFile(join(dir, 'in.txt'), join(dir, 'taken.age'), true)).toBeUndefined();
  });

  it('refuses an existing output (a dangling link too) without --force with EEXIST naming it', async () => {
    for (const name of ['taken.age', 'dangling.age']) {
      expect(await refuseDoomedFile(join(dir, 'in.txt'), join(dir, name), false)).toMatchObject({
        code: 'EEXIST',
        details: { path: join(dir, name) },
      });
    }
  });

  it('refuses an input that is missing, a folder, or the output itself', async () => {
    expect(await refuseDoomedFile(join(dir, 'gone.txt'), join(dir, 'gone.age'), false)).toMatchObject({
      code: 'ENOENT',
    });
    expect((await refuseDoomedFile(join(dir, 'folder'), join(dir, 'f.age'), false))?.code).toBe('EISDIR');
    expect((await refuseDoomedFile(join(dir, 'in.txt'), join(dir, 'in.txt'), true))?.code).toBe('SAME_FILE');
  });
});
