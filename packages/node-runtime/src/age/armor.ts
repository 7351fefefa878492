import { KwqmError } from '@kwqm/core';
import type { ChunkTransform } from '../files/chunk-transform.js';

/** The armor's first line. */
export const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
/** The armor's last line. */
export const ARMOR_END = '-----END AGE ENCRYPTED FILE-----';
const COLUMNS = 64;
const BYTES_PER_LINE = 48;
const WHITESPACE = /^[ \t\r\n]*$/;
const FULL_LINE = /^[A-Za-z0-9+/]{64}$/;
const LAST_LINE = /^[A-Za-z0-9+/]*={0,2}$/;
// Longest line the decoder buffers while looking for a newline (a line is at most 64 + CR).
const MAX_PENDING = 256;

/** Encodes a binary age file as PEM-style armor: 64-column standard base64 with padding, LF line ends. */
export class ArmorEncoder implements ChunkTransform {
  #carry: Buffer = Buffer.alloc(0);
  #started = false;

  update(block: Uint8Array): Uint8Array[] {
    const data = this.#carry.byteLength === 0 ? Buffer.from(block) : Buffer.concat([this.#carry, block]);
    const whole = data.byteLength - (data.byteLength % BYTES_PER_LINE);
    this.#carry = Buffer.from(data.subarray(whole));
    return [Buffer.from(this.#begin() + lines(data.subarray(0, whole)), 'latin1')];
  }

  final(): Uint8Array[] {
    const text = `${this.#begin()}${lines(this.#carry)}${ARMOR_END}\n`;
    this.#carry = Buffer.alloc(0);
    return [Buffer.from(text, 'latin1')];
  }

  #begin(): string {
    if (this.#started) return '';
    this.#started = true;
    return `${ARMOR_BEGIN}\n`;
  }
}

function lines(data: Uint8Array): string {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  let out = '';
  for (let column = 0; column < text.length; column += COLUMNS)
    out += `${text.slice(column, column + COLUMNS)}\n`;
  return out;
}

function badArmor(why: string): KwqmError {
  return new KwqmError('AGE_BAD_ARMOR', `Malformed age armor: ${why}`);
}

/**
 * Decodes PEM-style armor strictly, as the age spec asks: whitespace only around the armor, the
 * exact BEGIN/END lines, LF or CRLF line ends, full 64-column lines except a non-empty last one,
 * canonical padded base64, no headers. Anything else is `AGE_BAD_ARMOR`.
 */
export class ArmorDecoder implements ChunkTransform {
  #state: 'before' | 'data' | 'after-last-line' | 'after' = 'before';
  #pending = '';

  update(block: Uint8Array): Uint8Array[] {
    const text =
      this.#pending + Buffer.from(block.buffer, block.byteOffset, block.byteLength).toString('latin1');
    const lineList = text.split('\n');
    this.#pending = lineList.pop() ?? '';
    const decoded: Buffer[] = [];
    for (const line of lineList) this.#line(line, decoded);
    if (this.#state === 'before') {
      if (!ARMOR_BEGIN.startsWith(this.#pending.replace(/^[ \t\r]+/, ''))) {
        throw badArmor('expected an age file or its armor BEGIN line');
      }
    } else if (this.#state === 'after') {
      if (!WHITESPACE.test(this.#pending)) throw badArmor('data after the END line');
      this.#pending = '';
    } else if (this.#pending.length > MAX_PENDING) {
      throw badArmor('a line is longer than 64 columns');
    }
    return decoded.length === 0 ? [] : [Buffer.concat(decoded)];
  }

  final(): Uint8Array[] {
    const decoded: Buffer[] = [];
    // The END line may lack a final newline.
    if (this.#state !== 'after' && this.#pending !== '') this.#line(this.#pending, decoded);
    this.#pending = '';
    if (this.#state !== 'after') throw badArmor('no END line');
    return decoded.length === 0 ? [] : [Buffer.concat(decoded)];
  }

  #line(raw: string, decoded: Buffer[]): void {
    if (this.#state === 'before') {
      if (WHITESPACE.test(raw)) return;
      // Whitespace before the armor is skipped, as age does, also at the start of the BEGIN line.
      if (stripCr(raw).replace(/^[ \t\r]+/, '') !== ARMOR_BEGIN) throw badArmor('expected the BEGIN line');
      this.#state = 'data';
      return;
    }
    if (this.#state === 'after') {
      if (!WHITESPACE.test(raw)) throw badArmor('data after the END line');
      return;
    }
    const line = stripCr(raw);
    if (line === ARMOR_END) {
      this.#state = 'after';
      return;
    }
    if (this.#state === 'after-last-line') throw badArmor('a short line before the end of the data');
    if (FULL_LINE.test(line)) {
      decoded.push(Buffer.from(line, 'base64'));
      return;
    }
    if (line.length === 0 || line.length > COLUMNS || line.length % 4 !== 0 || !LAST_LINE.test(line)) {
      throw badArmor('a line is not 64 columns of base64 (or a shorter, padded last line)');
    }
    const bytes = Buffer.from(line, 'base64');
    if (bytes.toString('base64') !== line) throw badArmor('the base64 is not canonical');
    decoded.push(bytes);
    this.#state = 'after-last-line';
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
