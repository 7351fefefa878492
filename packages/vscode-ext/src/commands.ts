/**
 * Every command the extension contributes, in one typed const. The manifest (`package.json`
 * `contributes.commands`) is checked against this list by `commands.test.ts`, so the ids used in
 * code, menus and `when` clauses cannot drift apart.
 */
export const KWQM_COMMANDS = {
  encryptFile: { id: 'kwqm.encryptFile', title: 'Encrypt File', icon: '$(lock)' },
  encryptFileHighPriority: { id: 'kwqm.encryptFileHighPriority', title: 'Encrypt File (High Priority)' },
  decryptFile: { id: 'kwqm.decryptFile', title: 'Decrypt File', icon: '$(unlock)' },
  decryptFileHighPriority: { id: 'kwqm.decryptFileHighPriority', title: 'Decrypt File (High Priority)' },
  hashFile: { id: 'kwqm.hashFile', title: 'Hash File (SHA-256)' },
  compressFile: { id: 'kwqm.compressFile', title: 'Compress File' },
  decompressFile: { id: 'kwqm.decompressFile', title: 'Decompress File' },
  runWithPriority: { id: 'kwqm.runWithPriority', title: 'Run with Priority…' },
  importIdentity: { id: 'kwqm.importIdentity', title: 'Import Identity File…' },
  generateIdentity: { id: 'kwqm.generateIdentity', title: 'Generate Identity and Copy Public Key' },
  forgetSecrets: { id: 'kwqm.forgetSecrets', title: 'Forget Stored Secrets' },
  removeJob: { id: 'kwqm.removeJob', title: 'Remove from Queue', icon: '$(trash)' },
  changePriority: { id: 'kwqm.changePriority', title: 'Change Priority…', icon: '$(list-ordered)' },
  cancelJob: { id: 'kwqm.cancelJob', title: 'Cancel Job', icon: '$(stop-circle)' },
  revealOutput: { id: 'kwqm.revealOutput', title: 'Reveal Output in Explorer', icon: '$(go-to-file)' },
  showError: { id: 'kwqm.showError', title: 'Show Error', icon: '$(error)' },
  clearFinished: { id: 'kwqm.clearFinished', title: 'Clear Finished Jobs', icon: '$(clear-all)' },
  showLog: { id: 'kwqm.showLog', title: 'Show Log', icon: '$(output)' },
  focusQueue: { id: 'kwqm.focusQueue', title: 'Show Queue' },
} as const;

/** The key of one command in {@link KWQM_COMMANDS}. */
export type KwqmCommandKey = keyof typeof KWQM_COMMANDS;

/** A command id (`kwqm.*`). */
export type KwqmCommandId = (typeof KWQM_COMMANDS)[KwqmCommandKey]['id'];

/** The category every command shows under in the command palette. */
export const KWQM_COMMAND_CATEGORY = 'KWQM';

/** The id of the queue tree view. */
export const QUEUE_VIEW_ID = 'kwqm.queue';
