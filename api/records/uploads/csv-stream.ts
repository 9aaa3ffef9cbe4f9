/**
 * Streaming RFC 4180 reader for upload files: UTF-8 with an optional BOM,
 * quoted fields that may hold commas, quotes and line breaks, CRLF, LF or CR
 * line ends. Rows come out one at a time, so memory stays flat whatever the
 * file size.
 */
import { createReadStream } from 'node:fs';

/** One row of a CSV file and the line where it starts (line 1 is the header). */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** A file that is not readable CSV; the upload is rejected whole with this message. */
export class CsvStructureError extends Error {
  override name = 'CsvStructureError';
}

/** Comma, quote, line feed, carriage return and NUL: the characters the parser must look at one by one. */
function isSpecial(code: number): boolean {
  return code === 44 || code === 34 || code === 10 || code === 13 || code === 0;
}

/** Incremental parser: feed decoded text with `push`, collect finished rows, then call `finish`. */
class CsvParser {
  private cells: string[] = [];
  private field = '';
  private quoted = false;
  /** True right after a closing quote, where only a comma or a line end may follow. */
  private afterClosingQuote = false;
  private pendingCarriageReturn = false;
  private line = 1;
  private rowStartLine = 1;
  private rowStarted = false;

  constructor(private readonly fileName: string) {}

  push(text: string, output: CsvRow[]): void {
    for (let index = 0; index < text.length; index += 1) {
      const character = text[index]!;
      if (this.pendingCarriageReturn) {
        this.pendingCarriageReturn = false;
        if (character === '\n') continue;
      }
      if (character === '\u0000') {
        throw new CsvStructureError(
          `${this.fileName} is not a CSV text file (it contains binary data on line ${this.line}). Save it as CSV (comma-separated, UTF-8) and upload it again.`,
        );
      }

      // Fast path: copy a run of ordinary characters at once instead of one by one.
      if (!isSpecial(text.charCodeAt(index)) && !this.afterClosingQuote) {
        let end = index + 1;
        while (end < text.length && !isSpecial(text.charCodeAt(end))) end += 1;
        this.field += text.slice(index, end);
        this.rowStarted = true;
        index = end - 1;
        continue;
      }

      if (this.quoted) {
        if (character === '"') {
          if (text[index + 1] === '"') {
            this.field += '"';
            index += 1;
          } else {
            this.quoted = false;
            this.afterClosingQuote = true;
          }
        } else {
          if (character === '\n' || (character === '\r' && text[index + 1] !== '\n')) this.line += 1;
          this.field += character;
        }
        continue;
      }

      if (character === ',') {
        this.endField();
      } else if (character === '\n' || character === '\r') {
        this.endRow(output);
        this.line += 1;
        this.rowStartLine = this.line;
        if (character === '\r') this.pendingCarriageReturn = true;
      } else if (this.afterClosingQuote) {
        throw new CsvStructureError(
          `${this.fileName} line ${this.line}: text follows a closing quote. In CSV, a field that contains quotes must be quoted whole, with each quote inside doubled ("").`,
        );
      } else if (character === '"' && this.field === '') {
        this.quoted = true;
        this.rowStarted = true;
      } else {
        this.field += character;
        this.rowStarted = true;
      }
    }
  }

  finish(output: CsvRow[]): void {
    if (this.quoted) {
      throw new CsvStructureError(
        `${this.fileName}: a quote opened on line ${this.rowStartLine} is never closed, so the rest of the file cannot be read. Close the quote or remove it, and upload the file again.`,
      );
    }
    this.endRow(output);
  }

  private endField(): void {
    this.cells.push(this.field);
    this.field = '';
    this.afterClosingQuote = false;
    this.rowStarted = true;
  }

  private endRow(output: CsvRow[]): void {
    if (this.rowStarted || this.field !== '' || this.afterClosingQuote) {
      this.endField();
      // Rows with no content at all (such as a trailing ",,,") are skipped like blank lines.
      if (this.cells.some((cell) => cell.trim() !== '')) output.push({ line: this.rowStartLine, cells: this.cells });
    }
    this.cells = [];
    this.field = '';
    this.afterClosingQuote = false;
    this.rowStarted = false;
  }
}

/**
 * Reads a CSV file row by row. `onBytes` receives the number of bytes read so
 * far, for progress. Throws CsvStructureError for invalid UTF-8, binary data
 * or a quote that is never closed.
 */
export async function* readCsvRows(
  filePath: string,
  fileName: string,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<CsvRow> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const parser = new CsvParser(fileName);
  let bytesRead = 0;
  let rows: CsvRow[] = [];

  const decode = (chunk: Buffer | undefined): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new CsvStructureError(
        `${fileName} is not valid UTF-8 text (near byte ${bytesRead}). Save the file as "CSV UTF-8" and upload it again.`,
      );
    }
  };

  // A chunk that ends in a quote or a carriage return is held back one character, because
  // only the next character distinguishes a doubled quote ("") from a closing one, and CRLF from CR.
  let carry = '';
  for await (const chunk of createReadStream(filePath, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    let text = carry + decode(chunk);
    carry = '';
    if (text.endsWith('"') || text.endsWith('\r')) {
      carry = text.slice(-1);
      text = text.slice(0, -1);
    }
    bytesRead += chunk.byteLength;
    parser.push(text, rows);
    onBytes?.(bytesRead);
    if (rows.length > 0) {
      yield* rows;
      rows = [];
    }
  }
  parser.push(carry + decode(undefined), rows);
  parser.finish(rows);
  yield* rows;
}
