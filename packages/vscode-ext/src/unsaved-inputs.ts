import { type FileOperation, OPERATION_WORDING } from './file-operation.js';
import { baseName } from './job-presentation.js';

/**
 * The inputs of a run that an editor holds unsaved changes for (`dirtyPaths`: the file-system
 * paths of the dirty documents). Jobs read the file on disk, so for these the editor shows one
 * thing and the job would encrypt, hash or compress another, without a word. In target order.
 */
export function unsavedInputs(targets: readonly string[], dirtyPaths: readonly string[]): string[] {
  const dirty = new Set(dirtyPaths);
  return targets.filter((target) => dirty.has(target));
}

/** The choices of {@link unsavedInputsQuestion}: save first, or go on with what is on disk. */
export interface UnsavedInputsQuestion {
  readonly message: string;
  readonly detail: string;
  /** Saves the editors, then runs. */
  readonly save: string;
  /** Runs on the files as they are on disk; the editors keep their changes. */
  readonly useSaved: string;
}

/**
 * The modal question asked before a run whose inputs have unsaved changes (closing it runs
 * nothing): `hello.txt has unsaved changes` with **Save and Encrypt** and **Encrypt the Saved
 * Version**.
 */
export function unsavedInputsQuestion(
  operation: FileOperation,
  unsaved: readonly string[],
): UnsavedInputsQuestion {
  const verb = OPERATION_WORDING[operation].verb;
  const names = unsaved.map(baseName);
  const subject =
    names.length === 1
      ? `${names[0]} has unsaved changes`
      : `${names.length} files have unsaved changes: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
  return {
    message: `${subject}. ${verb} the saved version on disk, or save first?`,
    detail: `${verb} File reads the file${names.length === 1 ? '' : 's'} on disk, not the editor's text.`,
    save: `Save and ${verb}`,
    useSaved: `${verb} the Saved Version`,
  };
}
