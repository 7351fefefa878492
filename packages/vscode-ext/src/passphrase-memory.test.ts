import { describe, expect, it } from 'vitest';
import { passphraseMemoryAction } from './passphrase-memory.js';

describe('passphraseMemoryAction', () => {
  it('remembers a typed passphrase only once a job succeeded with it', () => {
    expect(passphraseMemoryAction('typed', undefined)).toBe('remember');
    expect(passphraseMemoryAction('typed', 'AGE_WRONG_PASSPHRASE')).toBe('keep');
    expect(passphraseMemoryAction('typed', 'CANCELED')).toBe('keep');
  });

  it('forgets a remembered passphrase only when a job found it wrong', () => {
    expect(passphraseMemoryAction('remembered', 'AGE_WRONG_PASSPHRASE')).toBe('forget');
    expect(passphraseMemoryAction('remembered', 'AGE_BAD_HEADER')).toBe('keep');
    expect(passphraseMemoryAction('remembered', 'CANCELED')).toBe('keep');
    expect(passphraseMemoryAction('remembered', undefined)).toBe('keep');
  });
});
