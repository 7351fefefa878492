import { PRIORITIES, type Priority } from '@kwqm/core';
import * as vscode from 'vscode';
import { baseName } from './job-presentation.js';

/**
 * Asks for a new passphrase twice in password boxes; the second box refuses a mismatch.
 * `undefined` when the user backs out. The value is never logged or stored here.
 */
export async function askNewPassphrase(title: string): Promise<string | undefined> {
  const first = await vscode.window.showInputBox({
    title,
    prompt: 'Passphrase for the age file',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.length === 0 ? 'Enter a passphrase' : undefined),
  });
  if (first === undefined) return undefined;
  return vscode.window.showInputBox({
    title,
    prompt: 'Type the passphrase again',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value === first ? undefined : 'The passphrases do not match'),
  });
}

/** Asks once for the passphrase of existing files. */
export async function askPassphrase(title: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: 'Passphrase of the age file',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.length === 0 ? 'Enter the passphrase' : undefined),
  });
}

/** What to do about outputs that already exist. */
export type OverwriteAnswer = 'replace' | 'replace-all' | 'skip';

/** Asks before an existing output is replaced (`kwqm.overwrite` off). Closing the dialog skips. */
export async function askOverwrite(output: string, more: boolean): Promise<OverwriteAnswer> {
  const buttons = more ? ['Replace', 'Replace All', 'Skip'] : ['Replace', 'Skip'];
  const answer = await vscode.window.showWarningMessage(
    `${baseName(output)} already exists. Replace it?`,
    { modal: true, detail: output },
    ...buttons,
  );
  if (answer === 'Replace') return 'replace';
  if (answer === 'Replace All') return 'replace-all';
  return 'skip';
}

/**
 * Options for every KWQM quick pick. `ignoreFocusOut` because VS Code's tree views take the focus
 * back when a refresh ends right after they lost it, and the queue view refreshes with every
 * progress event: a pick opened from it (or from a menu over it) while a job ran could vanish
 * before the user chose (seen in the end-to-end tests, about 1 time in 15 on a busy machine).
 * The pick still closes with Escape.
 */
export const QUICK_PICK_OPTIONS = { ignoreFocusOut: true } as const;

/** A quick pick of the three levels, the current one marked; `undefined` when dismissed. */
export async function pickPriority(
  current: Priority | undefined,
  title: string,
): Promise<Priority | undefined> {
  const items = PRIORITIES.map((priority) => ({
    label: priority,
    description: priority === current ? 'current' : undefined,
    priority,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    ...QUICK_PICK_OPTIONS,
    title,
    placeHolder: 'Priority',
  });
  return picked?.priority;
}
