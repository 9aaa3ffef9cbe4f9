/** Writes generated records as upload folders: DIR/XX/students.csv and the others, plus DIR/truth.csv. */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generatedColumns, type RecordSink, type UploadFile } from './generate';

/** Bytes buffered per file before they are appended to disk. */
const flushBytes = 256 * 1024;

/** Quotes a CSV field when it contains a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A RecordSink that writes one folder per state, ready for
 * `npm run records -- import --state XX DIR/XX`, and truth.csv with the
 * header `state,state_student_id,true_child_id`. Call `close()` at the end.
 */
export class DirectorySink implements RecordSink {
  private readonly buffers = new Map<string, string>();
  private readonly truthPath: string;

  constructor(private readonly directory: string) {
    mkdirSync(directory, { recursive: true });
    this.truthPath = path.join(directory, 'truth.csv');
    writeFileSync(this.truthPath, 'state,state_student_id,true_child_id\n');
    this.buffers.set(this.truthPath, '');
  }

  row(state: string, file: UploadFile, values: Readonly<Record<string, string>>): void {
    const target = path.join(this.directory, state, file);
    if (!this.buffers.has(target)) {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, `${generatedColumns[file].join(',')}\n`);
      this.buffers.set(target, '');
    }
    this.append(target, `${generatedColumns[file].map((column) => csvField(values[column] ?? '')).join(',')}\n`);
  }

  truth(state: string, stateStudentId: string, trueChildId: number): void {
    this.append(this.truthPath, `${state},${stateStudentId},${trueChildId}\n`);
  }

  close(): void {
    for (const target of this.buffers.keys()) this.flush(target);
  }

  private append(target: string, line: string): void {
    const buffer = (this.buffers.get(target) ?? '') + line;
    this.buffers.set(target, buffer);
    if (buffer.length >= flushBytes) this.flush(target);
  }

  private flush(target: string): void {
    const buffer = this.buffers.get(target);
    if (buffer) appendFileSync(target, buffer);
    this.buffers.set(target, '');
  }
}
