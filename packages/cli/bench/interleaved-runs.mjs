// Shared by the CLI benchmarks: peers timed in turns, so a slow spell of the machine hits each
// alike, and the median of each one's samples.

/**
 * Runs `timeOnce(peer)` for every peer, `runs` rounds in turns (after `warmUps` untimed rounds),
 * and returns each peer's samples by name.
 */
export function sampleInterleaved(peers, runs, timeOnce, warmUps = 0) {
  const samples = Object.fromEntries(Object.keys(peers).map((name) => [name, []]));
  for (let round = 0; round < warmUps; round += 1) {
    for (const peer of Object.values(peers)) timeOnce(peer);
  }
  for (let run = 0; run < runs; run += 1) {
    for (const [name, peer] of Object.entries(peers)) samples[name].push(timeOnce(peer));
  }
  return samples;
}

/** The median; the mean of the middle two for an even count. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
