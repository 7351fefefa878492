import type { FileOperation } from './file-operation.js';
import { compressionFormatOf, extensionOf } from './output-path.js';

/** One Explorer entry as the selection rules see it. */
export interface SelectedEntry {
  /** Absolute file-system path. */
  readonly path: string;
  readonly isDirectory: boolean;
}

/** An entry left out of a run, and why (shown in the log and, when nothing is left, to the user). */
export interface SkippedEntry {
  readonly path: string;
  readonly reason: string;
}

/** The outcome of {@link selectTargets}. */
export interface TargetSelection {
  readonly targets: readonly string[];
  readonly skipped: readonly SkippedEntry[];
}

/**
 * The paths a command acts on, given what VS Code passes an Explorer context-menu handler: the
 * clicked entry and every selected entry. A right-click outside the selection acts on the
 * clicked entry only, as VS Code's own commands do. Duplicates are dropped; order is kept.
 */
export function selectedPaths(
  clicked: string | undefined,
  selected: readonly string[] | undefined,
): string[] {
  const all = selected !== undefined && selected.length > 0 ? [...selected] : [];
  const paths = clicked === undefined ? all : all.includes(clicked) ? all : [clicked];
  return [...new Set(paths)];
}

/**
 * The entries of the second argument VS Code passes a command handler, when it is the Explorer
 * selection (a list); `[]` for anything else. The same command can be reached with other shapes —
 * an editor tab's menu passes `{ groupId }`, a keybinding or another extension anything — and
 * a stray argument must not break the command.
 */
export function selectionArgument<T>(value: unknown, isEntry: (entry: unknown) => entry is T): T[] {
  return Array.isArray(value) ? value.filter(isEntry) : [];
}

/** Why `operation` does not apply to `entry`, or `undefined` when it does. */
export function whyNotApplicable(operation: FileOperation, entry: SelectedEntry): string | undefined {
  if (entry.isDirectory) return 'is a folder';
  switch (operation) {
    case 'decrypt':
      return extensionOf(entry.path) === '.age' ? undefined : 'is not an .age file';
    case 'decompress':
      return compressionFormatOf(entry.path) === undefined ? 'is not a .gz or .br file' : undefined;
    default:
      return undefined;
  }
}

/** Splits entries into those `operation` applies to and those it skips, with reasons. */
export function selectTargets(operation: FileOperation, entries: readonly SelectedEntry[]): TargetSelection {
  const targets: string[] = [];
  const skipped: SkippedEntry[] = [];
  for (const entry of entries) {
    const reason = whyNotApplicable(operation, entry);
    if (reason === undefined) targets.push(entry.path);
    else skipped.push({ path: entry.path, reason });
  }
  return { targets, skipped };
}
