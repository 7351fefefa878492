import { open } from 'node:fs/promises';
import type { DecryptSecrets, EncryptSecrets } from '@kwqm/node-runtime';
import * as vscode from 'vscode';
import { type AgeFileKind, peekAgeFileKind } from './age-header-peek.js';
import { batchTitle } from './batch-title.js';
import { KWQM_COMMANDS } from './commands.js';
import type { FileOperation } from './file-operation.js';
import { askNewPassphrase, askPassphrase } from './prompts.js';
import type { SecretStore } from './secret-store.js';
import type { KwqmSettings } from './settings.js';

function workspaceKey(): string {
  return (
    vscode.workspace.workspaceFile?.toString() ??
    vscode.workspace.workspaceFolders?.[0]?.uri.toString() ??
    'no-workspace'
  );
}

/**
 * The secrets of a batch, asked once for all its files: `null` when the user backed out.
 * Encrypt: the `kwqm.recipients` keys need none; otherwise a passphrase, typed twice (or the one
 * remembered for this workspace). Decrypt: stored identities for files encrypted to recipients,
 * a passphrase for files with an scrypt stanza. The prompts name the files (see {@link batchTitle}).
 */
export async function secretsFor(
  store: SecretStore,
  operation: FileOperation,
  targets: readonly string[],
  settings: KwqmSettings,
): Promise<EncryptSecrets | DecryptSecrets | undefined | null> {
  if (operation === 'encrypt') {
    if (settings.recipients.length > 0) return undefined;
    const passphrase =
      (await rememberedPassphrase(store, settings)) ??
      (await askNewPassphrase(batchTitle(operation, targets)));
    if (passphrase === undefined) return null;
    await maybeRemember(store, settings, passphrase);
    return { passphrase };
  }
  if (operation !== 'decrypt') return undefined;
  const kinds = await Promise.all(targets.map(peekFile));
  const identities = await store.identities();
  const secrets: { passphrase?: string; identities?: string[] } = {};
  if (identities.length > 0) secrets.identities = identities;
  const needsPassphrase =
    kinds.includes('passphrase') || (identities.length === 0 && kinds.includes('unknown'));
  if (needsPassphrase) {
    const passphrase =
      (await rememberedPassphrase(store, settings)) ?? (await askPassphrase(batchTitle(operation, targets)));
    if (passphrase === undefined) return null;
    await maybeRemember(store, settings, passphrase);
    secrets.passphrase = passphrase;
  } else if (kinds.includes('recipients') && identities.length === 0) {
    const choice = await vscode.window.showErrorMessage(
      'KWQM: this file was encrypted to a public key, and no identity is stored. Import the matching identity file first.',
      'Import Identity File…',
    );
    if (choice !== undefined) await vscode.commands.executeCommand(KWQM_COMMANDS.importIdentity.id);
    return null;
  }
  return secrets;
}

async function rememberedPassphrase(store: SecretStore, settings: KwqmSettings): Promise<string | undefined> {
  return settings.rememberPassphrase ? store.passphrase(workspaceKey()) : undefined;
}

async function maybeRemember(store: SecretStore, settings: KwqmSettings, passphrase: string): Promise<void> {
  if (settings.rememberPassphrase) await store.rememberPassphrase(workspaceKey(), passphrase);
}

async function peekFile(path: string): Promise<AgeFileKind> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = new Uint8Array(4096);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return peekAgeFileKind(head.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch {
    return 'unknown';
  }
}
