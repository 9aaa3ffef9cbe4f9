/**
 * CSV uploads from the console pages. The API takes JSON bodies only, so the
 * file is read in the browser and sent as text in a JSON field of one
 * request, and the API's report of problems is shown as a table under the
 * form.
 */
import { showFieldProblems } from '../account/form-feedback';
import { createElement } from '../plans/dom';

const bytesPerMegabyte = 1024 * 1024;

/**
 * Largest CSV file either import sends, in bytes. The services read at most
 * 1 MB of CSV text (maxImportBytes in api/outreach/subscribers/import.ts and
 * maxAttendanceCsvBytes in api/outreach/events/attendance.ts). The API's
 * request guard reads bodies of up to 1.5 MB on the two import routes
 * (maxImportBodyBytes in api/security/json-body.ts), which leaves room for the
 * JSON escaping of quotes and backslashes.
 */
const maxCsvFileBytes = bytesPerMegabyte;

/**
 * Copy of maxImportBodyBytes, minus 1 KB for the body's other fields. A file
 * whose escaped text does not fit is rejected here, so the user sees what to
 * change in place of the API's bare 413 error.
 */
const maxEscapedCsvBytes = 1.5 * bytesPerMegabyte - 1024;

const encoder = new TextEncoder();

/**
 * Reads the chosen file of a file input as UTF-8 text, or shows a problem on
 * the field and returns undefined when no file is chosen or the file is too
 * large to import in one request.
 */
export async function readCsvFile(form: HTMLFormElement, input: HTMLInputElement): Promise<string | undefined> {
  const file = input.files?.[0];
  if (!file) {
    showFieldProblems(form, [{ field: input.name, message: input.dataset.missing ?? 'Choose a CSV file.' }]);
    return undefined;
  }

  const splitAdvice =
    'Remove the columns the import does not use, or split the file into smaller files, each with the header row, and import them one after the other.';
  if (file.size > maxCsvFileBytes) {
    showFieldProblems(form, [
      {
        field: input.name,
        message: `The file ${file.name} is larger than 1 MB (${formatSize(file.size)}), the limit for one import. ${splitAdvice}`,
      },
    ]);
    return undefined;
  }

  const text = await file.text();
  // Bytes that are not valid UTF-8 become U+FFFD, three bytes each, so the text can outgrow the file.
  const textBytes = encoder.encode(text).length;
  if (textBytes > maxCsvFileBytes) {
    showFieldProblems(form, [
      {
        field: input.name,
        message: `The file ${file.name} is not UTF-8 text, and read as UTF-8 it is larger than 1 MB (${formatSize(textBytes)}). Save it as CSV UTF-8 and choose it again.`,
      },
    ]);
    return undefined;
  }
  if (encoder.encode(JSON.stringify(text)).length > maxEscapedCsvBytes) {
    showFieldProblems(form, [
      {
        field: input.name,
        message: `The file ${file.name} contains so many quotes, backslashes or control characters that, escaped for sending, it is larger than the 1.5 MB the API accepts. ${splitAdvice}`,
      },
    ]);
    return undefined;
  }
  return text;
}

/** Formats a size rounded up, so a file just over a limit never reads as equal to it. */
function formatSize(bytes: number): string {
  if (bytes >= bytesPerMegabyte) return `${(Math.ceil((bytes / bytesPerMegabyte) * 10) / 10).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

/** One problem of an import report, as the API returns it. */
export interface ReportProblem {
  line: number;
  column: string | null;
  value: string | null;
  problem: string;
}

/**
 * Shows an import's summary sentences and, when there are any, a table of
 * problems with the line, column and value of each. `heading` becomes the
 * report's heading, which receives focus so keyboard users start from it.
 */
export function showImportReport(
  container: HTMLElement,
  options: {
    heading: string;
    headingLevel: 3 | 4;
    summary: string[];
    problems: ReportProblem[];
    problemsCaption: string;
  },
): void {
  const heading = createElement(`h${options.headingLevel}`, { text: options.heading, attributes: { tabindex: '-1' } });
  const summary = createElement(
    'ul',
    { className: 'usa-list' },
    options.summary.map((line) => createElement('li', { text: line })),
  );
  const children: Node[] = [heading, summary];
  if (options.problems.length > 0) children.push(renderProblems(options.problems, options.problemsCaption));

  const box = createElement('div', { className: 'outreach-report' }, children);
  container.replaceChildren(box);
  heading.focus();
}

function renderProblems(problems: ReportProblem[], caption: string): HTMLElement {
  const headerRow = createElement(
    'tr',
    {},
    ['Line', 'Column', 'Value', 'Problem'].map((label) =>
      createElement('th', { text: label, attributes: { scope: 'col' } }),
    ),
  );
  const rows = problems.map((problem) =>
    createElement('tr', {}, [
      createElement('td', { text: String(problem.line) }),
      createElement('td', { text: problem.column ?? 'Whole line' }),
      createElement('td', { className: 'outreach-report__value', text: problem.value ?? '' }),
      createElement('td', { text: problem.problem }),
    ]),
  );
  const table = createElement('table', { className: 'usa-table usa-table--borderless usa-table--compact' }, [
    createElement('caption', { text: caption }),
    createElement('thead', {}, [headerRow]),
    createElement('tbody', {}, rows),
  ]);
  return createElement(
    'div',
    {
      className: 'usa-table-container--scrollable',
      attributes: { role: 'region', 'aria-label': caption, tabindex: '0' },
    },
    [table],
  );
}
