/**
 * How many files the checks before a submit (header peeks, doomed-file checks) keep open at once,
 * through core's `mapFewAtATime`. `Promise.all` over the command line opened every file together,
 * and under the common limit of 1024 descriptors `kwqm encrypt` on 3 000 files failed 1 995 of
 * them with EMFILE.
 */
export const FILES_OPEN_AT_ONCE = 32;
