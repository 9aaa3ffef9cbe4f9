/**
 * Reads and validates the rows of a subscriber import file: header
 * email,name,state,role,topics in any order (only email is required), topics
 * separated by ";". Each problem names the line, the column and the value.
 */
import type { ZodType, ZodTypeDef } from 'zod';
import { topicIds, type TopicId } from '../../../site/lib/taxonomy';
import { parseCsv } from '../../shared/csv';
import { ValidationError } from '../../shared/validation';
import { emailField, nameField, roleField, stateField } from './fields';

export const importColumns = ['email', 'name', 'state', 'role', 'topics'] as const;
type ImportColumn = (typeof importColumns)[number];

export interface ImportProblem {
  /** Line of the file, counting the header as line 1. */
  line: number;
  /** The column's header name, or null for a problem with the whole line. */
  column: string | null;
  /** The value as written in the file, cut to 200 characters, or null for a problem with the whole line. */
  value: string | null;
  problem: string;
}

/** A valid row; a field is undefined when its column is missing or its cell is empty. */
export interface ImportRow {
  line: number;
  email: string;
  name?: string | undefined;
  state?: string | undefined;
  role?: string | undefined;
  topics?: TopicId[] | undefined;
}

export interface ParsedImport {
  rows: ImportRow[];
  /** Problems of rows that are skipped. */
  errors: ImportProblem[];
  /** Lines with at least one problem. */
  invalidLines: number;
  /** Problems that skip no row, such as an unknown column, which is ignored. */
  warnings: ImportProblem[];
}

const maxReportedValueLength = 200;

/**
 * Parses the file line by line, so every problem carries its real line number.
 * Values cannot span lines: no subscriber field may contain a line break.
 */
export function parseImportFile(text: string): ParsedImport {
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  if (headerIndex === -1) {
    throw new ValidationError([
      { field: 'csv', message: `is empty; the first line must be the header ${importColumns.join(',')}.` },
    ]);
  }

  const header = readHeader(lines[headerIndex] ?? '', headerIndex + 1);
  const result: ParsedImport = { rows: [], errors: [], invalidLines: 0, warnings: header.warnings };
  const firstLineOfEmail = new Map<string, number>();

  for (let index = headerIndex + 1; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    const line = lines[index] ?? '';
    if (isBlankLine(line)) continue;

    const problems: ImportProblem[] = [];
    const row = readRow(line, lineNumber, header.columns, problems);
    if (row) {
      const firstLine = firstLineOfEmail.get(row.email);
      if (firstLine === undefined) firstLineOfEmail.set(row.email, lineNumber);
      else problems.push(problemAt(lineNumber, 'email', row.email, `appears again; line ${firstLine} already has it`));
    }

    if (problems.length > 0 || !row) {
      result.errors.push(...problems);
      result.invalidLines += 1;
    } else {
      result.rows.push(row);
    }
  }
  return result;
}

interface ImportHeader {
  /** Column of each position of a row, or null for an ignored unknown column. */
  columns: (ImportColumn | null)[];
  warnings: ImportProblem[];
}

function readHeader(line: string, lineNumber: number): ImportHeader {
  const names = (parseCsv(line)[0] ?? []).map((name) => name.trim().toLowerCase());
  const expected = `The first line must be the header ${importColumns.join(',')}; only email is required.`;
  if (!names.includes('email')) {
    throw new ValidationError([{ field: 'csv', message: `line ${lineNumber} has no email column. ${expected}` }]);
  }

  const warnings: ImportProblem[] = [];
  const seen = new Set<string>();
  const columns = names.map((name): ImportColumn | null => {
    if (seen.has(name)) {
      throw new ValidationError([
        { field: 'csv', message: `line ${lineNumber} has the column ${name} twice. ${expected}` },
      ]);
    }
    seen.add(name);
    if ((importColumns as readonly string[]).includes(name)) return name as ImportColumn;
    warnings.push(
      problemAt(
        lineNumber,
        name,
        name,
        `is not an import column and was ignored; allowed: ${importColumns.join(', ')}`,
      ),
    );
    return null;
  });
  return { columns, warnings };
}

