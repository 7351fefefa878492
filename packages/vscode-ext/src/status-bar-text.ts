/** The status bar text for the counts, or `undefined` to hide the item while the queue is idle. */
export function statusBarText(counts: {
  readonly running: number;
  readonly queued: number;
}): string | undefined {
  if (counts.running === 0 && counts.queued === 0) return undefined;
  const icon = counts.running > 0 ? '$(sync~spin)' : '$(clock)';
  return `${icon} KWQM ${counts.running} running · ${counts.queued} queued`;
}
