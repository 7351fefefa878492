import { execFileSync } from 'node:child_process';
import { parseIdentities } from '@kwqm/node-runtime';
import { describe, expect, it } from 'vitest';
import { parseIdentityFile, type SecretStoragePort, SecretStore } from './secret-store.js';

/** An in-memory SecretStorage: the editor's real one only exists inside VS Code (covered by the e2e suite). */
function memoryStorage(): SecretStoragePort & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (key) => entries.get(key),
    store: async (key, value) => {
      entries.set(key, value);
    },
    delete: async (key) => {
      entries.delete(key);
    },
  };
}

describe('parseIdentityFile', () => {
  it('refuses a key whose checksum does not match (one mistyped character) with INVALID_KEY naming its line', () => {
    const text = execFileSync('age-keygen', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const key = text.split('\n').find((line) => line.startsWith('AGE-SECRET-KEY-1')) ?? '';
    const damaged = `${key.slice(0, -1)}${key.endsWith('Q') ? 'P' : 'Q'}`;
    expect(parseIdentityFile(text, parseIdentities)).toEqual([key]);
    try {
      parseIdentityFile(`# created: today\n${damaged}\n`, parseIdentities);
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('INVALID_KEY');
      expect((error as { details?: { line?: number } }).details?.line).toBe(2);
      expect((error as Error).message).not.toContain(damaged);
    }
  });

  it('refuses a passphrase-protected identity file and an SSH key with INVALID_KEY', () => {
    const armored =
      '-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCg==\n-----END AGE ENCRYPTED FILE-----\n';
    for (const text of [
      armored,
      'age-encryption.org/v1\n-> scrypt abc 18\n',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n',
    ]) {
      expect(() => parseIdentityFile(text, parseIdentities)).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
    }
  });

  it('reads the keys of a file written by the real age-keygen', () => {
    const text = execFileSync('age-keygen', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const keys = parseIdentityFile(text);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^AGE-SECRET-KEY-1/);
  });

  it('refuses other text with INVALID_KEY and does not echo it', () => {
    const secretish = 'my passphrase is hunter2';
    try {
      parseIdentityFile(`# comment\n${secretish}\n`);
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('INVALID_KEY');
      expect((error as Error).message).not.toContain('hunter2');
    }
    expect(() => parseIdentityFile('# only a comment\n')).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
  });
});

describe('SecretStore', () => {
  it('adds identities without duplicates', async () => {
    const store = new SecretStore(memoryStorage());
    expect(await store.identities()).toEqual([]);
    expect(await store.addIdentities(['A', 'B'])).toBe(2);
    expect(await store.addIdentities(['B', 'C'])).toBe(1);
    expect(await store.identities()).toEqual(['A', 'B', 'C']);
  });

  it('remembers a passphrase per workspace and forgets every secret at once', async () => {
    const storage = memoryStorage();
    const store = new SecretStore(storage);
    await store.rememberPassphrase('file:///w1', 'one');
    await store.rememberPassphrase('file:///w2', 'two');
    await store.addIdentities(['K']);
    expect(await store.passphrase('file:///w1')).toBe('one');
    expect(await store.passphrase('file:///w3')).toBeUndefined();
    await store.forgetAll();
    expect(storage.entries.size).toBe(0);
  });

  it('forgets a remembered passphrase only while it is still the one remembered', async () => {
    const storage = memoryStorage();
    const store = new SecretStore(storage);
    await store.rememberPassphrase('file:///w1', 'typo');
    await store.rememberPassphrase('file:///w2', 'two');
    await store.forgetPassphrase('file:///w1', 'other');
    expect(await store.passphrase('file:///w1')).toBe('typo');
    await store.forgetPassphrase('file:///w1', 'typo');
    expect(await store.passphrase('file:///w1')).toBeUndefined();
    expect(await store.passphrase('file:///w2')).toBe('two');
    expect(JSON.parse(storage.entries.get('kwqm.passphraseWorkspaces') ?? '[]')).toEqual(['file:///w2']);
  });

  it('treats a damaged entry as empty', async () => {
    const storage = memoryStorage();
    storage.entries.set('kwqm.identities', '{not json');
    expect(await new SecretStore(storage).identities()).toEqual([]);
  });
});
