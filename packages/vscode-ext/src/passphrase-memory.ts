/** Where the passphrase of a batch came from. */
export type PassphraseOrigin = 'typed' | 'remembered';

/** How a job that used the passphrase ended: `undefined` when it succeeded, else its error `code`. */
export type JobOutcomeCode = string | undefined;

/** What to do with the workspace's remembered passphrase (`kwqm.rememberPassphrase` on). */
export type PassphraseMemoryAction = 'remember' | 'forget' | 'keep';

/**
 * The rule for a decrypt passphrase with `kwqm.rememberPassphrase` on: a typed one is kept once a
 * job opened a file with it, and a remembered one that turned out wrong is dropped, so the next
 * Decrypt File asks again. Remembering a typo at once would make every later decrypt in the
 * workspace fail with AGE_WRONG_PASSPHRASE without a prompt, until Forget Stored Secrets.
 * (Encrypt remembers at once: its passphrase is typed twice and cannot be wrong.)
 */
export function passphraseMemoryAction(
  origin: PassphraseOrigin,
  outcome: JobOutcomeCode,
): PassphraseMemoryAction {
  if (outcome === undefined) return origin === 'typed' ? 'remember' : 'keep';
  return origin === 'remembered' && outcome === 'AGE_WRONG_PASSPHRASE' ? 'forget' : 'keep';
}
