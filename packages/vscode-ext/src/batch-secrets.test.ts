import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { secretsFor } from './batch-secrets.js';
import { SecretStore } from './secret-store.js';
import { DEFAULT_SETTINGS } from './settings.js';

// The password box answers with what `typed` holds; the workspace is one folder.
const editor = vi.hoisted(() => ({ typed: 'typed-again', asked: 0 }));
vi.mock('vscode', () => ({
  workspace: { workspaceFile: undefined, workspaceFolders: [{ uri: { toString: () => 'file:///w' } }] },
  window: {
    showInputBox: async () => {
      editor.asked += 1;
      return editor.typed;
    },
    showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined,
  },
}));

const folder = mkdtempSync(join(tmpdir(), 'kwqm-batch-secrets-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
// A header as age writes it for a passphrase (the peek reads only the intro line and stanza types).
const file = join(folder, 'x.age');
writeFileSync(file, 'age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 18\nYm9keQ\n--- bWFj\n');

/** A secret store in memory holding `remembered` as the workspace's decrypt passphrase. */
async function storeRemembering(remembered: string): Promise<SecretStore> {
  const values = new Map<string, string>();
  const store = new SecretStore({
    get: async (key) => values.get(key),
    store: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  });
  await store.rememberPassphrase('file:///w', remembered);
  return store;
}

const settings = { ...DEFAULT_SETTINGS, rememberPassphrase: true };
const noImport = async () => undefined;

describe('secretsFor (decrypt)', () => {
  beforeEach(() => {
    editor.asked = 0;
  });

  it('uses the remembered passphrase without asking', async () => {
    const store = await storeRemembering('remembered');
    const secrets = await secretsFor(store, 'decrypt', [file], settings, noImport);
    expect(editor.asked).toBe(0);
    expect(secrets?.decryptPassphrase).toEqual({ value: 'remembered', origin: 'remembered' });
  });

  it('asks again for Try Again after a wrong passphrase, instead of reusing the remembered one', async () => {
    const store = await storeRemembering('the-wrong-one');
    const secrets = await secretsFor(store, 'decrypt', [file], settings, noImport, { askPassphrase: true });
    expect(editor.asked).toBe(1);
    expect(secrets?.secrets).toEqual({ passphrase: 'typed-again' });
    // Typed: remembered only once a file opened with it.
    expect(secrets?.decryptPassphrase).toEqual({ value: 'typed-again', origin: 'typed' });
  });
});
