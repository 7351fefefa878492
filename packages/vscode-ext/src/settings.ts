import { isPriority, type Priority } from '@kwqm/core';
import type { CompressionFormat } from '@kwqm/node-runtime';

/** Where the queue runs. */
export type DaemonMode = 'auto' | 'never' | 'always';

/** The extension's settings (`kwqm.*`), validated. Documented in docs/reference/vscode-extension.md. */
export interface KwqmSettings {
  /** Worker threads for the in-editor queue; 0 = one less than the CPU count, at least 1. @default 0 */
  readonly workers: number;
  /** Jobs the in-editor queue holds before submits wait. @default 100 */
  readonly queueCapacity: number;
  /** Priority of jobs started from the Explorer menu. @default 'medium' */
  readonly defaultPriority: Priority;
  /** Public keys (`age1…`) to encrypt to; when empty, Encrypt File asks for a passphrase. @default [] */
  readonly recipients: readonly string[];
  /** `auto`: the user's daemon when one runs, else in the editor; `never`; `always`. @default 'auto' */
  readonly useDaemon: DaemonMode;
  /** Replace an existing output without asking. @default false */
  readonly overwrite: boolean;
  /** scrypt work factor (log2 N) for passphrase encryption, 10–22. @default 18 */
  readonly scryptWorkFactor: number;
  /** Keep the passphrase typed in this workspace in the editor's secret storage. @default false */
  readonly rememberPassphrase: boolean;
  /** What Compress File writes. @default 'gzip' */
  readonly compressionFormat: CompressionFormat;
}

/** The defaults, identical to the manifest's `contributes.configuration` defaults. */
export const DEFAULT_SETTINGS: KwqmSettings = {
  workers: 0,
  queueCapacity: 100,
  defaultPriority: 'medium',
  recipients: [],
  useDaemon: 'auto',
  overwrite: false,
  scryptWorkFactor: 18,
  rememberPassphrase: false,
  compressionFormat: 'gzip',
};

/** The outcome of {@link readSettings}: usable settings plus one message per value replaced by its default. */
export interface SettingsReading {
  readonly settings: KwqmSettings;
  readonly problems: readonly string[];
}

const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

function describe(value: unknown): string {
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\` (${type})`;
}

function integerIn(
  key: string,
  value: unknown,
  minimum: number,
  maximum: number,
  problems: string[],
): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= minimum && value <= maximum)
    return value;
  problems.push(
    `Expected \`kwqm.${key}\` to be an integer from ${minimum} to ${maximum}, got ${describe(value)}`,
  );
  return undefined;
}

function oneOf<T extends string>(
  key: string,
  value: unknown,
  allowed: readonly T[],
  problems: string[],
): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  problems.push(
    `Expected \`kwqm.${key}\` to be one of ${allowed.map((a) => `\`${a}\``).join(', ')}, got ${describe(value)}`,
  );
  return undefined;
}

function boolean(key: string, value: unknown, problems: string[]): boolean | undefined {
  if (typeof value === 'boolean') return value;
  problems.push(`Expected \`kwqm.${key}\` to be a boolean, got ${describe(value)}`);
  return undefined;
}

function recipients(value: unknown, problems: string[]): readonly string[] | undefined {
  if (!Array.isArray(value)) {
    problems.push(`Expected \`kwqm.recipients\` to be an array of age1… public keys, got ${describe(value)}`);
    return undefined;
  }
  const bad = value.find((entry) => typeof entry !== 'string' || !AGE_RECIPIENT.test(entry.trim()));
  if (bad !== undefined) {
    // A private key pasted here by mistake must not be echoed into the log.
    const shown =
      typeof bad === 'string' && bad.trim().toUpperCase().startsWith('AGE-SECRET-KEY-')
        ? '`AGE-SECRET-KEY-…` (a private key: remove it)'
        : describe(bad);
    problems.push(`Expected \`kwqm.recipients\` to hold age1… public keys only, got ${shown}`);
    return undefined;
  }
  return value.map((entry: string) => entry.trim());
}

/**
 * Reads and validates every `kwqm.*` setting through `lookup` (VS Code's
 * `workspace.getConfiguration('kwqm').get`). An invalid value never stops the extension: it is
 * replaced by its default and reported in `problems`, one message per setting, in the house
 * shape ``Expected `kwqm.workers` to be …, got `-1` (number)``.
 */
export function readSettings(lookup: (key: string) => unknown): SettingsReading {
  const problems: string[] = [];
  const pick = <T>(key: keyof KwqmSettings, read: (value: unknown) => T | undefined): T => {
    const value = lookup(key);
    if (value === undefined) return DEFAULT_SETTINGS[key] as T;
    return read(value) ?? (DEFAULT_SETTINGS[key] as T);
  };
  const settings: KwqmSettings = {
    workers: pick('workers', (v) => integerIn('workers', v, 0, 256, problems)),
    queueCapacity: pick('queueCapacity', (v) => integerIn('queueCapacity', v, 1, 100_000, problems)),
    defaultPriority: pick('defaultPriority', (v) => {
      if (isPriority(v)) return v;
      problems.push(
        `Expected \`kwqm.defaultPriority\` to be one of \`high\`, \`medium\`, \`low\`, got ${describe(v)}`,
      );
      return undefined;
    }),
    recipients: pick('recipients', (v) => recipients(v, problems)),
    useDaemon: pick('useDaemon', (v) =>
      oneOf<DaemonMode>('useDaemon', v, ['auto', 'never', 'always'], problems),
    ),
    overwrite: pick('overwrite', (v) => boolean('overwrite', v, problems)),
    scryptWorkFactor: pick('scryptWorkFactor', (v) => integerIn('scryptWorkFactor', v, 10, 22, problems)),
    rememberPassphrase: pick('rememberPassphrase', (v) => boolean('rememberPassphrase', v, problems)),
    compressionFormat: pick('compressionFormat', (v) =>
      oneOf<CompressionFormat>('compressionFormat', v, ['gzip', 'brotli'], problems),
    ),
  };
  return { settings, problems };
}

/**
 * The warning shown for the problems of a {@link readSettings}, naming every invalid setting (a
 * second one, e.g. a private key in `kwqm.recipients` that sends Encrypt File back to a
 * passphrase, must not hide behind the first); `undefined` when there are none.
 */
export function settingsWarning(problems: readonly string[]): string | undefined {
  if (problems.length === 0) return undefined;
  if (problems.length === 1) return `KWQM: ${problems[0]}; using the default.`;
  return `KWQM: ${problems.length} settings are invalid and use their defaults. ${problems.join('. ')}.`;
}

/** The worker count to start with: the setting, or one less than `cpuCount` (at least 1) for 0. */
export function effectiveWorkerCount(settings: KwqmSettings, cpuCount: number): number {
  return settings.workers > 0 ? settings.workers : Math.max(1, cpuCount - 1);
}
