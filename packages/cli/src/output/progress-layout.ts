/** How wide each part of a progress bar line is drawn. */
export interface BarLayout {
  readonly labelWidth: number;
  readonly barWidth: number;
}

// ` 100% | 1023.9 MiB / 1023.9 MiB` after the bar, plus the space before it and one to spare.
const STATS_WIDTH = 34;
const LABEL_MIN = 4;
const LABEL_MAX = 40;
const BAR_MIN = 10;
const BAR_MAX = 40;

/**
 * Where progress goes on standard error: bars that fit the terminal's width, or plain lines (the
 * ones written to logs) when standard error is no terminal, when `TERM=dumb` (a terminal without
 * cursor movement: the bars' redraw codes would show as text), when it is too narrow for a bar
 * and its figures on one line (cli-progress cuts a longer line at the edge, figures first), or
 * when there are more files than rows (the cursor cannot climb back over bars scrolled off the
 * top, so every redraw left a screenful of bars in the scrollback: 1,200 lines for 40 files).
 */
export function progressLayout(
  stderr: { readonly isTTY?: boolean; readonly columns?: number; readonly rows?: number },
  env: Readonly<Record<string, string | undefined>>,
  longestLabel: number,
  files = 1,
): BarLayout | 'lines' {
  if (stderr.isTTY !== true || env.TERM === 'dumb') return 'lines';
  // One row is kept for the line the cursor rests on below the bars.
  if (stderr.rows !== undefined && stderr.rows > 0 && files > stderr.rows - 1) return 'lines';
  const columns = stderr.columns !== undefined && stderr.columns > 0 ? stderr.columns : 80;
  const room = columns - STATS_WIDTH;
  const labelWidth = Math.min(Math.max(longestLabel, LABEL_MIN), LABEL_MAX, room - BAR_MIN);
  if (labelWidth < LABEL_MIN) return 'lines';
  return { labelWidth, barWidth: Math.min(room - labelWidth, BAR_MAX) };
}
