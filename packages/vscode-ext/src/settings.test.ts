import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, effectiveWorkerCount, readSettings, settingsWarning } from './settings.js';

const RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

describe('readSettings', () => {
  it('gives the defaults when nothing is set', () => {
    expect(readSettings(() => undefined)).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('takes valid values', () => {
    const values: Record<string, unknown> = {
      workers: 3,
      queueCapacity: 7,
      defaultPriority: 'high',
      recipients: [` ${RECIPIENT} `],
      useDaemon: 'never',
      overwrite: true,
      scryptWorkFactor: 10,
      rememberPassphrase: true,
      compressionFormat: 'brotli',
    };
    const { settings, problems } = readSettings((key) => values[key]);
    expect(problems).toEqual([]);
    expect(settings).toEqual({ ...values, recipients: [RECIPIENT] });
  });

  it('replaces each invalid value by its default and reports it in the house shape', () => {
    const values: Record<string, unknown> = {
      workers: -1,
      queueCapacity: 0,
      defaultPriority: 'urgent',
      useDaemon: true,
      overwrite: 'yes',
      scryptWorkFactor: 30,
    };
    const { settings, problems } = readSettings((key) => values[key]);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(problems).toHaveLength(6);
    expect(problems[0]).toBe('Expected `kwqm.workers` to be an integer from 0 to 256, got `-1` (number)');
  });

  it('rejects non-recipients and never echoes a private key pasted by mistake', () => {
    const secret = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQSMM4VC';
    const { settings, problems } = readSettings((key) =>
      key === 'recipients' ? [RECIPIENT, secret] : undefined,
    );
    expect(settings.recipients).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems.join('\n')).not.toContain(secret);
    expect(readSettings((key) => (key === 'recipients' ? 'age1x' : undefined)).problems).toHaveLength(1);
  });
});

describe('settingsWarning', () => {
  it('is undefined without problems and names the one invalid setting', () => {
    expect(settingsWarning([])).toBeUndefined();
    const { problems } = readSettings((key) => (key === 'workers' ? -1 : undefined));
    expect(settingsWarning(problems)).toContain('`kwqm.workers`');
  });

  it('names every invalid setting, not only the first (a private key in kwqm.recipients must not hide behind kwqm.workers)', () => {
    const secret = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQSMM4VC';
    const { problems } = readSettings((key) =>
      key === 'workers' ? -1 : key === 'recipients' ? [secret] : undefined,
    );
    const warning = settingsWarning(problems);
    expect(warning).toContain('`kwqm.workers`');
    expect(warning).toContain('`kwqm.recipients`');
    expect(warning).not.toContain(secret);
  });
});

describe('effectiveWorkerCount', () => {
  it('uses the setting, or one less than the CPU count (at least 1) for 0', () => {
    expect(effectiveWorkerCount({ ...DEFAULT_SETTINGS, workers: 3 }, 8)).toBe(3);
    expect(effectiveWorkerCount(DEFAULT_SETTINGS, 8)).toBe(7);
    expect(effectiveWorkerCount(DEFAULT_SETTINGS, 1)).toBe(1);
  });
});
