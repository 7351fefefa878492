import { KwqmError } from '@kwqm/core';
import { decodeBase64NoPadding, encodeBase64NoPadding } from './base64-canonical.js';

/** The version line every age v1 file starts with. */
export const AGE_VERSION_LINE = 'age-encryption.org/v1';
const VERSION_PREFIX = 'age-encryption.org/';
const COLUMNS = 64;
const NEWLINE = 0x0a;
// An argument is a non-empty run of visible ASCII (%x21-7E).
const ARGUMENT = /^[\x21-\x7e]+$/;

/** One recipient stanza: `-> type args…` and a binary body. */
export interface Stanza {
  readonly type: string;
  readonly args: readonly string[];
  readonly body: Buffer;
}

/** A parsed header. */
export interface AgeHeader {
  readonly stanzas: readonly Stanza[];
  /** The header MAC from the `---` line. */
  readonly mac: Buffer;
  /** The bytes the MAC covers: everything up to and including `---`. */
  readonly macInput: Buffer;
  /** Bytes taken by the header, through the newline after the MAC. */
  readonly length: number;
}

/** Header too large to be real: a bound on the buffering a hostile file can cause. */
export const MAX_HEADER_SIZE = 1024 * 1024;

function badHeader(why: string): KwqmError {
  return new KwqmError('AGE_BAD_HEADER', `Malformed age header: ${why}`);
}

/**
 * Parses an age header at the start of `data`. Returns `undefined` when more data is needed
 * (the header is incomplete but valid so far); throws `AGE_BAD_HEADER` as soon as a line is
 * invalid. Follows the spec strictly: LF line ends, canonical unpadded base64, 64-column body
 * lines ending with a short (possibly empty) line.
 */
export function parseHeader(data: Uint8Array): AgeHeader | undefined {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  const nextLine = (): string | undefined => {
    const end = bytes.indexOf(NEWLINE, offset);
    if (end === -1) {
      if (bytes.byteLength - offset > MAX_HEADER_SIZE) throw badHeader('a line is too long');
      return undefined;
    }
    const line = bytes.toString('latin1', offset, end);
    offset = end + 1;
    if (offset > MAX_HEADER_SIZE) throw badHeader('the header is too large');
    return line;
  };

  const version = nextLine();
  if (version === undefined) {
    // Fail early on anything that cannot become the version line.
    const seen = bytes.toString('latin1', 0, Math.min(bytes.byteLength, VERSION_PREFIX.length));
    if (!VERSION_PREFIX.startsWith(seen)) throw badHeader('not an age file');
    return undefined;
  }
  if (version !== AGE_VERSION_LINE) {
    throw badHeader(
      version.startsWith(VERSION_PREFIX) ? `unsupported version "${version}"` : 'not an age file',
    );
  }

  const stanzas: Stanza[] = [];
  for (;;) {
    const lineStart = offset;
    const line = nextLine();
    if (line === undefined) return undefined;
    if (line.startsWith('--- ')) {
      const mac = decodeBase64NoPadding(line.slice(4));
      if (mac?.byteLength !== 32) throw badHeader('bad MAC line');
      return { stanzas, mac, macInput: bytes.subarray(0, lineStart + 3), length: offset };
    }
    if (!line.startsWith('-> ')) throw badHeader('expected a stanza ("-> ") or the MAC line ("--- ")');
    const args = line.slice(3).split(' ');
    if (!args.every((argument) => ARGUMENT.test(argument))) throw badHeader('bad stanza arguments');
    const [type, ...rest] = args as [string, ...string[]];
    const chunks: Buffer[] = [];
    for (;;) {
      const bodyLine = nextLine();
      if (bodyLine === undefined) return undefined;
      if (bodyLine.length > COLUMNS) throw badHeader('a stanza body line is longer than 64 columns');
      const decoded = decodeBase64NoPadding(bodyLine);
      if (decoded === undefined) throw badHeader('a stanza body is not canonical base64');
      chunks.push(decoded);
      if (bodyLine.length < COLUMNS) break;
    }
    stanzas.push({ type, args: rest, body: Buffer.concat(chunks) });
  }
}

/** The header text up to and including `---` (what the MAC covers). */
export function encodeHeaderWithoutMac(stanzas: readonly Stanza[]): Buffer {
  let text = `${AGE_VERSION_LINE}\n`;
  for (const stanza of stanzas) {
    text += `-> ${[stanza.type, ...stanza.args].join(' ')}\n`;
    const body = encodeBase64NoPadding(stanza.body);
    for (let column = 0; column < body.length; column += COLUMNS)
      text += `${body.slice(column, column + COLUMNS)}\n`;
    // The body always ends with a short line; a body of whole lines gets an empty one.
    if (body.length % COLUMNS === 0) text += '\n';
  }
  return Buffer.from(`${text}---`, 'latin1');
}

/** The complete header: {@link encodeHeaderWithoutMac} plus ` <mac>\n`. */
export function encodeHeader(withoutMac: Buffer, mac: Uint8Array): Buffer {
  return Buffer.concat([withoutMac, Buffer.from(` ${encodeBase64NoPadding(mac)}\n`, 'latin1')]);
}
