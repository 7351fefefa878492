/** The few styles the CLI uses. Each returns its input unchanged when colour is off. */
export interface Colors {
  readonly enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/** What decides colour: the stream's terminal-ness and the environment. */
export interface ColorSupportInput {
  readonly isTTY: boolean | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Colour only on a terminal, never when `NO_COLOR` is set to anything non-empty (no-color.org)
 * or `TERM=dumb`. `FORCE_COLOR` (non-empty, not `0`) turns it on even off a terminal, as most
 * Node tools do, so screenshots and tests can opt in.
 */
export function supportsColor({ isTTY, env }: ColorSupportInput): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return isTTY === true;
}

function style(enabled: boolean, open: number, close: number): (text: string) => string {
  return enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
}

/** Colour functions, on or off. */
export function createColors(enabled: boolean): Colors {
  return {
    enabled,
    red: style(enabled, 31, 39),
    green: style(enabled, 32, 39),
    yellow: style(enabled, 33, 39),
    cyan: style(enabled, 36, 39),
    dim: style(enabled, 2, 22),
    bold: style(enabled, 1, 22),
  };
}
