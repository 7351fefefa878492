import { type FileOperation, OPERATION_WORDING } from './file-operation.js';
import { baseName } from './job-presentation.js';

/** Files named in a title before the rest are counted. */
const NAMED_FILES = 3;

/**
 * The title of the prompts a batch asks (passphrase boxes), naming the files they are for:
 * `KWQM: Encrypt hello.txt`, `KWQM: Encrypt 2 files: a.txt, b.txt`,
 * `KWQM: Encrypt 5 files: a.txt, b.txt, c.txt and 2 more`. A command can run on a file nobody
 * clicked (the active editor's, from the command palette or the queue view's welcome link), so
 * the box must say which file the passphrase will encrypt or open.
 */
export function batchTitle(operation: FileOperation, targets: readonly string[]): string {
  const verb = OPERATION_WORDING[operation].verb;
  const names = targets.map(baseName);
  if (names.length === 0) return `KWQM: ${verb}`;
  if (names.length === 1) return `KWQM: ${verb} ${names[0]}`;
  const shown = names.slice(0, NAMED_FILES).join(', ');
  const rest = names.length - NAMED_FILES;
  return `KWQM: ${verb} ${names.length} files: ${shown}${rest > 0 ? ` and ${rest} more` : ''}`;
}
