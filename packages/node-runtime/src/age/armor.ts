import { KwqmError } from '@kwqm/core';
import type { ChunkTransform } from '../files/chunk-transform.js';

/** The armor's first line. */
export const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
/** The armor's last line. */
export const ARMOR_END = '-----END AGE ENCRYPTED FILE-----';
const COLUMNS = 64;
const BYTES_PER_LINE = 48;
const WHITESPACE = /^[ \t\r\n]*$/;
const NEWLINE = 0x0a;
const CR = 0x0d;
const EQUALS = 0x3d;
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
 *
 * Full 64-column lines, nearly all of a file, are found with `indexOf` on the bytes and decoded
 * in one batch per block (Node's decoder skips the line ends); a batch whose decoded size is not
 * 48 bytes per line had a character outside base64. Other lines go through {@link #line}.
 */
export class ArmorDecoder implements ChunkTransform {
  #state: 'before' | 'data' | 'after-last-line' | 'after' = 'before';
  // The unfinished last line of the previous block.
  #pending: Buffer = Buffer.alloc(0);

  update(block: Uint8Array): Uint8Array[] {
    const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
    const decoded: Buffer[] = [];
    let position = 0;
    if (this.#pending.byteLength > 0) {
      const newline = bytes.indexOf(NEWLINE);
      if (newline === -1) {
        this.#keepPending(Buffer.concat([this.#pending, bytes]));
        return decoded;
      }
      const line = Buffer.concat([this.#pending, bytes.subarray(0, newline)]);
      this.#pending = Buffer.alloc(0);
      this.#line(line.toString('latin1'), decoded);
      position = newline + 1;
    }
    let batchStart = position;
    let batchLines = 0;
    for (;;) {
      const newline = bytes.indexOf(NEWLINE, position);
      if (newline === -1) break;
      const contentEnd = newline > position && bytes[newline - 1] === CR ? newline - 1 : newline;
      if (this.#state === 'data' && contentEnd - position === COLUMNS && bytes[contentEnd - 1] !== EQUALS) {
        if (batchLines === 0) batchStart = position;
        batchLines += 1;
      } else {
        this.#flushBatch(bytes, batchStart, position, batchLines, decoded);
        batchLines = 0;
        this.#line(bytes.toString('latin1', position, newline), decoded);
      }
      position = newline + 1;
    }
    this.#flushBatch(bytes, batchStart, position, batchLines, decoded);
    this.#keepPending(Buffer.from(bytes.subarray(position)));
    return decoded;
  }

  final(): Uint8Array[] {
    const decoded: Buffer[] = [];
    // The END line may lack a final newline.
    if (this.#state !== 'after' && this.#pending.byteLength > 0)
      this.#line(this.#pending.toString('latin1'), decoded);
    this.#pending = Buffer.alloc(0);
    if (this.#state !== 'after') throw badArmor('no END line');
    return decoded;
  }

  #flushBatch(bytes: Buffer, start: number, end: number, lineCount: number, decoded: Buffer[]): void {
    if (lineCount === 0) return;
    const text = bytes.toString('latin1', start, end);
    const data = Buffer.from(text, 'base64');
    // Node's decoder skips characters outside base64 (a shorter result) but accepts base64url's.
    if (data.byteLength !== lineCount * BYTES_PER_LINE || text.includes('-') || text.includes('_')) {
      throw badArmor('a line has characters outside base64');
    }
    decoded.push(data);
  }

  #keepPending(rest: Buffer): void {
    this.#pending = rest;
    const text = rest.toString('latin1');
    if (this.#state === 'before') {
      if (!ARMOR_BEGIN.startsWith(text.replace(/^[ \t\r\n]+/, ''))) {
        throw badArmor('expected an age file or its armor BEGIN line');
      }
    } else if (this.#state === 'after') {
      if (!WHITESPACE.test(text)) throw badArmor('data after the END line');
      this.#pending = Buffer.alloc(0);
    } else if (rest.byteLength > MAX_PENDING) {
      throw badArmor('a line is longer than 64 columns');
    }
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
    if (line.length === 0 || line.length > COLUMNS || line.length % 4 !== 0 || !LAST_LINE.test(line)) {
      throw badArmor('a line is not 64 columns of base64 (or a shorter, padded last line)');
    }
    const bytes = Buffer.from(line, 'base64');
    if (bytes.toString('base64') !== line) throw badArmor('the base64 is not canonical');
    decoded.push(bytes);
    // A full line without padding may be followed by more; anything shorter or padded is the last.
    if (line.length < COLUMNS || line.endsWith('=')) this.#state = 'after-last-line';
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
