/**
 * How many files a command's checks before its jobs (decrypt's header peeks) keep open at once,
 * through core's `mapFewAtATime`. `Promise.all` over the selection opened every selected file
 * together: with a selection of some thousand files that meets the process's descriptor limit
 * (EMFILE), and files that could not be opened were misjudged. The CLI uses the same bound.
 */
export const FILES_OPEN_AT_ONCE = 32;
