import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const sourceRoot = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

/** Drops comments so a TSDoc mention of `process` is not mistaken for a use. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

describe('core sources', () => {
  const files = sourceFiles(sourceRoot);

  it('are found', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each([
    ['a node: import', /from\s+['"]node:|import\(\s*['"]node:|require\(/],
    ['process', /\bprocess\s*[.[]/],
    ['Buffer', /\bBuffer\b/],
    ['window', /\bwindow\b/],
    ['document', /\bdocument\s*[.[]/],
  ])('use no %s', (_name, pattern) => {
    const offenders = files.filter((file) => pattern.test(code(readFileSync(file, 'utf8'))));
    expect(offenders).toEqual([]);
  });
});
