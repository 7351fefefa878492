import type { DecryptSecrets, EncryptSecrets } from '@kwqm/node-runtime';
import * as vscode from 'vscode';
import { batchTitle } from './batch-title.js';
import type { FileOperation } from './file-operation.js';
import { baseName } from './job-presentation.js';
import {
  type JobOutcomeCode,
  type PassphraseMemoryAction,
  type PassphraseOrigin,
  passphraseMemoryAction,
} from './passphrase-memory.js';
import { peekAgeFiles } from './peek-age-files.js';
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

/** The secrets of a batch, and the decrypt passphrase to settle once each job has ended. */
export interface BatchSecrets {
  readonly secrets: EncryptSecrets | DecryptSecrets | undefined;
  /** Set for a decrypt that uses a passphrase; see {@link settleDecryptPassphrase}. */
  readonly decryptPassphrase?: { readonly value: string; readonly origin: PassphraseOrigin };
}

/** How {@link secretsFor} gets the secrets. */
export interface SecretsOptions {
  /**
   * Ask for the decrypt passphrase even when one is remembered for the workspace: Try Again after
   * `AGE_WRONG_PASSPHRASE`, where the remembered one (or the one just remembered from another file
   * of the batch) is the one that failed.
   * @default false
   */
  readonly askPassphrase?: boolean;
}

/**
 * The secrets of a batch, asked once for all its files: `null` when the user backed out.
 * Encrypt: the `kwqm.recipients` keys need none; otherwise a passphrase, typed twice (or the one
 * remembered for this workspace). Decrypt: stored identities for files encrypted to recipients,
 * a passphrase for files with an scrypt stanza; files encrypted to recipients with no identity
 * stored offer `importIdentity` and go on with what it stored. The prompts name the files (see
 * {@link batchTitle}).
 */
export async function secretsFor(
  store: SecretStore,
  operation: FileOperation,
  targets: readonly string[],
  settings: KwqmSettings,
  importIdentity: () => Promise<number | undefined>,
  options: SecretsOptions = {},
): Promise<BatchSecrets | null> {
  if (operation === 'encrypt') {
    if (settings.recipients.length > 0) return { secrets: undefined };
    const passphrase =
      (await rememberedPassphrase(store, settings)) ??
      (await askNewPassphrase(batchTitle(operation, targets)));
    if (passphrase === undefined) return null;
    await maybeRemember(store, settings, passphrase);
    return { secrets: { passphrase } };
  }
  if (operation !== 'decrypt') return { secrets: undefined };
  // A bounded number of files open at once: a selection can hold thousands (EMFILE).
  const kinds = await peekAgeFiles(targets);
  if (kinds.every((kind) => kind === 'not-age')) {
    // No secret can open these: say so instead of asking for a passphrase first.
    const first = baseName(targets[0] ?? '');
    void vscode.window.showWarningMessage(
      targets.length === 1
        ? `KWQM: nothing to decrypt: ${first} is not an age file`
        : `KWQM: nothing to decrypt: ${first} and ${targets.length - 1} more are not age files`,
    );
    return null;
  }
  const identities = await store.identities();
  const secrets: { passphrase?: string; identities?: string[] } = {};
  if (identities.length > 0) secrets.identities = identities;
  const needsPassphrase =
    kinds.includes('passphrase') || (identities.length === 0 && kinds.includes('unknown'));
  if (needsPassphrase) {
    const remembered =
      options.askPassphrase === true ? undefined : await rememberedPassphrase(store, settings);
    const passphrase = remembered ?? (await askPassphrase(batchTitle(operation, targets)));
    if (passphrase === undefined) return null;
    secrets.passphrase = passphrase;
    // Remembered only once a file opened with it (see passphraseMemoryAction).
    return {
      secrets,
      decryptPassphrase: { value: passphrase, origin: remembered === undefined ? 'typed' : 'remembered' },
    };
  }
  if (kinds.includes('recipients') && identities.length === 0) {
    const choice = await vscode.window.showErrorMessage(
      `KWQM: ${targets.length === 1 ? 'this file was' : 'these files were'} encrypted to a public key, and no identity is stored. Import the matching identity file to decrypt ${targets.length === 1 ? 'it' : 'them'}.`,
      'Import Identity File…',
    );
    if (choice === undefined) return null;
    // The decrypt goes on with what was imported: the user asked for it once already.
    await importIdentity();
    const imported = await store.identities();
    if (imported.length === 0) return null;
    return { secrets: { identities: imported } };
  }
  return { secrets };
}

/**
 * With `kwqm.rememberPassphrase` on, remembers a typed decrypt passphrase once a job opened its
 * file, and forgets a remembered one a job found wrong (the next Decrypt File asks again).
 */
export async function settleDecryptPassphrase(
  store: SecretStore,
  settings: KwqmSettings,
  passphrase: NonNullable<BatchSecrets['decryptPassphrase']>,
  outcome: JobOutcomeCode,
): Promise<PassphraseMemoryAction> {
  if (!settings.rememberPassphrase) return 'keep';
  const action = passphraseMemoryAction(passphrase.origin, outcome);
  if (action === 'remember') await store.rememberPassphrase(workspaceKey(), passphrase.value);
  else if (action === 'forget') await store.forgetPassphrase(workspaceKey(), passphrase.value);
  return action;
}

async function rememberedPassphrase(store: SecretStore, settings: KwqmSettings): Promise<string | undefined> {
  return settings.rememberPassphrase ? store.passphrase(workspaceKey()) : undefined;
}

async function maybeRemember(store: SecretStore, settings: KwqmSettings, passphrase: string): Promise<void> {
  if (settings.rememberPassphrase) await store.rememberPassphrase(workspaceKey(), passphrase);
}
