import { describe, expect, it } from 'vitest';
import { unsavedInputs, unsavedInputsQuestion } from './unsaved-inputs.js';

describe('unsavedInputs', () => {
  it('keeps the targets an editor holds unsaved changes for, in target order', () => {
    expect(unsavedInputs(['/w/a.txt', '/w/b.txt', '/w/c.txt'], ['/w/c.txt', '/w/x.txt', '/w/a.txt'])).toEqual(
      ['/w/a.txt', '/w/c.txt'],
    );
  });

  it('is empty when no target is dirty (a dirty file that is not a target does not count)', () => {
    expect(unsavedInputs(['/w/a.txt'], ['/w/a.txt.age', '/w/b/a.txt'])).toEqual([]);
    expect(unsavedInputs([], ['/w/a.txt'])).toEqual([]);
  });
});

describe('unsavedInputsQuestion', () => {
  it('names the file and offers to save first or to use the saved version', () => {
    const question = unsavedInputsQuestion('encrypt', ['/w/hello.txt']);
    expect(question.message).toContain('hello.txt');
    expect(question.save).toBe('Save and Encrypt');
    expect(question.useSaved).toBe('Encrypt the Saved Version');
  });

  it('counts the files of a batch and names the first three', () => {
    const question = unsavedInputsQuestion('hash', ['/w/a', '/w/b', '/w/c', '/w/d', '/w/e']);
    expect(question.message).toContain('5 files');
    expect(question.message).toContain('a, b, c and 2 more');
    expect(question.save).toBe('Save and Hash');
  });
});
