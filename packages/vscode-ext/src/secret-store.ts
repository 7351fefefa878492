import { KwqmError } from '@kwqm/core';

/** The part of VS Code's `SecretStorage` this module uses; the editor's own store in production. */
export interface SecretStoragePort {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

const IDENTITIES_KEY = 'kwqm.identities';
const PASSPHRASE_KEY_PREFIX = 'kwqm.passphrase:';
/** Index of workspace keys holding a passphrase, so "forget" can find them (SecretStorage cannot list). */
const PASSPHRASE_INDEX_KEY = 'kwqm.passphraseWorkspaces';

const SECRET_KEY_LINE = /^AGE-SECRET-KEY-1[02-9ac-hj-np-z]{58}$/i;
const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const SSH_PRIVATE_KEY = /^-----BEGIN (OPENSSH|RSA|EC|DSA) PRIVATE KEY-----/m;

/**
 * The private keys in an age identity file's text: one `AGE-SECRET-KEY-1…` per line, `#`
 * comments and blank lines allowed, as `age-keygen` writes them. Anything else is refused with
 * `INVALID_KEY` (without echoing the line: it may be a secret), naming a passphrase-protected
 * identity file or an SSH key as such. `checkKey` (the engine's `parseIdentities`, loaded only on
 * import) checks each key's checksum: a damaged key stored here would fail every later Decrypt
 * File, passphrase files included, with `INVALID_KEY`.
 */
export function parseIdentityFile(text: string, checkKey?: (key: string) => unknown): string[] {
  if (text.startsWith('age-encryption.org/v1\n') || text.trimStart().startsWith(ARMOR_BEGIN)) {
    throw new KwqmError(
      'INVALID_KEY',
      'The identity file is passphrase-protected (an age file), which KWQM cannot import; decrypt it first (age -d)',
    );
  }
  if (SSH_PRIVATE_KEY.test(text)) {
    throw new KwqmError(
      'INVALID_KEY',
      'The identity file is an SSH key; KWQM decrypts only with age X25519 identities (AGE-SECRET-KEY-1…)',
    );
  }
  const keys: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const refuse = (what: string, cause?: unknown) =>
      new KwqmError('INVALID_KEY', `Line ${index + 1} of the identity file ${what}`, {
        details: { line: index + 1 },
        ...(cause === undefined ? {} : { cause }),
      });
    if (!SECRET_KEY_LINE.test(line)) throw refuse('is not an AGE-SECRET-KEY-1… key');
    try {
      checkKey?.(line);
    } catch (error) {
      throw refuse('is a damaged AGE-SECRET-KEY-1… key (its checksum does not match)', error);
    }
    keys.push(line.toUpperCase());
  }
  if (keys.length === 0)
    throw new KwqmError('INVALID_KEY', 'The identity file holds no AGE-SECRET-KEY-1… key');
  return keys;
}

/**
 * The extension's secrets, kept only in the editor's secret storage (the OS keychain on desktop):
 * age identities (private keys) and, when the user opts in, one passphrase per workspace.
 * Nothing here is ever written to settings or logs.
 */
export class SecretStore {
  readonly #storage: SecretStoragePort;

  constructor(storage: SecretStoragePort) {
    this.#storage = storage;
  }

  /** The stored private keys, in the order they were added. */
  async identities(): Promise<string[]> {
    const stored = await this.#storage.get(IDENTITIES_KEY);
    if (stored === undefined) return [];
    try {
      const parsed: unknown = JSON.parse(stored);
      return Array.isArray(parsed) ? parsed.filter((key): key is string => typeof key === 'string') : [];
    } catch {
      // A damaged entry is dropped rather than blocking every decrypt.
      return [];
    }
  }

  /** Adds private keys, skipping ones already stored; returns how many were new. */
  async addIdentities(keys: readonly string[]): Promise<number> {
    const current = await this.identities();
    const fresh = keys.filter((key) => !current.includes(key));
    if (fresh.length > 0) await this.#storage.store(IDENTITIES_KEY, JSON.stringify([...current, ...fresh]));
    return fresh.length;
  }

  /** The passphrase remembered for `workspace` (any stable id, e.g. the folder URI). */
  async passphrase(workspace: string): Promise<string | undefined> {
    return this.#storage.get(PASSPHRASE_KEY_PREFIX + workspace);
  }

  /** Remembers `passphrase` for `workspace`. */
  async rememberPassphrase(workspace: string, passphrase: string): Promise<void> {
    await this.#storage.store(PASSPHRASE_KEY_PREFIX + workspace, passphrase);
    const index = await this.#passphraseWorkspaces();
    if (!index.includes(workspace))
      await this.#storage.store(PASSPHRASE_INDEX_KEY, JSON.stringify([...index, workspace]));
  }

  /**
   * Forgets the passphrase remembered for `workspace` if it is still `passphrase` (one remembered
   * since, by another job, is kept).
   */
  async forgetPassphrase(workspace: string, passphrase: string): Promise<void> {
    if ((await this.passphrase(workspace)) !== passphrase) return;
    await this.#storage.delete(PASSPHRASE_KEY_PREFIX + workspace);
    const index = await this.#passphraseWorkspaces();
    if (index.includes(workspace))
      await this.#storage.store(
        PASSPHRASE_INDEX_KEY,
        JSON.stringify(index.filter((entry) => entry !== workspace)),
      );
  }

  /** Deletes every identity and every remembered passphrase. */
  async forgetAll(): Promise<void> {
    for (const workspace of await this.#passphraseWorkspaces()) {
      await this.#storage.delete(PASSPHRASE_KEY_PREFIX + workspace);
    }
    await this.#storage.delete(PASSPHRASE_INDEX_KEY);
    await this.#storage.delete(IDENTITIES_KEY);
  }

  async #passphraseWorkspaces(): Promise<string[]> {
    const stored = await this.#storage.get(PASSPHRASE_INDEX_KEY);
    try {
      const parsed: unknown = stored === undefined ? [] : JSON.parse(stored);
      return Array.isArray(parsed) ? parsed.filter((key): key is string => typeof key === 'string') : [];
    } catch {
      return [];
    }
  }
}
