const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// C0 controls, DEL and C1 controls (U+009B is a CSI on some terminals).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A name (a file, a label another client chose) made safe to print in a line of a table or a
 * log: control characters shown as `\n`, `\t`, `\x1b`…, so a name cannot break a row in two or
 * send escape sequences to the terminal. For people only: `--json` carries the exact name.
 */
export function printable(text: string): string {
  return text.replace(
    CONTROL,
    (char) => ESCAPES[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
