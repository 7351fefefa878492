import { writeFile } from 'node:fs/promises';
import { KwqmError } from '@kwqm/core';
import * as vscode from 'vscode';
import { readIdentityFileText } from './identity-file-text.js';
import { loadEngineModule } from './load-engine-module.js';
import { parseIdentityFile, type SecretStore } from './secret-store.js';

/**
 * Identity commands: import an identity file, generate a new identity (its public key goes to
 * the clipboard), forget every stored secret. Private keys go to SecretStorage only.
 */
export class IdentityCommands {
  readonly #secrets: SecretStore;
  readonly #log: vscode.LogOutputChannel;

  constructor(secrets: SecretStore, log: vscode.LogOutputChannel) {
    this.#secrets = secrets;
    this.#log = log;
  }

  /**
   * Reads an age identity file (as `age-keygen` writes) into the secret store. Resolves with how
   * many new identities were stored (`0` for keys already there), or `undefined` when nothing
   * was imported (dialog closed, file refused).
   */
  async importIdentity(): Promise<number | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: 'KWQM: Import Identity File',
      canSelectMany: false,
    });
    const uri = picked?.[0];
    if (uri === undefined) return undefined;
    try {
      // Each key's checksum is checked by the engine, as the decrypt job will.
      const keys = parseIdentityFile(
        await readIdentityFileText(uri.fsPath),
        loadEngineModule().parseIdentities,
      );
      const added = await this.#secrets.addIdentities(keys);
      this.#log.info(
        `imported ${added} new identit${added === 1 ? 'y' : 'ies'} from ${JSON.stringify(uri.fsPath)}`,
      );
      void vscode.window.showInformationMessage(
        `KWQM: ${added} new identit${added === 1 ? 'y' : 'ies'} stored in the editor's secret storage.`,
      );
      return added;
    } catch (error) {
      const failure = KwqmError.from(error, 'INVALID_KEY');
      void vscode.window.showErrorMessage(`KWQM: ${failure.message} (${failure.code})`);
      return undefined;
    }
  }

  /**
   * Makes a new X25519 identity, stores it and copies its public key, so the user can paste it
   * into `kwqm.recipients` or send it to whoever encrypts for them. A single scalar multiplication:
   * not a job, so it runs here.
   */
  async generateIdentity(): Promise<void> {
    const { formatIdentityFile, generateIdentity } = loadEngineModule();
    const pair = generateIdentity();
    await this.#secrets.addIdentities([pair.identity]);
    await vscode.env.clipboard.writeText(pair.recipient);
    this.#log.info(`generated an identity; public key ${pair.recipient}`);
    const choice = await vscode.window.showInformationMessage(
      `KWQM: new identity stored. Public key copied: ${pair.recipient}`,
      'Save Backup…',
    );
    if (choice !== 'Save Backup…') return;
    const target = await vscode.window.showSaveDialog({
      title: 'KWQM: Save Identity Backup',
      saveLabel: 'Save',
    });
    if (target === undefined) return;
    // Owner-only, as age-keygen writes it; `wx` never replaces an existing file.
    await writeFile(target.fsPath, formatIdentityFile(pair), { mode: 0o600, flag: 'wx' }).then(
      () => this.#log.info(`identity backup written to ${JSON.stringify(target.fsPath)}`),
      (error: unknown) =>
        vscode.window.showErrorMessage(`KWQM: ${KwqmError.from(error, 'IO_ERROR').message}`),
    );
  }

  /** Deletes every stored identity and remembered passphrase, after a confirmation. */
  async forgetSecrets(): Promise<void> {
    const answer = await vscode.window.showWarningMessage(
      'Forget every identity and remembered passphrase KWQM keeps in the secret storage?',
      { modal: true },
      'Forget',
    );
    if (answer !== 'Forget') return;
    await this.#secrets.forgetAll();
    this.#log.info('forgot all stored secrets');
    void vscode.window.showInformationMessage('KWQM: stored secrets forgotten.');
  }
}