function readRow(
  line: string,
  lineNumber: number,
  columns: readonly (ImportColumn | null)[],
  problems: ImportProblem[],
): ImportRow | undefined {
  if (countQuotes(line) % 2 === 1) {
    problems.push({
      line: lineNumber,
      column: null,
      value: cut(line),
      problem: 'has a quoted value that is not closed on this line; values cannot contain line breaks',
    });
    return undefined;
  }

  const cells = parseCsv(line)[0] ?? [];
  if (cells.length > columns.length) {
    problems.push({
      line: lineNumber,
      column: null,
      value: cut(line),
      problem: `has ${cells.length} values but the header has ${columns.length} columns; put quotes around values that contain commas`,
    });
    return undefined;
  }

  const cellOf = (column: ImportColumn): string => {
    const position = columns.indexOf(column);
    return position === -1 ? '' : (cells[position] ?? '').trim();
  };

  const emailCell = cellOf('email');
  const email =
    emailCell === ''
      ? reportProblem(problems, lineNumber, 'email', emailCell, 'is required, such as name@agency.gov')
      : validateCell(emailField, problems, lineNumber, 'email', emailCell);
  const name = optionalCell(nameField, problems, lineNumber, 'name', cellOf('name'));
  const state = optionalCell(stateField, problems, lineNumber, 'state', cellOf('state'));
  const role = optionalCell(roleField, problems, lineNumber, 'role', cellOf('role'));
  const topics = readTopics(problems, lineNumber, cellOf('topics'));

  if (email === undefined || problems.length > 0) return undefined;
  return {
    line: lineNumber,
    email,
    name: name ?? undefined,
    state: state ?? undefined,
    role: role ?? undefined,
    topics,
  };
}

function readTopics(problems: ImportProblem[], lineNumber: number, cell: string): TopicId[] | undefined {
  if (cell === '') return undefined;

  const topics = new Set<TopicId>();
  for (const part of cell.split(';').map((value) => value.trim())) {
    if (part === '') continue;
    if ((topicIds as readonly string[]).includes(part)) topics.add(part as TopicId);
    else {
      reportProblem(
        problems,
        lineNumber,
        'topics',
        part,
        `is not a topic id; separate topics with ";" and use ${topicIds.join(', ')}`,
      );
    }
  }
  return topics.size > 0 ? [...topics] : undefined;
}

function optionalCell<Output>(
  schema: ZodType<Output, ZodTypeDef, unknown>,
  problems: ImportProblem[],
  lineNumber: number,
  column: ImportColumn,
  cell: string,
): Output | undefined {
  return cell === '' ? undefined : validateCell(schema, problems, lineNumber, column, cell);
}

function validateCell<Output>(
  schema: ZodType<Output, ZodTypeDef, unknown>,
  problems: ImportProblem[],
  lineNumber: number,
  column: ImportColumn,
  cell: string,
): Output | undefined {
  const result = schema.safeParse(cell);
  if (result.success) return result.data;
  for (const issue of result.error.issues) reportProblem(problems, lineNumber, column, cell, issue.message);
  return undefined;
}

function reportProblem(
  problems: ImportProblem[],
  lineNumber: number,
  column: string,
  value: string,
  problem: string,
): undefined {
  problems.push(problemAt(lineNumber, column, value, problem));
  return undefined;
}

function problemAt(line: number, column: string, value: string, problem: string): ImportProblem {
  return { line, column, value: cut(value), problem };
}

function isBlankLine(line: string): boolean {
  return /^[\s,]*$/.test(line);
}

function countQuotes(line: string): number {
  return line.split('"').length - 1;
}

function cut(value: string): string {
  return value.length > maxReportedValueLength ? `${value.slice(0, maxReportedValueLength)}…` : value;
}
